// SPDX-License-Identifier: GPL-2.0-or-later
/* mountrec.c - the mount record schema and its filling; see mountrec.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "abi.h"
#include "diag.h"
#include "feature.h"
#include "flags.h"
#include "mountrec.h"

#define SM(x) MNTX_STATMOUNT_##x

const struct mntx_col mount_cols[MC__COUNT] = {
	[MC_ID] = { "id", "ID", COL_U64, COLF_RIGHT, 0, "unique mount ID" },
	[MC_PARENT_ID] = { "parent_id", "PARENT", COL_U64, COLF_RIGHT, 0, "unique ID of the parent mount" },
	[MC_OLD_ID] = { "old_id", "OLD-ID", COL_U64, COLF_RIGHT, 0, "mount ID as in /proc/self/mountinfo" },
	[MC_OLD_PARENT_ID] = { "old_parent_id", "OLD-PARENT", COL_U64, COLF_RIGHT, 0, "parent's mountinfo ID" },
	[MC_TARGET] = { "target", "TARGET", COL_STR, COLF_DEFAULT | COLF_TREE, 0, "mount point" },
	[MC_ROOT] = { "root", "FSROOT", COL_STR, 0, 0, "root of the mount within its filesystem" },
	[MC_SOURCE] = { "source", "SOURCE", COL_STR, COLF_DEFAULT, 0.25, "source device or name" },
	[MC_FSTYPE] = { "fstype", "FSTYPE", COL_STR, COLF_DEFAULT, 0.1, "filesystem type (with subtype: fuse.sshfs)" },
	[MC_OPTIONS] = { "options", "OPTIONS", COL_STR, COLF_DEFAULT | COLF_TRUNC, 0, "all mount options, as findmnt" },
	[MC_VFS_OPTIONS] = { "vfs_options", "VFS-OPTIONS", COL_STR, COLF_TRUNC, 0, "per-mount options" },
	[MC_FS_OPTIONS] = { "fs_options", "FS-OPTIONS", COL_STR, COLF_TRUNC, 0, "superblock options" },
	[MC_PROPAGATION] = { "propagation", "PROPAGATION", COL_LIST, 0, 0, "propagation types: shared, slave, private, unbindable" },
	[MC_PEER_GROUP] = { "peer_group", "PEER-GROUP", COL_U64, COLF_RIGHT, 0, "peer group ID (shared:N), null if not shared" },
	[MC_MASTER] = { "master", "MASTER", COL_U64, COLF_RIGHT, 0, "master's peer group (master:N), null if not a slave" },
	[MC_PROPAGATE_FROM] = { "propagate_from", "PROPAGATE-FROM", COL_U64, COLF_RIGHT, 0, "dominating peer group, null if none" },
	[MC_MAJ] = { "maj", "MAJ", COL_U64, COLF_RIGHT, 0, "major device number" },
	[MC_MIN] = { "min", "MIN", COL_U64, COLF_RIGHT, 0, "minor device number" },
	[MC_SB_MAGIC] = { "sb_magic", "SB-MAGIC", COL_HEX, COLF_RIGHT, 0, "filesystem magic number" },
	[MC_FS_NAME] = { "fs_name", "FS-NAME", COL_STR, 0, 0, "filesystem named by its magic, where known" },
	[MC_SB_FLAGS] = { "sb_flags", "SB-FLAGS", COL_LIST, 0, 0, "superblock flags: ro, sync, dirsync, lazytime" },
	[MC_MNT_ATTR] = { "mnt_attr", "MNT-ATTR", COL_LIST, 0, 0, "mount attributes (MOUNT_ATTR_*)" },
	[MC_NS_ID] = { "ns_id", "NS-ID", COL_U64, COLF_RIGHT, 0, "mount namespace ID" },
	[MC_UID_MAP] = { "uid_map", "UID-MAP", COL_LIST, 0, 0, "idmapped mount: user ID mapping" },
	[MC_GID_MAP] = { "gid_map", "GID-MAP", COL_LIST, 0, 0, "idmapped mount: group ID mapping" },
	[MC_OPT_ARRAY] = { "opt_array", "OPT-ARRAY", COL_LIST, 0, 0, "filesystem options, one by one, unescaped" },
	[MC_OPT_SEC_ARRAY] = { "opt_sec_array", "OPT-SEC-ARRAY", COL_LIST, 0, 0, "security module options" },
};

static const uint64_t masks[MC__COUNT] = {
	[MC_ID] = SM(MNT_BASIC), [MC_PARENT_ID] = SM(MNT_BASIC),
	[MC_OLD_ID] = SM(MNT_BASIC), [MC_OLD_PARENT_ID] = SM(MNT_BASIC),
	[MC_TARGET] = SM(MNT_POINT), [MC_ROOT] = SM(MNT_ROOT), [MC_SOURCE] = SM(SB_SOURCE),
	[MC_FSTYPE] = SM(FS_TYPE) | SM(FS_SUBTYPE),
	[MC_OPTIONS] = SM(MNT_BASIC) | SM(SB_BASIC) | SM(MNT_OPTS),
	[MC_VFS_OPTIONS] = SM(MNT_BASIC), [MC_FS_OPTIONS] = SM(SB_BASIC) | SM(MNT_OPTS),
	[MC_PROPAGATION] = SM(MNT_BASIC), [MC_PEER_GROUP] = SM(MNT_BASIC),
	[MC_MASTER] = SM(MNT_BASIC), [MC_PROPAGATE_FROM] = SM(PROPAGATE_FROM),
	[MC_MAJ] = SM(SB_BASIC), [MC_MIN] = SM(SB_BASIC), [MC_SB_MAGIC] = SM(SB_BASIC),
	[MC_FS_NAME] = SM(SB_BASIC), [MC_SB_FLAGS] = SM(SB_BASIC), [MC_MNT_ATTR] = SM(MNT_BASIC),
	[MC_NS_ID] = SM(MNT_NS_ID), [MC_UID_MAP] = SM(MNT_UIDMAP), [MC_GID_MAP] = SM(MNT_GIDMAP),
	[MC_OPT_ARRAY] = SM(OPT_ARRAY), [MC_OPT_SEC_ARRAY] = SM(OPT_SEC_ARRAY),
};

uint64_t mount_mask(enum mount_col col)
{
	return masks[col];
}

uint64_t mount_mask_for(const struct out_ctx *o)
{
	uint64_t mask = 0;

	for (size_t i = 0; i < MC__COUNT; i++)
		if (out_needs(o, i))
			mask |= masks[i];
	return mask;
}

/* The feature a column needs when the back-end in use cannot fill it, or
 * FEAT__COUNT when it can. */
