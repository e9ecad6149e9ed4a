#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# fsmount: any filesystem type through fsopen/fsconfig/fsmount/move_mount,
# and --reconfigure through fspick.  Results are read back by mntx
# statmount/lsmnt and by findmnt.

load helpers

setup() {
	D=$(scratch)
	T="$D/t"
	mkdir "$T"
}

teardown() {
	unmount_below "$BATS_TEST_TMPDIR"
}

fm() {
	findmnt -n -o "$1" --mountpoint "$2" | tail -n1 | sed 's/ *$//'
}

sm() {
	mntx statmount -J "$2" | jq -r ".mounts[0].$1"
}

mounts_under() {
	findmnt -rn -o TARGET | awk -v d="$1" 'index($0, d) == 1' | wc -l
}

@test "fsmount -t tmpfs with options, attributes and propagation" {
	require_root
	run --separate-stderr mntx fsmount -J -t tmpfs --source data -o size=4m,mode=700 \
		--attr nodev,nosuid --propagation shared "$T"
	assert_status 0
	assert_json
	[ "$stderr" = "" ]
	[ "$(jq -S '.mounts[0]' <<<"$output")" = "$(mntx statmount -J "$T" | jq -S '.mounts[0]')" ]
	[ "$(jq -r '.mounts[0].source' <<<"$output")" = data ]
	[ "$(fm SOURCE "$T")" = data ]
	[ "$(fm FS-OPTIONS "$T")" = rw,size=4096k,mode=700 ]
	[ "$(fm VFS-OPTIONS "$T")" = rw,nosuid,nodev,relatime ]
	[ "$(jq -r '.mounts[0].mnt_attr | join(",")' <<<"$output")" = nosuid,nodev,relatime ]
	g=$(jq -r '.mounts[0].peer_group' <<<"$output")
	[ "$(fm OPT-FIELDS "$T")" = "shared:$g" ]
	[ "$(mntx lsmnt -n -r -o ID,FSTYPE "$T")" = "$(jq -r '.mounts[0] | "\(.id) \(.fstype)"' <<<"$output")" ]
}

@test "fsmount -t proc and -t mqueue: other types, findmnt agrees" {
	require_root
	run --separate-stderr mntx fsmount -t proc --attr nosuid,nodev,noexec -n -r --output FSTYPE,VFS-OPTIONS "$T"
	assert_status 0
	[ "$output" = "proc rw,nosuid,nodev,noexec,relatime" ]
	[ "$(fm FSTYPE "$T")" = proc ]
	[ -r "$T/self/mountinfo" ]
	mkdir "$D/mq"
	run --separate-stderr mntx fsmount -t mqueue -n -r --output FSTYPE "$D/mq"
	assert_status 0
	[ "$output" = mqueue ]
	[ "$(fm FSTYPE "$D/mq")" = mqueue ]
}

@test "--exclusive: mqueue reuses its superblock, so CMD_CREATE_EXCL fails with EBUSY and the kernel's warning" {
	require_root
	run --separate-stderr mntx fsmount -J -t mqueue --exclusive "$T"
	assert_status 1
	[ -z "$output" ]
	[ "$(printf '%s\n' "$stderr" | head -1)" = \
	  "fsmount: fsconfig create (exclusive): warning: mqueue: reusing existing filesystem not allowed" ]
	[ "$(printf '%s\n' "$stderr" | tail -1)" = "fsmount: fsconfig create (exclusive): Device or resource busy" ]
	[ "$(mounts_under "$D")" = 0 ]
	# tmpfs makes a new superblock every time
	run --separate-stderr mntx fsmount -t tmpfs --exclusive -n -r --output FSTYPE "$T"
	assert_status 0
	[ "$output" = tmpfs ]
}

@test "a missing -t, an unknown type, a type that needs a source" {
	run --separate-stderr mntx fsmount "$T"
	assert_status 2
	[[ $stderr == *"no filesystem type given"* ]]
	run --separate-stderr mntx fsmount -t '' "$T"
	assert_status 2
	require_root
	run --separate-stderr mntx fsmount -t nosuchfs "$T"
	assert_status 1
	[ "$stderr" = "fsmount: unknown filesystem type 'nosuchfs' (see /proc/filesystems)" ]
	run --separate-stderr mntx fsmount -t ext4 "$T"
	assert_status 1
	[ "$stderr" = "fsmount: fsconfig create: No source specified" ]
	run --separate-stderr mntx fsmount -t ext4 --source "$D/none" "$T"
	assert_status 1
	[ "$stderr" = "fsmount: fsconfig create: $D/none: Can't lookup blockdev" ]
	[ "$(mounts_under "$D")" = 0 ]
}

@test "kernel messages of a bad option, and of a second source" {
	require_root
	run --separate-stderr mntx fsmount -t tmpfs -o nr_inodes=lots "$T"
	assert_status 1
	[ "$stderr" = "fsmount: fsconfig nr_inodes=lots: tmpfs: Bad value for 'nr_inodes'" ]
	run --separate-stderr mntx fsmount -t tmpfs --source a -o source=b "$T"
	assert_status 1
	[ "$stderr" = "fsmount: fsconfig source=b: Multiple sources" ]
	[ "$(mounts_under "$D")" = 0 ]
}

