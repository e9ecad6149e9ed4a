#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# bind: open_tree(OPEN_TREE_CLONE), attributes on the detached copy,
# move_mount; idmapped binds; every result checked by statmount and findmnt.

load helpers

setup() {
	D=$(scratch)
}

teardown() {
	[ -z "${READER:-}" ] || { touch "$D/stop"; wait "$READER" 2>/dev/null; }
	[ -z "${HOLDER:-}" ] || { kill "$HOLDER" 2>/dev/null; wait "$HOLDER" 2>/dev/null; }
	unmount_below "$BATS_TEST_TMPDIR"
}

# A tmpfs at $D/NAME holding a file owned by root.
source_at() {
	mkdir -p "$D/$1"
	mount -t tmpfs "${2:-mntx-src}" "$D/$1"
	echo "$1" >"$D/$1/file"
}

# The reader's log holds more than N lines reading WORD.
read_more() {
	[ "$(grep -c "^$1\$" "$D/log" 2>/dev/null)" -gt "$2" ]
}

# Process PID has its own user namespace with a map written.
has_map() {
	[ "$(readlink "/proc/$1/ns/user")" != "$(readlink /proc/self/ns/user)" ] &&
		[ -n "$(cat "/proc/$1/uid_map" 2>/dev/null)" ]
}

# JSON as bind prints it: id maps come from statmount (Linux 6.15), null
# on older kernels.
maps_shown() {
	if lacks statmount_idmap; then
		jq -c 'walk(if type == "array" and length > 0 and all(type == "string" and test("^[0-9]+ [0-9]+ [0-9]+$"))
			then null else . end)' <<<"$1"
	else
		printf '%s\n' "$1"
	fi
}

mount_count() {
	findmnt -rn -o TARGET | wc -l
}

# ---- usage errors ----------------------------------------------------------------

@test "SRC and DST are both needed; no third" {
	run --separate-stderr mntx bind /a
	assert_status 2
	[[ $stderr == *"expected SRC and DST"* ]]
	run --separate-stderr mntx bind /a /b /c
	assert_status 2
	[[ $stderr == *"unexpected operand '/c'"* ]]
}

@test "bad --attr and --propagation names: status 2, with the valid ones" {
	run --separate-stderr mntx bind --attr ro,nosiud /a /b
	assert_status 2
	[[ $stderr == "bind: unknown mount attribute 'nosiud' (valid: ro, rw, nosuid,"* ]]
	run --separate-stderr mntx bind --attr ro,rw /a /b
	assert_status 2
	[[ $stderr == *"conflicting mount attributes: 'ro' and 'rw'"* ]]
	run --separate-stderr mntx bind --attr noatime,strictatime /a /b
	assert_status 2
	run --separate-stderr mntx bind --propagation shared,private /a /b
	assert_status 2
	[[ $stderr == *"conflicting propagation types"* ]]
	run --separate-stderr mntx bind --propagation bogus /a /b
	assert_status 2
	[[ $stderr == *"valid: shared, slave, private, unbindable"* ]]
}

@test "a bad --idmap: status 2, naming the entry and why" {
	run --separate-stderr mntx bind --idmap 'u:0:100000:65536 g:0:x:1' /a /b
	assert_status 2
	[[ $stderr == "bind: invalid --idmap entry 'g:0:x:1': expected [u:|g:|b:]INSIDE:OUTSIDE:COUNT"$'\n'* ]]
	run --separate-stderr mntx bind --idmap '0:100000:0' /a /b
	assert_status 2
	[[ $stderr == *"COUNT must not be 0"* ]]
	run --separate-stderr mntx bind --idmap '0:100:10 5:200:10' /a /b
	assert_status 2
	[[ $stderr == *"overlaps an earlier entry"* ]]
	run --separate-stderr mntx bind --idmap 'u:0:100000:65536' /a /b
	assert_status 2
	[[ $stderr == *"no group IDs mapped (add g: entries)"* ]]
	run --separate-stderr mntx bind --idmap '' /a /b
	assert_status 2
	[[ $stderr == *"no entries"* ]]
}

