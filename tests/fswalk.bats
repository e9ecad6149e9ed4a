#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# fswalk (walk): the walk against find, security against symlink races and
# special files, one filesystem, any depth, and crash/resume exactly once.

load helpers

# 100,000 entries: 100 directories of 10 directories of 99 files.
big_tree() {
	python3 -c '
import os, sys
top = sys.argv[1]
for i in range(100):
    os.mkdir("%s/d%d" % (top, i))
    for j in range(10):
        s = "%s/d%d/s%d" % (top, i, j)
        os.mkdir(s)
        for k in range(99):
            os.close(os.open("%s/f%d" % (s, k), os.O_CREAT | os.O_WRONLY))
' "$1"
}

# The big trees live on a tmpfs where one can be mounted (root, or a user
# namespace): building and removing them is then quick.  BIG is shared by
# the tests that only read it.
setup_file() {
	export FAST="$BATS_FILE_TMPDIR/fast"
	mkdir -p "$FAST"
	mount -t tmpfs -o size=1g,nr_inodes=1m mntx-fswalk-tests "$FAST" 2>/dev/null || true
	export BIG="$FAST/big"
	mkdir "$BIG"
	big_tree "$BIG"
}

teardown_file() {
	umount -l "$FAST" 2>/dev/null || rm -rf "$FAST"
}

# walk_life N: how long the Nth run of a killed walk lives, in seconds:
# 50 ms growing by 15% a run, from half to one and a half times that, so
# that the first runs are killed and a later one ends, however fast the
# machine (under emulation a walk of BIG takes seconds).
walk_life() {
	awk -v n="$1" -v r="$RANDOM" 'BEGIN { printf "%.3f\n", 0.05 * 1.15 ^ n * (0.5 + r / 32768) }'
}

# A big tree of the test's own, to change.
own_big_tree() {
	local d
	d=$(mktemp -d "$FAST/own.XXXXXX")
	big_tree "$d"
	echo "$d"
}

setup() {
	TOP="${MNTX_TESTS_TOP:-$BATS_TEST_DIRNAME/..}"
	export XDG_STATE_HOME="$BATS_TEST_TMPDIR/state"
	PUBLIC=""
	MNT=""
}

teardown() {
	[ -n "$MNT" ] && unmount_below "$MNT"
	[ -n "$PUBLIC" ] && { chmod -R u+rwx "$PUBLIC" 2>/dev/null; rm -rf "$PUBLIC"; }
	return 0
}

# A tree with odd names: space, tab, newline, backslash, invalid UTF-8,
# a leading dash, a symlink to /, a dangling one, nested directories.
odd_tree() {
	local d=$1
	mkdir -p "$d/a b/c	d" "$d/e"$'\n'"f" "$d/-dash" "$d/back\\slash/x\\x41"
	printf 'hello' >"$d/a b/file one"
	printf '12345678' >"$d/e"$'\n'"f/new"$'\n'"line"
	: >"$d/"$'bad\xff\xfename'
	mkdir "$d/"$'dir\xc3'
	: >"$d/"$'dir\xc3/inner'
	: >"$d/ünïcödé"
	ln -s / "$d/to-root"
	ln -s nowhere "$d/a b/dangling"
	: >"$d/.hidden"
}

# Sorted NUL-separated lists, shown one per line with bytes escaped.
nul_sorted() {
	LC_ALL=C sort -z | od -An -c
}

@test "fswalk: no path, two paths, options after PATH, bad values: usage errors" {
	run --separate-stderr mntx fswalk
	assert_status 2
	[[ $stderr == *"fswalk: no path given"* ]]
	[[ $stderr == *"Try 'fswalk --help'"* ]]
	run --separate-stderr mntx fswalk /tmp /usr
	assert_status 2
	run --separate-stderr mntx fswalk /tmp --json
	assert_status 2
	[[ $stderr == *"options go before PATH"* ]]
	run --separate-stderr mntx fswalk --json -0 /tmp
	assert_status 2
	run --separate-stderr mntx fswalk --checkpoint 1 /tmp
	assert_status 2
	[[ $stderr == *"needs --resume"* ]]
	run --separate-stderr mntx fswalk --resume --checkpoint 0 /tmp
	assert_status 2
	run --separate-stderr mntx fswalk --resume --checkpoint abc /tmp
	assert_status 2
	run --separate-stderr mntx fswalk --btime-cutoff yesterday /tmp
	assert_status 2
	[[ $stderr == *"invalid --btime-cutoff"* ]]
	run --separate-stderr mntx fswalk -o nosuchfield /tmp
	assert_status 2
	[[ $stderr == *"unknown column"* ]]
	[ -z "$output" ]
}

