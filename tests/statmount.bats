#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# statmount: one mount in full, several as a table, the same record as
# lsmnt, --mask, --supported, and the errors.

load helpers
load mounts

setup() {
	D="$BATS_TEST_TMPDIR/m"
}

teardown() {
	mounts_teardown
}

# The keys of the mount record, in order, as lsmnt prints them.
record_keys() {
	mntx lsmnt -H -J | jq -c '[.columns[].key]'
}

@test "one mount: a vertical key: value listing of every field" {
	run --separate-stderr mntx statmount /
	assert_status 0
	[ -z "$stderr" ]
	# one line per field, in the record's order
	[ "$(printf '%s\n' "$output" | sed 's/:.*//' | jq -R . | jq -sc .)" = "$(record_keys)" ]
	printf '%s\n' "$output" | grep -qE '^target: +/$'
	printf '%s\n' "$output" | grep -qE '^old_id: +[0-9]+$'
	printf '%s\n' "$output" | grep -qE '^propagation: +[a-z,]+$'
	if lacks listmount; then
		# what mountinfo does not have is shown empty
		printf '%s\n' "$output" | grep -qE '^id: *$'
		printf '%s\n' "$output" | grep -qE '^sb_magic: *$'
	else
		printf '%s\n' "$output" | grep -qE '^id: +[0-9]{10,}$'
		printf '%s\n' "$output" | grep -qE '^sb_magic: +0x[0-9a-f]+$'
	fi
}

@test "the vertical listing shows what lsmnt shows for the same mount" {
	require_root
	build_tree "$D"
	local p key val want
	for p in "$D/tmp" "$D/idmap" "$D/slave" "$D/ovl" "$D/flags"; do
		run mntx statmount "$p"
		assert_status 0
		for key in id old_id target root source fstype options vfs_options fs_options propagation \
			master peer_group maj min uid_map gid_map mnt_attr sb_flags opt_array; do
			val=$(printf '%s\n' "$output" | sed -n "s/^$key: *//p")
			want=$(mntx lsmnt -n -r -o "$key" "$p")
			# raw tables escape blanks; the listing does not
			[ "$val" = "$(printf '%b' "$want")" ] || { echo "$p $key: '$val' vs '$want'" >&2; return 1; }
		done
	done
}

@test "several mounts: a table, one row each" {
	run --separate-stderr mntx statmount / /proc
	assert_status 0
	# the IDs the kernel has: unique ones, or mountinfo's before Linux 6.8
	[[ ${lines[0]} =~ ^\ *$IDC\ +TARGET\ +SOURCE\ +FSTYPE\ +OPTIONS\ +PROPAGATION$ ]]
	[ "${#lines[@]}" = 3 ]
	[[ ${lines[1]} =~ ^\ *[0-9]+\ +/\  ]]
	[[ ${lines[2]} =~ ^\ *[0-9]+\ +/proc\  ]]
	run mntx statmount -n -r -o TARGET,FSTYPE / /proc
	[ "$output" = "$(printf '%s\n' "/ $(findmnt -n -o FSTYPE /)" "/proc proc")" ]
}

@test "-J: {\"mounts\": [...]} with exactly lsmnt's keys and values" {
	run --separate-stderr mntx statmount -J / /proc
	assert_status 0
	assert_json
	[ "$(jq '.mounts | length' <<<"$output")" = 2 ]
	[ "$(jq -c '.mounts[0] | keys_unsorted' <<<"$output")" = "$(record_keys)" ]
	[ "$(jq -c '.mounts[0]' <<<"$output")" = "$(mntx lsmnt -J --output-all / | jq -c '.mounts[0]')" ]
	[ "$(jq -c '.mounts[1]' <<<"$output")" = "$(mntx lsmnt -J --output-all /proc | jq -c '.mounts[0]')" ]
	# one mount is still a document with an array
	run mntx statmount --json /
	[ "$(jq -c '.mounts[0] | keys_unsorted' <<<"$output")" = "$(record_keys)" ]
	run mntx statmount --json-lines / /proc
	assert_status 0
	[ "${#lines[@]}" = 2 ]
	[ "$(jq -c 'keys_unsorted' <<<"${lines[1]}")" = "$(record_keys)" ]
}