# ---- failures ----------------------------------------------------------------------

@test "missing SRC or DST: status 1, nothing left mounted" {
	require_root
	source_at src
	n=$(mount_count)
	run --separate-stderr mntx bind "$D/missing" "$D/src"
	assert_status 1
	[ "$stderr" = "bind: cannot copy '$D/missing': No such file or directory" ]
	local attr=(--attr ro)	# the copy made with attributes, where the kernel can
	lacks mount_setattr && attr=()
	run --separate-stderr mntx bind "${attr[@]}" "$D/src" "$D/missing"
	assert_status 1
	[[ $stderr == "bind: cannot attach the copy of '$D/src' at '$D/missing': No such file or directory" ]]
	[ -z "$output" ]
	[ "$(mount_count)" = "$n" ]
}

@test "a directory onto a file: a clear error" {
	require_root
	source_at src
	touch "$D/file"
	run --separate-stderr mntx bind "$D/src" "$D/file"
	assert_status 1
	[[ $stderr == *"one is a directory, the other is not"* ]]
}

@test "without CAP_SYS_ADMIN: EPERM names the capability" {
	require_root
	source_at src
	mkdir "$D/dst"
	run --separate-stderr without_sys_admin "$MNTX" bind "$D/src" "$D/dst"
	assert_status 1
	[ "$stderr" = "bind: cannot copy '$D/src': Operation not permitted (needs CAP_SYS_ADMIN)" ]
	run findmnt -M "$D/dst"
	[ "$status" -ne 0 ]
}

# ---- binds -------------------------------------------------------------------------

@test "a plain bind: the record is the new mount, as statmount and findmnt see it" {
	require_root
	source_at src
	mkdir "$D/dst"
	run --separate-stderr mntx bind -J "$D/src" "$D/dst"
	assert_status 0
	assert_json
	[ "$(jq '.mounts | length' <<<"$output")" = 1 ]
	[ "$(jq -r '.mounts[0].target' <<<"$output")" = "$D/dst" ]
	[ "$(jq -r '.mounts[0].source' <<<"$output")" = mntx-src ]
	[ "$(cat "$D/dst/file")" = src ]
	sm=$(mntx statmount -J "$D/dst")
	[ "$(jq '.mounts[0][$ENV.IDK]' <<<"$output")" = "$(jq '.mounts[0][$ENV.IDK]' <<<"$sm")" ]
	[ "$(jq '.mounts[0].old_id' <<<"$output")" = "$(findmnt_top "$D/dst" | jq .id)" ]
	[ "$(findmnt_top "$D/dst" | jq -r '.source + " " + .fstype + " " + ."vfs-options"')" = \
	  "mntx-src tmpfs rw,relatime" ]
	# the same superblock as the source
	[ "$(jq '.mounts[0] | "\(.maj):\(.min)"' <<<"$output")" = "$(mntx statmount -J "$D/src" | jq '.mounts[0] | "\(.maj):\(.min)"')" ]
}

@test "a subdirectory of a mount: the copy's root is that directory" {
	require_root
	source_at src
	mkdir -p "$D/src/sub/dir" "$D/dst"
	echo deep >"$D/src/sub/dir/f"
	run mntx bind -J "$D/src/sub" "$D/dst"
	assert_status 0
	[ "$(jq -r '.mounts[0].root' <<<"$output")" = /sub ]
	[ "$(findmnt -n -o FSROOT -M "$D/dst")" = /sub ]
	[ "$(cat "$D/dst/dir/f")" = deep ]
}

@test "--attr: set on the copy before it is attached; the source is untouched" {
	require_root
	needs mount_setattr
	source_at src
	mkdir "$D/dst"
	run mntx bind --attr ro,nosuid,nodev,noexec,noatime -J "$D/src" "$D/dst"
	assert_status 0
	[ "$(jq -c '.mounts[0].mnt_attr' <<<"$output")" = '["ro","nosuid","nodev","noexec","noatime"]' ]
	[ "$(findmnt_top "$D/dst" | jq -r '."vfs-options"')" = ro,nosuid,nodev,noexec,noatime ]
	[ "$(mntx statmount -J "$D/dst" | jq -c '.mounts[0].mnt_attr')" = '["ro","nosuid","nodev","noexec","noatime"]' ]
	[ "$(findmnt_top "$D/src" | jq -r '."vfs-options"')" = rw,relatime ]
	run touch "$D/dst/x"
	[ "$status" -ne 0 ]
	touch "$D/src/x"
}

