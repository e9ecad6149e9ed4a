// SPDX-License-Identifier: GPL-2.0-or-later
/* filerec.c - the file record schema and its filling; see filerec.h. */
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "filerec.h"
#include "flags.h"

#define X(x) MNTX_STATX_##x

const struct mntx_col file_cols[FC__COUNT] = { FILE_COL_DEFS };

static const unsigned int masks[FC__COUNT] = {
	[FC_TYPE] = X(TYPE), [FC_MODE] = X(MODE), [FC_PERMS] = X(TYPE) | X(MODE),
	[FC_NLINK] = X(NLINK), [FC_UID] = X(UID), [FC_GID] = X(GID), [FC_USER] = X(UID),
	[FC_GROUP] = X(GID), [FC_INO] = X(INO), [FC_SIZE] = X(SIZE), [FC_BLOCKS] = X(BLOCKS),
	[FC_ATIME] = X(ATIME), [FC_BTIME] = X(BTIME), [FC_CTIME] = X(CTIME), [FC_MTIME] = X(MTIME),
	[FC_MNT_ID] = X(MNT_ID_UNIQUE), [FC_DIO_MEM_ALIGN] = X(DIOALIGN),
	[FC_DIO_OFFSET_ALIGN] = X(DIOALIGN), [FC_DIO_READ_OFFSET_ALIGN] = X(DIO_READ_ALIGN),
	[FC_SUBVOL] = X(SUBVOL), [FC_AW_UNIT_MIN] = X(WRITE_ATOMIC), [FC_AW_UNIT_MAX] = X(WRITE_ATOMIC),
	[FC_AW_UNIT_MAX_OPT] = X(WRITE_ATOMIC), [FC_AW_SEGMENTS_MAX] = X(WRITE_ATOMIC),
	[FC_LINK_TARGET] = X(TYPE),
};

unsigned int file_mask(enum file_col col)
{
	return masks[col];
}

unsigned int file_mask_for(const struct out_ctx *o)
{
	unsigned int mask = 0;

	for (size_t i = 0; i < FC__COUNT; i++)
		if (out_needs(o, i))
			mask |= masks[i];
	return mask;
}

const char *file_type_name(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return "regular";
	case S_IFDIR: return "directory";
	case S_IFLNK: return "symlink";
	case S_IFIFO: return "fifo";
	case S_IFSOCK: return "socket";
	case S_IFBLK: return "block";
	case S_IFCHR: return "char";
	}
	return "unknown";
}

static void perms(mode_t mode, char *p)
{
	static const char types[] = "?pc?d?b?-?l?s???";
	const char *rwx = "rwxrwxrwx";

	p[0] = types[(mode & S_IFMT) >> 12];
	for (int i = 0; i < 9; i++)
		p[1 + i] = (mode & (0400 >> i)) ? rwx[i] : '-';
	if (mode & S_ISUID)
		p[3] = (mode & S_IXUSR) ? 's' : 'S';
	if (mode & S_ISGID)
		p[6] = (mode & S_IXGRP) ? 's' : 'S';
	if (mode & S_ISVTX)
		p[9] = (mode & S_IXOTH) ? 't' : 'T';
	p[10] = '\0';
}

static const char *user_name(struct file_text *t, uid_t uid)
{
	if (!t->have_user || t->last_uid != uid) {
		struct passwd *pw = getpwuid(uid);

		t->last_uid = uid;
		t->have_user = pw ? 1 : -1;
		if (pw)
			strlcpy(t->user, pw->pw_name, sizeof(t->user));
	}
	return t->have_user > 0 ? t->user : NULL;
}

static const char *group_name(struct file_text *t, gid_t gid)
{
	if (!t->have_group || t->last_gid != gid) {
		struct group *gr = getgrgid(gid);

		t->last_gid = gid;
		t->have_group = gr ? 1 : -1;
		if (gr)
			strlcpy(t->group, gr->gr_name, sizeof(t->group));
	}
	return t->have_group > 0 ? t->group : NULL;
}

static int64_t ns(const struct mntx_statx_timestamp *ts)
{
	return ts->tv_sec * 1000000000 + ts->tv_nsec;
}

