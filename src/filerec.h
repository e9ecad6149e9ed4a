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

/*
 * The column definitions, as designated initializers, so that a tool whose
 * records carry a field or two more (fh-open's handle) can declare its own
 * constant table: { FILE_COL_DEFS, [FC__COUNT] = { "handle", ... } }.
 * Keys and types are the schema fswalk and statx share: keep them stable.
 */
#define FILE_COL_DEFS \
	[FC_PATH] = { "path", "PATH", COL_STR, COLF_DEFAULT, 0, "the path as given or found" }, \
	[FC_TYPE] = { "type", "TYPE", COL_STR, COLF_DEFAULT, 0, "regular, directory, symlink, fifo, socket, block or char" }, \
	[FC_MODE] = { "mode", "MODE", COL_OCT, COLF_RIGHT, 0, "permission bits (07777), a number" }, \
	[FC_PERMS] = { "perms", "PERMS", COL_STR, COLF_DEFAULT, 0, "type and permissions as ls shows them" }, \
	[FC_NLINK] = { "nlink", "NLINK", COL_U64, COLF_RIGHT, 0, "number of hard links" }, \
	[FC_UID] = { "uid", "UID", COL_U64, COLF_RIGHT, 0, "owner's user ID" }, \
	[FC_GID] = { "gid", "GID", COL_U64, COLF_RIGHT, 0, "owner's group ID" }, \
	[FC_USER] = { "user", "USER", COL_STR, COLF_DEFAULT, 0, "owner's user name" }, \
	[FC_GROUP] = { "group", "GROUP", COL_STR, COLF_DEFAULT, 0, "owner's group name" }, \
	[FC_INO] = { "ino", "INODE", COL_U64, COLF_RIGHT, 0, "inode number" }, \
	[FC_SIZE] = { "size", "SIZE", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, 0, "size in bytes" }, \
	[FC_BLOCKS] = { "blocks", "BLOCKS", COL_U64, COLF_RIGHT, 0, "512-byte blocks allocated" }, \
	[FC_BLKSIZE] = { "blksize", "BLKSIZE", COL_U64, COLF_RIGHT, 0, "preferred I/O block size" }, \
	[FC_DEV_MAJOR] = { "dev_major", "DEV-MAJ", COL_U64, COLF_RIGHT, 0, "major number of the device holding it" }, \
	[FC_DEV_MINOR] = { "dev_minor", "DEV-MIN", COL_U64, COLF_RIGHT, 0, "minor number of the device holding it" }, \
	[FC_RDEV_MAJOR] = { "rdev_major", "RDEV-MAJ", COL_U64, COLF_RIGHT, 0, "major number, for a device node" }, \
	[FC_RDEV_MINOR] = { "rdev_minor", "RDEV-MIN", COL_U64, COLF_RIGHT, 0, "minor number, for a device node" }, \
	[FC_ATIME] = { "atime_ns", "ATIME", COL_TIME, 0, 0, "last access, ns since the epoch" }, \
	[FC_BTIME] = { "btime_ns", "BTIME", COL_TIME, 0, 0, "birth, ns since the epoch" }, \
	[FC_CTIME] = { "ctime_ns", "CTIME", COL_TIME, 0, 0, "last status change, ns since the epoch" }, \
	[FC_MTIME] = { "mtime_ns", "MTIME", COL_TIME, COLF_DEFAULT, 0, "last modification, ns since the epoch" }, \
	[FC_MNT_ID] = { "mnt_id", "MNT-ID", COL_U64, COLF_RIGHT, 0, "unique ID of the mount holding it" }, \
	[FC_DIO_MEM_ALIGN] = { "dio_mem_align", "DIO-MEM-ALIGN", COL_U64, COLF_RIGHT, 0, "direct I/O memory alignment" }, \
	[FC_DIO_OFFSET_ALIGN] = { "dio_offset_align", "DIO-OFFSET-ALIGN", COL_U64, COLF_RIGHT, 0, "direct I/O offset alignment" }, \
	[FC_DIO_READ_OFFSET_ALIGN] = { "dio_read_offset_align", "DIO-READ-ALIGN", COL_U64, COLF_RIGHT, 0, "direct I/O read offset alignment" }, \
	[FC_SUBVOL] = { "subvol", "SUBVOL", COL_U64, COLF_RIGHT, 0, "subvolume ID (btrfs, bcachefs)" }, \
	[FC_AW_UNIT_MIN] = { "atomic_write_unit_min", "AW-UNIT-MIN", COL_U64, COLF_RIGHT, 0, "smallest atomic write" }, \
	[FC_AW_UNIT_MAX] = { "atomic_write_unit_max", "AW-UNIT-MAX", COL_U64, COLF_RIGHT, 0, "largest atomic write" }, \
	[FC_AW_UNIT_MAX_OPT] = { "atomic_write_unit_max_opt", "AW-UNIT-MAX-OPT", COL_U64, COLF_RIGHT, 0, "largest fast atomic write" }, \
	[FC_AW_SEGMENTS_MAX] = { "atomic_write_segments_max", "AW-SEGMENTS-MAX", COL_U64, COLF_RIGHT, 0, "most segments in an atomic write" }, \
	[FC_ATTRIBUTES] = { "attributes", "ATTRIBUTES", COL_LIST, 0, 0, "file attributes the filesystem supports and has set" }, \
	[FC_LINK_TARGET] = { "link_target", "LINK-TARGET", COL_STR, 0, 0, "a symlink's target" }

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
