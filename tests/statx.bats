#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# statx: every field, checked against coreutils stat(1) and chattr(1).

load helpers

setup() {
	D=$(scratch)
}

teardown() {
	# an immutable or append-only file would outlive the test's temp dir
	[ -n "${D:-}" ] && chattr -R -i -a "$D" 2>/dev/null
	unmount_below "${D:-/nonexistent}"
	return 0
}

# What stat(1) says, in the order and units of ours() below.
theirs() {
	local mode rest text w out=()
	text=$(stat --printf '%a %s %u %g %i %h %.9X %.9Y %.9Z %.9W %Hd %Ld %F' "$@") || return 1
	read -r mode rest <<<"$text"
	# octal mode to a number; seconds.nanoseconds to nanoseconds
	rest=${rest//./}
	rest=${rest/regular empty file/regular}
	rest=${rest/regular file/regular}
	rest=${rest/symbolic link/symlink}
	rest=${rest/character special file/char}
	rest=${rest/block special file/block}
	for w in $rest; do
		[[ $w =~ ^[0-9]+$ ]] && w=$((10#$w))	# 0.000000000 (no birth time) is 0
		out+=("$w")
	done
	echo "$((8#$mode)) ${out[*]}"
}

# The same fields from statx -J (python, not jq 1.6: it rounds big numbers
# through doubles).
ours() {
	mntx statx -J "$@" | python3 -c 'import json, sys
f = json.load(sys.stdin)["files"][0]
# a birth time the filesystem does not keep is null here, 0 for stat(1)
print(" ".join(str(0 if f[k] is None else f[k]) for k in ("mode", "size", "uid", "gid", "ino", "nlink", "atime_ns",
	"mtime_ns", "ctime_ns", "btime_ns", "dev_major", "dev_minor", "type")))'
}

assert_same_as_stat() {
	local a b
	# stat(1) first: reading a symlink's target (link_target) updates its atime
	b=$(theirs "$@")
	a=$(ours "$@")
	if [ "$a" != "$b" ]; then
		echo "statx: $a" >&2
		echo "stat:  $b" >&2
		return 1
	fi
}

@test "regular file, directory, symlink, device, fifo and socket agree with stat(1)" {
	printf 'hello\n' >"$D/file"
	mkdir "$D/dir"
	ln -s file "$D/link"
	ln -s /nonexistent "$D/dangling"
	mkfifo "$D/fifo"
	python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$D/sock"
	ln "$D/file" "$D/hardlink"
	touch -d '2001-02-03 04:05:06.123456789' "$D/file"
	for f in "$D/file" "$D/dir" "$D/link" "$D/dangling" "$D/fifo" "$D/sock" /dev/null /; do
		assert_same_as_stat "$f"
	done
	run ours "$D/sock"
	[[ $output == *" socket" ]]
	run ours "$D/fifo"
	[[ $output == *" fifo" ]]
	# the link count and the exact nanoseconds are really there
	run mntx statx -J "$D/file"
	[ "$(jq .files[0].nlink <<<"$output")" = 2 ]
	[ "$(python3 -c 'import json, sys; print(json.load(sys.stdin)["files"][0]["mtime_ns"])' <<<"$output")" = 981173106123456789 ]
}

@test "device numbers: rdev of /dev/null, null for other files" {
	run mntx statx -J /dev/null
	assert_status 0
	[ "$(jq -c '.files[0] | [.rdev_major, .rdev_minor]' <<<"$output")" = "[$(stat -c %Hr /dev/null),$(stat -c %Lr /dev/null)]" ]
	touch "$D/f"
	run mntx statx -J "$D/f"
	[ "$(jq -c '.files[0] | [.rdev_major, .rdev_minor]' <<<"$output")" = "[null,null]" ]
}

@test "a symlink is described unless -L/--dereference" {
	printf 'abc' >"$D/file"
	ln -s file "$D/link"
	run mntx statx -J "$D/link"
	[ "$(jq -r .files[0].type <<<"$output")" = symlink ]
	[ "$(jq -r .files[0].link_target <<<"$output")" = file ]
	[ "$(jq -r .files[0].perms <<<"$output")" = lrwxrwxrwx ]
	assert_same_as_stat -L "$D/link"
	run mntx statx -J --dereference "$D/link"
	[ "$(jq -r .files[0].type <<<"$output")" = regular ]
	[ "$(jq -r .files[0].size <<<"$output")" = 3 ]
	[ "$(jq -r .files[0].link_target <<<"$output")" = null ]
	run ours -L "$D/link"
	[ "$output" = "$(theirs "$D/file")" ]
}

@test "'-' is standard input" {
	printf 'abcd' >"$D/file"
	run bash -c "'$MNTX' statx -J - <'$D/file'"
	assert_status 0
	[ "$(jq -r .files[0].path <<<"$output")" = - ]
	[ "$(jq -r .files[0].ino <<<"$output")" = "$(stat -c %i "$D/file")" ]
	[ "$(jq -r .files[0].size <<<"$output")" = 4 ]
	run bash -c "'$MNTX' statx -J - </dev/null"
	[ "$(jq -r .files[0].type <<<"$output")" = char ]
	run bash -c "'$MNTX' statx -J - <&-"
	assert_status 1
	[[ $output == *"cannot stat standard input"* ]]
}

@test "one path: a key: value listing with every field" {
	touch "$D/f"
	run mntx statx "$D/f"
	assert_status 0
	for k in $(mntx statx -H -J | jq -r '.columns[].key'); do
		printf '%s\n' "$output" | grep -q "^$k: " || { echo "no $k" >&2; return 1; }
	done
	printf '%s\n' "$output" | grep -qx "path: *$D/f"
	printf '%s\n' "$output" | grep -qx "perms: *-rw-r--r--"
}

@test "several paths: a table; JSON: one record each with its path" {
	touch "$D/a" "$D/b"
	run mntx statx "$D/a" "$D/b"
	assert_status 0
	[ "$(printf '%s\n' "$output" | wc -l)" = 3 ]
	[[ ${lines[0]} == *PATH*TYPE*PERMS*USER*GROUP*SIZE*MTIME* ]]
	run mntx statx -J "$D/a" "$D/b" /
	assert_json
	[ "$(jq '.files | length' <<<"$output")" = 3 ]
	[ "$(jq -r '.files[2].path' <<<"$output")" = / ]
	[ "$(jq -r '.files[0].mode' <<<"$output")" = "$((8#$(stat -c %a "$D/a")))" ]
}

@test "table and JSON agree" {
	printf 'x' >"$D/a"
	mkdir "$D/b"
	local cols=PATH,TYPE,MODE,PERMS,NLINK,UID,GID,USER,GROUP,INODE,SIZE,BLOCKS,BLKSIZE,DEV-MAJ,DEV-MIN,MNT-ID
	run mntx statx -r -n -b -o "$cols" "$D/a" "$D/b"
	assert_status 0
	local table=$output
	run mntx statx -J -o "$cols" "$D/a" "$D/b"
	local json
	json=$(jq -r '.files[] | [.path, .type, (.mode | tostring), .perms, .nlink, .uid, .gid, .user, .group,
		.ino, .size, .blocks, .blksize, .dev_major, .dev_minor, .mnt_id] | map(values // "" | tostring) | join(" ")' <<<"$output")
	# tables show the mode in octal
	json=$(awk '{ $3 = sprintf("%04o", $3); print }' <<<"$json")
	# a last cell that is empty (mnt_id before Linux 6.8) leaves no blank
	table=$(sed 's/ *$//' <<<"$table")
	json=$(sed 's/ *$//' <<<"$json")
	[ "$table" = "$json" ] || { echo "table: $table"; echo "json:  $json"; return 1; }
}

@test "mnt_id is the unique mount ID statmount knows" {
	needs unique_mnt_id
	touch "$D/f"
	run mntx statx -J "$D/f"
	local id
	id=$(jq .files[0].mnt_id <<<"$output")
	[ "$id" -gt 2147483648 ]
	run mntx statmount -J "$id"
	assert_status 0
	[ "$(jq -r .mounts[0].target <<<"$output")" = "$(findmnt -n -o TARGET -T "$D/f")" ]
}

@test "mnt_id without unique mount IDs (before Linux 6.8): null, never the old ID" {
	touch "$D/f"
	run --separate-stderr mntx statx -J -o path,mnt_id "$D/f"
	assert_status 0
	if lacks unique_mnt_id; then
		[ "$(jq .files[0].mnt_id <<<"$output")" = null ]
	else
		[ "$(jq .files[0].mnt_id <<<"$output")" -gt 2147483648 ]
	fi
}

@test "dio_mem_align, dio_offset_align: direct I/O alignment on ext4 from Linux 6.1, null before" {
	printf 'x' >"$D/f"
	run --separate-stderr mntx statx -J -o dio_mem_align,dio_offset_align "$D/f"
	assert_status 0
	if lacks statx_dioalign; then
		[ "$(jq -c '.files[0] | [.dio_mem_align, .dio_offset_align]' <<<"$output")" = "[null,null]" ]
	else
		# the temp dir is on ext4, which does direct I/O: both are set
		[ "$(findmnt -n -o FSTYPE -T "$D/f")" != ext4 ] ||
			[ "$(jq '.files[0] | .dio_mem_align > 0 and .dio_offset_align > 0' <<<"$output")" = true ]
	fi
}

@test "attributes: chattr +i, +a and +d show up, built from the supported bits" {
	touch "$D/f"
	run mntx statx -J "$D/f"
	[ "$(jq -c .files[0].attributes <<<"$output")" = "[]" ]
	chattr +d "$D/f" || skip "chattr does not work here"
	run mntx statx -J "$D/f"
	[ "$(jq -c .files[0].attributes <<<"$output")" = '["nodump"]' ]
	chattr +a "$D/f"
	run mntx statx -J "$D/f"
	[ "$(jq -c .files[0].attributes <<<"$output")" = '["append","nodump"]' ]
	chattr +i "$D/f"
	run mntx statx -J "$D/f"
	[ "$(jq -c .files[0].attributes <<<"$output")" = '["immutable","append","nodump"]' ]
	[[ $(lsattr -d "$D/f") == ----iad-* ]]
	chattr -i "$D/f"
	run mntx statx -o ATTRIBUTES -n "$D/f"
	[ "$output" = "append,nodump" ]
	chattr -a -d "$D/f"
	run mntx statx -J "$D/f"
	[ "$(jq -c .files[0].attributes <<<"$output")" = "[]" ]
}

@test "attributes: mount_root on mount roots only" {
	require_root
	mkdir "$D/mnt"
	mount -t tmpfs tmpfs "$D/mnt"
	touch "$D/mnt/f"
	run mntx statx -J "$D/mnt" "$D/mnt/f" /
	assert_status 0
	[ "$(jq -c '[.files[].attributes | index("mount_root") != null]' <<<"$output")" = "[true,false,true]" ]
	# tmpfs: a birth time, no direct I/O alignment
	# (tmpfs keeps birth times since Linux 5.14: as stat(1) finds it)
	[ "$(jq -c '.files[1] | [.btime_ns != null, .dio_mem_align]' <<<"$output")" = \
	  "[$([ "$(stat -c %W "$D/mnt/f")" != 0 ] && echo true || echo false),null]" ]
	assert_same_as_stat "$D/mnt/f"
	umount "$D/mnt"
}

@test "--mask asks for chosen fields only; the rest is null" {
	touch "$D/f"
	run mntx statx -J --mask size "$D/f"
	assert_status 0
	[ "$(jq .files[0].size <<<"$output")" = 0 ]
	# ext4 returns the birth time and the unique mount ID only when asked;
	# the basic fields it may give anyway (Linux 6.1 does), then true ones
	[ "$(jq -c '.files[0] | [.btime_ns, .mnt_id]' <<<"$output")" = "[null,null]" ]
	[ "$(jq '.files[0].mtime_ns' <<<"$output")" = null ] ||
		[ "$(jq '.files[0].mtime_ns / 1000000000 | floor' <<<"$output")" = "$(stat -c %Y "$D/f")" ]
	run mntx statx -J --mask btime,mnt_id_unique "$D/f"
	[ "$(jq '.files[0].btime_ns != null' <<<"$output")" = true ]
	[ "$(jq '.files[0].mnt_id != null' <<<"$output")" = "$(feature_line unique_mnt_id | cut -f2)" ]
	run mntx statx -J --mask basic_stats "$D/f"
	[ "$(jq '.files[0].mtime_ns != null and .files[0].btime_ns == null' <<<"$output")" = true ]
}

@test "--sync: as-stat, force and dont" {
	touch "$D/f"
	local want
	want=$(ours "$D/f")
	for s in as-stat force dont; do
		run ours --sync="$s" "$D/f"
		[ "$output" = "$want" ]
	done
	run --separate-stderr mntx statx --sync=sometimes "$D/f"
	assert_status 2
	[[ $stderr == *"invalid --sync value: 'sometimes'"* ]]
}

@test "odd names: space, newline, tab, backslash and invalid UTF-8" {
	local names=("a b" $'new\nline' $'tab\there' 'back\slash' $'bad\xff\xfeutf8' $'\x01ctl')
	for n in "${names[@]}"; do
		printf 'x' >"$D/$n"
		run mntx statx -J "$D/$n"
		assert_status 0
		assert_json
		if [[ $n == bad* ]]; then
			[ "$(jq -r .files[0].path_b64 <<<"$output" | base64 -d)" = "$D/$n" ]
			[[ $(jq -r .files[0].path <<<"$output") == *$'\uFFFD'* ]]
		else
			[ "$(jq -r .files[0].path <<<"$output")" = "$D/$n" ]
			[ "$(jq -r .files[0].path_b64 <<<"$output")" = null ]
		fi
		# a table line per file, never one more
		run mntx statx -n -o PATH,SIZE "$D/$n" "$D/$n"
		[ "${#lines[@]}" = 2 ]
		# missing: one line of error
		run --separate-stderr mntx statx "$D/missing $n"
		assert_status 1
		assert_one_line_error statx
		[ "$(printf '%s' "$stderr" | wc -l)" = 0 ]
	done
}

@test "errors: a missing path fails, the others are still shown" {
	touch "$D/f"
	run --separate-stderr mntx statx -J "$D/f" "$D/missing" /
	assert_status 1
	assert_json
	[ "$(jq '.files | length' <<<"$output")" = 2 ]
	[ "$stderr" = "statx: cannot stat '$D/missing': No such file or directory" ]
	run --separate-stderr mntx statx "$D/missing"
	assert_status 1
	[ -z "$output" ]
}

@test "usage errors: no path, bad mask, bad column" {
	run --separate-stderr mntx statx
	assert_status 2
	[[ $stderr == *"no file given"* ]]
	run --separate-stderr mntx statx --mask size,bogus /
	assert_status 2
	[[ $stderr == *"unknown statx field 'bogus'"* ]]
	run --separate-stderr mntx statx -o PATH,NOPE /
	assert_status 2
	[[ $stderr == *"unknown column"* ]]
	[ -z "$output" ]
}

@test "-H lists the file record's columns" {
	run mntx statx -H -J
	assert_status 0
	assert_json
	[ "$(jq -r '[.columns[].key] | join(",")' <<<"$output")" = \
		"path,type,mode,perms,nlink,uid,gid,user,group,ino,size,blocks,blksize,dev_major,dev_minor,rdev_major,rdev_minor,atime_ns,btime_ns,ctime_ns,mtime_ns,mnt_id,dio_mem_align,dio_offset_align,dio_read_offset_align,subvol,atomic_write_unit_min,atomic_write_unit_max,atomic_write_unit_max_opt,atomic_write_segments_max,attributes,link_target" ]
}

@test "JSON Lines: one object per file" {
	touch "$D/a" "$D/b"
	run mntx statx --json-lines -o path,size "$D/a" "$D/b"
	assert_status 0
	[ "${#lines[@]}" = 2 ]
	[ "$(jq -r .path <<<"${lines[1]}")" = "$D/b" ]
}
