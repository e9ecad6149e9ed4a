#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# move-mount: move_mount(2) on existing mounts, --beneath (an atomic
# replace, checked with a reader) and --set-group (peer groups checked by
# statmount and findmnt, and by an event that propagates).

load helpers

setup() {
	D=$(scratch)
}

teardown() {
	[ -z "${READER:-}" ] || { touch "$D/stop"; wait "$READER" 2>/dev/null; }
	unmount_below "$BATS_TEST_TMPDIR"
}

tmpfs_at() {
	mkdir -p "$D/$1"
	mount -t tmpfs "${2:-mntx-$1}" "$D/$1"
	echo "$1" >"$D/$1/file"
}

# The reader's log holds more than N lines reading WORD.
read_more() {
	[ "$(grep -c "^$1\$" "$D/log" 2>/dev/null)" -gt "$2" ]
}

# ---- usage errors ---------------------------------------------------------------------

@test "FROM and TO are both needed; no third" {
	run --separate-stderr mntx move-mount /a
	assert_status 2
	[[ $stderr == *"expected FROM and TO"* ]]
	run --separate-stderr mntx move-mount /a /b /c
	assert_status 2
	[[ $stderr == *"unexpected operand '/c'"* ]]
}

@test "--beneath and --set-group conflict" {
	run --separate-stderr mntx move-mount --beneath --set-group /a /b
	assert_status 2
	[[ $stderr == "move-mount: --beneath and --set-group cannot be used together"* ]]
	run --separate-stderr mntx move-mount --set-group --beneath /a /b
	assert_status 2
}

# ---- moves ------------------------------------------------------------------------------

@test "a move keeps the mount's ID; statmount and findmnt see it at TO" {
	require_root
	tmpfs_at from
	mkdir "$D/to"
	id=$(mntx statmount -J "$D/from" | jq '.mounts[0][$ENV.IDK]')
	run --separate-stderr mntx move-mount -J "$D/from" "$D/to"
	assert_status 0
	assert_json
	[ "$(jq '.mounts[0][$ENV.IDK]' <<<"$output")" = "$id" ]
	[ "$(jq -r '.mounts[0].target' <<<"$output")" = "$D/to" ]
	[ "$(mntx statmount -J "$D/to" | jq '.mounts[0][$ENV.IDK]')" = "$id" ]
	[ "$(findmnt_top "$D/to" | jq -r .source)" = mntx-from ]
	[ "$(cat "$D/to/file")" = from ]
	run findmnt -M "$D/from"
	[ "$status" -ne 0 ]
}

@test "FROM not a mount point, or missing: status 1" {
	require_root
	tmpfs_at m
	mkdir "$D/m/dir" "$D/to"
	run --separate-stderr mntx move-mount "$D/m/dir" "$D/to"
	assert_status 1
	[ "$stderr" = "move-mount: cannot move '$D/m/dir': not a mount point" ]
	run --separate-stderr mntx move-mount "$D/none" "$D/to"
	assert_status 1
	[ "$stderr" = "move-mount: cannot open '$D/none': No such file or directory" ]
	run --separate-stderr mntx move-mount "$D/m" "$D/none"
	assert_status 1
	[ "$stderr" = "move-mount: cannot move '$D/m' to '$D/none': No such file or directory" ]
	[ "$(findmnt_top "$D/m" | jq -r .source)" = mntx-m ]
}

@test "the kernel's EINVAL explained: a mount under a shared parent, a directory onto a file" {
	require_root
	tmpfs_at parent
	mount --make-shared "$D/parent"
	mkdir "$D/parent/child" "$D/to"
	mount -t tmpfs child "$D/parent/child"
	# with statmount, and with mountinfo (old IDs) as before Linux 6.8
	for w in "" "kernel_without listmount --"; do
		run --separate-stderr $w "$MNTX" move-mount "$D/parent/child" "$D/to"
		assert_status 1
		[ "$stderr" = "move-mount: cannot move '$D/parent/child' to '$D/to': a mount whose parent mount is shared cannot move" ]
	done
	touch "$D/afile"
	tmpfs_at dir
	run --separate-stderr mntx move-mount "$D/dir" "$D/afile"
	assert_status 1
	[[ $stderr == *"one is a directory, the other is not" ]]
}

@test "without CAP_SYS_ADMIN: EPERM names the capability" {
	require_root
	tmpfs_at from
	mkdir "$D/to"
	run --separate-stderr without_sys_admin "$MNTX" move-mount "$D/from" "$D/to"
	assert_status 1
	[ "$stderr" = "move-mount: cannot move '$D/from' to '$D/to': Operation not permitted (needs CAP_SYS_ADMIN)" ]
	[ "$(findmnt_top "$D/from" | jq -r .source)" = mntx-from ]
}