@test "by unique ID, old ID and path: the same mount" {
	require_root
	build_tree "$D"
	local id old a
	id=$(mntx lsmnt -n -o "$IDC" "$D/nest/a" | tr -d ' ')
	old=$(findmnt -n -o ID --mountpoint "$D/nest/a")
	a=$(mntx statmount -J "$D/nest/a")
	[ "$(jq -r '.mounts[0].target' <<<"$a")" = "$D/nest/a" ]
	[ "$(mntx statmount -J "$id")" = "$a" ]
	[ "$(mntx statmount -J "$old")" = "$a" ]
	# a path inside the mount names it too
	mkdir "$D/nest/a/dir"
	[ "$(mntx statmount -J "$D/nest/a/dir")" = "$a" ]
	# and the mountinfo back-end by path and old ID
	run mntx statmount --kernel=mountinfo -J -o old_id,target "$D/nest/a" "$old"
	assert_status 0
	[ "$(jq -c '[.mounts[].target]' <<<"$output")" = "[\"$D/nest/a\",\"$D/nest/a\"]" ]
}

@test "idmapped, shared and slave mounts in full" {
	require_root
	build_tree "$D"
	run mntx statmount -J "$D/idmap" "$D/shared" "$D/slave"
	assert_status 0
	if ! lacks idmapped_tmpfs; then
		[ "$(jq -c '.mounts[0].uid_map' <<<"$output")" = "$(idmap_shown '["0 100000 65536"]')" ]
		[ "$(jq -c '.mounts[0].gid_map' <<<"$output")" = "$(idmap_shown '["0 200000 1000"]')" ]
	fi
	[ "$(jq -c '.mounts[1].propagation' <<<"$output")" = '["shared"]' ]
	[ "$(jq -c '.mounts[2].propagation' <<<"$output")" = '["slave"]' ]
	[ "$(jq '.mounts[2].master' <<<"$output")" = "$(jq '.mounts[1].peer_group' <<<"$output")" ]
	[ "$(jq '.mounts[1].master' <<<"$output")" = null ]
}

@test "--mask: only the chosen statmount groups are filled" {
	needs listmount
	run mntx statmount -J --mask mnt_point /
	assert_status 0
	[ "$(jq -c '.mounts[0] | with_entries(select(.value != null)) | keys' <<<"$output")" = '["target"]' ]
	run mntx statmount -J --mask sb_basic,mnt_point /proc
	assert_status 0
	[ "$(jq -c '.mounts[0] | with_entries(select(.value != null)) | keys' <<<"$output")" = '["fs_name","maj","min","sb_flags","sb_magic","target"]' ]
	[ "$(jq -r '.mounts[0].fs_name' <<<"$output")" = proc ]
	# every key is still there
	[ "$(jq -c '.mounts[0] | keys_unsorted' <<<"$output")" = "$(record_keys)" ]
	run mntx statmount -J --mask mnt_basic,sb_basic,mnt_opts /
	[ "$(jq -r '.mounts[0].options' <<<"$output")" = "$(mntx lsmnt -n -o OPTIONS /)" ]
	[ "$(jq '.mounts[0].target' <<<"$output")" = null ]
	run --separate-stderr mntx statmount --mask nosuchgroup /
	assert_status 2
	assert_one_line_error statmount
	[[ $stderr == *nosuchgroup* ]]
}

@test "--supported: the groups this kernel supports and the fields they fill" {
	needs listmount
	run --separate-stderr mntx statmount --supported
	assert_status 0
	[[ ${lines[0]} =~ ^GROUP\ +BIT\ +SUPPORTED\ +FIELDS$ ]]
	printf '%s\n' "$output" | grep -qE '^mnt_point +0x10 +1 +target$'
	run mntx statmount --supported -J
	assert_status 0
	assert_json
	[ "$(jq -r '.groups[] | select(.group == "sb_basic") | .bit' <<<"$output")" = 1 ]
	[ "$(jq -r '.groups[] | select(.group == "mnt_uidmap") | .supported' <<<"$output")" = "$(feature_line statmount_idmap | cut -f2)" ]
	[ "$(jq -r '.groups[] | select(.group == "sb_source") | .supported' <<<"$output")" = "$(feature_line statmount_sb_source | cut -f2)" ]
	[ "$(jq -r '.groups[] | select(.group == "mnt_point") | .supported' <<<"$output")" = true ]
	[ "$(jq -c '.groups[] | select(.group == "fs_type") | .fields' <<<"$output")" = '["fstype"]' ]
	# every field of the record is filled by some group
	[ "$(jq -c '[.groups[].fields[]] | unique' <<<"$output")" = "$(record_keys | jq -c sort)" ]
	run --separate-stderr mntx statmount --supported /
	assert_status 2
	assert_one_line_error statmount
}

