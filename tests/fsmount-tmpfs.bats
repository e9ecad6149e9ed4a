#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# fsmount-tmpfs: a new tmpfs through fsopen/fsconfig/fsmount/move_mount.
# Every result is read back twice: by mntx statmount/lsmnt and by findmnt.

load helpers

setup() {
	D=$(scratch)
	T="$D/t"
	mkdir "$T"
}

teardown() {
	[ -n "${READER:-}" ] && kill "$READER" 2>/dev/null
	unmount_below "$BATS_TEST_TMPDIR"
}

# findmnt's view of the top mount at $2, column $1, trailing blanks trimmed.
fm() {
	findmnt -n -o "$1" --mountpoint "$2" | tail -n1 | sed 's/ *$//'
}

# mntx statmount's view of the mount holding $2, JSON key $1.
sm() {
	mntx statmount -J "$2" | jq -r ".mounts[0].$1"
}

# How many mounts sit at or below directory $1.
mounts_under() {
	findmnt -rn -o TARGET | awk -v d="$1" 'index($0, d) == 1' | wc -l
}

@test "fsmount-tmpfs mounts a tmpfs and prints its record" {
	require_root
	run --separate-stderr mntx fsmount-tmpfs "$T"
	assert_status 0
	[ -z "$stderr" ]
	[[ ${lines[0]} == *ID*TARGET*SOURCE*FSTYPE*OPTIONS*PROPAGATION* ]]
	[[ $(tmpfs_opts <<<"${lines[1]}") == *" $T tmpfs  tmpfs  rw,relatime private" ]]
	[ "$(fm FSTYPE "$T")" = tmpfs ]
	[ "$(fm SOURCE "$T")" = tmpfs ]
	[ "$(sm fstype "$T")" = tmpfs ]
	# the printed ID is the mount's unique ID (mountinfo's before Linux 6.8)
	id=$(printf '%s\n' "${lines[1]}" | awk '{print $1}')
	[ "$id" = "$(sm "$IDK" "$T")" ]
	[ "$(mntx lsmnt -n -r -o "$IDC" "$T")" = "$id" ]
	touch "$T/file"
	[ "$(stat -c %m "$T/file")" = "$T" ]
}

@test "-J prints the same record as statmount -J, and findmnt agrees" {
	require_root
	run --separate-stderr mntx fsmount-tmpfs -J -o size=1m,mode=750 "$T"
	assert_status 0
	assert_json
	[ "$(jq '.mounts | length' <<<"$output")" = 1 ]
	[ "$(jq -S '.mounts[0]' <<<"$output")" = "$(mntx statmount -J "$T" | jq -S '.mounts[0]')" ]
	[ "$(jq -r '.mounts[0].old_id' <<<"$output")" = "$(fm ID "$T")" ]
	[ "$(jq -r '.mounts[0].fs_options' <<<"$output")" = "$(fm FS-OPTIONS "$T")" ]
	[ "$(jq -r '.mounts[0].vfs_options' <<<"$output")" = "$(fm VFS-OPTIONS "$T")" ]
	[ "$(jq -r '.mounts[0][$ENV.IDK] | type' <<<"$output")" = number ]
}

@test "table, raw and JSON agree on the selected columns" {
	require_root
	run --separate-stderr mntx fsmount-tmpfs -r -n --output "$IDC",TARGET,FSTYPE,PROPAGATION "$T"
	assert_status 0
	read -r id target fstype prop <<<"$output"
	[ "$target" = "$T" ] && [ "$fstype" = tmpfs ] && [ "$prop" = private ]
	json=$(mntx lsmnt -J -o "$IDC",TARGET,FSTYPE,PROPAGATION "$T")
	[ "$(jq -r '.mounts[0] | "\(.[$ENV.IDK]) \(.target) \(.fstype) \(.propagation[0])"' <<<"$json")" = "$id $T tmpfs private" ]
	json=$(mntx fsmount-tmpfs -J --output ID,TARGET "$T")
	[ "$(jq -c '.mounts[0] | keys' <<<"$json")" = '["id","target"]' ]
	[ "$(jq '.mounts[0].id | type' <<<"$json")" = "$([ "$IDK" = id ] && echo '"number"' || echo '"null"')" ]
}

