#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# mountattr: mount_setattr(2) with flag names, before/after records, -R,
# propagation; every change checked by statmount and by findmnt.

load helpers

setup() {
	D=$(scratch)
}

teardown() {
	unmount_below "$BATS_TEST_TMPDIR"
	[ -z "${OPEN_DIR:-}" ] || { unmount_below "$OPEN_DIR"; rm -rf "$OPEN_DIR"; }
}

# A fresh tmpfs at $D/NAME.
tmpfs_at() {
	mkdir -p "$D/$1"
	mount -t tmpfs "${2:-mntx-test}" "$D/$1"
}

@test "without mount_setattr (before Linux 5.12): one sentence, status 1, nothing changed" {
	require_root
	tmpfs_at m
	local opt
	for opt in "--set ro:--set" "--clear nodev:--clear" "--propagation shared:--propagation"; do
		run --separate-stderr kernel_without mount_setattr -- "$MNTX" mountattr ${opt%:*} "$D/m"
		assert_status 1
		[ -z "$output" ]
		[ "$stderr" = "mountattr: ${opt##*:} needs Linux 5.12 (mount_setattr)" ]
	done
	[ "$(findmnt_top "$D/m" | jq -r '."vfs-options" + " " + .propagation')" = "rw,relatime private" ]
	# usage errors are still usage errors
	run --separate-stderr kernel_without mount_setattr -- "$MNTX" mountattr --set bogus "$D/m"
	assert_status 2
}

# ---- usage errors ---------------------------------------------------------------

@test "no PATH: usage error" {
	run --separate-stderr mntx mountattr --set ro
	assert_status 2
	[[ $stderr == *"no mount given"* ]]
	[[ $stderr == *"Try 'mountattr --help'"* ]]
}

@test "an empty change is a usage error, not the kernel's silent success" {
	# mount_setattr returns 0 for an empty change without looking at the path
	run --separate-stderr mntx mountattr /nonexistent
	assert_status 2
	[[ $stderr == *"nothing to change"* ]]
	run --separate-stderr mntx mountattr --set "" --clear "" /nonexistent
	assert_status 2
	[ -z "$output" ]
}

@test "an unknown attribute: status 2, named, with the valid names" {
	run --separate-stderr mntx mountattr --set ro,bogus /nonexistent
	assert_status 2
	[ -z "$output" ]
	[[ $stderr == "mountattr: unknown mount attribute 'bogus' (valid: ro, rw, nosuid, "* ]]
	[[ $stderr == *nosymfollow* ]]
	run --separate-stderr mntx mountattr --clear nosuch /nonexistent
	assert_status 2
	[[ $stderr == *"unknown mount attribute 'nosuch'"* ]]
	run --separate-stderr mntx mountattr --propagation sharde /nonexistent
	assert_status 2
	[[ $stderr == *"unknown propagation type 'sharde' (valid: shared, slave, private, unbindable)"* ]]
}

@test "conflicting names: status 2" {
	for args in "--set ro,rw" "--set noatime,strictatime" "--set relatime,noatime" \
		    "--set ro --clear ro" "--set rw --clear ro" "--set noatime --clear strictatime" \
		    "--clear noatime,strictatime" "--propagation shared,slave"; do
		run --separate-stderr mntx mountattr $args /nonexistent
		assert_status 2
		[[ $stderr == *conflicting* ]] || { echo "$args: $stderr" >&2; return 1; }
	done
}

@test "a name repeated is no conflict, as in mount(8)" {
	needs mount_setattr
	run --separate-stderr mntx mountattr --set ro,ro --clear nosuid,nosuid --propagation private,private "$D/none"
	assert_status 1
	[[ $stderr == *"cannot open"* ]]
}

