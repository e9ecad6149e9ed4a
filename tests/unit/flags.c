// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of flags.h: flags_parse() and flags_names() on every table
 * (mount attributes, propagation, superblock flags, statmount groups,
 * statx fields and file attributes):
 * unknown names, conflicts, rw clearing ro, the atime group, empty items,
 * the usage messages, and names that survive a round trip.
 */
#include "abi.h"
#include "diag.h"
#include "flags.h"
#include "unit.h"

#define A(x) MNTX_MOUNT_ATTR_##x

/* flags_parse() with stderr captured into *@msg (malloc'd, or NULL). */
static int parse(const struct flag_table *t, const char *list, uint64_t *set, uint64_t *clr,
		 char **msg)
{
	struct unit_capture c;
	int r;

	unit_capture(&c, &stderr);
	r = flags_parse(t, list, set, clr);
	*msg = unit_release(&c);
	return r;
}

/* A list that parses, with the bits it should give, and no message. */
static void ok(const struct flag_table *t, const char *list, uint64_t want_set, uint64_t want_clr)
{
	uint64_t set = 0, clr = 0;
	char *msg;

	if (!CHECK(parse(t, list, &set, &clr, &msg) == 0))
		fprintf(unit_log, "  %s: '%s' refused: %s", t->what, list, msg);
	else if (!CHECK_U64(set, want_set) || !CHECK_U64(clr, want_clr))
		fprintf(unit_log, "  %s: '%s'\n", t->what, list);
	CHECK_STR(msg, "");
	free(msg);
}

/* A list that is refused with this usage message (its first line). */
static void bad(const struct flag_table *t, const char *list, const char *want)
{
	uint64_t set = 0, clr = 0;
	char *msg, *nl;

	if (!CHECK(parse(t, list, &set, &clr, &msg) == -1))
		fprintf(unit_log, "  %s: '%s' accepted\n", t->what, list);
	nl = strchr(msg, '\n');
	if (CHECK(nl)) {
		*nl = '\0';
		CHECK_STR(msg, want);
		CHECK_STR(nl + 1, "Try 'unit --help' for more information.\n");
	}
	free(msg);
}

static void test_mount_attr(void)
{
	const struct flag_table *t = &flags_mount_attr;
	const char *valid = " (valid: ro, rw, nosuid, suid, nodev, dev, noexec, exec, noatime, "
			    "nodiratime, diratime, relatime, strictatime, nosymfollow, symfollow)";
	char want[512];

	ok(t, "ro", A(RDONLY), 0);
	ok(t, "ro,nosuid,nodev,noexec", A(RDONLY) | A(NOSUID) | A(NODEV) | A(NOEXEC), 0);
	/* the positive forms clear what their negative forms set */
	ok(t, "rw", 0, A(RDONLY));
	ok(t, "suid,dev,exec,symfollow,diratime", 0,
	   A(NOSUID) | A(NODEV) | A(NOEXEC) | A(NOSYMFOLLOW) | A(NODIRATIME));
	ok(t, "rw,nosuid", A(NOSUID), A(RDONLY));
	/* the atime group: one value, and it clears the whole field */
	ok(t, "noatime", A(NOATIME), A(_ATIME));
	ok(t, "relatime", A(RELATIME), A(_ATIME));
	ok(t, "strictatime", A(STRICTATIME), A(_ATIME));
	ok(t, "nodiratime,noatime", A(NODIRATIME) | A(NOATIME), A(_ATIME));
	ok(t, "nosymfollow", A(NOSYMFOLLOW), 0);
	/* empty items are ignored; the empty list is no flag at all */
	ok(t, "", 0, 0);
	ok(t, ",", 0, 0);
	ok(t, ",,ro,,nosuid,", A(RDONLY) | A(NOSUID), 0);
	/* a name given twice is no conflict */
	ok(t, "ro,ro", A(RDONLY), 0);
	ok(t, "noatime,nosuid,noatime", A(NOATIME) | A(NOSUID), A(_ATIME));

	/* conflicts name both items, the earlier first */
	bad(t, "ro,rw", "unit: conflicting mount attributes: 'ro' and 'rw'");
	bad(t, "rw,nosuid,ro", "unit: conflicting mount attributes: 'rw' and 'ro'");
	bad(t, "noatime,relatime", "unit: conflicting mount attributes: 'noatime' and 'relatime'");
	bad(t, "strictatime,nodev,noatime",
	    "unit: conflicting mount attributes: 'strictatime' and 'noatime'");
	bad(t, "nosuid,suid", "unit: conflicting mount attributes: 'nosuid' and 'suid'");
	bad(t, "nodiratime,,diratime",
	    "unit: conflicting mount attributes: 'nodiratime' and 'diratime'");
	bad(t, "ro,ro,rw", "unit: conflicting mount attributes: 'ro' and 'rw'");

	/* unknown names, listing the valid ones (not the output-only idmapped) */
	snprintf(want, sizeof(want), "unit: unknown mount attribute 'foo'%s", valid);
	bad(t, "foo", want);
	snprintf(want, sizeof(want), "unit: unknown mount attribute 'idmapped'%s", valid);
	bad(t, "idmapped", want);
	snprintf(want, sizeof(want), "unit: unknown mount attribute 'RO'%s", valid);
	bad(t, "nosuid,RO", want);
	snprintf(want, sizeof(want), "unit: unknown mount attribute 'nosu'%s", valid);
	bad(t, "nosu", want);	/* no prefix matching */
	snprintf(want, sizeof(want), "unit: unknown mount attribute 'ro '%s", valid);
	bad(t, "ro ", want);
	snprintf(want, sizeof(want), "unit: unknown mount attribute 'ro=1'%s", valid);
	bad(t, "ro=1", want);

	/* set and clr are added to, not replaced; clr may be NULL */
	{
		uint64_t set = A(NODEV), clr = A(NOEXEC);
		char *msg;

		CHECK(parse(t, "ro,suid", &set, &clr, &msg) == 0);
		CHECK_U64(set, A(NODEV) | A(RDONLY));
		CHECK_U64(clr, A(NOEXEC) | A(NOSUID));
		free(msg);
		set = 0;
		CHECK(parse(t, "rw,noatime", &set, NULL, &msg) == 0);
		CHECK_U64(set, A(NOATIME));
		free(msg);
	}
}

