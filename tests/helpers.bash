# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers of the bats suite: load with `load helpers`.

bats_require_minimum_version 1.5.0

MNTX="${MNTX:-$BATS_TEST_DIRNAME/../mntx}"

# Run the program under test: `mntx TOOL ARGS...`.
mntx() {
	"$MNTX" "$@"
}

# Tests that change mounts or need capabilities: real root only (the suite
# runs them in a private mount namespace, see tests/run).
require_root() {
	if [ "$(id -u)" != 0 ] || [ -n "${MNTX_TESTS_USERNS:-}" ]; then
		skip "needs root (CAP_SYS_ADMIN in the initial user namespace)"
	fi
}

# A fresh scratch directory inside the test's own temp dir.
scratch() {
	local d
	d=$(mktemp -d "$BATS_TEST_TMPDIR/s.XXXXXX")
	echo "$d"
}

# Unmount everything at or below a directory, deepest first.  findmnt -r
# escapes odd bytes as \xNN, which printf %b undoes.
unmount_below() {
	local dir=$1 t u
	[ -d "$dir" ] || return 0
	findmnt -rn -o TARGET | sort -r | while IFS= read -r t; do
		u=$(printf '%b' "$t")
		case "$u/" in
		"$dir"/*) umount -l "$u" 2>/dev/null ;;
		esac
	done
	return 0
}

# Assert that $output is valid JSON (jq parses it strictly).
assert_json() {
	printf '%s' "${1-$output}" | jq -e . >/dev/null || {
		echo "not valid JSON: ${1-$output}" >&2
		return 1
	}
}

# Assert that $status equals the first argument, printing output on failure.
assert_status() {
	if [ "$status" -ne "$1" ]; then
		echo "expected status $1, got $status; output: $output" >&2
		return 1
	fi
}

# A one-line message on stderr: `run --separate-stderr` first.
assert_one_line_error() {
	local n
	n=$(printf '%s' "$stderr" | grep -c '')
	if [ "$n" -lt 1 ] || ! printf '%s' "$stderr" | head -1 | grep -q "^$1: "; then
		echo "expected an error line starting '$1: ', got: $stderr" >&2
		return 1
	fi
}

# ---- loop devices: tests detach every device they made, whatever happens ----

# The loop devices whose backing file lies under DIR (a canonical path),
# one /dev/loopN a line.
loops_under() {
	local dir=$1 f back
	for f in /sys/block/loop*/loop/backing_file; do
		back=$(cat "$f" 2>/dev/null) || continue
		case "$back" in
		"$dir"/*) f=${f%/loop/backing_file}; echo "/dev/${f##*/}" ;;
		esac
	done
}

# Detach every loop device backed by a file under DIR (deleted files too),
# unmounting what is mounted from it first.  For teardown and the guard.
loop_cleanup() {
	local dir dev t
	dir=$(realpath -m "$1") || return 0
	for dev in $(loops_under "$dir"); do
		findmnt -rn -S "$dev" -o TARGET 2>/dev/null | sort -r |
			while IFS= read -r t; do umount -l "$(printf '%b' "$t")" 2>/dev/null; done
		losetup -d "$dev" 2>/dev/null
	done
	return 0
}

# A guard for a whole bats file, started from setup_file: a process whose
# EXIT trap runs loop_cleanup DIR once every bats process of the file is
# gone (it reads a pipe they hold open until EOF), so that devices are
# detached even when bats itself is killed before its teardowns ran.
loop_guard() {
	local dir
	dir=$(realpath -e "$1") || return 1
	exec {LOOP_GUARD_FD}> >(
		exec 3>&- >/dev/null 2>&1
		trap 'loop_cleanup "$dir"' EXIT
		cat
	)
	export LOOP_GUARD_FD
}

# Run a command as root but without CAP_SYS_ADMIN (dropped from the
# bounding and inheritable sets, so an exec cannot regain it).
without_sys_admin() {
	setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin -- "$@"
}

# findmnt's record (JSON) of the top mount at a mount point, for comparing
# with mntx on the same state: `findmnt_top PATH | jq -r .options`.  Of
# mounts stacked there, the top is the one no other sits on (mountinfo's
# order does not say: a mount slid beneath comes after the top).
findmnt_top() {
	findmnt -J -M "$1" -o ID,PARENT,TARGET,SOURCE,FSTYPE,OPTIONS,VFS-OPTIONS,FS-OPTIONS,PROPAGATION,OPT-FIELDS |
		jq -c '.filesystems as $f | [$f[] | select(.id as $i | [$f[].parent] | index($i) | not)] | last'
}

# Wait until a command succeeds; fail after about 30 s (a guard against a
# hang, not a timing assertion).
wait_until() {
	local i
	for ((i = 0; i < 3000; i++)); do
		"$@" && return 0
		sleep 0.01
	done
	echo "gave up waiting for: $*" >&2
	return 1
}