@test "--clear takes only names that set something" {
	for name in rw suid relatime exec; do
		run --separate-stderr mntx mountattr --clear "$name" /nonexistent
		assert_status 2
		[[ $stderr == *"cannot clear mount attribute '$name' (valid: ro, nosuid, nodev, noexec, noatime, nodiratime, strictatime, nosymfollow)"* ]]
	done
}

@test "one PATH only" {
	run --separate-stderr mntx mountattr --set ro /a /b
	assert_status 2
	[[ $stderr == *"unexpected '/b'"* ]]
}

# ---- failures ---------------------------------------------------------------------

@test "a path that is not a mount root: a clear error, status 1, nothing printed" {
	needs mount_setattr
	require_root
	tmpfs_at m
	mkdir "$D/m/dir" "$D/plain"
	for p in "$D/m/dir" "$D/plain"; do
		run --separate-stderr mntx mountattr --set ro -J "$p"
		assert_status 1
		[ -z "$output" ]
		[ "$stderr" = "mountattr: cannot change '$p': not a mount point" ]
	done
	[ "$(findmnt_top "$D/m" | jq -r '."vfs-options"')" = rw,relatime ]
}

@test "a missing path: status 1" {
	needs mount_setattr
	run --separate-stderr mntx mountattr --set ro "$D/missing"
	assert_status 1
	[[ $stderr == "mountattr: cannot open '$D/missing': No such file or directory" ]]
}

@test "without CAP_SYS_ADMIN: EPERM names the capability, nothing changes" {
	needs mount_setattr
	require_root
	tmpfs_at m
	run --separate-stderr without_sys_admin "$MNTX" mountattr --set ro -J "$D/m"
	assert_status 1
	[ -z "$output" ]
	[ "$stderr" = "mountattr: cannot change '$D/m': Operation not permitted (needs CAP_SYS_ADMIN)" ]
	[ "$(findmnt_top "$D/m" | jq -r '."vfs-options"')" = rw,relatime ]
}

@test "as an unprivileged user: EPERM names the capability" {
	needs mount_setattr
	require_root
	OPEN_DIR=$(mktemp -d /tmp/mntx-mountattr.XXXXXX)
	chmod 755 "$OPEN_DIR"
	mkdir "$OPEN_DIR/m"
	mount -t tmpfs mntx-test "$OPEN_DIR/m"
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$MNTX" mountattr --set nosuid "$OPEN_DIR/m"
	assert_status 1
	[[ $stderr == *"Operation not permitted (needs CAP_SYS_ADMIN)" ]]
	[[ $(findmnt_top "$OPEN_DIR/m" | jq -r '."vfs-options"') != *nosuid* ]]
}

@test "read-only while a file is open for writing: EBUSY said plainly" {
	needs mount_setattr
	require_root
	tmpfs_at m
	exec {w}>"$D/m/file"
	run --separate-stderr mntx mountattr --set ro "$D/m"
	exec {w}>&-
	assert_status 1
	[[ $stderr == "mountattr: cannot make '$D/m' read-only: a file on it is open for writing: Device or resource busy" ]]
}

# ---- changes -----------------------------------------------------------------------

@test "--set: before and after, checked by statmount and findmnt" {
	needs mount_setattr
	require_root
	tmpfs_at m
	run --separate-stderr mntx mountattr --set ro,nosuid,nodev,noatime -J "$D/m"
	assert_status 0
	assert_json
	[ "$(jq '.mounts | length' <<<"$output")" = 2 ]
	[ "$(jq -c '.mounts[0].mnt_attr' <<<"$output")" = '["relatime"]' ]
	[ "$(jq -c '.mounts[1].mnt_attr' <<<"$output")" = '["ro","nosuid","nodev","noatime"]' ]
	[ "$(jq -r '.mounts[1].vfs_options' <<<"$output")" = ro,nosuid,nodev,noatime ]
	# the same mount, before and after
	[ "$(jq '.mounts[0][$ENV.IDK] == .mounts[1][$ENV.IDK]' <<<"$output")" = true ]
	id=$(jq '.mounts[1][$ENV.IDK]' <<<"$output")
	[ "$(mntx statmount -J "$D/m" | jq '.mounts[0][$ENV.IDK]')" = "$id" ]
	[ "$(mntx statmount -J "$D/m" | jq -c '.mounts[0].mnt_attr')" = '["ro","nosuid","nodev","noatime"]' ]
	[ "$(findmnt_top "$D/m" | jq -r '."vfs-options"')" = ro,nosuid,nodev,noatime ]
	# and the kernel means it
	run touch "$D/m/x"
	[ "$status" -ne 0 ]
}

