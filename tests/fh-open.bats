#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# fh-open: handles from fh-encode opened again, on ext4 (the temp dir) and
# tmpfs, after renames and deletions, across filesystems and mounts, and
# without CAP_DAC_READ_SEARCH.

load helpers

setup() {
	D=$(scratch)
}

teardown() {
	unmount_below "${D:-/nonexistent}"
}

# A tmpfs of our own under the temp dir.
tmpfs_at() {
	require_root
	mkdir -p "$1"
	mount -t tmpfs tmpfs "$1"
}

# Encode, open in another process, compare path, content and inode.
round_trip() {
	local f=$1 h
	h=$(mntx fh-encode "$f")
	run --separate-stderr mntx fh-open "$h"
	assert_status 0
	[ "$output" = "$(realpath -s "$f")" ] || { echo "path: $output, expected $f" >&2; return 1; }
	run mntx fh-open --stat -J "$h"
	assert_status 0
	[ "$(jq -r .files[0].ino <<<"$output")" = "$(stat -c %i "$f")" ]
	[ "$(jq -r .files[0].handle <<<"$output")" = "$h" ]
	[ "$(jq -r .files[0].path <<<"$output")" = "$f" ]
	if [ -f "$f" ]; then
		run mntx fh-open --cat "$h"
		assert_status 0
		[ "$output" = "$(cat "$f")" ]
	fi
}

@test "round trip on ext4: a file and a directory" {
	printf 'content\n' >"$D/file"
	mkdir "$D/dir"
	round_trip "$D/file"
	round_trip "$D/dir"
}

@test "round trip on tmpfs: a file and a directory" {
	tmpfs_at "$D/t"
	printf 'on tmpfs\n' >"$D/t/file"
	mkdir "$D/t/dir"
	round_trip "$D/t/file"
	round_trip "$D/t/dir"
	umount "$D/t"
}

@test "after a rename the handle opens the file at its new path" {
	mkdir "$D/a" "$D/b"
	printf 'moved\n' >"$D/a/f"
	local h
	h=$(mntx fh-encode "$D/a/f")
	mv "$D/a/f" "$D/b/g"
	run mntx fh-open "$h"
	assert_status 0
	[ "$output" = "$D/b/g" ]
	run mntx fh-open --cat "$h"
	[ "$output" = moved ]
	# a directory renamed with its contents
	h=$(mntx fh-encode "$D/b")
	mv "$D/b" "$D/c"
	run mntx fh-open "$h"
	[ "$output" = "$D/c" ]
}

@test "after deletion: the file no longer exists (ESTALE), on ext4 and tmpfs" {
	printf 'x' >"$D/f"
	local h
	h=$(mntx fh-encode "$D/f")
	rm "$D/f"
	run --separate-stderr mntx fh-open "$h"
	assert_status 1
	[ -z "$output" ]
	[[ $stderr == "fh-open: cannot open '$h': the file no longer exists"* ]]
	tmpfs_at "$D/t"
	printf 'x' >"$D/t/f"
	h=$(mntx fh-encode "$D/t/f")
	rm "$D/t/f"
	run --separate-stderr mntx fh-open --cat "$h"
	assert_status 1
	[[ $stderr == *"the file no longer exists"* ]]
	umount "$D/t"
}

@test "--stat: the file record, as statx gives it" {
	printf 'abc' >"$D/f"
	local h
	h=$(mntx fh-encode "$D/f")
	run mntx fh-open --stat "$h"
	assert_status 0
	printf '%s\n' "$output" | grep -qx "path: *$D/f"
	printf '%s\n' "$output" | grep -qx "handle: *$h"
	printf '%s\n' "$output" | grep -qx "size: *3B"
	# the same fields as statx, but the handle and the link target
	local keys want
	keys=$(mntx fh-open --stat -J "$h" | jq -c '.files[0] | del(.handle, .atime_ns)')
	want=$(mntx statx -J "$D/f" | jq -c '.files[0] | del(.atime_ns)')
	[ "$keys" = "$want" ]
	# several: a table
	run mntx fh-open --stat -o PATH,SIZE -b "$h" "$h"
	[ "${#lines[@]}" = 3 ]
	[[ ${lines[1]} =~ ^$D/f\ +3$ ]]
}

