/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fhandle.h - file handles (name_to_handle_at/open_by_handle_at) as one
 * token a shell can carry, and the way back from a handle to an open file.
 *
 * The handle string, version 1:
 *
 *     fh1:<K><MNTID>:t<TYPE>:<BYTES>
 *
 *   K      'u' when MNTID is a unique mount ID (AT_HANDLE_MNT_ID_UNIQUE,
 *          Linux 6.12; always above 2^31), 'o' when it is an old, reusable
 *          mountinfo ID (below 2^31), from kernels without unique IDs
 *   MNTID  the mount ID in lower-case hex, no leading zeros
 *   TYPE   the handle type in lower-case hex, no leading zeros, at most
 *          7fffffff (its high 16 bits are the kernel's FILEID_* flags)
 *   BYTES  the opaque handle in lower-case hex, 1 to 128 bytes
 *
 * Only [0-9a-z:] appear: no space, no shell metacharacter, one word.
 * The parser is strict (one spelling per handle) and says what is wrong.
 */
#ifndef MNTX_FHANDLE_H
#define MNTX_FHANDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FH_MAX_BYTES 128	/* MAX_HANDLE_SZ */
/* "fh1:" 'u' 16 ':' 't' 8 ':' 256, and the NUL */
#define FH_STR_MAX (4 + 1 + 16 + 2 + 8 + 1 + 2 * FH_MAX_BYTES + 1)

/** A decoded handle. */
struct fh {
	uint64_t mnt_id;
	bool unique;		/* mnt_id is a unique ID, not an old one */
	uint32_t type;		/* handle_type, non-negative as an int */
	size_t len;		/* bytes used in @bytes, 1..FH_MAX_BYTES */
	unsigned char bytes[FH_MAX_BYTES];
};

/**
 * fh_format() - the handle string of @h.
 * @buf:  receives it, NUL-terminated
 * @size: at least FH_STR_MAX for any handle
 *
 * Return: its length, or -1 with errno (ENOSPC: @buf too small; EINVAL:
 * @h cannot be written, e.g. no bytes).
 */
int fh_format(const struct fh *h, char *buf, size_t size);

/**
 * fh_parse() - a handle string back into @h.
 * @s:   the string
 * @why: receives what is wrong with it on failure (a static phrase:
 *       "unknown version 'fh2'", "odd number of hex digits in the bytes")
 *
 * Return: 0, or -1 with errno EINVAL.
 */
int fh_parse(const char *s, struct fh *h, const char **why);

/**
 * fh_hex() - @h's bytes as lower-case hex into @buf (2 * len + 1 bytes).
 */
void fh_hex(const struct fh *h, char *buf);

/**
 * fh_encode() - the handle of a file: name_to_handle_at(2) asking for the
 * unique mount ID, and for the old ID on kernels before 6.12.
 * @dfd, @path: the file, as for name_to_handle_at
 * @flags: AT_SYMLINK_FOLLOW, AT_EMPTY_PATH, MNTX_AT_HANDLE_FID,
 *         MNTX_AT_HANDLE_CONNECTABLE
 *
 * Return: 0 (h->unique says which ID it got), or -1 with errno as
 * name_to_handle_at sets it (EOPNOTSUPP: the filesystem has no handles).
 */
int fh_encode(int dfd, const char *path, int flags, struct fh *h);

struct mnt_ns;

/**
 * fh_mount_open() - an fd on the mount the handle names, to decode it with.
 * @ns:    the mount namespace (mnt_ns_open())
 * @h:     the handle
 * @point: NULL, or receives the mount point's path (malloc'd, to be
 *         freed, also on failure, where it is NULL when none was found)
 *
 * The mount point from statmount is opened and checked with statx to be
 * that very mount: a path can be covered by another mount, or the mount
 * moved in between, so the lookup is tried a few times.
 *
 * Return: the fd, or -1 with errno: ENOENT the mount is gone; EXDEV it is
 * outside this process's root (no mount point); EBUSY its mount point
 * holds another mount on top of it, or it kept moving; ENODEV it is
 * mounted on a device node or FIFO, which is not opened.
 */
int fh_mount_open(struct mnt_ns *ns, const struct fh *h, char **point);

/**
 * fh_open() - open_by_handle_at(2) of @h relative to @mount_fd.
 * @flags: open flags; O_CLOEXEC is added
 *
 * Return: the fd, or -1 with errno (ESTALE: no such file any more on this
 * filesystem; EPERM: no CAP_DAC_READ_SEARCH).
 */
int fh_open(int mount_fd, const struct fh *h, int flags);

#endif