@test "--clear undoes --set; rw in --set clears ro" {
	needs mount_setattr mount_attr_nosymfollow
	require_root
	tmpfs_at m
	mntx mountattr --set ro,noexec,nosymfollow,noatime "$D/m" >/dev/null
	[ "$(findmnt_top "$D/m" | jq -r '."vfs-options"')" = ro,noexec,noatime,nosymfollow ]
	run mntx mountattr --clear noexec,nosymfollow,noatime -J "$D/m"
	assert_status 0
	[ "$(jq -c '.mounts[1].mnt_attr' <<<"$output")" = '["ro","relatime"]' ]
	[ "$(findmnt_top "$D/m" | jq -r '."vfs-options"')" = ro,relatime ]
	run mntx mountattr --set rw -J "$D/m"
	assert_status 0
	[ "$(jq -r '.mounts[1].vfs_options' <<<"$output")" = rw,relatime ]
	[ "$(findmnt_top "$D/m" | jq -r '."vfs-options"')" = rw,relatime ]
	touch "$D/m/x"
}

@test "atime modes: one replaces the other (MOUNT_ATTR__ATIME cleared, one set)" {
	needs mount_setattr
	require_root
	tmpfs_at m
	run mntx mountattr --set strictatime -J "$D/m"
	assert_status 0
	[ "$(jq -c '.mounts[1].mnt_attr' <<<"$output")" = '["strictatime"]' ]
	# mountinfo shows neither relatime nor noatime for strictatime
	[ "$(findmnt_top "$D/m" | jq -r '."vfs-options"')" = rw ]
	mntx mountattr --set noatime "$D/m" >/dev/null
	[ "$(findmnt_top "$D/m" | jq -r '."vfs-options"')" = rw,noatime ]
	mntx mountattr --set relatime,nodiratime "$D/m" >/dev/null
	[ "$(findmnt_top "$D/m" | jq -r '."vfs-options"')" = rw,nodiratime,relatime ]
	# clearing a mode is going back to relatime
	mntx mountattr --set strictatime "$D/m" >/dev/null
	run mntx mountattr --clear strictatime,nodiratime -J "$D/m"
	assert_status 0
	[ "$(jq -c '.mounts[1].mnt_attr' <<<"$output")" = '["relatime"]' ]
	[ "$(findmnt_top "$D/m" | jq -r '."vfs-options"')" = rw,relatime ]
}

@test "repeated --set and --clear add up" {
	needs mount_setattr
	require_root
	tmpfs_at m
	run mntx mountattr --set nosuid --set nodev -J "$D/m"
	assert_status 0
	[ "$(jq -c '.mounts[1].mnt_attr' <<<"$output")" = '["nosuid","nodev","relatime"]' ]
	run mntx mountattr --clear nosuid --clear nodev -J "$D/m"
	[ "$(jq -c '.mounts[1].mnt_attr' <<<"$output")" = '["relatime"]' ]
}