# ---- --beneath ----------------------------------------------------------------------------

@test "--beneath: FROM goes under the top mount at TO, which then sits on it" {
	needs move_mount_beneath
	require_root
	tmpfs_at to
	tmpfs_at new
	top=$(mntx statmount -J "$D/to" | jq '.mounts[0][$ENV.IDK]')
	run --separate-stderr mntx move-mount --beneath -J "$D/new" "$D/to"
	assert_status 0
	new=$(jq '.mounts[0][$ENV.IDK]' <<<"$output")
	[ "$(jq -r '.mounts[0].target' <<<"$output")" = "$D/to" ]
	[ "$(jq -r '.mounts[0].source' <<<"$output")" = mntx-new ]
	# the top is unchanged and now a child of the new mount
	[ "$(cat "$D/to/file")" = to ]
	[ "$(mntx statmount -J "$D/to" | jq -c '.mounts[0] | [.[$ENV.IDK], .[$ENV.PIDK]]')" = "[$top,$new]" ]
	[ "$(findmnt_top "$D/to" | jq -r .source)" = mntx-to ]
	old_new=$(jq .mounts[0].old_id <<<"$output")
	[ "$(findmnt -J -M "$D/to" -o SOURCE,PARENT | jq '.filesystems[] | select(.source == "mntx-to") | .parent')" = "$old_new" ]
	umount "$D/to"
	[ "$(cat "$D/to/file")" = new ]
	[ "$(mntx statmount -J "$D/to" | jq '.mounts[0][$ENV.IDK]')" = "$new" ]
}

@test "--beneath with a reader: the file never goes missing while the top goes" {
	needs move_mount_beneath
	require_root
	tmpfs_at to
	tmpfs_at new
	(
		while [ ! -e "$D/stop" ]; do
			if read -r line <"$D/to/file"; then echo "$line"; else echo MISSING; fi
		done >"$D/log" 2>/dev/null
	) &
	READER=$!
	wait_until read_more to 100
	mntx move-mount --beneath "$D/new" "$D/to" >/dev/null
	# lazily: the reader may hold the file open at that moment
	umount -l "$D/to"
	wait_until read_more new 100
	touch "$D/stop"
	wait "$READER"
	READER=
	run grep -c MISSING "$D/log"
	[ "$output" = 0 ]
	[ "$(uniq "$D/log" | tr '\n' ' ')" = "to new " ]
}

@test "--beneath needs a mount at TO" {
	needs move_mount_beneath
	require_root
	tmpfs_at new
	mkdir "$D/plain"
	run --separate-stderr mntx move-mount --beneath "$D/new" "$D/plain"
	assert_status 1
	[ "$stderr" = "move-mount: cannot mount beneath '$D/plain': not a mount point" ]
	[ "$(findmnt_top "$D/new" | jq -r .source)" = mntx-new ]
}

@test "without MOVE_MOUNT_BENEATH: --beneath refused in one sentence, nothing moved" {
	require_root
	tmpfs_at new
	tmpfs_at to
	run --separate-stderr kernel_without move_mount_beneath -- "$MNTX" move-mount --beneath -J "$D/new" "$D/to"
	assert_status 1
	[ -z "$output" ]
	[ "$stderr" = "move-mount: --beneath needs Linux 6.5 (MOVE_MOUNT_BENEATH)" ]
	[ "$(findmnt_top "$D/new" | jq -r .source)" = mntx-new ]
	[ "$(findmnt -n -M "$D/to" -o SOURCE)" = mntx-to ]
}

# ---- --set-group ----------------------------------------------------------------------------

@test "--set-group: TO joins FROM's peer group, and events propagate" {
	needs move_mount_set_group
	require_root
	tmpfs_at from
	mount --make-shared "$D/from"
	mkdir "$D/to"
	mount --bind "$D/from" "$D/to"
	mount --make-private "$D/to"
	group=$(mntx statmount -J "$D/from" | jq '.mounts[0].peer_group')
	[ "$(findmnt_top "$D/to" | jq -r .propagation)" = private ]
	run --separate-stderr mntx move-mount --set-group -J "$D/from" "$D/to"
	assert_status 0
	# the record is the mount at TO, now a peer
	[ "$(jq -r '.mounts[0].target' <<<"$output")" = "$D/to" ]
	[ "$(jq '.mounts[0].peer_group' <<<"$output")" = "$group" ]
	[ "$(mntx statmount -J "$D/to" | jq '.mounts[0].peer_group')" = "$group" ]
	[ "$(findmnt_top "$D/to" | jq -r '."opt-fields"')" = "shared:$group" ]
	[ "$(findmnt_top "$D/from" | jq -r '."opt-fields"')" = "shared:$group" ]
	# FROM stays where it was
	[ "$(findmnt_top "$D/from" | jq -r .source)" = mntx-from ]
	mkdir "$D/from/sub"
	mount -t tmpfs mntx-sub "$D/from/sub"
	[ "$(findmnt_top "$D/to/sub" | jq -r .source)" = mntx-sub ]
}