@test "--attr rw and relatime clear what the copy inherited" {
	require_root
	needs mount_setattr
	source_at src
	mount -o remount,bind,ro,noatime "$D/src"
	[ "$(findmnt_top "$D/src" | jq -r '."vfs-options"')" = ro,noatime ]
	mkdir "$D/inherit" "$D/dst"
	mntx bind "$D/src" "$D/inherit" >/dev/null
	[ "$(findmnt_top "$D/inherit" | jq -r '."vfs-options"')" = ro,noatime ]
	run mntx bind --attr rw,relatime -J "$D/src" "$D/dst"
	assert_status 0
	[ "$(jq -r '.mounts[0].vfs_options' <<<"$output")" = rw,relatime ]
	[ "$(findmnt_top "$D/dst" | jq -r '."vfs-options"')" = rw,relatime ]
	touch "$D/dst/x"
}

@test "-R copies the submounts, with the attributes; without it only the top" {
	require_root
	needs mount_setattr
	source_at src
	mkdir "$D/src/sub" "$D/one" "$D/all"
	mount -t tmpfs mntx-sub "$D/src/sub"
	run mntx bind -J "$D/src" "$D/one"
	assert_status 0
	[ "$(jq '.mounts | length' <<<"$output")" = 1 ]
	run findmnt -M "$D/one/sub"
	[ "$status" -ne 0 ]
	run mntx bind -R --attr nosuid -J "$D/src" "$D/all"
	assert_status 0
	assert_json
	[ "$(jq -r '[.mounts[].target] | join(" ")' <<<"$output")" = "$D/all $D/all/sub" ]
	[ "$(jq -r '[.mounts[].source] | join(" ")' <<<"$output")" = "mntx-src mntx-sub" ]
	[ "$(jq -r '[.mounts[].vfs_options] | unique | join(" ")' <<<"$output")" = rw,nosuid,relatime ]
	[ "$(findmnt_top "$D/all/sub" | jq -r '.source + " " + ."vfs-options"')" = "mntx-sub rw,nosuid,relatime" ]
	[ "$(jq '.mounts[1][$ENV.IDK]' <<<"$output")" = "$(mntx statmount -J "$D/all/sub" | jq '.mounts[0][$ENV.IDK]')" ]
	[[ $(findmnt_top "$D/src/sub" | jq -r '."vfs-options"') != *nosuid* ]]
}

@test "--propagation: a copy of a shared mount is its peer, or its slave, or private" {
	require_root
	needs mount_setattr
	source_at src
	mount --make-shared "$D/src"
	group=$(mntx statmount -J "$D/src" | jq '.mounts[0].peer_group')
	[ "$group" != null ]
	mkdir "$D/peer" "$D/slave" "$D/private"
	run mntx bind -J "$D/src" "$D/peer"
	[ "$(jq '.mounts[0].peer_group' <<<"$output")" = "$group" ]
	[ "$(findmnt_top "$D/peer" | jq -r '."opt-fields"')" = "shared:$group" ]
	run mntx bind --propagation slave -J "$D/src" "$D/slave"
	assert_status 0
	[ "$(jq -c '.mounts[0] | [.propagation, .master, .peer_group]' <<<"$output")" = "[[\"slave\"],$group,null]" ]
	[ "$(findmnt_top "$D/slave" | jq -r '.propagation + " " + ."opt-fields"')" = "private,slave master:$group" ]
	run mntx bind --propagation private -J "$D/src" "$D/private"
	[ "$(jq -c '.mounts[0].propagation' <<<"$output")" = '["private"]' ]
	[ "$(findmnt_top "$D/private" | jq -r .propagation)" = private ]
	# the slave receives what is mounted in the source, the private copy does not
	mkdir "$D/src/new"
	mount -t tmpfs mntx-new "$D/src/new"
	findmnt -M "$D/slave/new" >/dev/null
	findmnt -M "$D/peer/new" >/dev/null
	run findmnt -M "$D/private/new"
	[ "$status" -ne 0 ]
}

