#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# umount: umount2(2), -l, -f, --no-follow, several targets, and -R: the
# subtree deepest first, whatever order the mounts were made in.

load helpers

setup() {
	D=$(scratch)
}

teardown() {
	[ -z "${HOLDER:-}" ] || { kill "$HOLDER" 2>/dev/null; wait "$HOLDER" 2>/dev/null; }
	unmount_below "$BATS_TEST_TMPDIR"
}

tmpfs_at() {
	mkdir -p "$D/$1"
	mount -t tmpfs "${2:-mntx-test}" "$D/$1"
}

# Process PID has its working directory in DIR.
cwd_is() {
	[ "$(readlink "/proc/$1/cwd")" = "$2" ]
}

# True when nothing is mounted at PATH.
unmounted() {
	! findmnt -M "$1" >/dev/null
}

# ---- usage and failures ------------------------------------------------------------------

@test "no TARGET: usage error" {
	run --separate-stderr mntx umount -l
	assert_status 2
	[[ $stderr == *"no mount point given"* ]]
}

@test "a path that is not a mount point: a clear error, status 1" {
	require_root
	tmpfs_at m
	mkdir "$D/m/dir"
	run --separate-stderr mntx umount "$D/m/dir"
	assert_status 1
	[ "$stderr" = "umount: cannot unmount '$D/m/dir': not a mount point" ]
	[ -z "$output" ]
	run --separate-stderr mntx umount "$D/missing"
	assert_status 1
	[ "$stderr" = "umount: cannot unmount '$D/missing': No such file or directory" ]
	findmnt -M "$D/m" >/dev/null
}

@test "without CAP_SYS_ADMIN: EPERM names the capability, still mounted" {
	require_root
	tmpfs_at m
	run --separate-stderr without_sys_admin "$MNTX" umount "$D/m"
	assert_status 1
	[ "$stderr" = "umount: cannot unmount '$D/m': Operation not permitted (needs CAP_SYS_ADMIN)" ]
	findmnt -M "$D/m" >/dev/null
	[ "$(mntx statmount -J "$D/m" | jq -r '.mounts[0].source')" = mntx-test ]
}

@test "busy: EBUSY with a hint; -l detaches it" {
	require_root
	tmpfs_at m
	(cd "$D/m" && exec sleep 1000) &
	HOLDER=$!
	wait_until cwd_is "$HOLDER" "$D/m"
	run --separate-stderr mntx umount "$D/m"
	assert_status 1
	[ "$stderr" = "umount: cannot unmount '$D/m' (in use; -l detaches it now and cleans up later): Device or resource busy" ]
	findmnt -M "$D/m" >/dev/null
	run --separate-stderr mntx umount -l "$D/m"
	assert_status 0
	unmounted "$D/m"
	run mntx lsmnt -J -o TARGET
	[ "$(jq --arg t "$D/m" '[.mounts[] | select(.target == $t)] | length' <<<"$output")" = 0 ]
}

# ---- unmounting ----------------------------------------------------------------------------

@test "quiet by default; gone for statmount, lsmnt and findmnt" {
	require_root
	tmpfs_at m
	id=$(mntx statmount -J "$D/m" | jq '.mounts[0][$ENV.IDK]')
	run --separate-stderr mntx umount "$D/m"
	assert_status 0
	[ -z "$output" ]
	[ -z "$stderr" ]
	unmounted "$D/m"
	run mntx statmount "$id"
	assert_status 1
	[ "$(mntx lsmnt -J -o "$IDC" | jq --argjson i "$id" '[.mounts[] | select(.[$ENV.IDK] == $i)] | length')" = 0 ]
}

@test "several targets; a bad one does not stop the others, status 1" {
	require_root
	tmpfs_at a
	tmpfs_at b
	mkdir "$D/plain"
	run --separate-stderr mntx umount "$D/a" "$D/plain" "$D/b"
	assert_status 1
	[ "$stderr" = "umount: cannot unmount '$D/plain': not a mount point" ]
	unmounted "$D/a"
	unmounted "$D/b"
}

@test "stacked mounts come off one at a time" {
	require_root
	tmpfs_at m lower
	mount -t tmpfs upper "$D/m"
	mntx umount "$D/m"
	[ "$(findmnt_top "$D/m" | jq -r .source)" = lower ]
	mntx umount "$D/m"
	unmounted "$D/m"
}

@test "-f: forced unmount" {
	require_root
	tmpfs_at m
	run mntx umount -f "$D/m"
	assert_status 0
	unmounted "$D/m"
}

@test "--no-follow: a symlink to a mount point is not one" {
	require_root
	tmpfs_at m
	ln -s "$D/m" "$D/link"
	run --separate-stderr mntx umount --no-follow "$D/link"
	assert_status 1
	[ "$stderr" = "umount: cannot unmount '$D/link': not a mount point" ]
	findmnt -M "$D/m" >/dev/null
	run mntx umount "$D/link"
	assert_status 0
	unmounted "$D/m"
}

@test "-v and -J: each mount as it was, in the lsmnt schema" {
	require_root
	tmpfs_at a
	tmpfs_at b
	before=$(mntx statmount -J "$D/a" "$D/b")
	run --separate-stderr mntx umount -J "$D/a" "$D/b"
	assert_status 0
	assert_json
	[ "$(jq -c '[.mounts[] | del(.ns_id)]' <<<"$output")" = "$(jq -c '[.mounts[] | del(.ns_id)]' <<<"$before")" ]
	tmpfs_at c
	run --separate-stderr mntx umount -v -r -n -o TARGET,SOURCE,FSTYPE "$D/c"
	assert_status 0
	[ "$output" = "$D/c mntx-test tmpfs" ]
	# nothing unmounted: still a valid document
	run --separate-stderr mntx umount -J "$D/c"
	assert_status 1
	[ "$(jq -c .mounts <<<"$output")" = "[]" ]
}

