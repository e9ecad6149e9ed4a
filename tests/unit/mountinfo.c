// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the mountinfo fallback of mounts.h: mount_unescape() and
 * mountinfo_parse_line() on lines in the forms the kernel writes to
 * /proc/PID/mountinfo (show_mountinfo() in fs/proc_namespace.c): optional
 * fields shared:/master:/propagate_from:/unbindable, the \NNN escapes of
 * space, tab, newline and backslash, fuse subtypes, the superblock flags
 * among the super options, and malformed lines.
 */
#include <errno.h>
#include "abi.h"
#include "mounts.h"
#include "unit.h"

#define A(x) MNTX_MOUNT_ATTR_##x
#define HAVE_MI (MH_OLD_ID | MH_ATTR | MH_PROPAGATION | MH_DEV | MH_SB_FLAGS)

static void unescape(const char *in, const char *want)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%s", in);
	mount_unescape(buf);
	if (!CHECK_STR(buf, want))
		fprintf(unit_log, "  mount_unescape(\"%s\")\n", in);
}

static void test_unescape(void)
{
	unescape("", "");
	unescape("/plain/path", "/plain/path");
	unescape("/a\\040b", "/a b");
	unescape("\\011tab", "\ttab");
	unescape("new\\012line", "new\nline");
	unescape("back\\134slash", "back\\slash");
	unescape("\\040\\040", "  ");
	/* decoded once: an escaped backslash followed by digits stays */
	unescape("\\134040", "\\040");
	unescape("\\377\\200", "\xff\x80");	/* any byte, UTF-8 or not */
	/* not an escape: left as it is */
	unescape("\\", "\\");
	unescape("end\\", "end\\");
	unescape("\\04", "\\04");
	unescape("\\0", "\\0");
	unescape("\\400", "\\400");	/* past 0377 */
	unescape("\\089", "\\089");	/* not octal */
	unescape("\\x41", "\\x41");
	unescape("\\\\040", "\\ ");
	/* a NUL cannot be in a path: "\000" is kept, not a truncation */
	unescape("a\\000b", "a\\000b");
}

/* Parse a copy of @text; the strings of @m point into the returned copy. */
static char *parse(const char *text, struct mntx_mount *m, int *r)
{
	char *line = strdup(text);

	if (!line)
		exit(2);
	errno = 0;
	*r = mountinfo_parse_line(line, m);
	return line;
}

static void test_root_line(void)
{
	struct mntx_mount m;
	int r;
	char *line = parse("27 1 254:0 / / rw,relatime - ext4 /dev/vda "
			   "rw,discard,resv_strict,resuid=65534,resgid=65534", &m, &r);

	CHECK(r == 0);
	CHECK_U64(m.have, HAVE_MI);	/* no unique IDs, magic or namespace */
	CHECK_U64(m.old_id, 27);
	CHECK_U64(m.old_parent_id, 1);
	CHECK_U64(m.maj, 254);
	CHECK_U64(m.min, 0);
	CHECK_STR(m.root, "/");
	CHECK_STR(m.target, "/");
	CHECK_U64(m.attr, A(RELATIME));
	CHECK_U64(m.propagation, MNTX_MS_PRIVATE);
	CHECK_U64(m.peer_group, 0);
	CHECK_U64(m.master, 0);
	CHECK_STR(m.fs_type, "ext4");
	CHECK_STR(m.fs_subtype, NULL);
	CHECK_STR(m.source, "/dev/vda");
	CHECK_U64(m.sb_flags, 0);
	CHECK_STR(m.mnt_opts, "discard,resv_strict,resuid=65534,resgid=65534");
	CHECK(!m.opt_array.buf && !m.uid_map.buf && !m.gid_map.buf);
	free(line);
}