@test "--idmap u:/g: entries: a root-owned file is seen as 100000:200000" {
	require_root
	needs idmapped_tmpfs
	source_at src
	mkdir "$D/dst" "$D/src/dir"
	chown 1000:1000 "$D/src/dir"
	run --separate-stderr mntx bind --idmap 'u:0:100000:65536 g:0:200000:65536' -J "$D/src" "$D/dst"
	assert_status 0
	assert_json
	[ "$(jq -c '.mounts[0] | [.uid_map, .gid_map]' <<<"$output")" = "$(maps_shown '[["0 100000 65536"],["0 200000 65536"]]')" ]
	[ "$(jq -c '.mounts[0].mnt_attr' <<<"$output")" = '["relatime","idmapped"]' ]
	[ "$(stat -c '%u:%g' "$D/dst/file")" = 100000:200000 ]
	[ "$(stat -c '%u:%g' "$D/dst/dir")" = 101000:201000 ]
	[ "$(stat -c '%u:%g' "$D/src/file")" = 0:0 ]
	[ "$(findmnt_top "$D/dst" | jq -r '."vfs-options"')" = rw,relatime,idmapped ]
	[ "$(mntx statmount -J "$D/dst" | jq -c '.mounts[0].uid_map')" = "$(maps_shown '["0 100000 65536"]')" ]
	# no helper process outlives the tool
	run pgrep -f "mntx bind --idmap"
	[ "$status" -ne 0 ]
}

@test "--idmap without a prefix maps users and groups alike" {
	require_root
	needs idmapped_tmpfs
	source_at src
	mkdir "$D/dst"
	run mntx bind --idmap '0:100000:65536' --attr nosuid -J "$D/src" "$D/dst"
	assert_status 0
	[ "$(stat -c '%u:%g' "$D/dst/file")" = 100000:100000 ]
	[ "$(jq -c '.mounts[0] | [.uid_map, .gid_map, .mnt_attr]' <<<"$output")" = "$(maps_shown '[["0 100000 65536"],["0 100000 65536"],["nosuid","relatime","idmapped"]]')" ]
	[ "$(findmnt_top "$D/dst" | jq -r '."vfs-options"')" = rw,nosuid,relatime,idmapped ]
}

@test "--idmap with a user namespace file" {
	require_root
	needs idmapped_tmpfs
	source_at src
	mkdir "$D/dst"
	unshare --user --map-user=0 --map-group=0 sleep 1000 &
	HOLDER=$!
	wait_until has_map "$HOLDER"
	# the map of that namespace: 0 -> 0, one ID
	run mntx bind --idmap "/proc/$HOLDER/ns/user" -J "$D/src" "$D/dst"
	assert_status 0
	[ "$(jq -c '.mounts[0].uid_map' <<<"$output")" = "$(maps_shown '["0 0 1"]')" ]
	[ "$(stat -c '%u' "$D/dst/file")" = 0 ]
	chown 5 "$D/src/file"
	# unmapped IDs show as the overflow ID
	[ "$(stat -c '%u' "$D/dst/file")" = 65534 ]
}

@test "--idmap with a file that is not a user namespace" {
	require_root
	needs mount_setattr
	source_at src
	mkdir "$D/dst"
	run --separate-stderr mntx bind --idmap /proc/self/ns/mnt "$D/src" "$D/dst"
	assert_status 1
	[ "$stderr" = "bind: cannot idmap: '/proc/self/ns/mnt' is not a user namespace" ]
	run --separate-stderr mntx bind --idmap "$D/src/file" "$D/src" "$D/dst"
	assert_status 1
	[[ $stderr == *"is not a user namespace" ]]
	run --separate-stderr mntx bind --idmap /proc/self/ns/user "$D/src" "$D/dst"
	assert_status 1
	[[ $stderr == *"is the initial user namespace"* ]]
	run --separate-stderr mntx bind --idmap "$D/none" "$D/src" "$D/dst"
	assert_status 1
	[ "$stderr" = "bind: cannot open the user namespace '$D/none': No such file or directory" ]
	run findmnt -M "$D/dst"
	[ "$status" -ne 0 ]
}