@test "a missing ID or a path on no mount: status 1, named, the others still printed" {
	run --separate-stderr mntx statmount -J / 18446744073709551615 /mntx/no/such /proc 2000000000
	assert_status 1
	assert_json
	[ "$(jq -c '[.mounts[].target]' <<<"$output")" = '["/","/proc"]' ]
	[ "$(printf '%s\n' "$stderr" | grep -c .)" = 3 ]
	[[ $stderr == *"statmount: cannot read mount 18446744073709551615: No such file or directory"* ]]
	[[ $stderr == *"statmount: cannot find the mount of '/mntx/no/such': No such file or directory"* ]]
	[[ $stderr == *"statmount: cannot read mount 2000000000: No such file or directory"* ]]
	run --separate-stderr mntx statmount 18446744073709551615
	assert_status 1
	[ -z "$output" ]
	run --separate-stderr mntx statmount -n -r -o TARGET 18446744073709551615 /
	assert_status 1
	[ "$output" = / ]
}

@test "a path on a mount of another namespace is on no mount of ours" {
	require_root
	local pid
	other_ns "$D/other"
	pid=$OTHER_PID
	run --separate-stderr mntx statmount "/proc/$pid/root$D/other"
	assert_status 1
	[ "$stderr" = "statmount: cannot find the mount of '/proc/$pid/root$D/other': No such file or directory" ]
	# but with -N it is there, the path taken in that process's view
	run --separate-stderr mntx statmount -N "$pid" -J "$D/other"
	assert_status 0
	[ "$(jq -r '.mounts[0].source' <<<"$output")" = mntx-other ]
	run mntx statmount --task "$pid" --kernel=mountinfo -J -o source "$D/other"
	assert_status 0
	[ "$(jq -r '.mounts[0].source' <<<"$output")" = mntx-other ]
}

@test "odd mount points: vertical listing escaped, JSON valid with target_b64" {
	require_root
	mkdir -p "$D"
	mount -t tmpfs mntx-top "$D"
	mkdir "$D/"$'n\nl\xff'
	mount -t tmpfs mntx-odd "$D/"$'n\nl\xff'
	run mntx statmount "$D/"$'n\nl\xff'
	assert_status 0
	printf '%s\n' "$output" | grep -qxF "target:         $D/n\\x0al\\xff"
	run mntx statmount -J "$D/"$'n\nl\xff'
	assert_status 0
	assert_json
	[ "$(jq -r '.mounts[0].target_b64' <<<"$output" | base64 -d | od -An -tx1)" = "$(printf '%s' "$D/"$'n\nl\xff' | od -An -tx1)" ]
}

@test "the vertical listing: as libsmartcols draws it on a terminal, odd names, UTF-8 and ASCII" {
	require_root
	command -v script >/dev/null || skip "script(1) is missing"
	mkdir -p "$D"
	mount -t tmpfs mntx-top "$D"
	local name loc
	while IFS= read -r -d '' name; do
		mkdir "$D/$name"
		mount -t tmpfs "src $name" "$D/$name"
	done < <(odd_names; printf '%s\0' '漢字 wide')
	# To a pipe mntx prints the listing itself; on a terminal libsmartcols does
	while IFS= read -r -d '' name; do
		for loc in C.UTF-8 C; do
			run env LC_ALL=$loc "$MNTX" statmount "$D/$name"
			assert_status 0
			[ "${#lines[@]}" -gt 20 ]
			want=$(script -qec "stty cols 30000; LC_ALL=$loc '$MNTX' statmount '$D/$name'" /dev/null </dev/null | tr -d '\r')
			[ "$output" = "$want" ] ||
				{ echo "LC_ALL=$loc, '$name': the listing differs from libsmartcols'" >&2; return 1; }
		done
	done < <(odd_names; printf '%s\0' '漢字 wide')
}

