#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/run: serial loop
# fsmount: any filesystem type through fsopen/fsconfig/fsmount/move_mount,
# and --reconfigure through fspick.  Results are read back by mntx
# statmount/lsmnt and by findmnt.  Image files (loop devices) live under
# the file's temp dir, and every device backed by one is detached in
# teardown and, should bats die, by the guard (helpers.bash).

load helpers

setup_file() {
	if [ "$(id -u)" = 0 ] && [ -z "${MNTX_TESTS_USERNS:-}" ]; then
		loop_guard "$BATS_FILE_TMPDIR"
	fi
}

setup() {
	D=$(scratch)
	T="$D/t"
	mkdir "$T"
	I=$(realpath "$(mktemp -d "$BATS_FILE_TMPDIR/i.XXXXXX")")
}

teardown() {
	unmount_below "$BATS_TEST_TMPDIR"
	if [ "$(id -u)" = 0 ]; then
		loop_cleanup "$BATS_FILE_TMPDIR"
	fi
	unmount_below "$I"
	rm -rf "$I"
}

teardown_file() {
	if [ "$(id -u)" = 0 ]; then
		loop_cleanup "$BATS_FILE_TMPDIR"
	fi
}

# A small ext4 image under $I: ext4_image NAME; prints its path.
ext4_image() {
	truncate -s 32M "$I/$1"
	mkfs.ext4 -q -F "$I/$1"
	echo "$I/$1"
}

# One field of mntx's record of the loop device DEV: loop_field DEV KEY.
loop_field() {
	mntx loop list -J "$1" | jq -c ".loopdevices[0].$2"
}

fm() {
	findmnt -n -o "$1" --mountpoint "$2" | tail -n1 | sed 's/ *$//'
}

sm() {
	mntx statmount -J "$2" | jq -r ".mounts[0].$1"
}