@test "fswalk: a missing path is one error line, status 1, nothing on stdout" {
	run --separate-stderr mntx fswalk "$BATS_TEST_TMPDIR/none"$'\n'"x"
	assert_status 1
	[ -z "$output" ]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	[[ $stderr == "fswalk: cannot open '"*"/none\\x0ax': No such file or directory" ]]
}

@test "fswalk: the path set equals find -xdev minus symlinks, odd names included (-0)" {
	local d
	d=$(scratch)
	odd_tree "$d"
	mntx fswalk -q -0 "$d" | nul_sorted >"$BATS_TEST_TMPDIR/ours"
	find "$d" -xdev ! -type l -print0 | nul_sorted >"$BATS_TEST_TMPDIR/find"
	diff "$BATS_TEST_TMPDIR/find" "$BATS_TEST_TMPDIR/ours"
	# the start comes first, each directory before its contents
	run mntx fswalk -q "$d"
	[ "${lines[0]}" = "$d" ]
	# with symlinks: find's full set
	mntx fswalk -q -0 --include-symlinks "$d" | nul_sorted >"$BATS_TEST_TMPDIR/ours"
	find "$d" -xdev -print0 | nul_sorted >"$BATS_TEST_TMPDIR/find"
	diff "$BATS_TEST_TMPDIR/find" "$BATS_TEST_TMPDIR/ours"
}

@test "fswalk: each directory comes before its contents, in one pass" {
	local d
	d=$(scratch)
	odd_tree "$d"
	mntx fswalk -q -0 "$d" | python3 -c '
import sys, os
seen = set()
for p in sys.stdin.buffer.read().split(b"\0")[:-1]:
    assert p not in seen, p
    parent = os.path.dirname(p)
    assert len(seen) == 0 or parent in seen, (p, parent)
    seen.add(p)
'
}

@test "fswalk: default output escapes names as tables do, one path per line" {
	local d
	d=$(scratch)
	odd_tree "$d"
	run --separate-stderr mntx fswalk "$d"
	assert_status 0
	printf '%s\n' "$output" | grep -qxF "$d/e\\x0af/new\\x0aline"
	printf '%s\n' "$output" | grep -qxF "$d/bad\\xff\\xfename"
	printf '%s\n' "$output" | grep -qxF "$d/a b/c\\x09d"
	printf '%s\n' "$output" | grep -qxF "$d/back\\slash/x\\x5cx41"
	# as many lines as entries: no name forged a line
	[ "${#lines[@]}" -eq "$(find "$d" ! -type l -printf x | wc -c)" ]
	[[ $stderr == "fswalk: ${#lines[@]} entries, "*" directories, 0 errors, "*" s" ]]
}

@test "fswalk: sizes and mtimes equal find -printf '%s %T@'" {
	local d
	d=$(scratch)
	odd_tree "$d"
	mntx fswalk -q --json -o path,size,mtime_ns "$d" >"$BATS_TEST_TMPDIR/ours"
	find "$d" -xdev ! -type l -printf '%p\0%s\0%T@\0' >"$BATS_TEST_TMPDIR/find"
	python3 - "$BATS_TEST_TMPDIR/ours" "$BATS_TEST_TMPDIR/find" <<'EOF'
import json, sys, base64
ours = {}
for line in open(sys.argv[1], "rb"):
    r = json.loads(line)
    p = base64.b64decode(r["path_b64"]) if "path_b64" in r else r["path"].encode()
    ours[p] = (r["size"], r["mtime_ns"])
f = open(sys.argv[2], "rb").read().split(b"\0")[:-1]
theirs = {}
for i in range(0, len(f), 3):
    sec, frac = f[i + 2].split(b".")
    theirs[f[i]] = (int(f[i + 1]), int(sec) * 10**9 + int(frac[:9].ljust(9, b"0")))
assert ours == theirs, (ours, theirs)
EOF
}