# ---- -R ----------------------------------------------------------------------------------------

# A tree where creation order is neither depth order nor its reverse:
#   top
#   ├── x (new) ── x/old (made first, moved under x)
#   └── y (old) ── y/new (made last)
#       └── y/stacked, two mounts on one point
make_tree() {
	mkdir -p "$D/pre" "$D/top"
	mount -t tmpfs x-old "$D/pre"
	mount -t tmpfs top "$D/top"
	mkdir "$D/top/x" "$D/top/y"
	mount -t tmpfs y "$D/top/y"
	mount -t tmpfs x "$D/top/x"
	mkdir "$D/top/x/old" "$D/top/y/new" "$D/top/y/stacked"
	mount --move "$D/pre" "$D/top/x/old"
	mount -t tmpfs y-new "$D/top/y/new"
	mount -t tmpfs s1 "$D/top/y/stacked"
	mount -t tmpfs s2 "$D/top/y/stacked"
}

@test "-R: the whole subtree, deepest first, whatever the creation order" {
	require_root
	make_tree
	ids=$(mntx lsmnt -J -R -o "$IDC" "$D/top" | jq -r '.mounts[][$ENV.IDK]' | sort)
	[ "$(wc -l <<<"$ids")" = 7 ]
	run --separate-stderr mntx umount -R -J "$D/top"
	assert_status 0
	assert_json
	[ -z "$stderr" ]
	# every mount of the tree, each once, the target last
	[ "$(jq -r '.mounts[][$ENV.IDK]' <<<"$output" | sort)" = "$ids" ]
	[ "$(jq -r '.mounts[-1].target' <<<"$output")" = "$D/top" ]
	# never a parent before its child
	[ "$(jq '.mounts as $m | [range($m | length) as $c | range($m | length) as $p |
		 select($m[$p][$ENV.IDK] == $m[$c][$ENV.PIDK]) | $p > $c] | all' <<<"$output")" = true ]
	unmounted "$D/top"
	[ -z "$(findmnt -rn -o TARGET | grep -F "$D/")" ]
}

@test "without -R a mount with submounts is busy" {
	require_root
	make_tree
	run --separate-stderr mntx umount "$D/top"
	assert_status 1
	[[ $stderr == *"Device or resource busy" ]]
	[ "$(findmnt -rn -o TARGET | grep -cF "$D/top")" = 7 ]
}

@test "-R stops at a busy submount and says which" {
	require_root
	make_tree
	(cd "$D/top/y/new" && exec sleep 1000) &
	HOLDER=$!
	wait_until cwd_is "$HOLDER" "$D/top/y/new"
	run --separate-stderr mntx umount -R "$D/top"
	assert_status 1
	# the busy mount, then the target; not every mount between them
	[ "$stderr" = "umount: cannot unmount '$D/top/y/new' (in use; -l detaches it now and cleans up later): Device or resource busy
umount: cannot unmount '$D/top': mounts below it remain" ]
	findmnt -M "$D/top" >/dev/null
	findmnt -M "$D/top/y/new" >/dev/null
	# the others below went, its parent stayed
	unmounted "$D/top/x/old"
	unmounted "$D/top/x"
	findmnt -M "$D/top/y" >/dev/null
	kill "$HOLDER"
	wait "$HOLDER" 2>/dev/null || true
	HOLDER=
	mntx umount -R "$D/top"
	unmounted "$D/top"
}

@test "-R -l: lazily, deepest first too" {
	require_root
	make_tree
	run --separate-stderr mntx umount -R -l "$D/top"
	assert_status 0
	[ -z "$(findmnt -rn -o TARGET | grep -F "$D/")" ]
}

@test "-R on a shared tree: mounts taken by propagation are not errors" {
	require_root
	tmpfs_at a
	mount --make-shared "$D/a"
	mkdir "$D/b"
	mount --bind "$D/a" "$D/a/../b"
	mkdir "$D/a/sub"
	mount -t tmpfs sub "$D/a/sub"
	findmnt -M "$D/b/sub" >/dev/null
	run --separate-stderr mntx umount -R "$D/b"
	assert_status 0
	[ -z "$stderr" ]
	unmounted "$D/b"
	unmounted "$D/a/sub"
}

@test "odd names: space, newline, tab, backslash, invalid UTF-8" {
	require_root
	tmpfs_at top
	for name in 'a b' $'new\nline' $'t\tab' 'back\slash' $'bad\xff\xfeutf8'; do
		mkdir "$D/top/$name"
		mount -t tmpfs odd "$D/top/$name"
	done
	run --separate-stderr mntx umount -R -J "$D/top"
	assert_status 0
	assert_json
	[ "$(jq '.mounts | length' <<<"$output")" = 6 ]
	[ "$(jq -r '.mounts[] | select(.target_b64) | .target_b64' <<<"$output" | base64 -d)" = "$D/top/"$'bad\xff\xfeutf8' ]
	unmounted "$D/top"
	mkdir "$D/top/"$'new\nline'
	run --separate-stderr mntx umount "$D/top/"$'new\nline'
	assert_status 1
	[ "$stderr" = "umount: cannot unmount '$D/top/new\nline': not a mount point" ]
	tmpfs_at $'one\nmore'
	run mntx umount -v "$D/"$'one\nmore'
	assert_status 0
	[[ $output == *'one\x0amore'* || $output == *'one\nmore'* ]]
	unmounted "$D/"$'one\nmore'
}
