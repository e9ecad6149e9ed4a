#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# lsmnt and statmount against findmnt, side by side in one hyperfine run per
# size, in a private mount namespace holding 10,000 and then 50,000 tmpfs
# mounts; then the peak RSS of each command (GNU time %M).
#
#   tests/bench/lsmnt.sh [SIZE...]      (root; default sizes: 10000 50000)
#
# The commands that read one mount take about a millisecond, most of it
# the start of a process, and this VM's noise is of that order: they get a
# hyperfine run of their own with many more runs (FAST_RUNS), beside
# /bin/true and `lsmnt --version`, the floors of any process and of ours.
#
# Environment: MNTX (the binary, default ./mntx), RUNS (hyperfine runs,
# default 10), FAST_RUNS (runs of the one-mount commands, default 500), FINDMNT_J_MAX (largest size at which findmnt -J, which is
# quadratic, is timed by hyperfine; above it, one run; default 10000), OUT (where the JSON and markdown of
# each run go, default a temp dir).  Not part of `make check`.
set -eu
cd "$(dirname "$0")/../.."

if [ "$(id -u)" != 0 ]; then
	echo "lsmnt.sh: needs root (it mounts tens of thousands of tmpfs in a private namespace)" >&2
	exit 1
fi
# everything below happens in a private mount namespace, gone when we exit
if [ -z "${MNTX_BENCH_NS:-}" ]; then
	export MNTX_BENCH_NS=1
	exec unshare --mount --propagation private -- "$0" "$@"
fi

