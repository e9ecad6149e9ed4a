#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# fh-encode: handle strings, their parts, and the flags of name_to_handle_at.
# Opening the handles again is tested in fh-open.bats.

load helpers

OLD_NOTE="fh-encode: note: this kernel gives handles old mount IDs only (unique ones: Linux 6.12); a later mount may reuse the ID"

setup() {
	D=$(scratch)
	# before Linux 6.12 a handle carries the old mount ID, said once
	K=u NOTE=
	if lacks at_handle_mnt_id_unique; then
		K=o NOTE=$OLD_NOTE
	fi
	HANDLE_RE="^fh1:$K[1-9a-f][0-9a-f]*:t(0|[1-9a-f][0-9a-f]*):([0-9a-f][0-9a-f])+\$"
}

# the ID a handle of $1 carries: the unique one, or mountinfo's
mount_id_of() {
	if [ "$K" = u ]; then
		mntx statx -J "$1" | jq .files[0].mnt_id
	else
		findmnt -n -o ID -T "$1"
	fi
}

teardown() {
	unmount_below "${D:-/nonexistent}"
}

@test "one path: the handle alone, one shell-safe word" {
	touch "$D/f"
	run --separate-stderr mntx fh-encode "$D/f"
	assert_status 0
	[ "${#lines[@]}" = 1 ]
	[[ $output =~ $HANDLE_RE ]]
	[[ $output =~ ^[a-z0-9:]+$ ]]
	[ "$stderr" = "$NOTE" ]
	# the same file gives the same handle; a hard link too
	ln "$D/f" "$D/hard"
	[ "$(mntx fh-encode "$D/f" 2>/dev/null)" = "$output" ]
	[ "$(mntx fh-encode "$D/hard" 2>/dev/null)" = "$output" ]
	touch "$D/g"
	[ "$(mntx fh-encode "$D/g" 2>/dev/null)" != "$output" ]
}

@test "several paths: a table of path and handle" {
	touch "$D/a"
	mkdir "$D/b"
	run --separate-stderr mntx fh-encode "$D/a" "$D/b"
	assert_status 0
	[ "$stderr" = "$NOTE" ]
	[ "${#lines[@]}" = 3 ]
	[[ ${lines[0]} =~ ^PATH\ +HANDLE$ ]]
	read -r p h <<<"${lines[2]}"
	[ "$p" = "$D/b" ]
	[ "$h" = "$(mntx fh-encode "$D/b" 2>/dev/null)" ]
}

@test "-J gives the parts, and they make the handle" {
	touch "$D/f"
	run --separate-stderr mntx fh-encode -J "$D/f" /
	assert_status 0
	assert_json
	[ "$(jq '.handles | length' <<<"$output")" = 2 ]
	local rec id type bytes
	rec=$(jq -c '.handles[0]' <<<"$output")
	[ "$(jq -r .path <<<"$rec")" = "$D/f" ]
	[ "$(jq -r .mnt_id_unique <<<"$rec")" = "$([ "$K" = u ] && echo true || echo false)" ]
	id=$(jq -r .mnt_id <<<"$rec")
	type=$(jq -r .handle_type <<<"$rec")
	bytes=$(jq -r .bytes <<<"$rec")
	[ "$(jq -r .handle <<<"$rec")" = "$(printf 'fh1:%s%x:t%x:%s' "$K" "$id" "$type" "$bytes")" ]
	# the mount ID is the one statx (or mountinfo) and statmount know
	[ "$id" = "$(mount_id_of "$D/f")" ]
	[ "$(mntx statmount -J "$id" | jq -r .mounts[0].target)" = "$(findmnt -n -o TARGET -T "$D/f")" ]
	# ext4: 8 bytes, type 1 (FILEID_INO32_GEN)
	if [ "$(findmnt -n -o FSTYPE -T "$D/f")" = ext4 ]; then
		[ "${#bytes}" = 16 ]
		[ "$type" = 1 ]
	fi
}