@test "fswalk: JSON Lines are valid, path_b64 gives the exact bytes, types are right" {
	local d
	d=$(scratch)
	odd_tree "$d"
	mkfifo "$d/fifo"
	run --separate-stderr mntx fswalk --json --include-symlinks "$d"
	assert_status 0
	printf '%s\n' "$output" | jq -e . >/dev/null
	# one object per line, the full record, with the same keys as -H
	[ "$(printf '%s\n' "$output" | jq -s 'length')" -eq "${#lines[@]}" ]
	keys=$(mntx fswalk -H --json | jq -c '[.columns[].key]')
	[ "$(printf '%s\n' "${lines[0]}" | jq -c '[keys_unsorted[] | select(endswith("_b64") | not)]')" = "$keys" ]
	printf '%s\n' "$output" | jq -s -e 'any(.[]; (.path | endswith("/fifo")) and (.type == "fifo"))'
	printf '%s\n' "$output" | jq -s -e 'any(.[]; (.path | endswith("/to-root")) and (.type == "symlink" and .link_target == "/"))'
	printf '%s\n' "$output" | jq -s -e 'any(.[]; (.path | endswith("/a b/file one")) and (.size == 5 and .type == "regular"))'
	printf '%s\n' "$output" | jq -s -e "any(.[]; (.path == \"$d\") and (.type == \"directory\"))"
	printf '%s\n' "$output" | python3 -c '
import json, sys, base64, os
d = sys.argv[1].encode()
n = 0
for line in sys.stdin:
    r = json.loads(line)
    if "path_b64" in r:
        p = base64.b64decode(r["path_b64"])
        assert os.path.lexists(p), p
        assert b"\xff" in p or b"\xc3" in p
        n += 1
    else:
        assert os.path.lexists(r["path"].encode()), r["path"]
assert n >= 3, n
' "$d"
}

@test "fswalk: -o fields, tab-separated, agree with JSON" {
	local d
	d=$(scratch)
	odd_tree "$d"
	mntx fswalk -q -b -o path,ino,nlink,size,type "$d" | cut -f2- | sort >"$BATS_TEST_TMPDIR/text"
	mntx fswalk -q --json -o path,ino,nlink,size,type "$d" |
		jq -r '[.ino, .nlink, .size, .type] | map(tostring) | join("\t")' | sort >"$BATS_TEST_TMPDIR/json"
	diff "$BATS_TEST_TMPDIR/json" "$BATS_TEST_TMPDIR/text"
	# +LIST appends to the path
	run --separate-stderr mntx fswalk -b -o +size "$d/a b"
	[ "${lines[0]}" = "$d/a b	$(stat -c %s "$d/a b")" ]
	# -0 with -o: every field ends with a NUL
	run bash -c "'$MNTX' fswalk -q -0 -b -o path,size '$d/a b/file one' | od -An -c | tr -s ' '"
	[[ $output == *"e \\0 5 \\0"* ]]
}

@test "fswalk: the JSON Lines writer prints what the JSON document holds" {
	run bash -c "diff <('$MNTX' lsmnt --json-lines --output-all) <('$MNTX' lsmnt -J --output-all | jq -c '.mounts[]')"
	assert_status 0
}

# threads_of_walk DIR: how many threads `fswalk --json DIR` runs, counted
# while it waits for its reader with the pipe full.
threads_of_walk() {
	local fifo="$BATS_TEST_TMPDIR/fifo" pid rd n
	[ -p "$fifo" ] || mkfifo "$fifo"
	"$MNTX" fswalk -q --json "$1" >"$fifo" &
	pid=$!
	exec {rd}<"$fifo"
	sleep 0.3
	n=$(ls /proc/$pid/task | wc -l)
	cat <&$rd >/dev/null
	exec {rd}<&-
	wait $pid
	echo "$n"
}

@test "fswalk: --threads gives exactly the output of one thread, and threads are the default" {
	local t
	# every column but the atime (reading directories may change it)
	local cols
	cols=$(mntx fswalk -H -J | jq -r '[.columns[].key | select(. != "atime_ns")] | join(",")')
	mntx fswalk -q --threads 1 --json -o "$cols" --include-symlinks --include-mountpoints "$BIG" \
		>"$BATS_TEST_TMPDIR/one"
	[ "$(grep -c '"path"' "$BATS_TEST_TMPDIR/one")" = 100101 ]
	for t in default 2 3 8; do
		[ $t = default ] && set -- || set -- --threads $t
		mntx fswalk -q "$@" --json -o "$cols" --include-symlinks --include-mountpoints "$BIG" \
			>"$BATS_TEST_TMPDIR/many"
		cmp "$BATS_TEST_TMPDIR/one" "$BATS_TEST_TMPDIR/many"
	done
	# the default: one thread a CPU, up to 4 (the walk's and the workers')
	local n cpus flat
	n=$(threads_of_walk "$BIG")
	cpus=$(nproc)
	[ "$n" -le $((cpus < 4 ? cpus : 4)) ]
	[ "$cpus" = 1 ] || [ "$n" -gt 1 ]
	# a directory with no subdirectory to read ahead: one thread
	flat=$(scratch)
	seq 3000 | sed "s|^|$flat/file-with-a-long-name-|" | xargs touch
	[ "$(threads_of_walk "$flat")" = 1 ]
	d=$(scratch)
	odd_tree "$d"
	cmp <(mntx fswalk -q -0 "$d") <(mntx fswalk -q -0 --threads 4 "$d")
	run --separate-stderr mntx fswalk --threads 0 "$d"
	assert_status 2
	run --separate-stderr mntx fswalk --threads 65 "$d"
	assert_status 2
}