# kernel_said MESSAGE: $stderr is the kernel's MESSAGE, or, where the
# filesystem does not speak the mount API yet (ext4 before Linux 5.17 goes
# through the legacy path, whose refusals carry no message; 5.10 also puts
# "VFS: " before its own), one line from the step that failed.  Message
# texts are not features to probe: the kernel version is the honest test.
kernel_said() {
	[ "$stderr" = "$1" ] && return 0
	local rel=$(uname -r) maj min
	maj=${rel%%.*} min=${rel#*.} min=${min%%[!0-9]*}
	if ((maj < 5 || (maj == 5 && min < 17))); then
		[ "$(printf '%s\n' "$stderr" | wc -l)" = 1 ] && [[ $stderr == "fsmount: fsconfig "* ]] && return 0
	fi
	echo "expected: $1" >&2
	echo "got:      $stderr" >&2
	return 1
}

mounts_under() {
	findmnt -rn -o TARGET | awk -v d="$1" 'index($0, d) == 1' | wc -l
}

@test "fsmount -t tmpfs with options, attributes and propagation" {
	require_root
	needs mount_setattr
	run --separate-stderr mntx fsmount -J -t tmpfs --source data -o size=4m,mode=700 \
		--attr nodev,nosuid --propagation shared "$T"
	assert_status 0
	assert_json
	[ "$stderr" = "" ]
	[ "$(jq -S '.mounts[0]' <<<"$output")" = "$(mntx statmount -J "$T" | jq -S '.mounts[0]')" ]
	[ "$(jq -r '.mounts[0].source' <<<"$output")" = data ]
	[ "$(fm SOURCE "$T")" = data ]
	[ "$(fm FS-OPTIONS "$T" | tmpfs_opts)" = rw,size=4096k,mode=700 ]
	[ "$(fm VFS-OPTIONS "$T")" = rw,nosuid,nodev,relatime ]
	[ "$(jq -r '.mounts[0].mnt_attr | join(",")' <<<"$output")" = nosuid,nodev,relatime ]
	g=$(jq -r '.mounts[0].peer_group' <<<"$output")
	[ "$(fm OPT-FIELDS "$T")" = "shared:$g" ]
	[ "$(mntx lsmnt -n -r -o "$IDC",FSTYPE "$T")" = "$(jq -r '.mounts[0] | "\(.[$ENV.IDK]) \(.fstype)"' <<<"$output")" ]
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
	needs fsconfig_create_excl
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
	kernel_said "fsmount: fsconfig create: No source specified"
	run --separate-stderr mntx fsmount -t ext4 --source "$D/none" "$T"
	assert_status 1
	# the kernel's words: "lookup" since Linux 6.5, "open" before
	kernel_said "fsmount: fsconfig create: $D/none: Can't lookup blockdev" ||
		kernel_said "fsmount: fsconfig create: $D/none: Can't open blockdev"
	[ "$(mounts_under "$D")" = 0 ]
}

@test "kernel messages of a bad option, and of a second source" {
	require_root
	run --separate-stderr mntx fsmount -t tmpfs -o nr_inodes=lots "$T"
	assert_status 1
	[ "$stderr" = "fsmount: fsconfig nr_inodes=lots: tmpfs: Bad value for 'nr_inodes'" ]
	run --separate-stderr mntx fsmount -t tmpfs --source a -o source=b "$T"
	assert_status 1
	kernel_said "fsmount: fsconfig source=b: Multiple sources"
	[ "$(mounts_under "$D")" = 0 ]
}

@test "--reconfigure resizes a tmpfs; the mount keeps its ID" {
	require_root
	id=$(mntx fsmount -t tmpfs -o size=1m -J "$T" | jq -r '.mounts[0][$ENV.IDK]')
	run dd if=/dev/zero of="$T/f" bs=1k count=1536 status=none
	[ "$status" -ne 0 ]
	rm -f "$T/f"
	run --separate-stderr mntx fsmount --reconfigure -o size=2m -J "$T"
	assert_status 0
	[ "$(jq -r '.mounts[0][$ENV.IDK]' <<<"$output")" = "$id" ]
	[ "$(jq -r '.mounts[0].fs_options' <<<"$output" | tmpfs_opts)" = rw,size=2048k ]
	[ "$(fm FS-OPTIONS "$T" | tmpfs_opts)" = rw,size=2048k ]
	[ "$(sm fs_options "$T" | tmpfs_opts)" = rw,size=2048k ]
	dd if=/dev/zero of="$T/f" bs=1k count=1536 status=none
	# shrinking below what is used: the kernel says so, nothing changes
	run --separate-stderr mntx fsmount --reconfigure -o size=1m "$T"
	assert_status 1
	[ "$stderr" = "fsmount: fsconfig reconfigure: tmpfs: Too small a size for current use" ]
	[ "$(fm FS-OPTIONS "$T" | tmpfs_opts)" = rw,size=2048k ]
}

@test "--reconfigure -o ro makes the superblock read-only, -o rw back" {
	require_root
	mntx fsmount -t tmpfs "$T" >/dev/null
	run --separate-stderr mntx fsmount --reconfigure -o ro -J "$T"
	assert_status 0
	[ "$(jq -r '.mounts[0].sb_flags | join(",")' <<<"$output")" = ro ]
	[ "$(jq -r '.mounts[0].mnt_attr | join(",")' <<<"$output")" = relatime ]
	[ "$(fm FS-OPTIONS "$T" | tmpfs_opts)" = ro ]
	[ "$(fm OPTIONS "$T" | tmpfs_opts)" = ro,relatime ]
	run touch "$T/x"
	[ "$status" -ne 0 ]
	run --separate-stderr mntx fsmount --reconfigure -o rw -n -r --output FS-OPTIONS "$T"
	assert_status 0
	[ "$(tmpfs_opts <<<"$output")" = rw ]
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
	[ "$(fm FS-OPTIONS "$T" | tmpfs_opts)" = rw,size=1024k ]
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
	needs move_mount_beneath
	require_root
	mntx fsmount -t tmpfs --source top "$T" >/dev/null
	top=$(sm "$IDK" "$T")
	run --separate-stderr mntx fsmount -t proc --beneath -J "$T"
	assert_status 0
	new=$(jq -r '.mounts[0][$ENV.IDK]' <<<"$output")
	[ "$(sm "$IDK" "$T")" = "$top" ]
	[ "$(sm "$PIDK" "$T")" = "$new" ]
	umount "$T"
	[ "$(sm "$IDK" "$T")" = "$new" ]
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

# ---- image files: a loop device, like mount -o loop ----

@test "an ext4 image: an autoclear loop device in the record, freed by umount, the data in the file" {
	require_root
	local f dev
	f=$(ext4_image fs.img)
	run --separate-stderr mntx fsmount -J -t ext4 --source "$f" "$T"
	assert_status 0
	assert_json
	[ "$stderr" = "" ]
	dev=$(jq -r '.mounts[0].source' <<<"$output")
	[[ $dev =~ ^/dev/loop[0-9]+$ ]]
	[ "$(jq -r '.mounts[0].fstype' <<<"$output")" = ext4 ]
	[ "$(jq -S '.mounts[0]' <<<"$output")" = "$(mntx statmount -J "$T" | jq -S '.mounts[0]')" ]
	[ "$(fm SOURCE "$T")" = "$dev" ]
	[ "$(fm OPTIONS "$T" | cut -d, -f1)" = rw ]
	# the device: backed by the image, autoclear, writable; losetup agrees
	[ "$(loop_field "$dev" back_file)" = "\"$f\"" ]
	[ "$(loop_field "$dev" autoclear)" = true ]
	[ "$(loop_field "$dev" ro)" = false ]
	[ "$(losetup -n -O NAME,AUTOCLEAR -j "$f" | tr -s ' ')" = "$dev 1" ]
	echo "written through fsmount" >"$T/hello"
	umount "$T"
	# autoclear freed the device with the last user (umount(8) does not detach it)
	[ -z "$(loops_under "$I")" ]
	[ -z "$(losetup -j "$f")" ]
	[ -z "$(mntx loop list -n -r -o BACK-FILE | grep -F "$I")" ]
	# read the file back without the kernel's help, then mounted again
	run debugfs -R 'cat /hello' "$f"
	[[ $output == *"written through fsmount"* ]]
	mntx fsmount -t ext4 --source "$f" "$T" >/dev/null
	[ "$(cat "$T/hello")" = "written through fsmount" ]
	umount "$T"
	[ -z "$(loops_under "$I")" ]
}

@test "a mount that fails leaves no loop device: wrong type, not a filesystem, bad option" {
	require_root
	local f z ty
	f=$(ext4_image fs.img)
	z="$I/zeros.img"
	truncate -s 32M "$z"
	# another block filesystem's type on an ext4 image, where the kernel has one
	for ty in squashfs xfs btrfs erofs ''; do
		grep -qP "^\t$ty\$" /proc/filesystems && break
	done
	if [ -n "$ty" ]; then
		run --separate-stderr mntx fsmount -J -t "$ty" --source "$f" "$T"
		assert_status 1
		[ -z "$output" ]
		[[ $stderr == "fsmount: fsconfig create: "* ]]
		[ -z "$(loops_under "$I")" ]
	fi
	run --separate-stderr mntx fsmount -t ext4 --source "$z" "$T"
	assert_status 1
	[ -z "$output" ]
	[[ $stderr == "fsmount: fsconfig create: "* ]]
	[ -z "$(loops_under "$I")" ]
	# an option the filesystem refuses: the device was attached, the kernel says so
	run --separate-stderr mntx fsmount -t ext4 --source "$f" -o nosuchopt "$T"
	assert_status 1
	kernel_said "fsmount: fsconfig nosuchopt: ext4: Unknown parameter 'nosuchopt'"
	[ -z "$(loops_under "$I")" ]
	# a target that is not a directory: nothing is attached at all
	run --separate-stderr mntx fsmount -t ext4 --source "$f" "$f"
	assert_status 1
	[ "$stderr" = "fsmount: target '$f' is not a directory" ]
	[ -z "$(loops_under "$I")" ]
	[ "$(mounts_under "$D")" = 0 ]
	[ -z "$(losetup -j "$f")" ]
	[ -z "$(losetup -j "$z")" ]
}

@test "--attr ro and -o ro: a read-only loop device and a read-only mount" {
	require_root
	local f dev how
	f=$(ext4_image ro.img)
	chmod 444 "$f"
	for how in "--attr ro" "-o ro"; do
		# shellcheck disable=SC2086
		run --separate-stderr mntx fsmount -J -t ext4 --source "$f" $how "$T"
		assert_status 0
		[ "$stderr" = "" ]
		dev=$(jq -r '.mounts[0].source' <<<"$output")
		[[ $dev =~ ^/dev/loop[0-9]+$ ]]
		[ "$(jq -r '.mounts[0].sb_flags | index("ro") != null' <<<"$output")" = true ]
		[ "$(loop_field "$dev" ro)" = true ]
		[ "$(losetup -n -O RO -j "$f" | tr -d ' ')" = 1 ]
		[ "$(blockdev --getro "$dev")" = 1 ]
		[ "$(fm OPTIONS "$T" | cut -d, -f1)" = ro ]
		run touch "$T/x"
		[ "$status" -ne 0 ]
		umount "$T"
		[ -z "$(loops_under "$I")" ]
	done
	# --attr ro makes the mount read-only too, -o ro the superblock alone
	run mntx fsmount -J -t ext4 --source "$f" --attr ro "$T"
	[ "$(jq -r '.mounts[0].mnt_attr | index("ro") != null' <<<"$output")" = true ]
	umount "$T"
	run mntx fsmount -J -t ext4 --source "$f" -o ro "$T"
	[ "$(jq -r '.mounts[0].mnt_attr | index("ro") != null' <<<"$output")" = false ]
	umount "$T"
	[ -z "$(loops_under "$I")" ]
}

@test "an image that cannot be written: mounted read-only with a note, or -o rw fails" {
	require_root
	local f dev
	ext4_image fs.img >/dev/null
	mkdir "$I/ro"
	mv "$I/fs.img" "$I/ro/"
	f="$I/ro/fs.img"
	mount --bind -o ro "$I/ro" "$I/ro"
	run --separate-stderr mntx fsmount -J -t ext4 --source "$f" "$T"
	assert_status 0
	[ "$stderr" = "fsmount: note: '$f' is write-protected: mounted read-only" ]
	dev=$(jq -r '.mounts[0].source' <<<"$output")
	[ "$(loop_field "$dev" ro)" = true ]
	[ "$(fm OPTIONS "$T" | cut -d, -f1)" = ro ]
	[ "$(jq -r '.mounts[0].mnt_attr | index("ro") != null' <<<"$output")" = true ]
	umount "$T"
	[ -z "$(loops_under "$I")" ]
	run --separate-stderr mntx fsmount -t ext4 --source "$f" -o rw "$T"
	assert_status 1
	[ -z "$output" ]
	[ "$stderr" = "fsmount: image '$f' cannot be written, and -o rw asks for a writable filesystem" ]
	[ -z "$(loops_under "$I")" ]
	[ "$(mounts_under "$D")" = 0 ]
	# asked read-only: no note
	run --separate-stderr mntx fsmount -t ext4 --source "$f" --attr ro "$T"
	assert_status 0
	[ "$stderr" = "" ]
	umount "$T"
	umount "$I/ro"
	[ -z "$(loops_under "$I")" ]
}

@test "image files with odd names; a file under a type without a device is a name" {
	require_root
	local name f dev
	for name in $'new\nline.img' 'sp ace.img' $'tab\t.img'; do
		f=$(ext4_image "$name")
		run --separate-stderr mntx fsmount -J -t ext4 --source "$f" "$T"
		assert_status 0
		assert_json
		dev=$(jq -r '.mounts[0].source' <<<"$output")
		[[ $dev =~ ^/dev/loop[0-9]+$ ]]
		[ "$(mntx loop list -J "$dev" | jq -r '.loopdevices[0].back_file')" = "$f" ]
		umount "$T"
	done
	[ -z "$(loops_under "$I")" ]
	# tmpfs takes no device: the file's name is its source, as given
	run --separate-stderr mntx fsmount -J -t tmpfs --source "$f" "$T"
	assert_status 0
	[ "$(jq -r '.mounts[0].source' <<<"$output")" = "$f" ]
	[ -z "$(loops_under "$I")" ]
}

@test "a missing image: the kernel's own message, no loop device" {
	require_root
	run --separate-stderr mntx fsmount -t ext4 --source "$I/none.img" "$T"
	assert_status 1
	kernel_said "fsmount: fsconfig create: $I/none.img: Can't lookup blockdev" ||
		kernel_said "fsmount: fsconfig create: $I/none.img: Can't open blockdev"
	[ -z "$(loops_under "$I")" ]
}

@test "nothing this file attached is left (losetup -a)" {
	require_root
	[ -z "$(losetup -a | grep -F "$BATS_FILE_TMPDIR")" ]
}