@test "output options: -o, --output-all, -n, -r, -b, -H" {
	run mntx statmount -o TARGET,FSTYPE /
	assert_status 0
	[[ ${lines[0]} =~ ^TARGET\ +FSTYPE$ ]]
	[[ ${lines[1]} =~ ^/\ + ]]
	run mntx statmount --output-all -r / /proc
	assert_status 0
	[ "${#lines[@]}" = 3 ]
	[ "$(awk '{print NF}' <<<"${lines[0]}")" = "$(record_keys | jq length)" ]
	run mntx statmount --noheadings -r -o target,source /proc
	[ "$output" = "/proc proc" ]
	run mntx statmount --raw --bytes -o TARGET /
	[ "$output" = "$(printf 'TARGET\n/')" ]
	run mntx statmount -H
	assert_status 0
	[[ ${lines[0]} =~ NAME\ +KEY\ +TYPE\ +DESCRIPTION ]]
	[ "$(mntx statmount --list-columns -J | jq -c '[.columns[].key]')" = "$(record_keys)" ]
}

@test "without listmount/statmount in the kernel: mountinfo, quiet unless a chosen column is null" {
	require_root
	run --separate-stderr without_listmount "$MNTX" statmount -J /
	assert_status 0
	[ -z "$stderr" ]
	[ "$(jq -r '.mounts[0].target' <<<"$output")" = / ]
	[ "$(jq '.mounts[0].id' <<<"$output")" = null ]
	[ "$(jq '.mounts[0].old_id' <<<"$output")" = "$(awk '$5 == "/" {print $1}' /proc/self/mountinfo | tail -1)" ]
	run --separate-stderr without_listmount "$MNTX" statmount -o ID,PARENT,TARGET /
	assert_status 0
	[ "$stderr" = "statmount: note: null on this kernel: ID, PARENT need Linux 6.8 (listmount, statmount)" ]
	run --separate-stderr without_listmount "$MNTX" statmount --kernel=listmount /
	assert_status 1
	assert_one_line_error statmount
	[[ $stderr == *"lacks statmount(2)"* ]]
	run --separate-stderr without_listmount "$MNTX" statmount --mask sb_basic /
	assert_status 1
	[ "$stderr" = "statmount: --mask needs Linux 6.8 (listmount, statmount)" ]
	run --separate-stderr without_listmount "$MNTX" statmount -n -r / /proc
	assert_status 0
	[ "$(awk '{print $1}' <<<"$output")" = "$(printf '%s\n' "$(findmnt -n -o ID /)" "$(findmnt -n -o ID /proc)")" ]
	run --separate-stderr without_listmount "$MNTX" statmount --supported
	assert_status 1
	[ "$stderr" = "statmount: --supported needs Linux 6.8 (listmount, statmount)" ]
	[ -z "$output" ]
}

@test "errors: no operand, bad options, bad columns, bad --kernel, bad PID" {
	run --separate-stderr mntx statmount
	assert_status 2
	[ "$(printf '%s\n' "$stderr" | head -1)" = "statmount: no mount given" ]
	run --separate-stderr mntx statmount --bogus /
	assert_status 2
	[[ $stderr == "statmount: unrecognized option '--bogus'"* ]]
	run --separate-stderr mntx statmount -o NOPE /
	assert_status 2
	assert_one_line_error statmount
	[[ $stderr == *"unknown column: 'NOPE'"* ]]
	run --separate-stderr mntx statmount --kernel=nope /
	assert_status 2
	[[ $stderr == "statmount: invalid --kernel value: 'nope'"* ]]
	run --separate-stderr mntx statmount -N x /
	assert_status 2
	assert_one_line_error statmount
	run --separate-stderr mntx statmount -N 2147483647 /
	assert_status 1
	assert_one_line_error statmount
	for s in "$stderr"; do
		[ "$(printf '%s\n' "$s" | grep -c .)" -le 2 ]
	done
}