@test "every tmpfs option reaches the superblock (statmount and findmnt)" {
	require_root
	local noswap=noswap	# Linux 6.4
	tmpfs_takes noswap || noswap=
	run --separate-stderr mntx fsmount-tmpfs -J \
		-o "size=1m,nr_inodes=100,mode=1750,uid=1234,gid=4321,huge=within_size,${noswap:+$noswap,}inode64,mpol=\"bind:0\"" "$T"
	assert_status 0
	want="rw,size=1024k,nr_inodes=100,mode=1750,uid=1234,gid=4321,inode64,huge=within_size,mpol=bind:0${noswap:+,$noswap}"
	[ "$(jq -r '.mounts[0].fs_options' <<<"$output")" = "$want" ]
	[ "$(fm FS-OPTIONS "$T")" = "$want" ]
	[ "$(jq -r '.mounts[0].opt_array | join(",")' <<<"$output")" = "${want#rw,}" ]
	[ "$(stat -c '%a %u %g' "$T")" = "1750 1234 4321" ]
	# the size is enforced
	run dd if=/dev/zero of="$T/big" bs=1k count=2048 status=none
	[ "$status" -ne 0 ]
	[ "$(du -k "$T/big" | cut -f1)" -le 1024 ]
}

@test "size takes k, m, g and %; nr_inodes takes a suffix" {
	require_root
	local s
	for s in 64k:64k 3m:3072k 1g:1048576k; do
		run --separate-stderr mntx fsmount-tmpfs -n -r --output FS-OPTIONS -o "size=${s%%:*}" "$T"
		assert_status 0
		[ "$(tmpfs_opts <<<"$output")" = "rw,size=${s#*:}" ]
		[ "$(fm FS-OPTIONS "$T" | tmpfs_opts)" = "rw,size=${s#*:}" ]
	done
	run --separate-stderr mntx fsmount-tmpfs -n -r --output FS-OPTIONS -o size=10%,nr_inodes=2k "$T"
	assert_status 0
	[ "$output" = "$(fm FS-OPTIONS "$T")" ]
	[[ $(tmpfs_opts <<<"$output") =~ ^rw,size=([0-9]+)k,nr_inodes=2048$ ]]
	# 10% of RAM, give or take the kernel's rounding
	kb=${BASH_REMATCH[1]} total=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
	[ "$kb" -gt $((total * 9 / 100)) ] && [ "$kb" -lt $((total * 11 / 100)) ]
}

@test "-o may be given more than once; huge, inode32 and noswap values" {
	require_root
	run --separate-stderr mntx fsmount-tmpfs -J -o size=2m -o huge=always -o inode32 "$T"
	assert_status 0
	[ "$(jq -r '.mounts[0].fs_options' <<<"$output")" = rw,size=2048k,inode32,huge=always ] ||
		[ "$(jq -r '.mounts[0].fs_options' <<<"$output")" = rw,size=2048k,huge=always ]
	for h in never:rw advise:rw,huge=advise within_size:rw,huge=within_size; do
		run --separate-stderr mntx fsmount-tmpfs -n -r --output FS-OPTIONS -o "huge=${h%%:*}" "$T"
		assert_status 0
		[ "$(tmpfs_opts <<<"$output")" = "${h#*:}" ]
		[ "$(fm FS-OPTIONS "$T" | tmpfs_opts)" = "${h#*:}" ]
	done
	# the last of inode32/inode64 wins, as the kernel parses them in order
	# (it shows the one that is not its built-in default)
	run --separate-stderr mntx fsmount-tmpfs -n -r --output FS-OPTIONS -o inode32 -o inode64 "$T"
	[ "$output" = rw,inode64 ]
	run --separate-stderr mntx fsmount-tmpfs -n -r --output FS-OPTIONS -o inode64,inode32 "$T"
	[ "$output" = rw ] || [ "$output" = rw,inode32 ]
}

@test "a quoted value keeps its comma; the quotes are not passed on" {
	require_root
	run --separate-stderr mntx fsmount-tmpfs -J -o 'source="my,src",mpol="bind:0,0",size=1m' "$T"
	assert_status 0
	[ "$(jq -r '.mounts[0].source' <<<"$output")" = "my,src" ]
	[ "$(fm SOURCE "$T")" = "my,src" ]
	[[ $(fm FS-OPTIONS "$T") == *mpol=bind:0* ]]
	[[ $(fm FS-OPTIONS "$T") == *size=1024k* ]]
	run --separate-stderr mntx fsmount-tmpfs -J -o 'source=with space' "$T"
	assert_status 0
	[ "$(jq -r '.mounts[0].source' <<<"$output")" = "with space" ]
}