@test "--idmap of a tmpfs: idmapped from Linux 6.3, refused in one sentence before" {
	require_root
	source_at src
	mkdir "$D/dst"
	run --separate-stderr mntx bind --idmap 0:100000:65536 "$D/src" "$D/dst"
	if lacks mount_setattr; then
		assert_status 1
		[ "$stderr" = "bind: --idmap needs Linux 5.12 (mount_setattr)" ]
	elif lacks idmapped_tmpfs; then
		assert_status 1
		[ -z "$output" ]
		[ "$stderr" = "bind: cannot idmap the copy of '$D/src': idmapped tmpfs mounts need Linux 6.3 ($(feature_line idmapped_tmpfs | cut -f4))" ]
		run findmnt -M "$D/dst"
		[ "$status" -ne 0 ]
	else
		assert_status 0
		[ "$(stat -c %u:%g "$D/dst/file")" = 100000:100000 ]
	fi
}

@test "--idmap of a filesystem that cannot be idmapped: status 1, nothing mounted" {
	require_root
	needs mount_setattr
	mkdir "$D/dst"
	run --separate-stderr mntx bind --idmap 0:100000:65536 /proc "$D/dst"
	assert_status 1
	[[ $stderr == "bind: cannot idmap the copy of '/proc' "* ]]
	run findmnt -M "$D/dst"
	[ "$status" -ne 0 ]
}

@test "--beneath: the copy goes under the top mount; unmounting the top reveals it" {
	needs move_mount_beneath
	require_root
	source_at src
	mkdir "$D/to"
	mount -t tmpfs mntx-top "$D/to"
	echo top >"$D/to/file"
	run mntx bind --beneath -J "$D/src" "$D/to"
	assert_status 0
	[ "$(jq -r '.mounts[0].source' <<<"$output")" = mntx-src ]
	under=$(jq '.mounts[0][$ENV.IDK]' <<<"$output")
	[ "$(cat "$D/to/file")" = top ]
	# the top mount now sits on the copy
	[ "$(mntx statmount -J "$D/to" | jq '.mounts[0][$ENV.PIDK]')" = "$under" ]
	[ "$(findmnt_top "$D/to" | jq -r .source)" = mntx-top ]
	[ "$(findmnt -J -M "$D/to" | jq -r '[.filesystems[].source] | sort | join(" ")')" = "mntx-src mntx-top" ]
	mntx umount "$D/to"
	[ "$(cat "$D/to/file")" = src ]
	[ "$(mntx statmount -J "$D/to" | jq '.mounts[0][$ENV.IDK]')" = "$under" ]
}

@test "--beneath with a reader: the file never goes missing" {
	needs move_mount_beneath
	require_root
	source_at src
	mkdir "$D/to"
	mount -t tmpfs mntx-top "$D/to"
	echo top >"$D/to/file"
	(
		while [ ! -e "$D/stop" ]; do
			if read -r line <"$D/to/file"; then echo "$line"; else echo MISSING; fi
		done >"$D/log" 2>/dev/null
	) &
	READER=$!
	wait_until read_more top 100
	mntx bind --beneath "$D/src" "$D/to" >/dev/null
	# lazily: the reader may hold the file open at that moment
	mntx umount -l "$D/to"
	wait_until read_more src 100
	touch "$D/stop"
	wait "$READER"
	READER=
	run grep -c MISSING "$D/log"
	[ "$output" = 0 ]
	# top, then src, nothing else
	[ "$(uniq "$D/log" | tr '\n' ' ')" = "top src " ]
}