MNTX=$(realpath "${MNTX:-./mntx}")
RUNS=${RUNS:-10}
FAST_RUNS=${FAST_RUNS:-500}
FINDMNT_J_MAX=${FINDMNT_J_MAX:-10000}
[ $# -gt 0 ] || set -- 10000 50000

need() {
	command -v "$1" >/dev/null && return 0
	echo "installing $2" >&2
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
need hyperfine hyperfine
[ -x /usr/bin/time ] || need /usr/bin/time time
need jq jq

WORK=$(mktemp -d /tmp/mntx-bench.XXXXXX)
OUT=${OUT:-$WORK/out}
mkdir -p "$OUT" "$WORK/bin" "$WORK/m"
ln -s "$MNTX" "$WORK/bin/lsmnt"
ln -s "$MNTX" "$WORK/bin/statmount"
export PATH="$WORK/bin:$PATH"

cleanup() {
	umount -l "$WORK/m" 2>/dev/null || true
	rm -rf "$WORK/bin" "$WORK/m"
}
trap cleanup EXIT

# N tmpfs mounts under DIR, from one process: mount(2) is 165 on x86_64.
mount_many() {
	perl -e '
		my ($dir, $n) = @ARGV;
		my ($src, $type) = ("bench", "tmpfs");
		for my $i (0 .. $n - 1) {
			mkdir "$dir/$i";
			syscall(165, $src, "$dir/$i", $type, 0, 0) == 0 or die "mount $dir/$i: $!\n";
		}
	' "$1" "$2"
}

printf '%s\n' "kernel $(uname -r), $(findmnt --version), $("$MNTX" --version), $(nproc) CPUs" | tee "$OUT/env.txt"

for n in "$@"; do
	mount -t tmpfs bench-top "$WORK/m"
	mount_many "$WORK/m" "$n"
	total=$(wc -l </proc/self/mountinfo)
	path="$WORK/m/$((n / 2))"
	echo
	echo "== $n tmpfs mounts ($total in the namespace)"

	cmds=("findmnt --list" "lsmnt -l")
	[ "$n" -le "$FINDMNT_J_MAX" ] && cmds+=("findmnt -J")
	cmds+=("lsmnt -J" "lsmnt --json-lines" "lsmnt -r" "lsmnt --tree" "findmnt $path")
	fast=("/bin/true" "lsmnt --version" "lsmnt $path" "statmount $path")
	hyperfine -N --warmup 2 --runs "$RUNS" --style basic \
		--export-json "$OUT/$n.list.json" --export-markdown "$OUT/$n.md" "${cmds[@]}"
	hyperfine -N --warmup 20 --runs "$FAST_RUNS" --style basic \
		--export-json "$OUT/$n.fast.json" --export-markdown "$OUT/$n.fast.md" "${fast[@]}"
	jq -s '{results: (.[0].results + .[1].results)}' "$OUT/$n.list.json" "$OUT/$n.fast.json" >"$OUT/$n.json"
	cmds+=("${fast[@]}")
	if [ "$n" -gt "$FINDMNT_J_MAX" ]; then
		# quadratic: half a minute at 50,000 mounts; one run, not hyperfine's ten
		/usr/bin/time -f "%e %M" -o "$WORK/fj" findmnt -J >/dev/null
		read -r fj_s fj_rss <"$WORK/fj"
		echo "findmnt -J, one run: $fj_s s, peak RSS $fj_rss KiB (FINDMNT_J_MAX=$n puts it in hyperfine)"
	fi

	# peak RSS, one run each
	: >"$OUT/$n.rss"
	for c in "${cmds[@]}"; do
		# shellcheck disable=SC2086
		/usr/bin/time -f "%M" -o "$WORK/rss" $c >/dev/null
		printf '%s\t%s\n' "$c" "$(cat "$WORK/rss")" >>"$OUT/$n.rss"
	done

	# the summary: mean time, peak RSS, and the ratios of the targets
	echo
	printf '%-40s %10s %10s %10s\n' "command ($n mounts)" "mean ms" "median ms" "RSS KiB"
	jq -r '.results[] | [.command, (.mean, .median | . * 1000 * 100 | round / 100)] | @tsv' "$OUT/$n.json" |
		while IFS=$'\t' read -r c ms med; do
			printf '%-40s %10s %10s %10s\n' "${c/$WORK\/m/M}" "$ms" "$med" "$(awk -F'\t' -v c="$c" '$1 == c {print $2}' "$OUT/$n.rss")"
		done | tee "$OUT/$n.summary"
	mean() { jq -r --arg c "$1" '.results[] | select(.command == $c) | .mean' "$OUT/$n.json"; }
	ratio() { awk -v a="$(mean "$1")" -v b="$(mean "$2")" 'BEGIN { if (a && b) printf "%.3f", a / b; else print "-" }'; }
	echo "lsmnt -l / findmnt --list = $(ratio "lsmnt -l" "findmnt --list")   (target <= 0.6)"
	echo "lsmnt -J / lsmnt -l       = $(ratio "lsmnt -J" "lsmnt -l")   (target < 1.3)"
	if [ "$n" -le "$FINDMNT_J_MAX" ]; then
		echo "findmnt -J / lsmnt -J     = $(ratio "findmnt -J" "lsmnt -J")   (target >= 100)"
	else
		echo "findmnt -J / lsmnt -J     = $(awk -v a="$fj_s" -v b="$(mean "lsmnt -J")" 'BEGIN { printf "%.1f", a / b }')   (target >= 100)"
	fi
	echo "lsmnt PATH, statmount PATH = $(mean "lsmnt $path" | awk '{printf "%.2f", $1 * 1000}'), $(mean "statmount $path" | awk '{printf "%.2f", $1 * 1000}') ms   (target < 1)"
	echo "(/bin/true and lsmnt --version: the cost of starting any process, and ours: the floor of lsmnt PATH)"
	umount -l "$WORK/m"
done

# linear scaling: time per mount at each size
if [ $# -gt 1 ]; then
	echo
	echo "time per mount (us), by size: $*"
	for c in "lsmnt -l" "lsmnt -J" "lsmnt --json-lines" "lsmnt -r" "lsmnt --tree" "findmnt --list"; do
		printf '%-22s' "$c"
		for n in "$@"; do
			jq -r --arg c "$c" --argjson n "$n" '.results[] | select(.command == $c) | .mean * 1e6 / $n' "$OUT/$n.json" |
				xargs printf ' %8.2f'
		done
		echo
	done
fi
echo
echo "results in $OUT"
