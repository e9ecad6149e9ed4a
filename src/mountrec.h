/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mountrec.h - the mount record: one schema for lsmnt, statmount and every
 * tool that prints the mount it made or changed.
 */
#ifndef MNTX_MOUNTREC_H
#define MNTX_MOUNTREC_H

#include <stdint.h>
#include "mounts.h"
#include "out.h"

enum mount_col {
	MC_ID, MC_PARENT_ID, MC_OLD_ID, MC_OLD_PARENT_ID,
	MC_TARGET, MC_ROOT, MC_SOURCE, MC_FSTYPE,
	MC_OPTIONS, MC_VFS_OPTIONS, MC_FS_OPTIONS,
	MC_PROPAGATION, MC_PEER_GROUP, MC_MASTER, MC_PROPAGATE_FROM,
	MC_MAJ, MC_MIN, MC_SB_MAGIC, MC_FS_NAME, MC_SB_FLAGS, MC_MNT_ATTR,
	MC_NS_ID, MC_UID_MAP, MC_GID_MAP, MC_OPT_ARRAY, MC_OPT_SEC_ARRAY,
	MC__COUNT
};

extern const struct mntx_col mount_cols[MC__COUNT];

/** mount_mask() - the statmount groups that column @col needs. */
uint64_t mount_mask(enum mount_col col);

/** mount_mask_for() - the statmount groups the selected columns of @o need. */
uint64_t mount_mask_for(const struct out_ctx *o);

/**
 * mount_note_unknown() - when the kernel made mntx fall back (mountinfo for
 * listmount, or a statmount without some groups), say once on stderr which
 * of the columns the user chose will be null and which kernel gives them.
 * Nothing is said for default columns the fallback gives.
 */
void mount_note_unknown(const struct out_ctx *o, const struct mnt_ns *ns);

/**
 * mount_table_columns() - the default table of tools that show mounts they
 * were given or changed: by unique ID, or by mountinfo's ID on the mountinfo
 * back-end (before Linux 6.8), where unique IDs are null.
 */
const char *mount_table_columns(const struct mnt_ns *ns);

/** mount_fstype() - "fuse.sshfs": the type joined with the subtype, in @buf. */
const char *mount_fstype(const struct mntx_mount *m, char *buf, size_t size);

/**
 * struct mount_text - scratch space for the text mount_fill() derives
 * (option strings, name lists); it lives as long as the record it fed.
 */
struct mount_text {
	char *buf;
	size_t cap, used;
};

/**
 * mount_fill() - set the fields of record @r from mount @m, deriving the
 * text of the columns @o selected.
 * Return: 0, or -1 with errno (ENOMEM).
 */
int mount_fill(const struct out_ctx *o, struct mntx_rec *r, const struct mntx_mount *m,
	       struct mount_text *t);

void mount_text_free(struct mount_text *t);

#endif