static void test_propagation(void)
{
	const struct flag_table *t = &flags_propagation;
	const char *valid = " (valid: shared, slave, private, unbindable)";
	char want[256];

	ok(t, "shared", MNTX_MS_SHARED, 0);
	ok(t, "slave", MNTX_MS_SLAVE, 0);
	ok(t, "private", MNTX_MS_PRIVATE, 0);
	ok(t, "unbindable", MNTX_MS_UNBINDABLE, 0);
	ok(t, ",shared,", MNTX_MS_SHARED, 0);
	ok(t, "shared,shared", MNTX_MS_SHARED, 0);
	ok(t, "", 0, 0);
	/* one name only: any two distinct names conflict */
	bad(t, "shared,slave", "unit: conflicting propagation types: 'shared' and 'slave'");
	bad(t, "private,,unbindable",
	    "unit: conflicting propagation types: 'private' and 'unbindable'");
	bad(t, "slave,slave,shared", "unit: conflicting propagation types: 'slave' and 'shared'");
	snprintf(want, sizeof(want), "unit: unknown propagation type 'rshared'%s", valid);
	bad(t, "rshared", want);
	snprintf(want, sizeof(want), "unit: unknown propagation type 'share'%s", valid);
	bad(t, "share", want);
}

static void test_sb(void)
{
	const struct flag_table *t = &flags_sb;
	char want[256];

	ok(t, "ro", MNTX_SB_RDONLY, 0);
	ok(t, "ro,sync,dirsync,lazytime",
	   MNTX_SB_RDONLY | MNTX_SB_SYNCHRONOUS | MNTX_SB_DIRSYNC | MNTX_SB_LAZYTIME, 0);
	snprintf(want, sizeof(want),
		 "unit: unknown superblock flag 'rw' (valid: ro, sync, dirsync, lazytime)");
	bad(t, "rw", want);
}

