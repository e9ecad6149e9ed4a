#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark of fswalk against find, bfs and fd, side by side (hyperfine),
# on three tree shapes, on tmpfs and on ext4 (a loop-mounted image):
#   wide:  1,000 directories x 1,000 empty files (1M entries)
#   deep:  500 chains x 200 levels (100,000 directories)
#   flat:  one directory of 200,000 files
# fswalk runs with its default threads (one a CPU, at most 4) and with
# --threads 1.
# Then peak RSS of each shape and the cost of checkpointing.
#
#   tests/bench/fswalk.sh [--runs N] [--no-ext4] [--out FILE.md]
#
# Needs root (mounts, in a private mount namespace it makes itself);
# installs hyperfine, bfs and fd-find when missing.  Leaves no mount and
# no loop device behind.
set -eu
RUNS=5
EXT4=1
OUT=
while [ $# -gt 0 ]; do
	case $1 in
	--runs) RUNS=$2; shift ;;
	--no-ext4) EXT4=0 ;;
	--out) OUT=$2; shift ;;
	*) echo "usage: $0 [--runs N] [--no-ext4] [--out FILE.md]" >&2; exit 2 ;;
	esac
	shift
done
TOP=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${MNTX_BENCH_NS:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "$0: needs root (mounts a tmpfs and an ext4 image)" >&2; exit 1; }
	missing=
	for p in hyperfine:hyperfine bfs:bfs fdfind:fd-find; do
		command -v "${p%%:*}" >/dev/null || missing="$missing ${p#*:}"
	done
	if [ -n "$missing" ]; then
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
	fi
	[ -x "$TOP/mntx" ] || make -C "$TOP" mntx >/dev/null
	export MNTX_BENCH_NS=1
	exec unshare --mount --propagation private -- "$0" --runs "$RUNS" $([ $EXT4 = 0 ] && echo --no-ext4) ${OUT:+--out "$OUT"}
fi

