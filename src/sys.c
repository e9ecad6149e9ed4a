// SPDX-License-Identifier: GPL-2.0-or-later
/* sys.c - raw syscall wrappers; see sys.h. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include "sys.h"

int sys_statmount(const struct mntx_mnt_id_req *req, struct mntx_statmount *buf,
		  size_t bufsize, unsigned int flags)
{
	return (int)syscall(__NR_statmount, req, buf, bufsize, flags);
}

ssize_t sys_listmount(const struct mntx_mnt_id_req *req, __u64 *ids, size_t nr,
		      unsigned int flags)
{
	return syscall(__NR_listmount, req, ids, nr, flags);
}

int sys_statx(int dfd, const char *path, int flags, unsigned int mask,
	      struct mntx_statx *stx)
{
	return (int)syscall(__NR_statx, dfd, path, flags, mask, stx);
}

int sys_open_tree(int dfd, const char *path, unsigned int flags)
{
	return (int)syscall(__NR_open_tree, dfd, path, flags);
}

int sys_open_tree_attr(int dfd, const char *path, unsigned int flags,
		       struct mntx_mount_attr *attr, size_t size)
{
	return (int)syscall(__NR_open_tree_attr, dfd, path, flags, attr, size);
}

int sys_move_mount(int from_dfd, const char *from, int to_dfd, const char *to,
		   unsigned int flags)
{
	return (int)syscall(__NR_move_mount, from_dfd, from, to_dfd, to, flags);
}

int sys_fsopen(const char *fstype, unsigned int flags)
{
	return (int)syscall(__NR_fsopen, fstype, flags);
}

int sys_fspick(int dfd, const char *path, unsigned int flags)
{
	return (int)syscall(__NR_fspick, dfd, path, flags);
}

int sys_fsconfig(int fd, unsigned int cmd, const char *key, const void *value, int aux)
{
	return (int)syscall(__NR_fsconfig, fd, cmd, key, value, aux);
}

int sys_fsmount(int fd, unsigned int flags, unsigned int attr_flags)
{
	return (int)syscall(__NR_fsmount, fd, flags, attr_flags);
}

int sys_mount_setattr(int dfd, const char *path, unsigned int flags,
		      struct mntx_mount_attr *attr, size_t size)
{
	return (int)syscall(__NR_mount_setattr, dfd, path, flags, attr, size);
}

int sys_openat2(int dfd, const char *path, struct mntx_open_how *how, size_t size)
{
	return (int)syscall(__NR_openat2, dfd, path, how, size);
}

int sys_mnt_id_of(int dfd, const char *path, int flags, uint64_t *id)
{
	struct mntx_statx stx;

	if (sys_statx(dfd, path, flags, MNTX_STATX_MNT_ID_UNIQUE, &stx) < 0)
		return -1;
	if (!(stx.stx_mask & MNTX_STATX_MNT_ID_UNIQUE)) {
		errno = EOPNOTSUPP;
		return -1;
	}
	*id = stx.stx_mnt_id;
	return 0;
}

ssize_t sys_fd_path(int fd, char *buf, size_t size)
{
	char link[64];
	ssize_t n;

	if (size < 2) {
		errno = EINVAL;
		return -1;
	}
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, size);
	if (n < 0)
		return -1;
	if ((size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	buf[n] = '\0';
	return n;
}