@test "--propagation: shared, slave, private, unbindable as findmnt sees them" {
	needs mount_setattr
	require_root
	tmpfs_at a
	run mntx mountattr --propagation shared -J "$D/a"
	assert_status 0
	[ "$(jq -c '.mounts[0].propagation' <<<"$output")" = '["private"]' ]
	[ "$(jq -c '.mounts[1].propagation' <<<"$output")" = '["shared"]' ]
	group=$(jq '.mounts[1].peer_group' <<<"$output")
	[ "$group" != null ]
	[ "$(findmnt_top "$D/a" | jq -r '."opt-fields"')" = "shared:$group" ]
	# a bind of a shared mount is its peer; made a slave, its master is that group
	mkdir "$D/b"
	mount --bind "$D/a" "$D/b"
	[ "$(mntx statmount -J "$D/b" | jq '.mounts[0].peer_group')" = "$group" ]
	run mntx mountattr --propagation slave -J "$D/b"
	assert_status 0
	[ "$(jq -c '.mounts[1].propagation' <<<"$output")" = '["slave"]' ]
	[ "$(jq '.mounts[1].master' <<<"$output")" = "$group" ]
	[ "$(jq '.mounts[1].peer_group' <<<"$output")" = null ]
	[ "$(findmnt_top "$D/b" | jq -r '.propagation')" = private,slave ]
	[ "$(findmnt_top "$D/b" | jq -r '."opt-fields"')" = "master:$group" ]
	# events flow from the master only
	mkdir "$D/a/sub"
	mount -t tmpfs sub "$D/a/sub"
	findmnt -M "$D/b/sub" >/dev/null
	mntx mountattr --propagation private "$D/b" >/dev/null
	[ "$(findmnt_top "$D/b" | jq -r '.propagation')" = private ]
	run mntx mountattr --propagation unbindable -J "$D/b"
	assert_status 0
	[ "$(jq -c '.mounts[1].propagation' <<<"$output")" = '["unbindable"]' ]
	[ "$(findmnt_top "$D/b" | jq -r '.propagation')" = private,unbindable ]
	mkdir "$D/c"
	run mount --bind "$D/b" "$D/c"
	[ "$status" -ne 0 ]
}

@test "-R changes the subtree; without it only the mount" {
	needs mount_setattr
	require_root
	tmpfs_at top
	mkdir "$D/top/sub"
	mount -t tmpfs sub "$D/top/sub"
	mkdir "$D/top/sub/deeper"
	mount -t tmpfs deeper "$D/top/sub/deeper"
	run mntx mountattr --set nosuid -J "$D/top"
	assert_status 0
	[ "$(jq '.mounts | length' <<<"$output")" = 2 ]
	[[ $(findmnt_top "$D/top/sub" | jq -r '."vfs-options"') != *nosuid* ]]
	run mntx mountattr --set ro,noexec -R -J "$D/top"
	assert_status 0
	assert_json
	# each mount twice, as it was and as it is
	[ "$(jq '.mounts | length' <<<"$output")" = 6 ]
	[ "$(jq '[.mounts as $m | range(0; 6; 2) | $m[.][$ENV.IDK] == $m[. + 1][$ENV.IDK]] | all' <<<"$output")" = true ]
	[ "$(jq -r '[.mounts[range(1; 6; 2)].vfs_options] | join(" ")' <<<"$output")" = \
	  "ro,nosuid,noexec,relatime ro,noexec,relatime ro,noexec,relatime" ]
	[ "$(jq -r '[.mounts[range(0; 6; 2)].vfs_options] | join(" ")' <<<"$output")" = \
	  "rw,nosuid,relatime rw,relatime rw,relatime" ]
	for p in "$D/top" "$D/top/sub" "$D/top/sub/deeper"; do
		[[ $(findmnt_top "$p" | jq -r '."vfs-options"') == ro,*noexec* ]]
		[[ $(mntx statmount -J "$p" | jq -c '.mounts[0].mnt_attr') == '["ro",'*'"noexec"'* ]]
	done
	# and lsmnt sees the IDs the tool printed
	ids=$(jq -r '[.mounts[][$ENV.IDK]] | unique | .[]' <<<"$output" | sort)
	[ "$ids" = "$(mntx lsmnt -J -R -o "$IDC" "$D/top" | jq -r '.mounts[][$ENV.IDK]' | sort)" ]
}