static void test_statmount(void)
{
	const struct flag_table *t = &flags_statmount;
	uint64_t all = 0;

	ok(t, "sb_basic", MNTX_STATMOUNT_SB_BASIC, 0);
	ok(t, "sb_basic,mnt_basic,mnt_point", MNTX_STATMOUNT_SB_BASIC | MNTX_STATMOUNT_MNT_BASIC |
	   MNTX_STATMOUNT_MNT_POINT, 0);
	ok(t, "mnt_uidmap,mnt_gidmap", MNTX_STATMOUNT_MNT_UIDMAP | MNTX_STATMOUNT_MNT_GIDMAP, 0);
	ok(t, "supported_mask", MNTX_STATMOUNT_SUPPORTED_MASK, 0);
	/* every group, each a distinct bit */
	for (size_t i = 0; i < t->n; i++) {
		CHECK(t->names[i].set && !(t->names[i].set & (t->names[i].set - 1)));
		CHECK(!(all & t->names[i].set));
		all |= t->names[i].set;
	}
	{
		const char *want = "unit: unknown statmount group 'sb' (valid: sb_basic, mnt_basic, ";
		uint64_t set = 0;
		char *msg;

		CHECK(parse(t, "sb_basic,sb", &set, NULL, &msg) == -1);
		CHECK(!strncmp(msg, want, strlen(want)));
		free(msg);
	}
}

static void test_statx(void)
{
	const struct flag_table *t = &flags_statx_mask;

	ok(t, "type,mode", MNTX_STATX_TYPE | MNTX_STATX_MODE, 0);
	ok(t, "mnt_id_unique", MNTX_STATX_MNT_ID_UNIQUE, 0);
	/* basic_stats is the union of eleven names, and no rival of them */
	ok(t, "basic_stats", MNTX_STATX_BASIC_STATS, 0);
	ok(t, "type,basic_stats,btime", MNTX_STATX_BASIC_STATS | MNTX_STATX_BTIME, 0);
	ok(t, "basic_stats,size", MNTX_STATX_BASIC_STATS, 0);
	ok(t, "basic_stats,basic_stats", MNTX_STATX_BASIC_STATS, 0);
	bad(t, "types", "unit: unknown statx field 'types' (valid: type, mode, nlink, uid, gid, "
	    "atime, mtime, ctime, ino, size, blocks, basic_stats, btime, mnt_id, dioalign, "
	    "mnt_id_unique, subvol, write_atomic, dio_read_align)");

	t = &flags_statx_attr;
	ok(t, "immutable,append", MNTX_STATX_ATTR_IMMUTABLE | MNTX_STATX_ATTR_APPEND, 0);
	ok(t, "mount_root", MNTX_STATX_ATTR_MOUNT_ROOT, 0);
	bad(t, "+i", "unit: unknown file attribute '+i' (valid: immutable, append, nodump, "
	    "encrypted, verity, dax, mount_root, automount, compressed, write_atomic)");
}

/* flags_names() as a space-separated string, for easy comparison. */
static const char *names(const struct flag_table *t, uint64_t v, size_t size, size_t *n)
{
	static char out[1024];
	char buf[1024];
	size_t len = flags_names(t, v, buf, size, n);

	CHECK(len <= size);
	memcpy(out, buf, len);
	out[len] = '\0';
	for (size_t i = 0; i + 1 < len; i++)
		if (!out[i])
			out[i] = ' ';
	if (len)
		CHECK(out[len - 1] == '\0');
	return out;
}