@test "--source names the mount; the default is tmpfs" {
	require_root
	run --separate-stderr mntx fsmount-tmpfs -n -r --output SOURCE --source scratch-fs "$T"
	assert_status 0
	[ "$output" = scratch-fs ]
	[ "$(fm SOURCE "$T")" = scratch-fs ]
	[ "$(sm source "$T")" = scratch-fs ]
}

@test "--attr sets every mount attribute (statmount and findmnt)" {
	require_root
	needs mount_attr_nosymfollow
	run --separate-stderr mntx fsmount-tmpfs -J --attr ro,nosuid,nodev,noexec,noatime,nodiratime,nosymfollow "$T"
	assert_status 0
	want=ro,nosuid,nodev,noexec,noatime,nodiratime,nosymfollow
	[ "$(jq -r '.mounts[0].mnt_attr | join(",")' <<<"$output")" = "$want" ]
	[ "$(fm VFS-OPTIONS "$T")" = "$want" ]
	[ "$(sm 'mnt_attr | join(",")' "$T")" = "$want" ]
	# the mount is read-only, the superblock is not
	[ "$(fm FS-OPTIONS "$T" | tmpfs_opts)" = rw ]
	run touch "$T/x"
	[ "$status" -ne 0 ]
	[[ $output == *"Read-only file system"* ]]
}

@test "--attr atime modes: strictatime, relatime, noatime" {
	require_root
	local a
	# mountinfo names relatime and noatime; strictatime shows as neither
	for a in strictatime:rw relatime:rw,relatime noatime:rw,noatime; do
		run --separate-stderr mntx fsmount-tmpfs -n -r --output VFS-OPTIONS --attr "${a%%:*}" "$T"
		assert_status 0
		[ "$output" = "${a#*:}" ]
		[ "$(fm VFS-OPTIONS "$T")" = "${a#*:}" ]
	done
	run --separate-stderr mntx fsmount-tmpfs -J --attr nosuid,strictatime "$T"
	[ "$(jq -r '.mounts[0].mnt_attr | join(",")' <<<"$output")" = nosuid,strictatime ]
}

@test "--propagation private, shared, slave, unbindable (findmnt agrees)" {
	require_root
	needs mount_setattr
	local p out
	for p in private shared unbindable; do
		mkdir "$D/$p"
		run --separate-stderr mntx fsmount-tmpfs -J --propagation "$p" "$D/$p"
		assert_status 0
		[ "$(jq -r '.mounts[0].propagation | join(",")' <<<"$output")" = "$p" ]
		[[ $(fm PROPAGATION "$D/$p") == *"$p"* ]]
	done
	# a new shared mount gets its own peer group, shown by findmnt as shared:N
	group=$(sm peer_group "$D/shared")
	[ "$group" != null ]
	[ "$(fm OPT-FIELDS "$D/shared")" = "shared:$group" ]
	# slave without a master is private
	mkdir "$D/slave"
	run --separate-stderr mntx fsmount-tmpfs -J --propagation slave "$D/slave"
	assert_status 0
	[ "$(jq -r '.mounts[0].propagation | join(",")' <<<"$output")" = private ]
	[ "$(fm PROPAGATION "$D/slave")" = private ]
}

@test "--propagation under a shared parent: peers and masters match findmnt" {
	require_root
	needs mount_setattr
	mkdir "$D/p" "$D/q"
	mntx fsmount-tmpfs --propagation shared "$D/p" >/dev/null
	mount --bind "$D/p" "$D/q"	# a peer of p: mounts under p propagate to q
	mkdir "$D/p/s" "$D/p/v"
	run --separate-stderr mntx fsmount-tmpfs -J --propagation shared "$D/p/s"
	assert_status 0
	g=$(jq -r '.mounts[0].peer_group' <<<"$output")
	[ "$g" != null ]
	# the copy propagated to q is in the same peer group
	[ "$(sm peer_group "$D/q/s")" = "$g" ]
	[ "$(fm OPT-FIELDS "$D/p/s")" = "shared:$g" ]
	[ "$(fm OPT-FIELDS "$D/q/s")" = "shared:$g" ]
	# made a slave after the attach: its master is the group of the copy
	run --separate-stderr mntx fsmount-tmpfs -J --propagation slave "$D/p/v"
	assert_status 0
	[ "$(jq -r '.mounts[0].propagation | join(",")' <<<"$output")" = slave ]
	m=$(jq -r '.mounts[0].master' <<<"$output")
	[ "$m" = "$(sm peer_group "$D/q/v")" ]
	[ "$(fm OPT-FIELDS "$D/p/v")" = "master:$m" ]
	[[ $(fm PROPAGATION "$D/p/v") == *slave* ]]
	# private under a shared parent: private, as `mount --make-private` would make it
	mkdir "$D/p/r"
	run --separate-stderr mntx fsmount-tmpfs -J --propagation private "$D/p/r"
	assert_status 0
	[ "$(fm PROPAGATION "$D/p/r")" = private ]
}

