/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mounts.h - the mounts of a namespace, from listmount(2)/statmount(2) or,
 * on kernels without them, from /proc/PID/mountinfo.
 *
 * Both back-ends describe a mount with the same struct mntx_mount; a field
 * only one of them knows is absent (a NULL string, a clear MH_* bit) in the
 * other.  Strings point into the namespace's buffer and stay valid until
 * the next call on the same struct mnt_ns.
 */
#ifndef MNTX_MOUNTS_H
#define MNTX_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Which numeric fields of a struct mntx_mount are known. */
enum mount_have {
	MH_ID = 1 << 0,		/* id, parent_id (unique) */
	MH_OLD_ID = 1 << 1,	/* old_id, old_parent_id */
	MH_ATTR = 1 << 2,	/* attr */
	MH_PROPAGATION = 1 << 3,	/* propagation, peer_group, master */
	MH_PROPAGATE_FROM = 1 << 4,
	MH_DEV = 1 << 5,	/* maj, min */
	MH_MAGIC = 1 << 6,	/* sb_magic */
	MH_SB_FLAGS = 1 << 7,	/* sb_flags */
	MH_NS_ID = 1 << 8,	/* ns_id */
};

/** A list of NUL-terminated strings back to back. */
struct mount_strs {
	const char *buf;	/* NULL: not known */
	size_t len, n;
};

struct mntx_mount {
	unsigned int have;	/* enum mount_have */
	uint64_t id, parent_id;
	uint32_t old_id, old_parent_id;
	uint64_t attr;		/* MOUNT_ATTR_* */
	uint64_t propagation;	/* MS_SHARED|MS_SLAVE|MS_UNBINDABLE or MS_PRIVATE */
	uint64_t peer_group, master, propagate_from;	/* 0: none */
	uint32_t maj, min;
	uint64_t sb_magic;
	uint32_t sb_flags;
	uint64_t ns_id;
	const char *fs_type, *fs_subtype;	/* subtype NULL when none */
	const char *root, *target, *source;
	const char *mnt_opts;	/* fs options, escaped as in mountinfo, no ro/rw */
	struct mount_strs opt_array, opt_sec_array, uid_map, gid_map;
};

enum mount_backend {
	MB_AUTO,	/* listmount/statmount, else mountinfo */
	MB_LISTMOUNT,
	MB_MOUNTINFO,
};

struct mnt_ns;

/**
 * mnt_backend_parse() - a --kernel value: "listmount" or "mountinfo".
 * Return: 0, or -1 for another word.
 */
int mnt_backend_parse(const char *s, enum mount_backend *b);

/**
 * mnt_ns_open() - the mount namespace to read.
 * @pid:     a process whose namespace to read, or 0 for our own
 * @ns_id:   a namespace by its ID (listmount only), or 0
 * @backend: which source to use; MB_AUTO picks listmount and falls back
 *
 * Return: 0, or -1 with errno (ENOSYS: a forced listmount the kernel lacks).
 */
int mnt_ns_open(struct mnt_ns **ns, pid_t pid, uint64_t ns_id, enum mount_backend backend);
void mnt_ns_close(struct mnt_ns *ns);

/** mnt_ns_backend() - the back-end in use (MB_LISTMOUNT or MB_MOUNTINFO). */
enum mount_backend mnt_ns_backend(const struct mnt_ns *ns);
/**
 * mnt_ns_supported() - the STATMOUNT_* groups the kernel fills for this
 * namespace (0 with mountinfo).
 */
uint64_t mnt_ns_supported(const struct mnt_ns *ns);
/** mnt_ns_fell_back() - true when MB_AUTO had to use mountinfo. */
bool mnt_ns_fell_back(const struct mnt_ns *ns);

/**
 * mnt_stat() - one mount by ID.
 * @id:   a unique ID, or an old (mountinfo) ID below 2^31
 * @mask: the STATMOUNT_* groups wanted
 * Return: 0, or -1 with errno (ENOENT: no such mount).
 */
int mnt_stat(struct mnt_ns *ns, uint64_t id, uint64_t mask, const struct mntx_mount **m);

/**
 * mnt_stat_path() - the mount that holds @path (symlinks followed); for the
 * namespace of a process, @path is taken in that process's root.
 * Return: 0, or -1 with errno.
 */
int mnt_stat_path(struct mnt_ns *ns, const char *path, uint64_t mask,
		  const struct mntx_mount **m);

/**
 * mnt_list_begin() - start listing mounts.
 * @below:   0 for every mount; else the ID of a mount whose submounts to list
 *           (the whole subtree, not the mount itself)
 * @reverse: newest first
 * Return: 0, or -1 with errno.
 */
int mnt_list_begin(struct mnt_ns *ns, uint64_t below, bool reverse);

/**
 * mnt_list_ids() - start listing the mounts @ids, in that order (unique IDs
 * for listmount, old IDs for mountinfo), as mnt_list_begin() does: read by
 * mnt_list_next(), on every CPU.  @ids must stay until the listing ends.
 * Return: 0, or -1 with errno.
 */
int mnt_list_ids(struct mnt_ns *ns, const uint64_t *ids, size_t n);

/**
 * mnt_list_next() - the next mount.  Mounts that vanish while listing are
 * skipped.
 * Return: 1 with *@m set, 0 at the end, -1 with errno.
 */
int mnt_list_next(struct mnt_ns *ns, uint64_t mask, const struct mntx_mount **m);

/**
 * mountinfo_parse_line() - one line of /proc/PID/mountinfo, in place.
 * @line: the line without its newline; modified (fields split, unescaped)
 * Return: 0, or -1 with errno EINVAL when the line is malformed.
 */
int mountinfo_parse_line(char *line, struct mntx_mount *m);

/** mount_unescape() - undo mountinfo's \NNN octal escapes in place. */
void mount_unescape(char *s);

#endif