@test "--set-group: a slave's master is joined too" {
	needs move_mount_set_group
	require_root
	tmpfs_at from
	mount --make-shared "$D/from"
	mkdir "$D/slave" "$D/to"
	mount --bind "$D/from" "$D/slave"
	mount --make-slave "$D/slave"
	mount --bind "$D/from" "$D/to"
	mount --make-private "$D/to"
	master=$(mntx statmount -J "$D/slave" | jq '.mounts[0].master')
	run mntx move-mount --set-group -J "$D/slave" "$D/to"
	assert_status 0
	[ "$(jq '.mounts[0].master' <<<"$output")" = "$master" ]
	[ "$(findmnt_top "$D/to" | jq -r '."opt-fields"')" = "master:$master" ]
}

@test "--set-group refusals say which rule" {
	needs move_mount_set_group
	require_root
	tmpfs_at from
	mkdir "$D/to"
	mount --bind "$D/from" "$D/to"
	run --separate-stderr mntx move-mount --set-group "$D/from" "$D/to"
	assert_status 1
	[ "$stderr" = "move-mount: cannot join '$D/to' to the peer group of '$D/from': FROM must be shared or a slave" ]
	mount --make-shared "$D/from"
	mount --make-shared "$D/to"
	run --separate-stderr mntx move-mount --set-group "$D/from" "$D/to"
	assert_status 1
	[[ $stderr == *": TO must be private (neither shared nor a slave)" ]]
	tmpfs_at other
	mount --make-private "$D/other"
	run --separate-stderr mntx move-mount --set-group "$D/from" "$D/other"
	assert_status 1
	[[ $stderr == *": FROM and TO must be mounts of one filesystem" ]]
	mkdir "$D/plain"
	run --separate-stderr mntx move-mount --set-group "$D/from" "$D/plain"
	assert_status 1
	[ "$stderr" = "move-mount: cannot join '$D/plain': not a mount point" ]
}

# ---- output -----------------------------------------------------------------------------------

@test "without MOVE_MOUNT_SET_GROUP: --set-group refused in one sentence" {
	require_root
	tmpfs_at from
	tmpfs_at to
	run --separate-stderr kernel_without move_mount_set_group -- "$MNTX" move-mount --set-group "$D/from" "$D/to"
	assert_status 1
	[ -z "$output" ]
	[ "$stderr" = "move-mount: --set-group needs Linux 5.15 (MOVE_MOUNT_SET_GROUP)" ]
	[ "$(findmnt -n -M "$D/to" -o PROPAGATION)" = private ]
}

@test "table and JSON agree" {
	require_root
	tmpfs_at a
	mkdir "$D/b" "$D/c"
	id=$(mntx statmount -J "$D/a" | jq '.mounts[0][$ENV.IDK]')
	run --separate-stderr mntx move-mount -r -n -o "$IDC",TARGET,SOURCE,PROPAGATION "$D/a" "$D/b"
	assert_status 0
	[ "$output" = "$id $D/b mntx-a private" ]
	run mntx move-mount -J -o "$IDC",TARGET,SOURCE,PROPAGATION "$D/b" "$D/c"
	[ "$(jq -r '.mounts[0] | "\(.[$ENV.IDK]) \(.target) \(.source) \(.propagation | join(","))"' <<<"$output")" = "$id $D/c mntx-a private" ]
}

@test "odd names: space, newline, tab, backslash, invalid UTF-8" {
	require_root
	tmpfs_at m
	prev="$D/m"
	for name in 'a b' $'new\nline' $'t\tab' 'back\slash' $'bad\xff\xfeutf8'; do
		mkdir "$D/$name"
		run --separate-stderr mntx move-mount -J "$prev" "$D/$name"
		assert_status 0
		assert_json
		t=$(jq -r '.mounts[0] | if .target_b64 then .target_b64 else (.target | @base64) end' <<<"$output")
		[ "$(printf '%s' "$t" | base64 -d)" = "$D/$name" ]
		[ "$(cat "$D/$name/file")" = m ]
		[ "$(findmnt_top "$D/$name" | jq -r .source)" = mntx-m ]
		run --separate-stderr mntx move-mount "$D/$name/none" "$prev"
		assert_status 1
		[ "$(printf '%s\n' "$stderr" | wc -l)" = 1 ]
		prev="$D/$name"
	done
}
