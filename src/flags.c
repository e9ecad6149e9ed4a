// SPDX-License-Identifier: GPL-2.0-or-later
/* flags.c - the flag tables and their two directions; see flags.h. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include "abi.h"
#include "diag.h"
#include "flags.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define A(x) MNTX_MOUNT_ATTR_##x

static const struct flag_name mount_attr[] = {
	{ "ro", A(RDONLY), 0, A(RDONLY), FN_BOTH, "read-only" },
	{ "rw", 0, A(RDONLY), A(RDONLY), FN_IN, "read-write (clears ro)" },
	{ "nosuid", A(NOSUID), 0, A(NOSUID), FN_BOTH, "ignore set-user-ID and set-group-ID bits" },
	{ "suid", 0, A(NOSUID), A(NOSUID), FN_IN, "honour set-user-ID bits (clears nosuid)" },
	{ "nodev", A(NODEV), 0, A(NODEV), FN_BOTH, "no access to device nodes" },
	{ "dev", 0, A(NODEV), A(NODEV), FN_IN, "allow device nodes (clears nodev)" },
	{ "noexec", A(NOEXEC), 0, A(NOEXEC), FN_BOTH, "no execution of programs" },
	{ "exec", 0, A(NOEXEC), A(NOEXEC), FN_IN, "allow execution (clears noexec)" },
	{ "noatime", A(NOATIME), MNTX_MOUNT_ATTR__ATIME, MNTX_MOUNT_ATTR__ATIME, FN_BOTH, "never update access times" },
	{ "nodiratime", A(NODIRATIME), 0, A(NODIRATIME), FN_BOTH, "no access times on directories" },
	{ "diratime", 0, A(NODIRATIME), A(NODIRATIME), FN_IN, "access times on directories" },
	{ "relatime", A(RELATIME), MNTX_MOUNT_ATTR__ATIME, MNTX_MOUNT_ATTR__ATIME, FN_BOTH, "update access times relative to mtime/ctime" },
	{ "strictatime", A(STRICTATIME), MNTX_MOUNT_ATTR__ATIME, MNTX_MOUNT_ATTR__ATIME, FN_BOTH, "always update access times" },
	{ "nosymfollow", A(NOSYMFOLLOW), 0, A(NOSYMFOLLOW), FN_BOTH, "do not follow symlinks" },
	{ "symfollow", 0, A(NOSYMFOLLOW), A(NOSYMFOLLOW), FN_IN, "follow symlinks (clears nosymfollow)" },
	{ "idmapped", A(IDMAP), 0, A(IDMAP), FN_OUT, "an idmapped mount" },
};
const struct flag_table flags_mount_attr = { "mount attribute", mount_attr, N(mount_attr), false };

static const struct flag_name propagation[] = {
	{ "shared", MNTX_MS_SHARED, 0, MNTX_MS_SHARED, FN_BOTH, "events propagate to and from peers" },
	{ "slave", MNTX_MS_SLAVE, 0, MNTX_MS_SLAVE, FN_BOTH, "events propagate from the master only" },
	{ "private", MNTX_MS_PRIVATE, 0, MNTX_MS_PRIVATE, FN_BOTH, "no propagation" },
	{ "unbindable", MNTX_MS_UNBINDABLE, 0, MNTX_MS_UNBINDABLE, FN_BOTH, "private, and cannot be bind mounted" },
};
const struct flag_table flags_propagation = { "propagation type", propagation, N(propagation), true };

static const struct flag_name sb[] = {
	{ "ro", MNTX_SB_RDONLY, 0, MNTX_SB_RDONLY, FN_BOTH, "read-only superblock" },
	{ "sync", MNTX_SB_SYNCHRONOUS, 0, MNTX_SB_SYNCHRONOUS, FN_BOTH, "synchronous writes" },
	{ "dirsync", MNTX_SB_DIRSYNC, 0, MNTX_SB_DIRSYNC, FN_BOTH, "synchronous directory changes" },
	{ "lazytime", MNTX_SB_LAZYTIME, 0, MNTX_SB_LAZYTIME, FN_BOTH, "lazy time updates" },
};
const struct flag_table flags_sb = { "superblock flag", sb, N(sb), false };

#define S(x, name, help) { name, MNTX_STATMOUNT_##x, 0, MNTX_STATMOUNT_##x, FN_BOTH, help }
static const struct flag_name statmount_groups[] = {
	S(SB_BASIC, "sb_basic", "device, magic and superblock flags"),
	S(MNT_BASIC, "mnt_basic", "IDs, attributes and propagation"),
	S(PROPAGATE_FROM, "propagate_from", "the dominating peer group"),
	S(MNT_ROOT, "mnt_root", "the root of the mount in its filesystem"),
	S(MNT_POINT, "mnt_point", "the mount point"),
	S(FS_TYPE, "fs_type", "the filesystem type"),
	S(MNT_NS_ID, "mnt_ns_id", "the mount namespace ID (6.11)"),
	S(MNT_OPTS, "mnt_opts", "the filesystem options (6.11)"),
	S(FS_SUBTYPE, "fs_subtype", "the filesystem subtype (6.13)"),
	S(SB_SOURCE, "sb_source", "the source (6.13)"),
	S(OPT_ARRAY, "opt_array", "the filesystem options as an array (6.13)"),
	S(OPT_SEC_ARRAY, "opt_sec_array", "the security options as an array (6.13)"),
	S(SUPPORTED_MASK, "supported_mask", "what the kernel supports (6.15)"),
	S(MNT_UIDMAP, "mnt_uidmap", "the idmapping of user IDs (6.15)"),
	S(MNT_GIDMAP, "mnt_gidmap", "the idmapping of group IDs (6.15)"),
};
const struct flag_table flags_statmount = { "statmount group", statmount_groups, N(statmount_groups), false };

#define M(x, name, help) { name, MNTX_STATX_##x, 0, MNTX_STATX_##x, FN_BOTH, help }
static const struct flag_name statx_mask[] = {
	M(TYPE, "type", "file type"), M(MODE, "mode", "permission bits"),
	M(NLINK, "nlink", "link count"), M(UID, "uid", "owner"), M(GID, "gid", "group"),
	M(ATIME, "atime", "access time"), M(MTIME, "mtime", "modification time"),
	M(CTIME, "ctime", "status change time"), M(INO, "ino", "inode number"),
	M(SIZE, "size", "size"), M(BLOCKS, "blocks", "blocks allocated"),
	/* a union of the names above, not a rival of any: it decides no
	 * group, so "type,basic_stats" is no conflict */
	{ "basic_stats", MNTX_STATX_BASIC_STATS, 0, 0, FN_IN, "all of the above" },
	M(BTIME, "btime", "birth time"), M(MNT_ID, "mnt_id", "old mount ID (5.8)"),
	M(DIOALIGN, "dioalign", "direct I/O alignment (6.1)"),
	M(MNT_ID_UNIQUE, "mnt_id_unique", "unique mount ID (6.8)"),
	M(SUBVOL, "subvol", "subvolume ID (6.10)"),
	M(WRITE_ATOMIC, "write_atomic", "atomic write limits (6.11)"),
	M(DIO_READ_ALIGN, "dio_read_align", "direct I/O read alignment (6.14)"),
};
const struct flag_table flags_statx_mask = { "statx field", statx_mask, N(statx_mask), false };