@test "unknown attribute or propagation: status 2 listing the valid names, nothing mounted" {
	run --separate-stderr mntx fsmount-tmpfs --attr ro,bogus "$T"
	assert_status 2
	[ -z "$output" ]
	assert_one_line_error fsmount-tmpfs
	[[ $stderr == *"unknown mount attribute 'bogus'"* ]]
	for n in ro nosuid nodev noexec noatime relatime strictatime nodiratime nosymfollow; do
		[[ $stderr == *" $n"[,\)]* ]]
	done
	run --separate-stderr mntx fsmount-tmpfs --propagation sideways "$T"
	assert_status 2
	[[ $stderr == *"unknown propagation type 'sideways' (valid: shared, slave, private, unbindable)"* ]]
	[ "$(mounts_under "$D")" = 0 ]
}

@test "conflicting attributes: status 2, nothing mounted" {
	local bad
	for bad in ro,rw noatime,strictatime relatime,noatime nosuid,suid; do
		run --separate-stderr mntx fsmount-tmpfs --attr "$bad" "$T"
		assert_status 2
		[[ $stderr == *"conflicting mount attributes: '${bad%,*}' and '${bad#*,}'"* ]]
		[[ $stderr == *"Try 'fsmount-tmpfs --help'"* ]]
	done
	run --separate-stderr mntx fsmount-tmpfs --propagation shared,private "$T"
	assert_status 2
	[ "$(mounts_under "$D")" = 0 ]
}

@test "bad option strings and operands are usage errors" {
	run --separate-stderr mntx fsmount-tmpfs -o 'mpol="bind:0' "$T"
	assert_status 2
	[[ $stderr == *"unterminated quote"* ]]
	run --separate-stderr mntx fsmount-tmpfs -o '=5' "$T"
	assert_status 2
	[[ $stderr == *"without a name"* ]]
	run --separate-stderr mntx fsmount-tmpfs -o "source=$(printf 'x%.0s' {1..300})" "$T"
	assert_status 2
	[[ $stderr == *"too long"* ]]
	run --separate-stderr mntx fsmount-tmpfs
	assert_status 2
	[[ $stderr == *"no target given"* ]]
	run --separate-stderr mntx fsmount-tmpfs "$T" "$D"
	assert_status 2
	run --separate-stderr mntx fsmount-tmpfs --output NOPE "$T"
	assert_status 2
	run --separate-stderr mntx fsmount-tmpfs -t tmpfs "$T"
	assert_status 2
	[ "$(mounts_under "$D")" = 0 ]
}

@test "the kernel's own message: fsconfig size=abc, status 1, nothing mounted" {
	require_root
	run --separate-stderr mntx fsmount-tmpfs -J -o size=abc "$T"
	assert_status 1
	[ -z "$output" ]
	[ "$stderr" = "fsmount-tmpfs: fsconfig size=abc: tmpfs: Bad value for 'size'" ]
	[ "$(mounts_under "$D")" = 0 ]
	run --separate-stderr mntx fsmount-tmpfs -o huge=bogus "$T"
	assert_status 1
	[ "$stderr" = "fsmount-tmpfs: fsconfig huge=bogus: tmpfs: Bad value for 'huge'" ]
	run --separate-stderr mntx fsmount-tmpfs -o mode=999 "$T"
	assert_status 1
	[ "$stderr" = "fsmount-tmpfs: fsconfig mode=999: tmpfs: Bad value for 'mode'" ]
	[ "$(mounts_under "$D")" = 0 ]
}

