/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fsctx.h - filesystem contexts (fsopen(2)/fspick(2) fds): setting
 * options, and reading the kernel's messages back.
 *
 * fsconfig(2) says why it failed only through errno, which is almost
 * always EINVAL; the reason in words ("tmpfs: Bad value for 'size'") is
 * queued on the context fd, one message per read(2).  The queue is a ring
 * of 8 entries, so it must be drained after every call that may have
 * logged, or older messages are lost.  This module returns the messages;
 * the caller decides how to show them.  It also says which filesystem
 * types mount a block device (fsctx_type_needs_dev()).
 */
#ifndef MNTX_FSCTX_H
#define MNTX_FSCTX_H

#include <stdbool.h>
#include <stddef.h>

/** The level of a message, as the kernel tags it. */
enum fsctx_level {
	FSCTX_ERROR = 'e',
	FSCTX_WARNING = 'w',
	FSCTX_INFO = 'i',
	FSCTX_UNKNOWN = '?',	/* a line without a known tag, kept whole */
};

/** One message: "tmpfs: Bad value for 'size'" (no tag, no final newline). */
struct fsctx_msg {
	enum fsctx_level level;
	char *text;
};

/** The messages read so far; zero-initialise before use. */
struct fsctx_log {
	struct fsctx_msg *msgs;
	size_t n;
};

/**
 * fsctx_drain() - read every message queued on context @fd into @log.
 * @fd:  an fd from fsopen(2) or fspick(2)
 * @log: messages are appended
 *
 * An empty queue (ENODATA) is not an error.  A message longer than the
 * buffer is read again with a bigger one (kernels since 6.18 keep it
 * queued after EMSGSIZE; older ones drop it, and then it is lost).
 * Return: the number of messages appended, or -1 with errno.
 */
int fsctx_drain(int fd, struct fsctx_log *log);

/** fsctx_has(): true when @log holds a message of @level. */
bool fsctx_has(const struct fsctx_log *log, enum fsctx_level level);

/** fsctx_log_clear() - free the messages of @log and empty it. */
void fsctx_log_clear(struct fsctx_log *log);

/**
 * fsctx_set() - one option on context @fd: FSCONFIG_SET_FLAG when @value is
 * NULL, else FSCONFIG_SET_STRING.
 * Return: 0, or -1 with errno (the reason is in the context's log).
 */
int fsctx_set(int fd, const char *key, const char *value);

/**
 * fsctx_type_needs_dev() - whether the filesystem type @fstype mounts a
 * block device, as /proc/filesystems says (types without "nodev"):
 * ext4, xfs, vfat, iso9660... but not tmpfs, proc or nfs.
 * @fstype: a type as fsopen(2) takes it; a subtype ("fuse.sshfs") is
 *          looked up by its main type, as the kernel does
 *
 * A type the kernel does not know yet is not listed: fsopen(2) it first,
 * which loads its module.
 * Return: 1 (needs a device), 0 (does not, or not listed), -1 with errno
 * when /proc/filesystems cannot be read.
 */
int fsctx_type_needs_dev(const char *fstype);

#endif