@test "fswalk: symlinks are left out by default and never followed" {
	local d
	d=$(scratch)
	mkdir "$d/real"
	: >"$d/real/file"
	ln -s real "$d/link"
	ln -s / "$d/root"
	run --separate-stderr mntx fswalk --include-symlinks "$d"
	assert_status 0
	[ "${#lines[@]}" -eq 5 ]
	run --separate-stderr mntx fswalk "$d"
	[ "${#lines[@]}" -eq 3 ]
	[[ $output != *link* ]]
}

@test "fswalk: a symlink race never takes the walk outside PATH" {
	local d pid i
	d=$(scratch)
	mkdir -p "$d/tree/sub/deeper" "$d/tree/other"
	for i in $(seq 1 50); do : >"$d/tree/sub/deeper/f$i"; : >"$d/tree/other/g$i"; done
	# swap tree/sub for a symlink to / and back, as fast as possible
	(
		while :; do
			mv -T "$d/tree/sub" "$d/saved" 2>/dev/null && ln -sfn / "$d/tree/sub"
			rm -f "$d/tree/sub" 2>/dev/null; mv -T "$d/saved" "$d/tree/sub" 2>/dev/null
		done
	) &
	pid=$!
	for i in $(seq 1 150); do
		mntx fswalk -q -0 --include-symlinks "$d/tree" 2>/dev/null >>"$BATS_TEST_TMPDIR/seen" || true
	done
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	# every path listed is one of ours: the tree's own names, never /'s
	python3 - "$d/tree" "$BATS_TEST_TMPDIR/seen" <<'EOF'
import sys, re
top = sys.argv[1].encode()
ok = re.compile(re.escape(top) + rb"(/sub(/deeper(/f\d+)?)?|/other(/g\d+)?)?$")
paths = open(sys.argv[2], "rb").read().split(b"\0")[:-1]
assert len(paths) > 150 * 50
bad = [p for p in paths if not ok.match(p)]
assert not bad, bad[:10]
EOF
}

@test "fswalk: a FIFO without a writer, a socket and device nodes are listed, never opened" {
	local d
	d=$(scratch)
	mkfifo "$d/fifo"
	python3 -c "import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])" "$d/sock"
	if [ "$(id -u)" = 0 ] && [ -z "${MNTX_TESTS_USERNS:-}" ]; then
		mknod "$d/null" c 1 3
		mknod "$d/loop" b 7 200
	fi
	run --separate-stderr timeout 20 "$MNTX" fswalk --json -o path,type,rdev_major,rdev_minor "$d"
	assert_status 0
	printf '%s\n' "$output" | jq -s -e 'any(.[]; (.path | endswith("/fifo")) and (.type == "fifo"))'
	printf '%s\n' "$output" | jq -s -e 'any(.[]; (.path | endswith("/sock")) and (.type == "socket"))'
	if [ -e "$d/null" ]; then
		printf '%s\n' "$output" | jq -s -e 'any(.[]; (.path | endswith("/null")) and (.type == "char" and .rdev_major == 1 and .rdev_minor == 3))'
		printf '%s\n' "$output" | jq -s -e 'any(.[]; (.path | endswith("/loop")) and (.type == "block" and .rdev_minor == 200))'
	fi
	# the paths alone: no statx, still no open
	run timeout 20 "$MNTX" fswalk -q "$d"
	assert_status 0
}

@test "fswalk: an unreadable directory as an unprivileged user is listed, reported, counted" {
	require_root
	PUBLIC=$(mktemp -d /tmp/mntx-fswalk.XXXXXX)
	chmod 755 "$PUBLIC"
	mkdir -p "$PUBLIC/open/x" "$PUBLIC/closed/secret"
	: >"$PUBLIC/open/x/f"
	: >"$PUBLIC/closed/secret/f"
	chmod 000 "$PUBLIC/closed"
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$MNTX" fswalk "$PUBLIC"
	assert_status 1
	printf '%s\n' "$output" | grep -qxF "$PUBLIC/closed"
	printf '%s\n' "$output" | grep -qxF "$PUBLIC/open/x/f"
	[[ $output != *secret* ]]
	[[ $stderr == *"fswalk: cannot open directory '$PUBLIC/closed': Permission denied"* ]]
	[[ $stderr == *", 1 errors, "* ]]
	# find sees the same entries
	diff <(printf '%s\n' "$output" | sort) \
		<(setpriv --reuid=65534 --regid=65534 --clear-groups find "$PUBLIC" 2>/dev/null | sort)
}