@test "several handles: a table of path and handle; JSON: handle and path" {
	touch "$D/a"
	mkdir "$D/b"
	local ha hb
	ha=$(mntx fh-encode "$D/a")
	hb=$(mntx fh-encode "$D/b")
	run mntx fh-open "$ha" "$hb"
	assert_status 0
	[ "${#lines[@]}" = 3 ]
	[[ ${lines[0]} =~ ^PATH\ +HANDLE$ ]]
	[[ ${lines[2]} =~ ^$D/b\ +$hb$ ]]
	run mntx fh-open -J "$ha" "$hb"
	assert_json
	[ "$(jq -c '.files[1]' <<<"$output")" = "{\"handle\":\"$hb\",\"path\":\"$D/b\"}" ]
	run mntx fh-open --cat "$ha" "$ha"
	assert_status 0
}

@test "--fid handles (procfs) encode but do not open" {
	needs at_handle_fid
	local h
	h=$(mntx fh-encode --fid /proc/self/status)
	run --separate-stderr mntx fh-open "$h"
	assert_status 1
	[[ $stderr == *"the file no longer exists"* ]]
}

@test "a handle from another filesystem is refused as stale" {
	tmpfs_at "$D/t"
	printf 'x' >"$D/t/f"
	printf 'y' >"$D/f"
	local ht he tmpfs_id ext4_id
	ht=$(mntx fh-encode "$D/t/f")
	he=$(mntx fh-encode "$D/f")
	tmpfs_id=${ht#fh1:}; tmpfs_id=${tmpfs_id%%:*}
	ext4_id=${he#fh1:}; ext4_id=${ext4_id%%:*}
	# tmpfs bytes with the ext4 mount, and the other way round
	run --separate-stderr mntx fh-open "fh1:$ext4_id:${ht#fh1:*:}"
	assert_status 1
	[[ $stderr == *"stale file handle"* ]]
	run --separate-stderr mntx fh-open --cat "fh1:$tmpfs_id:${he#fh1:*:}"
	assert_status 1
	[[ $stderr == *"stale file handle"* ]]
	umount "$D/t"
}

@test "a mount that is gone: mount ID N is not mounted" {
	tmpfs_at "$D/t"
	touch "$D/t/f"
	local h id
	h=$(mntx fh-encode "$D/t/f")
	id=${h#fh1:?}
	id=$((16#${id%%:*}))	# the handle's own mount ID, unique or old
	umount "$D/t"
	run --separate-stderr mntx fh-open "$h"
	assert_status 1
	[ "$stderr" = "fh-open: cannot open '$h': mount ID $id is not mounted" ]
}

@test "an overmounted mount point is refused; a moved mount is found" {
	tmpfs_at "$D/t"
	printf 'here\n' >"$D/t/f"
	local h
	h=$(mntx fh-encode "$D/t/f")
	mount -t tmpfs cover "$D/t"
	run --separate-stderr mntx fh-open "$h"
	assert_status 1
	[[ $stderr == *"at '$D/t' is covered by another mount" ]]
	umount "$D/t"
	mkdir "$D/elsewhere"
	mount --move "$D/t" "$D/elsewhere"
	run mntx fh-open "$h"
	assert_status 0
	[ "$output" = "$D/elsewhere/f" ]
	umount "$D/elsewhere"
}

@test "an old mount ID ('o') handle opens too" {
	printf 'old\n' >"$D/f"
	local h old
	h=$(mntx fh-encode "$D/f")
	old=$(findmnt -n -o ID -T "$D/f")
	run mntx fh-open --cat "$(printf 'fh1:o%x:%s' "$old" "${h#fh1:*:}")"
	assert_status 0
	[ "$output" = old ]
}

@test "without CAP_DAC_READ_SEARCH: EPERM names the capability" {
	require_root
	touch "$D/f"
	local h
	h=$(mntx fh-encode "$D/f")
	run --separate-stderr setpriv --inh-caps -dac_read_search --bounding-set -dac_read_search "$MNTX" fh-open "$h"
	assert_status 1
	[ "$stderr" = "fh-open: cannot open '$h': Operation not permitted (needs CAP_DAC_READ_SEARCH)" ]
	# nobody must reach the file to encode it
	chmod o+x "$BATS_RUN_TMPDIR" "$BATS_RUN_TMPDIR/test" "$BATS_TEST_TMPDIR" "$D"
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$MNTX" fh-open --cat "$h"
	assert_status 1
	[[ $stderr == *"(needs CAP_DAC_READ_SEARCH)" ]]
	# encoding needs no privilege
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$MNTX" fh-encode "$D/f"
	assert_status 0
	[ "$output" = "$h" ]
}

@test "malformed handles: status 2 with what is wrong, nothing opened" {
	touch "$D/f"
	local good
	good=$(mntx fh-encode "$D/f")
	local -A cases=(
		["nonsense"]="not a handle string"
		["fh2:u80000001:t1:00"]="unknown version"
		["fh1:x1:t1:00"]="the mount ID must start with 'u' (unique) or 'o' (old)"
		["fh1:u80000001:t1:abc"]="odd number of hex digits"
		["fh1:u80000001:t1:ZZ"]="the handle bytes are not lower-case hex"
		["fh1:u80000001"]="no ':t' handle type"
	)
	for s in "${!cases[@]}"; do
		run --separate-stderr mntx fh-open "$good" "$s"
		assert_status 2
		[ -z "$output" ]
		[[ $stderr == "fh-open: invalid handle '$s': ${cases[$s]}"* ]] || { echo "$s: $stderr" >&2; return 1; }
		[[ $stderr == *"Try 'fh-open --help' for more information."* ]]
	done
	# a newline in it is shown escaped, on one line
	run --separate-stderr mntx fh-open $'fh1:u80000001:t1:00\nx'
	assert_status 2
	[[ $stderr == "fh-open: invalid handle 'fh1:u80000001:t1:00\\nx': the handle bytes are not lower-case hex"* ]]
}

@test "usage errors: no handle, two modes, bad flags" {
	run --separate-stderr mntx fh-open
	assert_status 2
	[[ $stderr == *"no handle given"* ]]
	run --separate-stderr mntx fh-open --stat --cat fh1:u80000001:t1:00
	assert_status 2
	[[ $stderr == *"--path, --stat and --cat exclude each other"* ]]
	run --separate-stderr mntx fh-open --flags rdonly,bogus fh1:u80000001:t1:00
	assert_status 2
	[[ $stderr == *"unknown open flag 'bogus'"* ]]
}

@test "--flags: the open flags are the user's" {
	printf 'data' >"$D/f"
	local h
	h=$(mntx fh-encode "$D/f")
	run --separate-stderr mntx fh-open --flags rdonly,directory "$h"
	assert_status 1
	[[ $stderr == *"Not a directory" ]]
	run mntx fh-open --cat --flags rdonly,noatime "$h"
	assert_status 0
	[ "$output" = data ]
	run --separate-stderr mntx fh-open --cat "$(mntx fh-encode "$D")"
	assert_status 1
	[[ $stderr == *"cannot read"*"Is a directory" ]]
}

@test "odd names: the current path survives in JSON" {
	local names=("a b" $'new\nline' $'tab\there' 'back\slash' $'bad\xff\xfeutf8')
	for n in "${names[@]}"; do
		touch "$D/tmp"
		local h
		h=$(mntx fh-encode "$D/tmp")
		mv "$D/tmp" "$D/$n"
		run mntx fh-open -J "$h"
		assert_status 0
		assert_json
		if [[ $n == bad* ]]; then
			[ "$(jq -r .files[0].path_b64 <<<"$output" | base64 -d)" = "$D/$n" ]
		else
			[ "$(jq -r .files[0].path <<<"$output")" = "$D/$n" ]
		fi
		run mntx fh-open -n -o PATH "$h" "$h"
		[ "${#lines[@]}" = 2 ]
	done
}