@test "table and JSON agree" {
	touch "$D/a" "$D/b"
	run --separate-stderr mntx fh-encode -r -n -o PATH,HANDLE,MNT-ID,UNIQUE,HANDLE-TYPE,BYTES "$D/a" "$D/b"
	assert_status 0
	local json
	json=$(mntx fh-encode -J "$D/a" "$D/b" 2>/dev/null | jq -r '.handles[] |
		"\(.path) \(.handle) \(.mnt_id) \(if .mnt_id_unique then 1 else 0 end) 0x\(.handle_type) \(.bytes)"')
	# tables show the type in hex: ext4 types are below 10
	[ "$output" = "$json" ]
}

@test "a symlink is encoded itself unless -L" {
	touch "$D/f"
	ln -s f "$D/link"
	local file link
	file=$(mntx fh-encode "$D/f" 2>/dev/null)
	link=$(mntx fh-encode "$D/link" 2>/dev/null)
	[ "$link" != "$file" ]
	[ "$(mntx fh-encode -L "$D/link" 2>/dev/null)" = "$file" ]
	[ "$(mntx fh-encode --dereference "$D/link" 2>/dev/null)" = "$file" ]
}

@test "procfs has no real handles: the refusal names --fid" {
	run --separate-stderr mntx fh-encode /proc/self/status
	assert_status 1
	[ -z "$output" ]
	[[ $stderr == "fh-encode: cannot encode '/proc/self/status': its filesystem does not export file handles (--fid gives an identity-only one)" ]]
}

@test "--fid encodes where real handles are refused (procfs)" {
	needs at_handle_fid
	run --separate-stderr mntx fh-encode --fid /proc/self/status
	assert_status 0
	[[ $output =~ $HANDLE_RE ]]
	# the mount ID is procfs's own
	[ "$(mntx fh-encode --fid -J /proc/self/status 2>/dev/null | jq .handles[0].mnt_id)" = "$(mount_id_of /proc/self/status)" ]
}

@test "without AT_HANDLE_FID or AT_HANDLE_CONNECTABLE: --fid and --connectable refused in one sentence" {
	touch "$D/f"
	run --separate-stderr kernel_without at_handle_fid -- "$MNTX" fh-encode --fid "$D/f" /
	assert_status 1
	[ -z "$output" ]
	[ "$stderr" = "fh-encode: --fid needs Linux 6.5 (AT_HANDLE_FID)" ]
	run --separate-stderr kernel_without at_handle_connectable -- "$MNTX" fh-encode --connectable -J "$D/f"
	assert_status 1
	[ -z "$output" ]
	[ "$stderr" = "fh-encode: --connectable needs Linux 6.13 (AT_HANDLE_CONNECTABLE)" ]
	if lacks at_handle_fid; then
		run --separate-stderr mntx fh-encode --fid "$D/f"
		assert_status 1
		[ "$stderr" = "fh-encode: --fid needs Linux 6.5 (AT_HANDLE_FID)" ]
	fi
}

@test "without unique mount IDs in handles: the old ID, said once" {
	touch "$D/f" "$D/g"
	run --separate-stderr kernel_without at_handle_mnt_id_unique -- "$MNTX" fh-encode -J "$D/f" "$D/g"
	assert_status 0
	assert_json
	[ "$stderr" = "$OLD_NOTE" ]
	[ "$(jq -c '[.handles[].mnt_id_unique]' <<<"$output")" = '[false,false]' ]
	[ "$(jq '.handles[0].mnt_id' <<<"$output")" = "$(findmnt -n -o ID -T "$D/f")" ]
	[[ $(jq -r '.handles[1].handle' <<<"$output") == fh1:o* ]]
}

@test "--connectable marks the handle type (FILEID_IS_CONNECTABLE, FILEID_IS_DIR)" {
	needs at_handle_connectable
	mkdir "$D/d"
	touch "$D/d/f"
	[ "$(findmnt -n -o FSTYPE -T "$D")" = ext4 ] || skip "needs ext4 under the temp dir"
	run mntx fh-encode --connectable -J "$D/d/f" "$D/d"
	assert_status 0
	[ "$(jq -r '[.handles[].handle_type] | map(. / 65536 | floor) | join(",")' <<<"$output")" = 1,3 ]
	run mntx fh-encode -J "$D/d/f"
	[ "$(jq -r '.handles[0].handle_type' <<<"$output")" -lt 65536 ]
}

@test "--connectable on tmpfs: a clear refusal" {
	require_root
	needs at_handle_connectable
	mkdir "$D/t"
	mount -t tmpfs tmpfs "$D/t"
	mkdir "$D/t/d"
	run --separate-stderr mntx fh-encode --connectable "$D/t/d"
	umount "$D/t"
	if [ "$status" = 0 ]; then
		[[ $output =~ $HANDLE_RE ]]	# a kernel whose tmpfs learnt it
	else
		assert_status 1
		[[ $stderr == *"cannot make connectable handles"* ]]
	fi
}

@test "usage errors: no path, --fid with --connectable, unknown column" {
	run --separate-stderr mntx fh-encode
	assert_status 2
	[[ $stderr == *"no file given"* ]]
	run --separate-stderr mntx fh-encode --fid --connectable /
	assert_status 2
	[[ $stderr == *"--fid and --connectable exclude each other"* ]]
	run --separate-stderr mntx fh-encode -o PATH,TYPE /
	assert_status 2
	[[ $stderr == *"unknown column: 'TYPE'"* ]]
}

@test "a missing path fails, the others are still encoded" {
	touch "$D/f"
	run --separate-stderr mntx fh-encode -J "$D/f" "$D/missing"
	assert_status 1
	assert_json
	[ "$(jq '.handles | length' <<<"$output")" = 1 ]
	[ "$stderr" = "${NOTE:+$NOTE$'\n'}fh-encode: cannot encode '$D/missing': No such file or directory" ]
}

@test "odd names: space, newline, tab, backslash and invalid UTF-8" {
	local names=("a b" $'new\nline' $'tab\there' 'back\slash' $'bad\xff\xfeutf8')
	for n in "${names[@]}"; do
		touch "$D/$n"
		run --separate-stderr mntx fh-encode "$D/$n"
		assert_status 0
		[[ $output =~ $HANDLE_RE ]]
		run --separate-stderr mntx fh-encode -J "$D/$n"
		assert_json
		if [[ $n == bad* ]]; then
			[ "$(jq -r .handles[0].path_b64 <<<"$output" | base64 -d)" = "$D/$n" ]
		else
			[ "$(jq -r .handles[0].path <<<"$output")" = "$D/$n" ]
		fi
		run --separate-stderr mntx fh-encode -n "$D/$n" "$D/$n"
		[ "${#lines[@]}" = 2 ]
		run --separate-stderr mntx fh-encode "$D/missing $n"
		assert_status 1
		assert_one_line_error fh-encode
		[ "$(printf '%s' "$stderr" | wc -l)" = 0 ]
	done
}