static enum feature col_missing(enum mount_col c, const struct mnt_ns *ns)
{
	/* the groups mntx takes from mountinfo when statmount lacks them */
	static const uint64_t from_mi = SM(SB_SOURCE) | SM(MNT_OPTS) | SM(FS_SUBTYPE) |
					SM(OPT_ARRAY) | SM(OPT_SEC_ARRAY);
	uint64_t lack;

	if (mnt_ns_backend(ns) == MB_MOUNTINFO) {
		switch (c) {
		case MC_ID: case MC_PARENT_ID: case MC_SB_MAGIC: case MC_FS_NAME:
			return FEAT_LISTMOUNT;
		case MC_NS_ID:
			return feature_has(FEAT_MNTNS_ID) ? FEAT__COUNT : FEAT_MNTNS_ID;
		case MC_UID_MAP: case MC_GID_MAP:
			return FEAT_STATMOUNT_IDMAP;
		default:
			return FEAT__COUNT;
		}
	}
	lack = masks[c] & ~mnt_ns_supported(ns) & ~from_mi;
	if (lack & SM(MNT_NS_ID))
		return FEAT_MNTNS_ID;
	if (lack & (SM(MNT_UIDMAP) | SM(MNT_GIDMAP)))
		return FEAT_STATMOUNT_IDMAP;
	return FEAT__COUNT;
}