#define T(x, name, help) { name, MNTX_STATX_ATTR_##x, 0, MNTX_STATX_ATTR_##x, FN_BOTH, help }
static const struct flag_name statx_attr[] = {
	T(IMMUTABLE, "immutable", "cannot be changed (chattr +i)"),
	T(APPEND, "append", "append only (chattr +a)"),
	T(NODUMP, "nodump", "not backed up by dump (chattr +d)"),
	T(ENCRYPTED, "encrypted", "encrypted by the filesystem"),
	T(VERITY, "verity", "fs-verity protected"),
	T(DAX, "dax", "direct access"),
	T(MOUNT_ROOT, "mount_root", "the root of a mount"),
	T(AUTOMOUNT, "automount", "an automount trigger"),
	T(COMPRESSED, "compressed", "compressed by the filesystem"),
	T(WRITE_ATOMIC, "write_atomic", "supports atomic writes"),
};
const struct flag_table flags_statx_attr = { "file attribute", statx_attr, N(statx_attr), false };

#define R(x, name, help) { name, MNTX_RESOLVE_##x, 0, MNTX_RESOLVE_##x, FN_BOTH, help }
/* beneath and in-root are one group: the kernel refuses both at once */
static const struct flag_name resolve[] = {
	R(NO_XDEV, "no-xdev", "never cross a mount (bind mounts included)"),
	R(NO_MAGICLINKS, "no-magiclinks", "never follow a /proc magic link"),
	R(NO_SYMLINKS, "no-symlinks", "never follow a symlink (magic links included)"),
	{ "beneath", MNTX_RESOLVE_BENEATH, 0, MNTX_RESOLVE_BENEATH | MNTX_RESOLVE_IN_ROOT, FN_BOTH,
	  "refuse anything that leaves the starting directory" },
	{ "in-root", MNTX_RESOLVE_IN_ROOT, 0, MNTX_RESOLVE_BENEATH | MNTX_RESOLVE_IN_ROOT, FN_BOTH,
	  "treat the starting directory as / (absolute paths and .. stay inside)" },
	R(CACHED, "cached", "only from the dentry cache, no I/O (5.12)"),
};
const struct flag_table flags_resolve = { "resolve flag", resolve, N(resolve), false };