@test "--beneath needs a mount at DST" {
	needs move_mount_beneath
	require_root
	source_at src
	mkdir "$D/plain"
	run --separate-stderr mntx bind --beneath "$D/src" "$D/plain"
	assert_status 1
	[ "$stderr" = "bind: cannot mount beneath '$D/plain': not a mount point" ]
}

@test "without MOVE_MOUNT_BENEATH: --beneath refused in one sentence, nothing mounted" {
	require_root
	source_at src
	mkdir "$D/to"
	mount -t tmpfs mntx-top "$D/to"
	local before
	before=$(mount_count)
	run --separate-stderr kernel_without move_mount_beneath -- "$MNTX" bind --beneath "$D/src" "$D/to"
	assert_status 1
	[ -z "$output" ]
	[ "$stderr" = "bind: --beneath needs Linux 6.5 (MOVE_MOUNT_BENEATH)" ]
	[ "$(mount_count)" = "$before" ]
}

@test "without mount_setattr: attributes, propagation and --idmap refused in one sentence, nothing mounted" {
	require_root
	source_at src
	mkdir "$D/dst"
	local before opt
	before=$(mount_count)
	for opt in "--attr ro:--attr" "--propagation shared:--propagation" "--idmap 0:100000:65536:--idmap"; do
		run --separate-stderr kernel_without mount_setattr -- "$MNTX" bind ${opt%:*} "$D/src" "$D/dst"
		assert_status 1
		[ -z "$output" ]
		[ "$stderr" = "bind: ${opt##*:} needs Linux 5.12 (mount_setattr)" ]
		[ "$(mount_count)" = "$before" ]
	done
	# without any, a plain bind still works
	run --separate-stderr kernel_without mount_setattr -- "$MNTX" bind -n -o SOURCE "$D/src" "$D/dst"
	assert_status 0
	[ "$output" = mntx-src ]
}

# ---- output ---------------------------------------------------------------------------

@test "table and JSON agree" {
	require_root
	source_at src
	mkdir "$D/a" "$D/b"
	run --separate-stderr mntx bind -r -n -o "$IDC",SOURCE,FSTYPE,OPTIONS,PROPAGATION "$D/src" "$D/a"
	assert_status 0
	id=$(mntx statmount -J "$D/a" | jq '.mounts[0][$ENV.IDK]')
	[ "$(tmpfs_opts <<<"$output")" = "$id mntx-src tmpfs rw,relatime private" ]
	run mntx bind -J -o "$IDC",SOURCE,FSTYPE,OPTIONS,PROPAGATION "$D/src" "$D/b"
	[ "$(jq -c '.mounts[0] | keys' <<<"$output")" = "[\"fstype\",\"$IDK\",\"options\",\"propagation\",\"source\"]" ]
	[ "$(jq -r '.mounts[0] | "\(.source) \(.fstype) \(.options) \(.propagation | join(","))"' <<<"$output" | tmpfs_opts)" = \
	  "mntx-src tmpfs rw,relatime private" ]
	run mntx bind "$D/src" "$D/b"
	[[ ${lines[0]} == *ID*TARGET*SOURCE*FSTYPE*OPTIONS*PROPAGATION* ]]
}

@test "odd names: space, newline, tab, backslash, invalid UTF-8" {
	require_root
	needs mount_setattr
	source_at src
	for name in 'a b' $'new\nline' $'t\tab' 'back\slash' $'bad\xff\xfeutf8'; do
		mkdir "$D/$name"
		run --separate-stderr mntx bind --attr nodev -J "$D/src" "$D/$name"
		assert_status 0
		assert_json
		t=$(jq -r '.mounts[0] | if .target_b64 then .target_b64 else (.target | @base64) end' <<<"$output")
		[ "$(printf '%s' "$t" | base64 -d)" = "$D/$name" ]
		[ "$(cat "$D/$name/file")" = src ]
		[ "$(findmnt_top "$D/$name" | jq -r '."vfs-options"')" = rw,nodev,relatime ]
		run --separate-stderr mntx bind --beneath "$D/src" "$D/$name/x"
		assert_status 1
		[ "$(printf '%s\n' "$stderr" | wc -l)" = 1 ]
	done
}