@test "every bad option is reported, more than the kernel's 8-message ring holds" {
	require_root
	run --separate-stderr mntx fsmount-tmpfs -o size=1m,bad1,bad2,bad3,bad4,bad5,bad6,bad7,bad8,bad9,uid=-5,mode=700 "$T"
	assert_status 1
	[ "$(grep -c "Unknown parameter 'bad" <<<"$stderr")" = 9 ]
	for i in 1 9; do
		grep -qx "fsmount-tmpfs: fsconfig bad$i: tmpfs: Unknown parameter 'bad$i'" <<<"$stderr"
	done
	# the kernel logs uid's complaint twice; it is shown once
	[ "$(grep -c "fsconfig uid=-5: tmpfs: Bad value for 'uid'" <<<"$stderr")" = 1 ]
	[ "$(grep -c . <<<"$stderr")" = 10 ]
	[ "$(mounts_under "$D")" = 0 ]
}

@test "TARGET must exist and be a directory" {
	require_root
	run --separate-stderr mntx fsmount-tmpfs "$D/none"
	assert_status 1
	[ "$stderr" = "fsmount-tmpfs: target '$D/none' does not exist" ]
	touch "$D/file"
	run --separate-stderr mntx fsmount-tmpfs -J "$D/file"
	assert_status 1
	[ -z "$output" ]
	[ "$stderr" = "fsmount-tmpfs: target '$D/file' is not a directory" ]
	run --separate-stderr mntx fsmount-tmpfs "$D/file/sub"
	assert_status 1
	[[ $stderr == *"Not a directory"* ]]
	[ "$(mounts_under "$D")" = 0 ]
}

@test "without CAP_SYS_ADMIN: EPERM naming the capability, nothing mounted" {
	require_root
	run --separate-stderr setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin "$MNTX" fsmount-tmpfs "$T"
	assert_status 1
	[ "$stderr" = "fsmount-tmpfs: fsopen tmpfs: Operation not permitted (needs CAP_SYS_ADMIN)" ]
	[ "$(mounts_under "$D")" = 0 ]
	# and as an unprivileged user (a copy of the program and a target they can reach)
	local bin
	bin=$(mktemp -d /tmp/mntx-eperm.XXXXXX)
	cp "$MNTX" "$bin/mntx"
	mkdir "$bin/t"
	chmod 755 "$bin" "$bin/mntx" "$bin/t"
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$bin/mntx" fsmount-tmpfs "$bin/t"
	n=$(mounts_under "$bin")
	rm -rf "$bin"
	assert_status 1
	[ "$stderr" = "fsmount-tmpfs: fsopen tmpfs: Operation not permitted (needs CAP_SYS_ADMIN)" ]
	[ "$n" = 0 ]
}

@test "--exclusive: tmpfs always gets a new superblock" {
	needs fsconfig_create_excl
	require_root
	run --separate-stderr mntx fsmount-tmpfs -n -r --output FSTYPE --exclusive "$T"
	assert_status 0
	[ "$output" = tmpfs ]
	[ "$(fm FSTYPE "$T")" = tmpfs ]
}

@test "--beneath: a reader at TARGET never sees the file missing while the top is replaced" {
	needs move_mount_beneath
	require_root
	mntx fsmount-tmpfs --source old "$T" >/dev/null
	echo A >"$T/f"
	old=$(sm "$IDK" "$T")
	(
		while [ ! -e "$D/stop" ]; do
			if c=$(cat "$T/f" 2>/dev/null); then
				case $c in
				A) [ -e "$D/sawA" ] || touch "$D/sawA" ;;
				B) [ -e "$D/sawB" ] || touch "$D/sawB" ;;
				*) echo "odd: $c" >>"$D/errors" ;;
				esac
			else
				echo missing >>"$D/errors"
			fi
		done
	) &
	READER=$!
	for _ in $(seq 1000); do [ -e "$D/sawA" ] && break; sleep 0.01; done
	[ -e "$D/sawA" ]

	run --separate-stderr mntx fsmount-tmpfs -J --beneath --source new "$T"
	assert_status 0
	new=$(jq -r '.mounts[0][$ENV.IDK]' <<<"$output")
	[ "$(jq -r '.mounts[0].target' <<<"$output")" = "$T" ]
	# the old mount stays on top, now with the new one as its parent
	[ "$(sm "$IDK" "$T")" = "$old" ]
	[ "$(sm "$PIDK" "$T")" = "$new" ]
	[ "$(sm source "$T")" = old ]
	[ "$(findmnt -n -o SOURCE --mountpoint "$T" | sort | tr '\n' ' ')" = "new old " ]
	# findmnt: the mount whose parent is the new one is the old one
	[ "$(findmnt -n -o SOURCE,PARENT --mountpoint "$T" | awk -v p="$(jq -r '.mounts[0].old_id' <<<"$output")" '$2 == p {print $1}')" = old ]
	# fill the new tmpfs through a copy of this namespace, where the top can go
	unshare --mount --propagation unchanged sh -c 'umount "$1" && echo B >"$1/f"' sh "$T"
	umount -l "$T"	# lazily: the reader may hold the old file open
	for _ in $(seq 1000); do [ -e "$D/sawB" ] && break; sleep 0.01; done
	touch "$D/stop"
	wait "$READER"
	READER=
	[ -e "$D/sawB" ]
	[ ! -e "$D/errors" ] || { cat "$D/errors" >&2; false; }
	[ "$(sm "$IDK" "$T")" = "$new" ]
	[ "$(findmnt -n -o SOURCE --mountpoint "$T")" = new ]
}