void mount_note_unknown(const struct out_ctx *o, const struct mnt_ns *ns)
{
	char msg[512];
	size_t len = 0;

	if (mnt_ns_backend(ns) == MB_MOUNTINFO && !mnt_ns_fell_back(ns))
		return;	/* a back-end the user chose */
	for (enum feature f = 0; f < FEAT__COUNT; f++) {
		const char *sep = len ? "; " : "";
		int n = 0;

		for (size_t c = 0; c < MC__COUNT; c++) {
			if (!out_user_chose(o, c) || col_missing(c, ns) != f)
				continue;
			len += (size_t)snprintf(msg + len, sizeof(msg) - len, "%s%s", sep,
						mount_cols[c].header);
			if (len >= sizeof(msg))
				return;
			sep = ", ";
			n++;
		}
		if (n && len < sizeof(msg))
			len += (size_t)snprintf(msg + len, sizeof(msg) - len, " need%s %s",
						n == 1 ? "s" : "", feature_needs(f));
		if (len >= sizeof(msg))
			return;
	}
	if (len)
		diag_warn("note: null on this kernel: %s", msg);
}

const char *mount_table_columns(const struct mnt_ns *ns)
{
	return mnt_ns_backend(ns) == MB_MOUNTINFO ? "OLD-ID,TARGET,SOURCE,FSTYPE,OPTIONS,PROPAGATION"
						   : "ID,TARGET,SOURCE,FSTYPE,OPTIONS,PROPAGATION";
}

/* Filesystem names by superblock magic (include/uapi/linux/magic.h). */
static const struct { uint64_t magic; const char *name; } fs_names[] = {
	{ 0xef53, "ext4" }, { 0x01021994, "tmpfs" }, { 0x9fa0, "proc" },
	{ 0x62656572, "sysfs" }, { 0x1cd1, "devpts" }, { 0x27e0eb, "cgroup" },
	{ 0x63677270, "cgroup2" }, { 0x73636673, "securityfs" }, { 0x64626720, "debugfs" },
	{ 0x74726163, "tracefs" }, { 0x58465342, "xfs" }, { 0x9123683e, "btrfs" },
	{ 0x2fc12fc1, "zfs" }, { 0x6969, "nfs" }, { 0x65735546, "fuse" },
	{ 0x794c7630, "overlay" }, { 0x858458f6, "ramfs" }, { 0x42494e4d, "binfmt_misc" },
	{ 0x19800202, "mqueue" }, { 0x958458f6, "hugetlbfs" }, { 0xcafe4a11, "bpf" },
	{ 0x6e736673, "nsfs" }, { 0x50495046, "pipefs" }, { 0x534f434b, "sockfs" },
	{ 0x4d44, "vfat" }, { 0x5346544e, "ntfs" }, { 0xf2f52010, "f2fs" },
	{ 0x9660, "iso9660" }, { 0x73717368, "squashfs" }, { 0xe0f5e1e2, "erofs" },
	{ 0x01161970, "gfs2" }, { 0xff534d42, "cifs" }, { 0x6165676c, "pstore" },
	{ 0xde5e81e4, "efivarfs" }, { 0x47504653, "gpfs" }, { 0x5a3c69f0, "aafs" },
	{ 0xca451a4e, "bcachefs" }, { 0x454d444d, "devmem" }, { 0x53464846, "wslfs" },
	{ 0x1373, "devfs" }, { 0x43415d53, "smackfs" }, { 0xf97cff8c, "selinuxfs" },
	{ 0x1badface, "bfs" }, { 0x3153464a, "jfs" }, { 0x52654973, "reiserfs" },
	{ 0x7655821, "rdtgroup" }, { 0x8584, "autofs" }, { 0x0187, "autofs" },
	{ 0x67596969, "rpc_pipefs" }, { 0xabba1974, "xenfs" }, { 0x2bad1dea, "inotifyfs" },
	{ 0x09041934, "anon_inode_fs" }, { 0x50494446, "pidfs" },
};

static const char *fs_name(uint64_t magic)
{
	for (size_t i = 0; i < sizeof(fs_names) / sizeof(fs_names[0]); i++)
		if (fs_names[i].magic == magic)
			return fs_names[i].name;
	return NULL;
}

const char *mount_fstype(const struct mntx_mount *m, char *buf, size_t size)
{
	if (!m->fs_type)
		return NULL;
	if (!m->fs_subtype || !*m->fs_subtype)
		return m->fs_type;
	snprintf(buf, size, "%s.%s", m->fs_type, m->fs_subtype);
	return buf;
}

