/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * filerec.h - the file record: one schema for statx, openat2, fh-open and
 * fswalk, filled from a struct statx.
 */
#ifndef MNTX_FILEREC_H
#define MNTX_FILEREC_H

#include <stdint.h>
#include <sys/types.h>
#include "abi.h"
#include "out.h"

enum file_col {
	FC_PATH, FC_TYPE, FC_MODE, FC_PERMS, FC_NLINK, FC_UID, FC_GID, FC_USER, FC_GROUP,
	FC_INO, FC_SIZE, FC_BLOCKS, FC_BLKSIZE,
	FC_DEV_MAJOR, FC_DEV_MINOR, FC_RDEV_MAJOR, FC_RDEV_MINOR,
	FC_ATIME, FC_BTIME, FC_CTIME, FC_MTIME,
	FC_MNT_ID, FC_DIO_MEM_ALIGN, FC_DIO_OFFSET_ALIGN, FC_DIO_READ_OFFSET_ALIGN,
	FC_SUBVOL, FC_AW_UNIT_MIN, FC_AW_UNIT_MAX, FC_AW_UNIT_MAX_OPT, FC_AW_SEGMENTS_MAX,
	FC_ATTRIBUTES, FC_LINK_TARGET,
	FC__COUNT
};

extern const struct mntx_col file_cols[FC__COUNT];

/** file_mask() - the STATX_* bits column @col needs (0: none, e.g. path). */
unsigned int file_mask(enum file_col col);

/** file_mask_for() - the STATX_* bits the selected columns of @o need. */
unsigned int file_mask_for(const struct out_ctx *o);

/** file_type_name() - "regular", "directory", "symlink", ... for a mode. */
const char *file_type_name(mode_t mode);

/**
 * struct file_text - scratch for the text file_fill() derives; it must live
 * as long as the record it fed.  Keeps the last user and group names
 * looked up, since a walk meets the same owners again and again.
 */
struct file_text {
	char perms[11];
	char attrs[256];
	uid_t last_uid;
	gid_t last_gid;
	char user[64], group[64];
	int have_user, have_group;	/* 0 not looked up, 1 found, -1 no name */
};

/**
 * file_fill() - set the fields of @r from @stx; a field whose mask bit the
 * kernel did not return stays null.  The path and the link target are
 * the caller's (rec_str/rec_strn with FC_PATH, FC_LINK_TARGET).
 */
void file_fill(const struct out_ctx *o, struct mntx_rec *r, const struct mntx_statx *stx,
	       struct file_text *t);

#endif
