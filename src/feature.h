/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * feature.h - what the running kernel offers, found by calling it.
 *
 * Each feature of the mount and file API that came after Linux 5.10 has an
 * entry here: a name (the word `mntx --features` prints and the tests'
 * `needs` helper takes), the kernel version that brought it, the kernel's
 * own name for it, and a probe.  A probe calls the feature with arguments
 * that cannot change anything (a bad fd, a detached mount, an fd closed at
 * once) and tells the answer of a kernel that knows it (EBADF, EOVERFLOW...)
 * from that of one that does not (ENOSYS, EINVAL for an unknown flag).  No
 * version string is compared: distribution kernels backport.
 *
 * Tools ask feature_has() when the kernel refused something, to name what
 * is missing ("--beneath needs Linux 6.5 (MOVE_MOUNT_BENEATH)") instead of
 * guessing at why EINVAL came back.  Each probe runs at most once per
 * process.
 */
#ifndef MNTX_FEATURE_H
#define MNTX_FEATURE_H

#include <stddef.h>

enum feature {
	FEAT_MOUNT_API,		/* fsopen, fsconfig, fsmount, fspick, move_mount, open_tree: 5.2 */
	FEAT_OPENAT2,		/* 5.6 */
	FEAT_MOUNT_SETATTR,	/* mount_setattr, MOUNT_ATTR_IDMAP: 5.12 */
	FEAT_RESOLVE_CACHED,	/* 5.12 */
	FEAT_MOUNT_ATTR_NOSYMFOLLOW,	/* 5.14 */
	FEAT_MOVE_MOUNT_SET_GROUP,	/* 5.15 */
	FEAT_STATX_DIOALIGN,	/* 6.1 */
	FEAT_IDMAPPED_TMPFS,	/* 6.3 */
	FEAT_MOVE_MOUNT_BENEATH,	/* 6.5 */
	FEAT_AT_HANDLE_FID,	/* 6.5 */
	FEAT_FSCONFIG_CREATE_EXCL,	/* 6.6 */
	FEAT_LISTMOUNT,		/* listmount and statmount: 6.8 */
	FEAT_UNIQUE_MNT_ID,	/* STATX_MNT_ID_UNIQUE: 6.8 */
	FEAT_MNTNS_ID,		/* NS_GET_MNTNS_ID, listmount of another namespace: 6.11 */
	FEAT_LISTMOUNT_REVERSE,	/* 6.11 */
	FEAT_STATMOUNT_MNT_OPTS,	/* 6.11 */
	FEAT_AT_HANDLE_MNT_ID_UNIQUE,	/* 6.12 */
	FEAT_STATMOUNT_SB_SOURCE,	/* SB_SOURCE, FS_SUBTYPE: 6.13 */
	FEAT_STATMOUNT_OPT_ARRAY,	/* OPT_ARRAY, OPT_SEC_ARRAY: 6.13 */
	FEAT_AT_HANDLE_CONNECTABLE,	/* 6.13 */
	FEAT_STATMOUNT_SUPPORTED_MASK,	/* 6.15 */
	FEAT_STATMOUNT_IDMAP,	/* MNT_UIDMAP, MNT_GIDMAP: 6.15 */
	FEAT_OPEN_TREE_ATTR,	/* 6.15 */
	FEAT_LISTMOUNT_NS_FD,	/* mnt_ns_fd in mnt_id_req: 6.18 */
	FEAT__COUNT
};

/** What a probe found. */
enum feature_state {
	FEATURE_NO = 0,
	FEATURE_YES = 1,
	FEATURE_UNKNOWN = 2,	/* the probe itself was refused (no privilege) */
};

struct feature_info {
	const char *name;	/* "move_mount_beneath" */
	const char *since;	/* the first Linux version with it: "6.5" */
	const char *kname;	/* the kernel's name for it: "MOVE_MOUNT_BENEATH" */
	const char *used_by;	/* what in mntx needs it: "move-mount --beneath, ..." */
	const char *without;	/* what mntx does on a kernel without it */
};

/** feature_info() - the description of @f. */
const struct feature_info *feature_info(enum feature f);

/** feature_find() - the feature called @name; -1 when there is none. */
int feature_find(const char *name);

/** feature_probe() - probe @f (once per process) and say what was found. */
enum feature_state feature_probe(enum feature f);

/**
 * feature_has() - whether the kernel has @f.  A probe that could not tell
 * counts as yes: the caller then reports the kernel's own error.
 */
static inline int feature_has(enum feature f)
{
	return feature_probe(f) != FEATURE_NO;
}

/**
 * feature_needs() - "Linux 6.5 (MOVE_MOUNT_BENEATH)", for messages that say
 * what is missing: "--beneath needs %s".
 */
const char *feature_needs(enum feature f);

#endif