# A copy of the binary, so that rebuilding during a run changes nothing.
WORK=$(mktemp -d /tmp/fswalk-bench.XXXXXX)
LOOPDEV=
cleanup() {
	cd /
	umount -l "$WORK/ext4" 2>/dev/null || true
	umount -l "$WORK/tmpfs" 2>/dev/null || true
	[ -n "$LOOPDEV" ] && losetup -d "$LOOPDEV" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
cp "$TOP/mntx" "$WORK/fswalk"
M="$WORK/fswalk"
REPORT=$WORK/report.md
: >"$REPORT"

make_trees() {
	python3 - "$1" <<'PY'
import os, sys
top = sys.argv[1]
def touch(p):
    os.close(os.open(p, os.O_CREAT | os.O_WRONLY, 0o644))
os.mkdir(top + "/wide")
for i in range(1000):
    d = "%s/wide/d%03d" % (top, i)
    os.mkdir(d)
    for j in range(1000):
        touch("%s/f%d" % (d, j))
os.mkdir(top + "/deep")
for c in range(500):
    p = "%s/deep/c%d" % (top, c)
    os.mkdir(p)
    fd = os.open(p, os.O_RDONLY)
    for l in range(199):
        os.mkdir("d", dir_fd=fd)
        n = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = n
    os.close(fd)
os.mkdir(top + "/flat")
for j in range(200000):
    touch("%s/flat/f%d" % (top, j))
PY
}

# hyperfine -N: no shell in between; 1 warm-up run (warm cache)
bench() {
	local title=$1
	shift
	echo "### $title" >>"$REPORT"
	echo >>"$REPORT"
	hyperfine -N -w 1 -r "$RUNS" --export-markdown "$WORK/h.md" "$@" >&2
	cat "$WORK/h.md" >>"$REPORT"
	echo >>"$REPORT"
}

peak_rss() {
	local fs=$1 shape
	echo "### peak RSS on $fs (KiB, /usr/bin/time %M)" >>"$REPORT"
	echo >>"$REPORT"
	echo "| shape | fswalk | fswalk --threads 1 | fswalk --json | fswalk --json --threads 1 | bfs | fdfind -u | find |" >>"$REPORT"
	echo "|---|---|---|---|---|---|---|---|" >>"$REPORT"
	for shape in wide deep flat; do
		local row="| $shape |"
		for cmd in "$M -q" "$M -q --threads 1" "$M -q --json" "$M -q --json --threads 1" "bfs" "fdfind -u ." "find"; do
			local rss
			if [ "${cmd%% *}" = fdfind ]; then
				rss=$( { /usr/bin/time -f %M fdfind -u . "$fs/$shape" >/dev/null; } 2>&1 | tail -1)
			else
				# shellcheck disable=SC2086
				rss=$( { /usr/bin/time -f %M $cmd "$fs/$shape" >/dev/null; } 2>&1 | tail -1)
			fi
			row="$row $rss |"
		done
		echo "$row" >>"$REPORT"
	done
	echo >>"$REPORT"
}

run_fs() {
	local fs=$1 name=$2 shape
	echo "## $name" >>"$REPORT"
	echo >>"$REPORT"
	for shape in wide deep flat; do
		local p="$fs/$shape"
		bench "$name, $shape: paths" \
			-n find "find $p" -n bfs "bfs $p" -n "fdfind -u" "fdfind -u . $p" -n fswalk "$M -q $p" \
			-n "fswalk --threads 1" "$M -q --threads 1 $p"
		bench "$name, $shape: records" \
			-n "find -printf" "find $p -printf '%p %s %T@\n'" \
			-n "bfs -printf" "bfs $p -printf '%p %s %T@\n'" \
			-n "fswalk --json (full record)" "$M -q --json $p" \
			-n "fswalk --json --threads 1" "$M -q --json --threads 1 $p" \
			-n "fswalk --json -o path,size,mtime_ns" "$M -q --json -o path,size,mtime_ns $p"
	done
	# checkpointing: the same walk with its state saved every 5 s (default)
	# and every 0.5 s, the records going to a file either way
	bench "$name, wide: checkpointing" \
		-n "fswalk --json -w" "$M -q --json -w $WORK/out.jsonl $fs/wide" \
		-n "fswalk --json -w --resume" "$M -q --json --state $WORK/st -w $WORK/out.jsonl $fs/wide" \
		-n "fswalk --json -w --resume --checkpoint 0.5" \
		"$M -q --json --state $WORK/st --checkpoint 0.5 -w $WORK/out.jsonl $fs/wide"
	peak_rss "$fs"
}

{
	echo "Measured $(date -u +%Y-%m-%d) on $(uname -r), $(nproc) CPUs;"
	echo "$(find --version | head -1), bfs $(bfs --version | head -1 | awk '{print $2}'), $(fdfind --version)."
	echo "Warm cache, output to /dev/null (hyperfine -N, 1 warm-up, $RUNS runs)."
	echo
} >>"$REPORT"

mkdir "$WORK/tmpfs"
mount -t tmpfs -o size=8g,nr_inodes=4m mntx-bench "$WORK/tmpfs"
echo "building trees on tmpfs..." >&2
make_trees "$WORK/tmpfs"
run_fs "$WORK/tmpfs" tmpfs
umount "$WORK/tmpfs"

if [ "$EXT4" = 1 ]; then
	mkdir "$WORK/ext4"
	truncate -s 6G "$WORK/ext4.img"
	mkfs.ext4 -q -N 1500000 "$WORK/ext4.img"
	LOOPDEV=$(losetup --show -f "$WORK/ext4.img")
	mount "$LOOPDEV" "$WORK/ext4"
	echo "building trees on ext4..." >&2
	make_trees "$WORK/ext4"
	sync
	run_fs "$WORK/ext4" ext4
	umount "$WORK/ext4"
	losetup -d "$LOOPDEV"
	LOOPDEV=
fi

if [ -n "$OUT" ]; then
	cp "$REPORT" "$OUT"
fi
cat "$REPORT"