static void test_propagation(void)
{
	struct mntx_mount m;
	int r;
	char *line;

	/* the example of proc_pid_mountinfo(5) */
	line = parse("36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root "
		     "rw,errors=continue", &m, &r);
	CHECK(r == 0);
	CHECK_U64(m.old_id, 36);
	CHECK_U64(m.old_parent_id, 35);
	CHECK_U64(m.maj, 98);
	CHECK_STR(m.root, "/mnt1");
	CHECK_STR(m.target, "/mnt/parent");
	CHECK_U64(m.attr, A(NOATIME));
	CHECK_U64(m.propagation, MNTX_MS_SLAVE);
	CHECK_U64(m.master, 1);
	CHECK_U64(m.peer_group, 0);
	CHECK(!(m.have & MH_PROPAGATE_FROM));
	CHECK_STR(m.mnt_opts, "errors=continue");
	free(line);

	line = parse("25 24 0:23 / /dev/shm rw,nosuid,nodev shared:4 - tmpfs tmpfs rw,inode64",
		     &m, &r);
	CHECK(r == 0);
	CHECK_U64(m.propagation, MNTX_MS_SHARED);
	CHECK_U64(m.peer_group, 4);
	CHECK_U64(m.attr, A(NOSUID) | A(NODEV) | A(STRICTATIME));
	free(line);

	/* shared and slave at once, with the dominating peer group */
	line = parse("40 31 0:37 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime "
		     "shared:12 master:3 propagate_from:2 - cgroup cgroup rw,xattr,name=systemd",
		     &m, &r);
	CHECK(r == 0);
	CHECK_U64(m.propagation, MNTX_MS_SHARED | MNTX_MS_SLAVE);
	CHECK_U64(m.peer_group, 12);
	CHECK_U64(m.master, 3);
	CHECK(m.have & MH_PROPAGATE_FROM);
	CHECK_U64(m.propagate_from, 2);
	CHECK_U64(m.attr, A(NOSUID) | A(NODEV) | A(NOEXEC));
	CHECK_STR(m.mnt_opts, "xattr,name=systemd");
	free(line);

	line = parse("61 27 0:50 / /mnt/u rw,relatime unbindable - tmpfs none rw", &m, &r);
	CHECK(r == 0);
	CHECK_U64(m.propagation, MNTX_MS_UNBINDABLE);
	CHECK_STR(m.source, "none");
	CHECK_STR(m.mnt_opts, "");
	free(line);

	/* 64-bit peer group IDs */
	line = parse("62 27 0:51 / /mnt/v rw shared:18446744073709551615 - tmpfs t rw", &m, &r);
	CHECK(r == 0);
	CHECK_U64(m.peer_group, UINT64_MAX);
	free(line);

	/* unknown optional fields are skipped (the format allows new ones) */
	line = parse("63 27 0:52 / /mnt/w rw future:7 shared:9 - tmpfs t rw", &m, &r);
	CHECK(r == 0);
	CHECK_U64(m.propagation, MNTX_MS_SHARED);
	CHECK_U64(m.peer_group, 9);
	free(line);
}

static void test_escapes(void)
{
	struct mntx_mount m;
	int r;
	char *line;

	/* mangle() in the kernel escapes space, tab, newline and backslash */
	line = parse("50 27 0:40 /sub\\040dir /mnt/a\\040b\\011c\\012d\\134e rw,relatime - "
		     "tmpfs my\\040src\\134x rw,size=1k", &m, &r);
	CHECK(r == 0);
	CHECK_STR(m.root, "/sub dir");
	CHECK_STR(m.target, "/mnt/a b\tc\nd\\e");
	CHECK_STR(m.source, "my src\\x");
	CHECK_STR(m.fs_type, "tmpfs");
	free(line);

	/* bytes that are not UTF-8 come through as they are */
	line = parse("51 27 0:41 / /mnt/\xff\xfe rw - tmpfs \xc3\x28 rw", &m, &r);
	CHECK(r == 0);
	CHECK_STR(m.target, "/mnt/\xff\xfe");
	CHECK_STR(m.source, "\xc3\x28");
	free(line);

	/* super options stay escaped: the option strings are mountinfo's */
	line = parse("52 27 0:42 / /m rw - tmpfs t rw,x=a\\040b", &m, &r);
	CHECK(r == 0);
	CHECK_STR(m.mnt_opts, "x=a\\040b");
	free(line);
}

static void test_fstype(void)
{
	struct mntx_mount m;
	int r;
	char *line;

	/* "fuse.sshfs" is type fuse, subtype sshfs, as statmount reports it */
	line = parse("70 27 0:60 / /home/u/remote rw,nosuid,nodev,relatime - fuse.sshfs "
		     "u@host:/srv rw,user_id=1000,group_id=1000", &m, &r);
	CHECK(r == 0);
	CHECK_STR(m.fs_type, "fuse");
	CHECK_STR(m.fs_subtype, "sshfs");
	CHECK_STR(m.source, "u@host:/srv");
	CHECK_STR(m.mnt_opts, "user_id=1000,group_id=1000");
	free(line);

	line = parse("71 27 0:61 / /run/user/1000/gvfs rw,nosuid,nodev,relatime - "
		     "fuse.gvfsd-fuse gvfsd-fuse rw,user_id=1000", &m, &r);
	CHECK(r == 0);
	CHECK_STR(m.fs_type, "fuse");
	CHECK_STR(m.fs_subtype, "gvfsd-fuse");
	free(line);

	line = parse("72 27 0:62 / /mnt/f rw - fuseblk /dev/sdb1 rw", &m, &r);
	CHECK(r == 0);
	CHECK_STR(m.fs_type, "fuseblk");
	CHECK_STR(m.fs_subtype, NULL);
	free(line);
}