/* ---- scratch text ------------------------------------------------------------- */

void mount_text_free(struct mount_text *t)
{
	free(t->buf);
	*t = (struct mount_text){ 0 };
}

/* Size the scratch once per record, before pointers into it are taken, so
 * it never moves under a record. */
static int text_reserve(struct mount_text *t, size_t need)
{
	t->used = 0;
	if (need > t->cap) {
		char *nb = realloc(t->buf, need);

		if (!nb)
			return -1;
		t->buf = nb;
		t->cap = need;
	}
	return 0;
}

/* The free end of the scratch, and the claim of its first @len bytes + NUL. */
static char *text_end(struct mount_text *t)
{
	return t->buf + t->used;
}

static const char *text_claim(struct mount_text *t, size_t len)
{
	char *p = t->buf + t->used;

	p[len] = '\0';
	t->used += len + 1;
	return p;
}

/* Append "item" to the comma list being built at p. */
static void join(char *p, size_t *len, const char *item, size_t n)
{
	if (!n)
		return;
	if (*len)
		p[(*len)++] = ',';
	memcpy(p + *len, item, n);
	*len += n;
	p[*len] = '\0';
}

/* The VFS option string mountinfo shows for these attributes. */
static size_t vfs_text(uint64_t attr, char *p)
{
	static const struct { uint64_t bit; const char *name; } t[] = {
		{ MNTX_MOUNT_ATTR_NOSUID, "nosuid" }, { MNTX_MOUNT_ATTR_NODEV, "nodev" },
		{ MNTX_MOUNT_ATTR_NOEXEC, "noexec" }, { MNTX_MOUNT_ATTR_NOATIME, "noatime" },
		{ MNTX_MOUNT_ATTR_NODIRATIME, "nodiratime" },
	};
	size_t len = 0;

	join(p, &len, attr & MNTX_MOUNT_ATTR_RDONLY ? "ro" : "rw", 2);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (attr & t[i].bit)
			join(p, &len, t[i].name, strlen(t[i].name));
	if (!(attr & MNTX_MOUNT_ATTR__ATIME))
		join(p, &len, "relatime", 8);
	if (attr & MNTX_MOUNT_ATTR_NOSYMFOLLOW)
		join(p, &len, "nosymfollow", 11);
	if (attr & MNTX_MOUNT_ATTR_IDMAP)
		join(p, &len, "idmapped", 8);
	return len;
}

/* The superblock option string mountinfo shows, unescaped as findmnt
 * shows it (\040 is a space): opt_array has the options one by one. */
static size_t fs_text(const struct mntx_mount *m, char *p, bool with_rw)
{
	static const struct { uint32_t bit; const char *name; } t[] = {
		{ MNTX_SB_SYNCHRONOUS, "sync" }, { MNTX_SB_DIRSYNC, "dirsync" },
		{ MNTX_SB_LAZYTIME, "lazytime" },
	};
	size_t len = 0;

	p[0] = '\0';
	if (with_rw)
		join(p, &len, m->sb_flags & MNTX_SB_RDONLY ? "ro" : "rw", 2);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (m->sb_flags & t[i].bit)
			join(p, &len, t[i].name, strlen(t[i].name));
	if (m->mnt_opts && *m->mnt_opts) {
		join(p, &len, m->mnt_opts, strlen(m->mnt_opts));
		if (memchr(p, '\\', len)) {
			mount_unescape(p);
			len = strlen(p);
		}
	}
	return len;
}

int mount_fill(const struct out_ctx *o, struct mntx_rec *r, const struct mntx_mount *m,
	       struct mount_text *t)
{
	size_t optlen = m->mnt_opts ? strlen(m->mnt_opts) : 0;
	bool have_vfs = m->have & MH_ATTR;
	bool have_fs = (m->have & MH_SB_FLAGS) && m->mnt_opts;
	char *p;
	size_t n, len;

