#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Unmount a tree of N tmpfs mounts (default 1000) with `mntx umount -R` and
# with util-linux `umount -R`, side by side (hyperfine).  As root; runs in a
# private mount namespace of its own and leaves nothing mounted.
#
#   tests/bench/umount-recursive.sh [N]
set -eu
if [ -z "${MNTX_BENCH_NS:-}" ]; then
	export MNTX_BENCH_NS=1
	exec unshare --mount --propagation private -- "$0" "$@"
fi
n=${1:-1000}
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d /tmp/mntx-bench.XXXXXX)
trap 'umount -R -l "$dir/top" 2>/dev/null || true; rm -rf "$dir"' EXIT
mkdir "$dir/top"
cat >"$dir/make-tree" <<EOF
#!/bin/bash
mount -t tmpfs top "$dir/top"
for i in \$(seq 1 $n); do mkdir "$dir/top/d\$i"; mount -t tmpfs "t\$i" "$dir/top/d\$i"; done
EOF
chmod +x "$dir/make-tree"
hyperfine --warmup 1 --runs 5 --prepare "$dir/make-tree" \
	-n "mntx umount -R ($n)" "$top/mntx umount -R $dir/top" \
	-n "umount -R ($n)" "umount -R $dir/top"
