/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sys.h - thin wrappers of the syscalls glibc 2.36 lacks or types too
 * narrowly.  Each returns what the kernel returns: -1 with errno set on
 * failure.
 */
#ifndef MNTX_SYS_H
#define MNTX_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "abi.h"

int sys_statmount(const struct mntx_mnt_id_req *req, struct mntx_statmount *buf,
		  size_t bufsize, unsigned int flags);
ssize_t sys_listmount(const struct mntx_mnt_id_req *req, __u64 *ids, size_t nr,
		      unsigned int flags);
int sys_statx(int dfd, const char *path, int flags, unsigned int mask,
	      struct mntx_statx *stx);
int sys_open_tree(int dfd, const char *path, unsigned int flags);
int sys_open_tree_attr(int dfd, const char *path, unsigned int flags,
		       struct mntx_mount_attr *attr, size_t size);
int sys_move_mount(int from_dfd, const char *from, int to_dfd, const char *to,
		   unsigned int flags);
int sys_fsopen(const char *fstype, unsigned int flags);
int sys_fspick(int dfd, const char *path, unsigned int flags);
int sys_fsconfig(int fd, unsigned int cmd, const char *key, const void *value, int aux);
int sys_fsmount(int fd, unsigned int flags, unsigned int attr_flags);
int sys_mount_setattr(int dfd, const char *path, unsigned int flags,
		      struct mntx_mount_attr *attr, size_t size);
int sys_openat2(int dfd, const char *path, struct mntx_open_how *how, size_t size);

/**
 * sys_mnt_id_of() - the unique mount ID of the mount holding a path.
 * @dfd:   directory fd for a relative @path, or AT_FDCWD
 * @path:  the path; "" with AT_EMPTY_PATH in @flags names @dfd itself
 * @flags: AT_* flags for statx (AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH)
 * @id:    receives the ID
 *
 * Return: 0, or -1 with errno (EOPNOTSUPP when the kernel has no unique IDs).
 */
int sys_mnt_id_of(int dfd, const char *path, int flags, uint64_t *id);

/**
 * sys_fd_path() - the path the kernel has for an open fd, read from
 * /proc/self/fd (" (deleted)" appended for an unlinked file).
 * @buf:  receives the NUL-terminated path
 * @size: its size; PATH_MAX is always enough
 *
 * Return: the path's length, or -1 with errno (ENAMETOOLONG when cut).
 */
ssize_t sys_fd_path(int fd, char *buf, size_t size);

#endif