	/* three option strings, the fstype and three name lists at most */
	if (text_reserve(t, 3 * (optlen + 160) + 1024) < 0)
		return -1;
	if (m->have & MH_ID) {
		rec_u64(r, MC_ID, m->id);
		rec_u64(r, MC_PARENT_ID, m->parent_id);
	}
	if (m->have & MH_OLD_ID) {
		rec_u64(r, MC_OLD_ID, m->old_id);
		rec_u64(r, MC_OLD_PARENT_ID, m->old_parent_id);
	}
	rec_str(r, MC_TARGET, m->target);
	rec_str(r, MC_ROOT, m->root);
	rec_str(r, MC_SOURCE, m->source);
	if (m->have & MH_PROPAGATION) {
		if (m->peer_group)
			rec_u64(r, MC_PEER_GROUP, m->peer_group);
		if (m->master)
			rec_u64(r, MC_MASTER, m->master);
	}
	if ((m->have & MH_PROPAGATE_FROM) && m->propagate_from)
		rec_u64(r, MC_PROPAGATE_FROM, m->propagate_from);
	if (m->have & MH_DEV) {
		rec_u64(r, MC_MAJ, m->maj);
		rec_u64(r, MC_MIN, m->min);
	}
	if (m->have & MH_MAGIC) {
		rec_u64(r, MC_SB_MAGIC, m->sb_magic);
		rec_str(r, MC_FS_NAME, fs_name(m->sb_magic));
	}
	if (m->have & MH_NS_ID)
		rec_u64(r, MC_NS_ID, m->ns_id);
	if (m->opt_array.buf)
		rec_list(r, MC_OPT_ARRAY, m->opt_array.buf, m->opt_array.len, m->opt_array.n);
	if (m->opt_sec_array.buf)
		rec_list(r, MC_OPT_SEC_ARRAY, m->opt_sec_array.buf, m->opt_sec_array.len,
			 m->opt_sec_array.n);
	if (m->uid_map.buf)
		rec_list(r, MC_UID_MAP, m->uid_map.buf, m->uid_map.len, m->uid_map.n);
	if (m->gid_map.buf)
		rec_list(r, MC_GID_MAP, m->gid_map.buf, m->gid_map.len, m->gid_map.n);

	/* derived text, only for the columns shown */
	if (have_vfs && out_needs(o, MC_VFS_OPTIONS))
		rec_str(r, MC_VFS_OPTIONS, text_claim(t, vfs_text(m->attr, text_end(t))));
	if (have_fs && out_needs(o, MC_FS_OPTIONS))
		rec_str(r, MC_FS_OPTIONS, text_claim(t, fs_text(m, text_end(t), true)));
	if (have_vfs && have_fs && out_needs(o, MC_OPTIONS)) {
		/* as libmount merges them: the VFS options, ro when either half
		 * is read-only, then the superblock options without ro/rw */
		uint64_t attr = m->attr;
		size_t extra;

		if (m->sb_flags & MNTX_SB_RDONLY)
			attr |= MNTX_MOUNT_ATTR_RDONLY;
		p = text_end(t);
		len = vfs_text(attr, p);
		extra = fs_text(m, p + len + 1, false);
		if (extra) {
			p[len] = ',';
			len += 1 + extra;
		}
		rec_str(r, MC_OPTIONS, text_claim(t, len));
	}
	if (m->fs_type && out_needs(o, MC_FSTYPE)) {
		const char *ft = mount_fstype(m, text_end(t), 512);

		rec_str(r, MC_FSTYPE, ft == text_end(t) ? text_claim(t, strlen(ft)) : ft);
	}
	if ((m->have & MH_PROPAGATION) && out_needs(o, MC_PROPAGATION)) {
		len = flags_names(&flags_propagation, m->propagation, text_end(t), 64, &n);
		rec_list(r, MC_PROPAGATION, text_end(t), len, n);
		t->used += len;
	}
	if ((m->have & MH_SB_FLAGS) && out_needs(o, MC_SB_FLAGS)) {
		len = flags_names(&flags_sb, m->sb_flags, text_end(t), 64, &n);
		rec_list(r, MC_SB_FLAGS, text_end(t), len, n);
		t->used += len;
	}
	if ((m->have & MH_ATTR) && out_needs(o, MC_MNT_ATTR)) {
		len = flags_names(&flags_mount_attr, m->attr, text_end(t), 160, &n);
		rec_list(r, MC_MNT_ATTR, text_end(t), len, n);
		t->used += len;
	}
	return 0;
}