void file_fill(const struct out_ctx *o, struct mntx_rec *r, const struct mntx_statx *stx,
	       struct file_text *t)
{
	unsigned int m = stx->stx_mask;

	if (m & X(TYPE))
		rec_str(r, FC_TYPE, file_type_name(stx->stx_mode));
	if (m & X(MODE))
		rec_u64(r, FC_MODE, stx->stx_mode & 07777);
	if ((m & X(TYPE)) && (m & X(MODE)) && out_needs(o, FC_PERMS)) {
		perms(stx->stx_mode, t->perms);
		rec_str(r, FC_PERMS, t->perms);
	}
	if (m & X(NLINK))
		rec_u64(r, FC_NLINK, stx->stx_nlink);
	if (m & X(UID)) {
		rec_u64(r, FC_UID, stx->stx_uid);
		if (out_needs(o, FC_USER))
			rec_str(r, FC_USER, user_name(t, stx->stx_uid));
	}
	if (m & X(GID)) {
		rec_u64(r, FC_GID, stx->stx_gid);
		if (out_needs(o, FC_GROUP))
			rec_str(r, FC_GROUP, group_name(t, stx->stx_gid));
	}
	if (m & X(INO))
		rec_u64(r, FC_INO, stx->stx_ino);
	if (m & X(SIZE))
		rec_u64(r, FC_SIZE, stx->stx_size);
	if (m & X(BLOCKS))
		rec_u64(r, FC_BLOCKS, stx->stx_blocks);
	/* blksize, dev and rdev come with every statx: they have no mask bit */
	rec_u64(r, FC_BLKSIZE, stx->stx_blksize);
	rec_u64(r, FC_DEV_MAJOR, stx->stx_dev_major);
	rec_u64(r, FC_DEV_MINOR, stx->stx_dev_minor);
	if ((m & X(TYPE)) && (S_ISBLK(stx->stx_mode) || S_ISCHR(stx->stx_mode))) {
		rec_u64(r, FC_RDEV_MAJOR, stx->stx_rdev_major);
		rec_u64(r, FC_RDEV_MINOR, stx->stx_rdev_minor);
	}
	if (m & X(ATIME))
		rec_s64(r, FC_ATIME, ns(&stx->stx_atime));
	if (m & X(BTIME))
		rec_s64(r, FC_BTIME, ns(&stx->stx_btime));
	if (m & X(CTIME))
		rec_s64(r, FC_CTIME, ns(&stx->stx_ctime));
	if (m & X(MTIME))
		rec_s64(r, FC_MTIME, ns(&stx->stx_mtime));
	if (m & X(MNT_ID_UNIQUE))
		rec_u64(r, FC_MNT_ID, stx->stx_mnt_id);
	if (m & X(DIOALIGN)) {
		rec_u64(r, FC_DIO_MEM_ALIGN, stx->stx_dio_mem_align);
		rec_u64(r, FC_DIO_OFFSET_ALIGN, stx->stx_dio_offset_align);
	}
	if (m & X(DIO_READ_ALIGN))
		rec_u64(r, FC_DIO_READ_OFFSET_ALIGN, stx->stx_dio_read_offset_align);
	if (m & X(SUBVOL))
		rec_u64(r, FC_SUBVOL, stx->stx_subvol);
	if (m & X(WRITE_ATOMIC)) {
		rec_u64(r, FC_AW_UNIT_MIN, stx->stx_atomic_write_unit_min);
		rec_u64(r, FC_AW_UNIT_MAX, stx->stx_atomic_write_unit_max);
		rec_u64(r, FC_AW_UNIT_MAX_OPT, stx->stx_atomic_write_unit_max_opt);
		rec_u64(r, FC_AW_SEGMENTS_MAX, stx->stx_atomic_write_segments_max);
	}
	if (out_needs(o, FC_ATTRIBUTES)) {
		size_t n, len;

		/* only the bits the filesystem says it supports */
		len = flags_names(&flags_statx_attr, stx->stx_attributes & stx->stx_attributes_mask,
				  t->attrs, sizeof(t->attrs), &n);
		rec_list(r, FC_ATTRIBUTES, t->attrs, len, n);
	}
}