static void test_names(void)
{
	size_t n;

	/* no atime bit is relatime, the kernel's default */
	CHECK_STR(names(&flags_mount_attr, 0, 1024, &n), "relatime");
	CHECK_U64(n, 1);
	CHECK_STR(names(&flags_mount_attr, A(RDONLY) | A(NOSUID) | A(NODEV) | A(NOEXEC) |
			A(NOATIME) | A(NODIRATIME) | A(NOSYMFOLLOW) | A(IDMAP), 1024, &n),
		  "ro nosuid nodev noexec noatime nodiratime nosymfollow idmapped");
	CHECK_U64(n, 8);
	CHECK_STR(names(&flags_mount_attr, A(STRICTATIME), 1024, &n), "strictatime");
	/* an impossible atime value names no atime mode */
	CHECK_STR(names(&flags_mount_attr, A(NOATIME) | A(STRICTATIME) | A(RDONLY), 1024, &n), "ro");
	CHECK_U64(n, 1);
	/* bits no name stands for are left out */
	CHECK_STR(names(&flags_mount_attr, (1ull << 40) | A(NOATIME), 1024, &n), "noatime");
	/* a short buffer holds the names that fit, whole */
	CHECK_STR(names(&flags_mount_attr, A(RDONLY) | A(NOSUID) | A(NOATIME), 3, &n), "ro");
	CHECK_U64(n, 1);
	CHECK_STR(names(&flags_mount_attr, A(RDONLY) | A(NOSUID), 10, &n), "ro nosuid");
	CHECK_U64(n, 2);
	CHECK_STR(names(&flags_mount_attr, A(RDONLY) | A(NOSUID), 9, &n), "ro");
	CHECK_STR(names(&flags_mount_attr, A(RDONLY), 0, &n), "");
	CHECK_U64(n, 0);

	CHECK_STR(names(&flags_propagation, MNTX_MS_SHARED, 1024, &n), "shared");
	CHECK_STR(names(&flags_propagation, MNTX_MS_SHARED | MNTX_MS_SLAVE, 1024, &n), "shared slave");
	CHECK_U64(n, 2);
	CHECK_STR(names(&flags_propagation, MNTX_MS_PRIVATE, 1024, &n), "private");
	CHECK_STR(names(&flags_propagation, MNTX_MS_UNBINDABLE, 1024, &n), "unbindable");
	CHECK_STR(names(&flags_propagation, 0, 1024, &n), "");
	CHECK_U64(n, 0);

	CHECK_STR(names(&flags_sb, 0, 1024, &n), "");
	CHECK_STR(names(&flags_sb, MNTX_SB_RDONLY | MNTX_SB_SYNCHRONOUS | MNTX_SB_DIRSYNC |
			MNTX_SB_LAZYTIME, 1024, &n), "ro sync dirsync lazytime");
	CHECK_U64(n, 4);

	CHECK_STR(names(&flags_statmount, MNTX_STATMOUNT_SB_BASIC | MNTX_STATMOUNT_MNT_BASIC, 1024, &n),
		  "sb_basic mnt_basic");

	/* basic_stats is never printed: its parts are */
	CHECK_STR(names(&flags_statx_mask, MNTX_STATX_BASIC_STATS | MNTX_STATX_MNT_ID_UNIQUE, 1024, &n),
		  "type mode nlink uid gid atime mtime ctime ino size blocks mnt_id_unique");
	CHECK_U64(n, 12);
	CHECK_STR(names(&flags_statx_attr, MNTX_STATX_ATTR_MOUNT_ROOT | MNTX_STATX_ATTR_AUTOMOUNT |
			(1ull << 60), 1024, &n), "mount_root automount");
}

/* Every name users may give and that is also printed survives a round trip. */
static void test_round_trip(void)
{
	const struct flag_table *const tables[] = {
		&flags_mount_attr, &flags_propagation, &flags_sb, &flags_statmount,
		&flags_statx_mask, &flags_statx_attr,
	};

	for (size_t k = 0; k < sizeof(tables) / sizeof(tables[0]); k++) {
		const struct flag_table *t = tables[k];

		for (size_t i = 0; i < t->n; i++) {
			const struct flag_name *f = &t->names[i];
			uint64_t set = 0;
			char *msg;
			size_t n;

			CHECK(f->name && *f->name && f->help && *f->help);
			CHECK(f->dir & FN_BOTH);
			/* a printed name's bits are all in its group, or it
			 * could never be printed */
			if (f->dir & FN_OUT)
				CHECK((f->set & ~f->group) == 0);
			if (!(f->dir & FN_IN)) {
				CHECK(!flags_lookup(t, f->name, strlen(f->name)));
				continue;
			}
			CHECK(flags_lookup(t, f->name, strlen(f->name)) == f);
			CHECK(!flags_lookup(t, f->name, strlen(f->name) - 1));
			if (!CHECK(parse(t, f->name, &set, NULL, &msg) == 0))
				fprintf(unit_log, "  %s '%s'\n", t->what, f->name);
			free(msg);
			CHECK_U64(set, f->set);
			if (f->dir & FN_OUT) {
				const char *s = names(t, set, 1024, &n);
				size_t len = strlen(f->name);
				const char *p = strstr(s, f->name);

				if (!CHECK(p && (p == s || p[-1] == ' ') && (!p[len] || p[len] == ' ')))
					fprintf(unit_log, "  %s '%s' printed as '%s'\n", t->what,
						f->name, s);
			}
		}
	}
}

int main(void)
{
	unit_begin();
	diag_set_prog("unit");
	test_mount_attr();
	test_propagation();
	test_sb();
	test_statmount();
	test_statx();
	test_names();
	test_round_trip();
	return unit_end("flags");
}