@test "fswalk: a tmpfs and a bind mount inside the tree are not entered" {
	require_root
	local d
	d=$(scratch)
	MNT=$d
	mkdir -p "$d/tree/tmp" "$d/tree/bind" "$d/tree/plain" "$d/elsewhere/hidden"
	: >"$d/tree/plain/f"
	: >"$d/elsewhere/hidden/g"
	mount -t tmpfs mntx-test-tmpfs "$d/tree/tmp"
	: >"$d/tree/tmp/in-tmpfs"
	mount --bind "$d/elsewhere" "$d/tree/bind"
	run --separate-stderr mntx fswalk "$d/tree"
	assert_status 0
	[[ $output != *in-tmpfs* ]]
	[[ $output != *hidden* ]]
	[[ $output != *"$d/tree/tmp"* ]]
	[[ $output != *"$d/tree/bind"* ]]
	# with --include-mountpoints: listed and marked, as find -xdev lists them
	# (find -xdev enters a bind mount of its own filesystem: same st_dev)
	diff <(mntx fswalk -q --include-mountpoints "$d/tree" | sort) \
		<(find "$d/tree" -xdev -path "$d/tree/bind/*" -prune -o -print | sort)
	run mntx fswalk -q --json -o path,attributes --include-mountpoints "$d/tree"
	printf '%s\n' "$output" | jq -s -e "any(.[]; (.path == \"$d/tree/tmp\") and (.attributes | index(\"mount_root\")))"
	printf '%s\n' "$output" | jq -s -e "any(.[]; (.path == \"$d/tree/plain\") and (.attributes | index(\"mount_root\") | not))"
	umount "$d/tree/bind" "$d/tree/tmp"
}

@test "fswalk: --fs refuses another filesystem before printing anything" {
	require_root
	local d
	d=$(scratch)
	MNT=$d
	mount -t tmpfs mntx-walk-src "$d"
	mkdir "$d/sub"
	run --separate-stderr mntx fswalk --fs mntx-walk-src "$d/sub"
	assert_status 0
	[ "${#lines[@]}" -eq 1 ]
	run --separate-stderr mntx fswalk --fs tank/data "$d"
	assert_status 1
	[ -z "$output" ]
	[[ $stderr == *"is on tmpfs 'mntx-walk-src'"*"not on 'tank/data'"* ]]
	umount "$d"
	# the empty mount point left behind is not walked either
	run --separate-stderr mntx fswalk --fs mntx-walk-src "$d"
	assert_status 1
	[ -z "$output" ]
}