/*
 * Open flags.  The access mode is a 2-bit field, O_SYNC holds O_DSYNC's bit
 * and O_TMPFILE holds O_DIRECTORY's, so those names share groups.
 */
#define O(x, name, help) { name, O_##x, 0, O_##x, FN_BOTH, help }
static const struct flag_name open_flags[] = {
	{ "rdonly", O_RDONLY, 0, O_ACCMODE, FN_BOTH, "read only" },
	{ "wronly", O_WRONLY, 0, O_ACCMODE, FN_BOTH, "write only" },
	{ "rdwr", O_RDWR, 0, O_ACCMODE, FN_BOTH, "read and write" },
	O(CREAT, "creat", "create the file if it does not exist"),
	O(EXCL, "excl", "with creat: fail if it exists"),
	O(TRUNC, "trunc", "truncate to size 0"),
	O(APPEND, "append", "write at the end"),
	O(NONBLOCK, "nonblock", "non-blocking open and I/O"),
	{ "sync", O_SYNC, 0, O_SYNC, FN_BOTH, "synchronous writes, data and metadata" },
	{ "dsync", O_DSYNC, 0, O_SYNC, FN_BOTH, "synchronous writes, data" },
	O(DIRECT, "direct", "direct I/O, bypassing the page cache"),
	O(DIRECTORY, "directory", "fail unless it is a directory"),
	O(NOFOLLOW, "nofollow", "fail if the last component is a symlink"),
	O(NOATIME, "noatime", "do not update the access time"),
	O(NOCTTY, "noctty", "a terminal does not become the controlling one"),
	O(PATH, "path", "a location only: no read or write (O_PATH)"),
	{ "tmpfile", O_TMPFILE, 0, O_TMPFILE, FN_BOTH, "an unnamed file in the directory PATH" },
};
const struct flag_table flags_open = { "open flag", open_flags, N(open_flags), false };

const struct flag_name *flags_lookup(const struct flag_table *t, const char *name, size_t len)
{
	for (size_t i = 0; i < t->n; i++)
		if ((t->names[i].dir & FN_IN) && strlen(t->names[i].name) == len &&
		    !strncmp(t->names[i].name, name, len))
			return &t->names[i];
	return NULL;
}

static void valid_names(const struct flag_table *t, bool (*ok)(const struct flag_name *),
			char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < t->n && used < size; i++) {
		if (!(t->names[i].dir & FN_IN) || (ok && !ok(&t->names[i])))
			continue;
		int r = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", t->names[i].name);

		if (r < 0)
			break;
		used += (size_t)r;
	}
}

/* The first item of @list before @end (NULL: in all of it) that decides
 * some of the bits of @group (or, in a single-name table, the first valid
 * item): what a name collides with. */