static void test_options(void)
{
	struct mntx_mount m;
	int r;
	char *line;

	/* every VFS option the kernel writes, in its order */
	line = parse("80 27 0:70 / /a ro,nosuid,nodev,noexec,noatime,nodiratime,nosymfollow,idmapped "
		     "- tmpfs t ro", &m, &r);
	CHECK(r == 0);
	CHECK_U64(m.attr, A(RDONLY) | A(NOSUID) | A(NODEV) | A(NOEXEC) | A(NOATIME) |
		  A(NODIRATIME) | A(NOSYMFOLLOW) | A(IDMAP));
	CHECK_U64(m.sb_flags, MNTX_SB_RDONLY);
	CHECK_STR(m.mnt_opts, "");
	free(line);

	/* neither noatime nor relatime shown: strictatime */
	line = parse("81 27 0:71 / /b rw - tmpfs t rw", &m, &r);
	CHECK(r == 0);
	CHECK_U64(m.attr, A(STRICTATIME));
	free(line);

	/* the superblock flags, in show_sb_opts() order; mand is not one
	 * statmount reports */
	line = parse("82 27 0:72 / /c rw,relatime - ext4 /dev/sda1 "
		     "ro,sync,dirsync,mand,lazytime,errors=remount-ro", &m, &r);
	CHECK(r == 0);
	CHECK_U64(m.sb_flags, MNTX_SB_RDONLY | MNTX_SB_SYNCHRONOUS | MNTX_SB_DIRSYNC |
		  MNTX_SB_LAZYTIME);
	CHECK_STR(m.mnt_opts, "errors=remount-ro");
	CHECK_U64(m.attr, 0);	/* the mount is rw, its superblock ro */
	free(line);

	line = parse("83 27 0:73 / /d rw - xfs /dev/sda2 rw,lazytime", &m, &r);
	CHECK(r == 0);
	CHECK_U64(m.sb_flags, MNTX_SB_LAZYTIME);
	CHECK_STR(m.mnt_opts, "");
	free(line);

	/* names that only start like a flag are the filesystem's own */
	line = parse("84 27 0:74 / /e rw - nfs4 srv:/x rw,syncio,rorder=1,dirsyncs", &m, &r);
	CHECK(r == 0);
	CHECK_U64(m.sb_flags, 0);
	CHECK_STR(m.mnt_opts, "syncio,rorder=1,dirsyncs");
	free(line);

	/* after the first option of the filesystem's own, the rest is its own */
	line = parse("85 27 0:75 / /f rw - tmpfs t rw,size=1k,sync", &m, &r);
	CHECK(r == 0);
	CHECK_U64(m.sb_flags, 0);
	CHECK_STR(m.mnt_opts, "size=1k,sync");
	free(line);
}

static void malformed(const char *text)
{
	struct mntx_mount m;
	int r;
	char *line = parse(text, &m, &r);

	if (!CHECK(r == -1 && errno == EINVAL))
		fprintf(unit_log, "  accepted: \"%s\"\n", text);
	free(line);
}

static void test_malformed(void)
{
	malformed("");
	malformed("27");
	malformed("27 1 254:0 / /");				/* no VFS options */
	malformed("27 1 254:0 / / rw");				/* no separator */
	malformed("27 1 254:0 / / rw shared:1");
	malformed("27 1 254:0 / / rw -");			/* nothing after it */
	malformed("27 1 254:0 / / rw - ext4");			/* no source */
	malformed("27 1 254:0 / / rw - ext4 /dev/vda");		/* no super options */
	malformed("x 1 254:0 / / rw - ext4 /dev/vda rw");	/* IDs are numbers */
	malformed("27 y 254:0 / / rw - ext4 /dev/vda rw");
	malformed("-1 1 254:0 / / rw - ext4 /dev/vda rw");
	malformed("27 1 254:0x / / rw - ext4 /dev/vda rw");
	malformed("4294967296 1 254:0 / / rw - ext4 /dev/vda rw");	/* past 32 bits */
	malformed("27 1 2540 / / rw - ext4 /dev/vda rw");	/* no colon */
	malformed("27 1 254: / / rw - ext4 /dev/vda rw");
	malformed("27 1 :0 / / rw - ext4 /dev/vda rw");
	malformed("27 1 254:99999999999 / / rw - ext4 /dev/vda rw");
	malformed("27  1 254:0 / / rw - ext4 /dev/vda rw");	/* an empty field */
	malformed(" 27 1 254:0 / / rw - ext4 /dev/vda rw");
}

int main(void)
{
	unit_begin();
	test_unescape();
	test_root_line();
	test_propagation();
	test_escapes();
	test_fstype();
	test_options();
	test_malformed();
	return unit_end("mountinfo");
}