@test "fswalk: a chain 10,000 directories deep walks under ulimit -n 1024" {
	local d
	d=$(scratch)
	python3 -c '
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
for i in range(10000):
    os.mkdir("d", dir_fd=fd)
    n = os.open("d", os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = n
os.close(os.open("leaf", os.O_CREAT | os.O_WRONLY, dir_fd=fd))
' "$d"
	run --separate-stderr bash -c "ulimit -n 1024 && '$MNTX' fswalk -q -0 '$d' | tr -cd '\\0' | wc -c"
	assert_status 0
	[ "$output" -eq 10002 ]
	run --separate-stderr bash -c "ulimit -n 64 && '$MNTX' fswalk -q --json -o path,ino '$d' | tail -1 | jq -r .path"
	assert_status 0
	[[ $output == "$d"/d/d/*/d/leaf ]]
	[ "$(printf '%s' "$output" | tr -cd / | wc -c)" -eq "$(( $(printf '%s' "$d" | tr -cd / | wc -c) + 10001 ))" ]
	rm -rf "$d"
}

@test "fswalk: --btime-cutoff leaves out files born after TIME, never directories" {
	local d cutoff
	d=$(scratch)
	mkdir "$d/olddir"
	: >"$d/old"
	[ "$(stat -c %W "$d/old")" != 0 ] || skip "no birth times on this filesystem"
	sleep 1.1
	cutoff=$(date +%s)
	mkdir "$d/newdir"
	: >"$d/new"
	: >"$d/olddir/new2"
	run --separate-stderr mntx fswalk -q --btime-cutoff "@$cutoff" "$d"
	assert_status 0
	[ "$(printf '%s\n' "$output" | sort)" = "$(printf '%s\n' "$d" "$d/newdir" "$d/old" "$d/olddir" | sort)" ]
	run mntx fswalk -q --btime-cutoff "$(date -u -d "@$cutoff" +%Y-%m-%dT%H:%M:%SZ)" "$d"
	[ "$(printf '%s\n' "$output" | sort)" = "$(printf '%s\n' "$d" "$d/newdir" "$d/old" "$d/olddir" | sort)" ]
	run mntx fswalk -q --btime-cutoff "$cutoff" "$d"
	[ "${#lines[@]}" -eq 4 ]
	run mntx fswalk -q --btime-cutoff "@$((cutoff + 100))" "$d"
	[ "${#lines[@]}" -eq 6 ]
}

@test "fswalk: --exclude prunes matching entries and their subtrees" {
	local d
	d=$(scratch)
	mkdir -p "$d/.zfs/snapshot/a" "$d/keep/cache" "$d/keep/x"
	: >"$d/.zfs/snapshot/a/f"
	: >"$d/keep/cache/big"
	: >"$d/keep/x/file.tmp"
	: >"$d/keep/x/file.txt"
	run --separate-stderr mntx fswalk -q --exclude .zfs --exclude cache --exclude '*.tmp' "$d"
	assert_status 0
	[ "$(printf '%s\n' "$output" | sort)" = "$(printf '%s\n' "$d" "$d/keep" "$d/keep/x" "$d/keep/x/file.txt" | sort)" ]
	# a glob does not match a leading dot unless it says so
	run mntx fswalk -q --exclude '*' "$d"
	[ "${#lines[@]}" -eq 2 ]
}

@test "fswalk: --progress writes to stderr only; a closed pipe is quiet" {
	local d
	d=$(scratch)
	odd_tree "$d"
	run --separate-stderr mntx fswalk --progress -q "$d"
	assert_status 0
	[ "${#lines[@]}" -eq "$(find "$d" ! -type l -printf x | wc -c)" ]
	run bash -c "set -o pipefail; '$MNTX' fswalk -q /usr | head -1; echo \"\${PIPESTATUS[0]}\""
	[[ ${lines[1]} =~ ^(0|141)$ ]]
}

@test "fswalk: SIGKILL at random points and --resume: -w FILE holds every path exactly once" {
	local d out st n=0 killed=0 rc
	d=$BIG
	out=$BATS_TEST_TMPDIR/out.jsonl
	st=$BATS_TEST_TMPDIR/walk.state
	while [ $n -lt 60 ]; do
		n=$((n + 1))
		rc=0
		timeout -s KILL "$(walk_life $n)" "$MNTX" fswalk -q --json -o path,size \
			--state "$st" --checkpoint 0.003 -w "$out" "$d" 2>>"$BATS_TEST_TMPDIR/err" || rc=$?
		[ $rc = 0 ] && break
		[ $rc = 137 ] || { cat "$BATS_TEST_TMPDIR/err" >&2; return 1; }
		killed=$((killed + 1))
	done
	[ $rc = 0 ]
	[ $killed -ge 2 ]
	[ ! -e "$st" ]
	jq -e . "$out" >/dev/null
	[ -z "$(jq -r .path "$out" | sort | uniq -d)" ]
	diff <(jq -r .path "$out" | sort) <(find "$d" | sort)
}

@test "fswalk: SIGKILL and --resume to stdout: the union holds every path" {
	local d st n=0 killed=0 rc
	d=$BIG
	st=$BATS_TEST_TMPDIR/walk.state
	while [ $n -lt 60 ]; do
		n=$((n + 1))
		rc=0
		timeout -s KILL "$(walk_life $n)" "$MNTX" fswalk -q -o path,mtime \
			--state "$st" --checkpoint 0.003 "$d" >"$BATS_TEST_TMPDIR/run.$n" 2>/dev/null || rc=$?
		[ $rc = 0 ] && break
		[ $rc = 137 ] || return 1
		killed=$((killed + 1))
	done
	[ $rc = 0 ]
	[ $killed -ge 2 ]
	# a killed run may end in the middle of a line: complete lines only
	for f in "$BATS_TEST_TMPDIR"/run.*; do
		if [ -z "$(tail -c1 "$f")" ]; then cat "$f"; else head -n -1 "$f"; fi
	done | cut -f1 | sort -u >"$BATS_TEST_TMPDIR/union"
	diff "$BATS_TEST_TMPDIR/union" <(find "$d" | sort)
}

# Start a resumable walk writing into a pipe, read a little, interrupt it
# with signal $2 while it is blocked mid-walk, drain the pipe into $3.
interrupt_walk() {
	local d=$1 sig=$2 into=$3 pid
	mkfifo "$BATS_TEST_TMPDIR/pipe"
	"$MNTX" fswalk -q --state "$BATS_TEST_TMPDIR/walk.state" "$d" \
		>"$BATS_TEST_TMPDIR/pipe" 2>"$BATS_TEST_TMPDIR/err" &
	pid=$!
	exec 8<"$BATS_TEST_TMPDIR/pipe"
	head -c 100000 <&8 >"$into"
	kill -"$sig" "$pid"
	cat <&8 >>"$into"
	exec 8<&-
	rm -f "$BATS_TEST_TMPDIR/pipe"
	wait "$pid"
}

@test "fswalk: SIGINT and SIGTERM checkpoint and exit 130/143; --resume completes" {
	local d rc=0
	d=$BIG
	interrupt_walk "$d" INT "$BATS_TEST_TMPDIR/part1" || rc=$?
	[ $rc = 130 ]
	grep -qxF "fswalk: interrupted; continue with --resume" "$BATS_TEST_TMPDIR/err"
	[ -s "$BATS_TEST_TMPDIR/walk.state" ]
	rc=0
	interrupt_walk "$d" TERM "$BATS_TEST_TMPDIR/part2" || rc=$?
	[ $rc = 143 ]
	run --separate-stderr mntx fswalk --state "$BATS_TEST_TMPDIR/walk.state" "$d"
	assert_status 0
	[ ! -e "$BATS_TEST_TMPDIR/walk.state" ]
	[ "$(head -1 "$BATS_TEST_TMPDIR/part2")" != "$d" ]
	[ "${lines[0]}" != "$d" ]
	diff <(cat "$BATS_TEST_TMPDIR/part1" "$BATS_TEST_TMPDIR/part2" <(printf '%s\n' "$output") | sort -u) \
		<(find "$d" | sort)
	# the counters carried over: the summary covers the whole walk
	[[ $stderr == "fswalk: 100101 entries, 1101 directories, 0 errors, "* ]]
}

@test "fswalk: --resume with the default state under XDG_STATE_HOME, says when it starts anew" {
	local d rc=0
	d=$BIG
	run --separate-stderr mntx fswalk --resume "$d/d1"
	assert_status 0
	[[ $stderr == *"no saved walk of '$d/d1'; starting a new one"* ]]
	[ -z "$(ls -A "$XDG_STATE_HOME/mntx")" ]
	mkfifo "$BATS_TEST_TMPDIR/pipe"
	"$MNTX" fswalk --resume "$d" >"$BATS_TEST_TMPDIR/pipe" 2>/dev/null &
	exec 8<"$BATS_TEST_TMPDIR/pipe"
	head -c 10000 <&8 >/dev/null
	kill -INT $!
	cat <&8 >/dev/null
	exec 8<&-
	wait $! || rc=$?
	[ $rc = 130 ]
	[ "$(ls "$XDG_STATE_HOME/mntx" | wc -l)" -eq 1 ]
	run --separate-stderr mntx fswalk --resume "$d"
	assert_status 0
	[[ $stderr != *"starting a new one"* ]]
	[ -z "$(ls -A "$XDG_STATE_HOME/mntx")" ]
}

# Interrupt a walk of $1, delete the directory it was in (the second level
# of the saved stack), resume: the rest must all be there.
resume_after_delete() {
	local d=$1 rc=0 name victim
	interrupt_walk "$d" INT "$BATS_TEST_TMPDIR/part1" || rc=$?
	[ $rc = 130 ]
	name=$(awk '$1 == "level" { n++ } n == 2 && $1 == "level" { print $5; exit }' "$BATS_TEST_TMPDIR/walk.state")
	victim=$(python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.argv[1]))' "$name")
	[ -n "$victim" ] && [ -d "$d/$victim" ]
	rm -rf "${d:?}/$victim"
	run --separate-stderr mntx fswalk --state "$BATS_TEST_TMPDIR/walk.state" "$d"
	assert_status 1
	[[ $stderr == *"skipped (changed since the checkpoint) '$d/$victim'"* ]]
	[[ $output != *"$d/$victim/"* ]]
	# everything still there is listed
	diff <(cat "$BATS_TEST_TMPDIR/part1" <(printf '%s\n' "$output") | grep -v "^$d/$victim" | sort -u) \
		<(find "$d" | sort)
}

@test "fswalk: a directory deleted before the resume is skipped, the walk goes on after it" {
	resume_after_delete "$(own_big_tree)"
}

@test "fswalk: the same where readdir cookies are positions (ramfs): no sibling lost" {
	require_root
	MNT=$BATS_TEST_TMPDIR/ramfs
	mkdir "$MNT"
	mount -t ramfs mntx-ramfs "$MNT"
	python3 -c '
import os, sys
for i in range(30):
    for j in range(10):
        s = "%s/d%d/s%d" % (sys.argv[1], i, j)
        os.makedirs(s)
        for k in range(30):
            os.close(os.open("%s/f%d" % (s, k), os.O_CREAT | os.O_WRONLY))
' "$MNT"
	resume_after_delete "$MNT"
}

@test "fswalk: a resume against another directory or filesystem is refused, saying why" {
	local d rc=0
	d=$(mktemp -d "$FAST/own.XXXXXX")
	mkdir "$d/walked"
	big_tree "$d/walked"
	interrupt_walk "$d/walked" INT "$BATS_TEST_TMPDIR/part1" || rc=$?
	[ $rc = 130 ]
	cp "$BATS_TEST_TMPDIR/walk.state" "$BATS_TEST_TMPDIR/saved.state"
	# another path
	run --separate-stderr mntx fswalk --state "$BATS_TEST_TMPDIR/walk.state" "$d"
	assert_status 2
	[ -z "$output" ]
	[[ $stderr == *"is of a walk of '$d/walked', not of '$d'"* ]]
	# the same path, another directory
	mv "$d/walked" "$d/moved"
	mkdir "$d/walked"
	run --separate-stderr mntx fswalk --state "$BATS_TEST_TMPDIR/walk.state" "$d/walked"
	assert_status 2
	[[ $stderr == *"not the filesystem the walk started on"* ]]
	rmdir "$d/walked"
	# another filesystem mounted there
	if [ "$(id -u)" = 0 ] && [ -z "${MNTX_TESTS_USERNS:-}" ]; then
		MNT=$d
		mkdir "$d/walked"
		mount -t tmpfs other-fs "$d/walked"
		run --separate-stderr mntx fswalk --state "$BATS_TEST_TMPDIR/walk.state" "$d/walked"
		assert_status 2
		[[ $stderr == *"not the filesystem the walk started on"*"it is tmpfs 'other-fs'"* ]]
		[ -z "$output" ]
		umount "$d/walked"
		rmdir "$d/walked"
	fi
	mv "$d/moved" "$d/walked"
	run --separate-stderr mntx fswalk --state "$BATS_TEST_TMPDIR/walk.state" "$d/walked"
	assert_status 0
}

@test "fswalk: a truncated, corrupt or foreign state is refused with status 2" {
	local d st=$BATS_TEST_TMPDIR/s rc=0
	d=$BIG
	interrupt_walk "$d" INT "$BATS_TEST_TMPDIR/part1" || rc=$?
	[ $rc = 130 ]
	cp "$BATS_TEST_TMPDIR/walk.state" "$st.good"
	head -c -20 "$st.good" >"$st"
	run --separate-stderr mntx fswalk --state "$st" "$d"
	assert_status 2
	[[ $stderr == *"cannot resume from '$st': truncated"* ]]
	sed -E 's/^counts ([0-9])/counts 9\1/' "$st.good" >"$st"
	run --separate-stderr mntx fswalk --state "$st" "$d"
	assert_status 2
	[[ $stderr == *"checksum mismatch"* ]]
	printf '{"not": "a state"}\n' >"$st"
	run --separate-stderr mntx fswalk --state "$st" "$d"
	assert_status 2
	[[ $stderr == *"not a mntx walk state"* ]]
	: >"$st"
	run --separate-stderr mntx fswalk --state "$st" "$d"
	assert_status 2
	head -c 3000 /dev/urandom >"$st"
	run --separate-stderr mntx fswalk --state "$st" "$d"
	assert_status 2
	[ -z "$output" ]
}

@test "fswalk: -w on resume: the file must be the walk's own, records after the checkpoint are cut" {
	local d out=$BATS_TEST_TMPDIR/out st=$BATS_TEST_TMPDIR/st rc=0 n=0 life=50
	d=$BIG
	# kill it mid-walk: a run that ended had too long a life, one killed
	# before its first checkpoint too short (an emulated machine is slow)
	while :; do
		n=$((n + 1))
		[ $n -le 30 ]
		rc=0
		timeout -s KILL "$((life / 1000)).$(printf %03d $((life % 1000)))" \
			"$MNTX" fswalk -q --state "$st" --checkpoint 0.005 -w "$out" "$d" 2>/dev/null || rc=$?
		[ $rc = 137 ] && [ -s "$st" ] && break
		if [ $rc = 0 ]; then life=$((life * 2 / 3 + 1)); else life=$((life * 2)); fi
		rm -f "$st" "$out"
	done
	# resuming to stdout or to another file is refused
	run --separate-stderr mntx fswalk --state "$st" "$d"
	assert_status 2
	[[ $stderr == *"resume it with -w FILE"* ]]
	run --separate-stderr mntx fswalk --state "$st" -w "$BATS_TEST_TMPDIR/other" "$d"
	assert_status 2
	[[ $stderr == *"not the file the walk was writing"* ]]
	# junk after the checkpoint goes
	printf 'JUNK\n' >>"$out"
	run --separate-stderr mntx fswalk --state "$st" -w "$out" "$d"
	assert_status 0
	! grep -q JUNK "$out"
	diff <(sort "$out") <(find "$d" | sort)
}