static const char *collider(const struct flag_table *t, const char *list, const char *end,
			    uint64_t group, size_t *len)
{
	for (const char *q = list; *q && (!end || q < end); q += *len + (q[*len] == ',')) {
		const struct flag_name *g;

		*len = strcspn(q, ",");
		g = *len ? flags_lookup(t, q, *len) : NULL;
		if (g && (t->single || (g->group & group)))
			return q;
	}
	return NULL;
}

/* Walk a list: every name must be known and accepted by @ok (when given),
 * and no two different names may decide the same bits; @take is called for
 * each.  Prints the usage error and returns -1 otherwise. */
static int walk(const struct flag_table *t, const char *list,
		bool (*ok)(const struct flag_name *), const char *refused,
		void (*take)(const struct flag_name *, void *), void *arg)
{
	uint64_t seen = 0;
	size_t count = 0;

	for (const char *p = list; *p; p += strcspn(p, ","), p += *p == ',') {
		size_t len = strcspn(p, ","), qlen = 0;
		const struct flag_name *f = len ? flags_lookup(t, p, len) : NULL;
		const char *q;

		if (!len)
			continue;
		if (!f || (ok && !ok(f))) {
			char names[512];

			valid_names(t, ok, names, sizeof(names));
			if (f)
				diag_usage("%s %s '%.*s' (valid: %s)", refused, t->what, (int)len, p,
					   names);
			else
				diag_usage("unknown %s '%.*s' (valid: %s)", t->what, (int)len, p, names);
			return -1;
		}
		if ((seen & f->group) || (t->single && count)) {
			/* earlier items agree among themselves, so the first
			 * one in the way is the same name (a harmless repeat,
			 * as mount(8) allows) or the one this contradicts */
			q = collider(t, list, p, f->group, &qlen);
			if (q && flags_lookup(t, q, qlen) == f)
				continue;
			diag_usage("conflicting %ss: '%.*s' and '%.*s'", t->what,
				   (int)qlen, q ? q : "", (int)len, p);
			return -1;
		}
		seen |= f->group;
		take(f, arg);
		count++;
	}
	return 0;
}

struct set_clr {
	uint64_t *set, *clr;
};

static void take_set(const struct flag_name *f, void *arg)
{
	struct set_clr *sc = arg;

	*sc->set |= f->set;
	if (sc->clr)
		*sc->clr |= f->clr;
}

int flags_parse(const struct flag_table *t, const char *list, uint64_t *set, uint64_t *clr)
{
	struct set_clr sc = { set, clr };

	return walk(t, list, NULL, NULL, take_set, &sc);
}

/* Only a name that sets bits can be cleared: "ro", not "rw" or "relatime". */
static bool clearable(const struct flag_name *f)
{
	return f->set != 0;
}

static void take_clear(const struct flag_name *f, void *arg)
{
	/* the whole group: clearing an atime mode clears MOUNT_ATTR__ATIME,
	 * which with nothing set is relatime, the kernel's rule */
	*(uint64_t *)arg |= f->group | f->set;
}

int flags_parse_clear(const struct flag_table *t, const char *list, const char *against,
		      uint64_t *clr)
{
	uint64_t mine = 0;

	if (walk(t, list, clearable, "cannot clear", take_clear, &mine) < 0)
		return -1;
	/* one name set and another cleared that decide the same bits */
	for (const char *p = list; against && *p; p += strcspn(p, ","), p += *p == ',') {
		size_t len = strcspn(p, ","), qlen = 0;
		const struct flag_name *f = len ? flags_lookup(t, p, len) : NULL;
		const char *q = f ? collider(t, against, NULL, f->group | f->set, &qlen) : NULL;

		if (q) {
			diag_usage("conflicting %ss: '%.*s' to set and '%.*s' to clear", t->what,
				   (int)qlen, q, (int)len, p);
			return -1;
		}
	}
	*clr |= mine;
	return 0;
}

size_t flags_names(const struct flag_table *t, uint64_t v, char *buf, size_t size, size_t *n)
{
	size_t used = 0;

	*n = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct flag_name *f = &t->names[i];
		size_t len = strlen(f->name) + 1;

		if (!(f->dir & FN_OUT) || (v & f->group) != f->set || used + len > size)
			continue;
		memcpy(buf + used, f->name, len);
		used += len;
		(*n)++;
	}
	return used;
}
