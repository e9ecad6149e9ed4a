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

# The line of `mntx --features` for FEATURE: name, available (true, false
# or null), since, kernel name, tab-separated; probed once per run of the
# suite.  Nothing for a name mntx does not know.
feature_line() {
	local cache=${BATS_RUN_TMPDIR:-$BATS_TMPDIR}/mntx-features
	if [ ! -s "$cache" ]; then
		mntx --features --json-lines -o name,available,since,kernel-name |
			jq -r '[.name, (.available | tostring), .since, .kernel_name] | @tsv' >"$cache.$$" &&
			mv "$cache.$$" "$cache"
	fi
	awk -F'\t' -v f="$1" '$1 == f' "$cache"
}

# needs FEATURE...: skip the test unless the running kernel has every
# FEATURE, as `mntx --features` finds it by calling the feature.  The skip
# names the feature and the Linux version that brought it.  A name mntx
# does not know fails the test: a typo must not turn into a silent skip.
needs() {
	local f name avail since kname
	for f; do
		IFS=$'\t' read -r name avail since kname < <(feature_line "$f")
		if [ -z "$name" ]; then
			echo "needs: '$f' is not a feature of 'mntx --features'" >&2
			return 1
		fi
		[ "$avail" = true ] || skip "needs $f (Linux $since: $kname)"
	done
}

# lacks FEATURE: true when the running kernel lacks FEATURE, for the tests
# of what a tool does without it (they run where the others skip).
lacks() {
	[ "$(feature_line "$1" | cut -f2)" = false ]
}

# How the tests name a mount: by its unique ID where the kernel has
# listmount/statmount (Linux 6.8), by mountinfo's old ID before, where the
# unique id and parent_id are null.  Keys for jq ('.mounts[0][$ENV.IDK]')
# and columns for -o.
if lacks listmount; then
	IDK=old_id PIDK=old_parent_id IDC=OLD-ID PIDC=OLD-PARENT
else
	IDK=id PIDK=parent_id IDC=ID PIDC=PARENT
fi
export IDK PIDK IDC PIDC

# kernel_without FEATURE... -- CMD...: run CMD as on a kernel that lacks
# each FEATURE, answering as such a kernel answers: a seccomp filter makes
# a syscall fail with ENOSYS, or a call with a flag it did not know yet
# fail with EINVAL (EOPNOTSUPP for an fsconfig command).  So the degraded
# paths run on every kernel, the host's included.  x86_64 numbers.
kernel_without() {
	local -a rules=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		case $1 in
		mount_api) rules+=(428,38 429,38 430,38 431,38 432,38 433,38) ;;
		openat2) rules+=(437,38) ;;
		mount_setattr) rules+=(442,38 467,38) ;;
		open_tree_attr) rules+=(467,38) ;;
		listmount) rules+=(457,38 458,38) ;;
		listmount_reverse) rules+=(458,3,\&1,22) ;;
		move_mount_set_group) rules+=(429,4,\&256,22) ;;
		move_mount_beneath) rules+=(429,4,\&512,22) ;;
		at_handle_fid) rules+=(303,4,\&512,22) ;;
		at_handle_mnt_id_unique) rules+=(303,4,\&1,22) ;;
		at_handle_connectable) rules+=(303,4,\&2,22) ;;
		fsconfig_create_excl) rules+=(431,1,=8,95) ;;
		mntns_id) rules+=(16,1,=2148054789,25) ;;	# ioctl NS_GET_MNTNS_ID: ENOTTY
		*) echo "kernel_without: cannot take away '$1'" >&2; return 2 ;;
		esac
		shift
	done
	shift
	perl -e '
		my @rules = split / /, shift @ARGV;
		my $f = "";
		my $ins = sub { $f .= pack("SCCL", @_) };
		$ins->(0x20, 0, 0, 0);				# A = seccomp_data.nr
		for (@rules) {
			my @r = split /,/;
			my $ret = 0x00050000 | $r[-1];		# SECCOMP_RET_ERRNO | errno
			if (@r == 2) {
				$ins->(0x15, 0, 1, $r[0]);	# nr? else next rule
				$ins->(0x06, 0, 0, $ret);
				next;
			}
			my ($arg, $test) = ($r[1], $r[2]);
			$ins->(0x15, 0, 4, $r[0]);
			$ins->(0x20, 0, 0, 16 + 8 * $arg);	# A = low word of args[arg]
			if ($test =~ /^&(\d+)/) { $ins->(0x45, 0, 1, $1) }	# jset
			else { $test =~ /^=(\d+)/; $ins->(0x15, 0, 1, $1) }	# jeq
			$ins->(0x06, 0, 0, $ret);
			$ins->(0x20, 0, 0, 0);
		}
		$ins->(0x06, 0, 0, 0x7fff0000);			# SECCOMP_RET_ALLOW
		my $prog = pack("S x6 Q", length($f) / 8, unpack("Q", pack("p", $f)));
		syscall(157, 38, 1, 0, 0, 0) == 0 or die "PR_SET_NO_NEW_PRIVS: $!\n";
		syscall(317, 1, 0, $prog) == 0 or die "seccomp: $!\n";
		exec @ARGV or die "$ARGV[0]: $!\n";
	' "${rules[*]}" "$@"
}

# A fresh scratch directory inside the test's own temp dir.
scratch() {
	local d
	d=$(mktemp -d "$BATS_TEST_TMPDIR/s.XXXXXX")
	echo "$d"
}

# tmpfs_opts: stdin with the option a plain tmpfs shows on this kernel
# unasked (",inode64" where the kernel is built with TMPFS_INODE64, as
# Debian's are) taken out, so that expected option strings hold on every
# kernel.  As root.
tmpfs_opts() {
	local cache=${BATS_RUN_TMPDIR:-$BATS_TMPDIR}/mntx-tmpfs-default d
	if [ ! -e "$cache" ]; then
		d=$(mktemp -d)
		mount -t tmpfs mntx-probe "$d" && findmnt -n -o FS-OPTIONS --mountpoint "$d" >"$cache.$$"
		umount "$d"
		rmdir "$d"
		mv "$cache.$$" "$cache"
	fi
	if grep -q inode64 "$cache"; then sed -E 's/,inode64(,| |$)/\1/g'; else cat; fi
}

# tmpfs_takes OPTION: the kernel's tmpfs knows OPTION (noswap: Linux 6.4).
tmpfs_takes() {
	local d rc=0
	d=$(mktemp -d)
	mount -t tmpfs -o "$1" mntx-probe "$d" 2>/dev/null || rc=1
	umount "$d" 2>/dev/null
	rmdir "$d"
	return $rc
}

# Unmount everything at or below a directory, newest first, in one process
# (thousands of umount(8) runs take minutes under emulation): mountinfo's
# targets, \NNN escapes undone, each detached (umount2 MNT_DETACH is 166, 2).
unmount_below() {
	[ -d "$1" ] || return 0
	perl -e '
		my $dir = shift;
		open(my $mi, "<", "/proc/self/mountinfo") or exit 0;
		my @t = map { my $t = (split / /)[4]; $t =~ s/\\([0-7]{3})/chr(oct($1))/ge; $t } <$mi>;
		for my $t (reverse @t) {
			syscall(166, $t, 2) if "$t/" =~ /^\Q$dir\E\//;
		}
	' "$1"
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