@test "--beneath needs a mount at TARGET: nothing mounted otherwise" {
	needs move_mount_beneath
	require_root
	run --separate-stderr mntx fsmount-tmpfs --beneath "$T"
	assert_status 1
	[ "$stderr" = "fsmount-tmpfs: --beneath: target '$T' is not a mount point" ]
	[ "$(mounts_under "$D")" = 0 ]
}

@test "without the newer kernel features: --exclusive, --beneath, --propagation refused in one sentence, nothing mounted" {
	local before
	before=$(findmnt -rn | wc -l)
	run --separate-stderr kernel_without fsconfig_create_excl -- "$MNTX" fsmount-tmpfs --exclusive "$T"
	assert_status 1
	[ -z "$output" ]
	[ "$stderr" = "fsmount-tmpfs: --exclusive needs Linux 6.6 (FSCONFIG_CMD_CREATE_EXCL)" ]
	mount -t tmpfs mntx-top "$T"
	run --separate-stderr kernel_without move_mount_beneath -- "$MNTX" fsmount-tmpfs --beneath "$T"
	assert_status 1
	[ "$stderr" = "fsmount-tmpfs: --beneath needs Linux 6.5 (MOVE_MOUNT_BENEATH)" ]
	umount "$T"
	run --separate-stderr kernel_without mount_setattr -- "$MNTX" fsmount-tmpfs --propagation shared "$T"
	assert_status 1
	[ "$stderr" = "fsmount-tmpfs: --propagation needs Linux 5.12 (mount_setattr)" ]
	[ "$(findmnt -rn | wc -l)" = "$before" ]
	# the mount API alone is enough for the rest
	run --separate-stderr kernel_without mount_setattr move_mount_beneath fsconfig_create_excl -- \
		"$MNTX" fsmount-tmpfs -n -r --output FSTYPE,TARGET --attr nosuid "$T"
	assert_status 0
	[ "$output" = "tmpfs $T" ]
	umount "$T"
}

@test "odd target names: space, tab, newline, backslash, invalid UTF-8; JSON stays valid" {
	require_root
	local name t
	for name in 'with space' $'with\ttab' $'with\nnewline' 'back\slash' $'bad\xff\xfeutf8'; do
		t="$D/$name"
		mkdir "$t"
		run --separate-stderr mntx fsmount-tmpfs -J "$t"
		assert_status 0
		assert_json
		if [[ $name == bad* ]]; then
			[ "$(jq -r '.mounts[0].target_b64' <<<"$output" | base64 -d)" = "$t" ]
			[[ $(jq -r '.mounts[0].target' <<<"$output") == *$'\xef\xbf\xbd'* ]]
		else
			[ "$(jq -r '.mounts[0].target' <<<"$output")" = "$t" ]
			[ "$(jq -r '.mounts[0].target_b64' <<<"$output")" = null ]
		fi
		[ "$(stat -c %m "$t")" = "$t" ] || [[ $name == *$'\n'* ]]
		# the table escapes what could forge a line
		run --separate-stderr mntx fsmount-tmpfs -n -r --output TARGET "$t"
		assert_status 0
		[ "$(printf '%s' "$output" | grep -c '')" = 1 ]
	done
	run --separate-stderr mntx fsmount-tmpfs $'\n'"$D/bad"$'\xff'
	assert_status 1
	[ "$(printf '%s' "$stderr" | grep -c '')" = 1 ]
	[[ $stderr == *'\n'* ]]
}

@test "-H lists the mount record's columns" {
	run --separate-stderr mntx fsmount-tmpfs -H -J
	assert_status 0
	assert_json
	[ "$(jq -r '.columns[].key' <<<"$output" | tr '\n' ' ')" = "$(mntx lsmnt -H -J | jq -r '.columns[].key' | tr '\n' ' ')" ]
}