@test "-R is atomic: a failure on one submount changes none" {
	needs mount_setattr
	require_root
	tmpfs_at top
	mkdir "$D/top/sub"
	mount -t tmpfs sub "$D/top/sub"
	exec {w}>"$D/top/sub/file"
	run --separate-stderr mntx mountattr --set ro -R "$D/top"
	exec {w}>&-
	assert_status 1
	[ -z "$output" ]
	[ "$(findmnt_top "$D/top" | jq -r '."vfs-options"')" = rw,relatime ]
}

# ---- output ------------------------------------------------------------------------

@test "table: two rows, before then after; it agrees with JSON" {
	needs mount_setattr
	require_root
	tmpfs_at m
	run --separate-stderr mntx mountattr --set nodev -r -n -o "$IDC",OPTIONS,PROPAGATION "$D/m"
	assert_status 0
	[ "$(printf '%s\n' "$output" | wc -l)" = 2 ]
	id=$(mntx statmount -J "$D/m" | jq -r '.mounts[0][$ENV.IDK]')
	[ "$(tmpfs_opts <<<"$output")" = "$(printf '%s rw,relatime private\n%s rw,nodev,relatime private' "$id" "$id")" ]
	run mntx mountattr --set nosuid -J -o "$IDC",OPTIONS,PROPAGATION "$D/m"
	[ "$(jq -r '.mounts[] | "\(.[$ENV.IDK]) \(.options) \(.propagation | join(","))"' <<<"$output" | tmpfs_opts)" = \
	  "$(printf '%s rw,nodev,relatime private\n%s rw,nosuid,nodev,relatime private' "$id" "$id")" ]
	# default table columns: what changed shows
	run mntx mountattr --set noexec "$D/m"
	[[ ${lines[0]} == *ID*TARGET*SOURCE*FSTYPE*OPTIONS*PROPAGATION* ]]
}

@test "--json-lines: one object per line" {
	needs mount_setattr
	require_root
	tmpfs_at m
	run mntx mountattr --set nodev --json-lines "$D/m"
	assert_status 0
	[ "${#lines[@]}" = 2 ]
	for l in "${lines[@]}"; do assert_json "$l"; done
}

@test "odd names: space, newline, tab, backslash, invalid UTF-8" {
	needs mount_setattr
	require_root
	for name in 'a b' $'new\nline' $'t\tab' 'back\slash' $'bad\xff\xfeutf8'; do
		mkdir "$D/$name"
		mount -t tmpfs odd "$D/$name"
		run --separate-stderr mntx mountattr --set nosuid -J "$D/$name"
		assert_status 0
		assert_json
		t=$(jq -r '.mounts[1] | if .target_b64 then .target_b64 else (.target | @base64) end' <<<"$output")
		[ "$(printf '%s' "$t" | base64 -d)" = "$D/$name" ]
		run mntx mountattr --set nodev "$D/$name"
		assert_status 0
		[ "$(printf '%s\n' "$output" | wc -l)" = 3 ]
		[[ $(findmnt_top "$D/$name" | jq -r '."vfs-options"') == rw,nosuid,nodev,* ]]
		umount "$D/$name"
		# an error naming it stays on one line
		run --separate-stderr mntx mountattr --set ro "$D/$name"
		assert_status 1
		[ "$(printf '%s\n' "$stderr" | wc -l)" = 1 ]
		[[ $stderr == "mountattr: cannot change '$D/"*"': not a mount point" ]]
	done
	[ "$(mntx mountattr --set ro "$D/"$'new\nline' 2>&1)" = "mountattr: cannot change '$D/new\nline': not a mount point" ]
	[ "$(mntx mountattr --set ro "$D/back\slash" 2>&1)" = "mountattr: cannot change '$D/back\\\\slash': not a mount point" ]
}