@test "--reconfigure resizes a tmpfs; the mount keeps its ID" {
	require_root
	id=$(mntx fsmount -t tmpfs -o size=1m -J "$T" | jq -r '.mounts[0].id')
	run dd if=/dev/zero of="$T/f" bs=1k count=1536 status=none
	[ "$status" -ne 0 ]
	rm -f "$T/f"
	run --separate-stderr mntx fsmount --reconfigure -o size=2m -J "$T"
	assert_status 0
	[ "$(jq -r '.mounts[0].id' <<<"$output")" = "$id" ]
	[ "$(jq -r '.mounts[0].fs_options' <<<"$output")" = rw,size=2048k ]
	[ "$(fm FS-OPTIONS "$T")" = rw,size=2048k ]
	[ "$(sm fs_options "$T")" = rw,size=2048k ]
	dd if=/dev/zero of="$T/f" bs=1k count=1536 status=none
	# shrinking below what is used: the kernel says so, nothing changes
	run --separate-stderr mntx fsmount --reconfigure -o size=1m "$T"
	assert_status 1
	[ "$stderr" = "fsmount: fsconfig reconfigure: tmpfs: Too small a size for current use" ]
	[ "$(fm FS-OPTIONS "$T")" = rw,size=2048k ]
}

@test "--reconfigure -o ro makes the superblock read-only, -o rw back" {
	require_root
	mntx fsmount -t tmpfs "$T" >/dev/null
	run --separate-stderr mntx fsmount --reconfigure -o ro -J "$T"
	assert_status 0
	[ "$(jq -r '.mounts[0].sb_flags | join(",")' <<<"$output")" = ro ]
	[ "$(jq -r '.mounts[0].mnt_attr | join(",")' <<<"$output")" = relatime ]
	[ "$(fm FS-OPTIONS "$T")" = ro ]
	[ "$(fm OPTIONS "$T")" = ro,relatime ]
	run touch "$T/x"
	[ "$status" -ne 0 ]
	run --separate-stderr mntx fsmount --reconfigure -o rw -n -r --output FS-OPTIONS "$T"
	assert_status 0
	[ "$output" = rw ]
	touch "$T/x"
}

@test "--reconfigure: not a mount point, missing, no permission" {
	require_root
	run --separate-stderr mntx fsmount --reconfigure -o size=1m "$T"
	assert_status 1
	[ "$stderr" = "fsmount: '$T' is not a mount point" ]
	run --separate-stderr mntx fsmount --reconfigure -o size=1m "$D/none"
	assert_status 1
	[ "$stderr" = "fsmount: target '$D/none' does not exist" ]
	mntx fsmount -t tmpfs -o size=1m "$T" >/dev/null
	run --separate-stderr setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin "$MNTX" fsmount --reconfigure -o size=2m "$T"
	assert_status 1
	[ "$stderr" = "fsmount: fspick '$T': Operation not permitted (needs CAP_SYS_ADMIN)" ]
	[ "$(fm FS-OPTIONS "$T")" = rw,size=1024k ]
}

@test "--reconfigure takes only -o and output options" {
	run --separate-stderr mntx fsmount --reconfigure "$T"
	assert_status 2
	[[ $stderr == *"--reconfigure needs -o/--options"* ]]
	for bad in "-t tmpfs" "--source x" "--attr ro" "--propagation shared" --exclusive --beneath; do
		# shellcheck disable=SC2086
		run --separate-stderr mntx fsmount --reconfigure -o size=1m $bad "$T"
		assert_status 2
		[[ $stderr == *"Try 'fsmount --help'"* ]]
	done
}

@test "fsmount without CAP_SYS_ADMIN: EPERM naming it" {
	require_root
	run --separate-stderr setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin "$MNTX" fsmount -t tmpfs "$T"
	assert_status 1
	[ "$stderr" = "fsmount: fsopen tmpfs: Operation not permitted (needs CAP_SYS_ADMIN)" ]
	[ "$(mounts_under "$D")" = 0 ]
}

@test "fsmount --beneath a proc mount: the top stays until it is unmounted" {
	require_root
	mntx fsmount -t tmpfs --source top "$T" >/dev/null
	top=$(sm id "$T")
	run --separate-stderr mntx fsmount -t proc --beneath -J "$T"
	assert_status 0
	new=$(jq -r '.mounts[0].id' <<<"$output")
	[ "$(sm id "$T")" = "$top" ]
	[ "$(sm parent_id "$T")" = "$new" ]
	umount "$T"
	[ "$(sm id "$T")" = "$new" ]
	[ "$(fm FSTYPE "$T")" = proc ]
}

@test "fsmount: odd target names keep JSON valid" {
	require_root
	local name t
	for name in $'new\nline' $'tab\there' 'sp ace' $'\xc3\x28bad'; do
		t="$D/$name"
		mkdir "$t"
		run --separate-stderr mntx fsmount -t tmpfs -J "$t"
		assert_status 0
		assert_json
		if [[ $name == *bad ]]; then
			[ "$(jq -r '.mounts[0].target_b64' <<<"$output" | base64 -d)" = "$t" ]
		else
			[ "$(jq -r '.mounts[0].target' <<<"$output")" = "$t" ]
		fi
		run --separate-stderr mntx fsmount --reconfigure -o size=1m -J "$t"
		assert_status 0
		assert_json
	done
}
