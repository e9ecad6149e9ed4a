// SPDX-License-Identifier: GPL-2.0-or-later
/* loop.c - loop devices: attach, detach, state, resize; see loop.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/fs.h>
#include "loop.h"

/* How often to take the next free device when others keep winning it. */
#define ATTACH_TRIES 256

/* ---- telling loop devices from other files ------------------------------- */

unsigned int loop_major(void)
{
	static unsigned int major_nr;
	char line[128];
	bool block = false;
	FILE *f;

	if (major_nr)
		return major_nr;
	major_nr = MNTX_LOOP_MAJOR;
	f = fopen("/proc/devices", "re");
	if (!f)
		return major_nr;
	while (fgets(line, sizeof(line), f)) {
		unsigned int nr;
		char name[64];

		if (!strncmp(line, "Block devices:", 14))
			block = true;
		else if (block && sscanf(line, "%u %63s", &nr, name) == 2 && !strcmp(name, "loop"))
			major_nr = nr;
	}
	fclose(f);
	return major_nr;
}

static bool is_loop(const struct stat *st)
{
	return S_ISBLK(st->st_mode) && major(st->st_rdev) == loop_major();
}

const char *loop_dev_path(const char *dev, char *buf, size_t size)
{
	if (strchr(dev, '/') || !*dev)
		return dev;
	snprintf(buf, size, "/dev/%s", dev);
	return buf;
}

/*
 * Open a loop device: refuse anything but a block device of the loop
 * driver before opening it, and check again on the open file, so that a
 * node swapped in between is not the one ioctls go to.  When only open()
 * failed, @st holds the checked stat of the node.
 */
static int open_loop(const char *dev, int oflags, struct stat *st)
{
	char buf[PATH_MAX];
	const char *path = loop_dev_path(dev, buf, sizeof(buf));
	struct stat after;
	int fd;

	memset(st, 0, sizeof(*st));
	if (stat(path, st) < 0)
		return -1;
	if (!is_loop(st)) {
		errno = EMEDIUMTYPE;
		return -1;
	}
	fd = open(path, oflags | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &after) < 0 || !is_loop(&after) || after.st_rdev != st->st_rdev) {
		close(fd);
		errno = EMEDIUMTYPE;
		return -1;
	}
	*st = after;
	return fd;
}

/* Open for changes: read-write where we may, else read-only (the ioctls
 * then need CAP_SYS_ADMIN, and EPERM says so). */
static int open_loop_rw(const char *dev, struct stat *st)
{
	int fd = open_loop(dev, O_RDWR, st);

	if (fd < 0 && (errno == EACCES || errno == EROFS))
		fd = open_loop(dev, O_RDONLY, st);
	return fd;
}

/* ---- sysfs ------------------------------------------------------------------- */

/* Read a sysfs attribute into a malloc'd buffer, without its final newline. */
static char *sysfs_read(int dirfd, const char *name, size_t *len)
{
	size_t cap = 256, used = 0;
	char *buf = malloc(cap);
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !buf)
		goto fail;
	for (;;) {
		ssize_t r = read(fd, buf + used, cap - used - 1);

		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		used += (size_t)r;
		if (used + 1 == cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb)
				goto fail;
			buf = nb;
			cap *= 2;
		}
	}
	close(fd);
	if (used && buf[used - 1] == '\n')
		used--;
	buf[used] = '\0';
	if (len)
		*len = used;
	return buf;
fail:
	if (fd >= 0) {
		int e = errno;

		close(fd);
		errno = e;
	}
	free(buf);
	return NULL;
}

static int sysfs_u64(int dirfd, const char *name, uint64_t *v)
{
	char *text = sysfs_read(dirfd, name, NULL), *end;
	int rc = -1;

	if (!text)
		return -1;
	errno = 0;
	*v = strtoull(text, &end, 10);
	if (!errno && end != text && !*end)
		rc = 0;
	else
		errno = EINVAL;
	free(text);
	return rc;
}

/* A 0/1 attribute into a flag of st->flags. */
static void sysfs_flag(int dirfd, const char *name, uint32_t bit, uint32_t *flags)
{
	uint64_t v;

	if (sysfs_u64(dirfd, name, &v) == 0 && v)
		*flags |= bit;
}

/* Fill @st from the sysfs directory of a loop device. */
static void status_sysfs(int dirfd, struct loop_status *st)
{
	uint64_t v;

	if (sysfs_u64(dirfd, "queue/logical_block_size", &v) == 0) {
		st->log_sec = (uint32_t)v;
		st->known |= LOOP_K_LOG_SEC;
	}
	if (sysfs_u64(dirfd, "size", &v) == 0) {
		st->size = v * 512;	/* always in 512-byte sectors */
		st->known |= LOOP_K_SIZE;
	}
	st->back_file = sysfs_read(dirfd, "loop/backing_file", &st->back_file_len);
	if (!st->back_file)
		return;		/* not attached (the loop/ directory comes with a file) */
	st->known |= LOOP_K_BOUND | LOOP_K_FILE;
	if (sysfs_u64(dirfd, "loop/offset", &st->offset) == 0)
		st->known |= LOOP_K_OFFSET;
	if (sysfs_u64(dirfd, "loop/sizelimit", &st->sizelimit) == 0)
		st->known |= LOOP_K_SIZELIMIT;
	st->flags = 0;
	sysfs_flag(dirfd, "ro", LOOP_F_RO, &st->flags);
	sysfs_flag(dirfd, "loop/autoclear", LOOP_F_AUTOCLEAR, &st->flags);
	sysfs_flag(dirfd, "loop/partscan", LOOP_F_PARTSCAN, &st->flags);
	sysfs_flag(dirfd, "loop/dio", LOOP_F_DIRECT_IO, &st->flags);
	st->known |= LOOP_K_FLAGS;
}

/* What only LOOP_GET_STATUS64 tells: the backing inode and device.  On a
 * kernel without the loop/ sysfs attributes it tells the rest too. */
static int status_ioctl(int fd, struct loop_status *st)
{
	struct loop_info64 info;

	memset(&info, 0, sizeof(info));
	if (ioctl(fd, MNTX_LOOP_GET_STATUS64, &info) < 0)
		return -1;
	st->back_ino = info.lo_inode;
	st->back_dev = (dev_t)info.lo_device;
	st->known |= LOOP_K_BACK_ID;
	if (!(st->known & LOOP_K_BOUND)) {
		size_t len = strnlen((const char *)info.lo_file_name, sizeof(info.lo_file_name));

		st->back_file = strndup((const char *)info.lo_file_name, len);
		st->back_file_len = len;
		st->offset = info.lo_offset;
		st->sizelimit = info.lo_sizelimit;
		st->flags = info.lo_flags & (LOOP_F_RO | LOOP_F_AUTOCLEAR | LOOP_F_PARTSCAN |
					     LOOP_F_DIRECT_IO);
		st->known |= LOOP_K_BOUND | LOOP_K_OFFSET | LOOP_K_SIZELIMIT | LOOP_K_FLAGS |
			     (st->back_file ? LOOP_K_FILE : 0);
	}
	return 0;
}

static void status_name(struct loop_status *st, unsigned int n)
{
	st->number = n;
	snprintf(st->name, sizeof(st->name), "/dev/loop%u", n);
}

/* The state from the sysfs directory and, when @fd >= 0, the ioctl. */
static int status_fill(int dirfd, int fd, struct loop_status *st)
{
	status_sysfs(dirfd, st);
	if (fd >= 0 && status_ioctl(fd, st) < 0 && errno == ENXIO && (st->known & LOOP_K_BOUND)) {
		/* detached while we read: say so rather than half a state */
		free(st->back_file);
		st->back_file = NULL;
		st->known &= LOOP_K_LOG_SEC | LOOP_K_SIZE;
	}
	if (!(st->known & LOOP_K_BOUND)) {
		errno = ENXIO;
		return -1;
	}
	return 0;
}

void loop_status_free(struct loop_status *st)
{
	free(st->back_file);
	st->back_file = NULL;
}

int loop_status_n(unsigned int n, struct loop_status *st)
{
	char path[64];
	struct stat dst;
	uint64_t maj, min;
	int dirfd, fd, rc;
	char *dev;

	memset(st, 0, sizeof(*st));
	status_name(st, n);
	snprintf(path, sizeof(path), "/sys/block/loop%u", n);
	dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -1;
	dev = sysfs_read(dirfd, "dev", NULL);
	if (!dev || sscanf(dev, "%" SCNu64 ":%" SCNu64, &maj, &min) != 2) {
		free(dev);
		close(dirfd);
		errno = ENOENT;
		return -1;
	}
	free(dev);
	st->dev = makedev(maj, min);
	/* the node is only asked when it is the device sysfs described */
	fd = open(st->name, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && (fstat(fd, &dst) < 0 || !is_loop(&dst) || dst.st_rdev != st->dev)) {
		close(fd);
		fd = -1;
	}
	rc = status_fill(dirfd, fd, st);
	if (fd >= 0)
		close(fd);
	close(dirfd);
	return rc;
}

/* The N of loopN from the sysfs directory of device @dev. */
static int number_of(dev_t dev, unsigned int *n)
{
	char path[64], target[PATH_MAX];
	const char *base;
	ssize_t len;
	char extra;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", major(dev), minor(dev));
	len = readlink(path, target, sizeof(target) - 1);
	if (len < 0)
		return -1;
	target[len] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (sscanf(base, "loop%u%c", n, &extra) != 1) {
		errno = EMEDIUMTYPE;	/* a partition of a loop device, say */
		return -1;
	}
	return 0;
}

int loop_status(const char *dev, struct loop_status *st)
{
	char path[64];
	struct stat sb;
	unsigned int n;
	int fd, dirfd, rc = -1, e;

	memset(st, 0, sizeof(*st));
	fd = open_loop(dev, O_RDONLY, &sb);
	/* a node we may not open: sysfs still tells all but the backing IDs */
	if (fd < 0 && !((errno == EACCES || errno == EPERM) && is_loop(&sb)))
		return -1;
	st->dev = sb.st_rdev;
	if (number_of(sb.st_rdev, &n) < 0)
		goto out;
	status_name(st, n);
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", major(sb.st_rdev), minor(sb.st_rdev));
	dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		goto out;
	rc = status_fill(dirfd, fd, st);
	e = errno;
	close(dirfd);
	errno = e;
out:
	e = errno;
	if (fd >= 0)
		close(fd);
	errno = e;
	return rc;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return (x > y) - (x < y);
}

int loop_numbers(bool all, unsigned int **nums, size_t *n)
{
	DIR *d = opendir("/sys/block");
	unsigned int *v = NULL;
	size_t cap = 0, used = 0;
	struct dirent *de;

	if (!d)
		return -1;
	while ((errno = 0, de = readdir(d))) {
		char path[300], extra;
		unsigned int nr;

		if (sscanf(de->d_name, "loop%u%c", &nr, &extra) != 1)
			continue;
		snprintf(path, sizeof(path), "%s/loop/backing_file", de->d_name);
		if (!all && faccessat(dirfd(d), path, F_OK, 0) < 0)
			continue;
		if (used == cap) {
			unsigned int *nv = reallocarray(v, cap ? cap * 2 : 16, sizeof(*v));

			if (!nv)
				goto fail;
			v = nv;
			cap = cap ? cap * 2 : 16;
		}
		v[used++] = nr;
	}
	if (errno)
		goto fail;
	closedir(d);
	if (used)
		qsort(v, used, sizeof(*v), cmp_uint);
	*nums = v;
	*n = used;
	return 0;
fail: {
		int e = errno;

		closedir(d);
		free(v);
		errno = e;
		return -1;
	}
}

/* ---- attach ------------------------------------------------------------------ */

/* Open the backing file: read-write unless asked or unable. */
static int open_backing(const char *file, uint32_t *flags)
{
	bool ro = *flags & LOOP_F_RO;
	struct stat st;
	int fd;

	fd = open(file, (ro ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (fd < 0 && !ro && (errno == EACCES || errno == EPERM || errno == EROFS || errno == ETXTBSY)) {
		ro = true;
		fd = open(file, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	if (ro)
		*flags |= LOOP_F_RO;
	return fd;
}

/* The info both ways of attaching give the kernel. */
static void attach_info(struct loop_info64 *info, const char *file,
			const struct loop_attach_opts *o, uint32_t flags)
{
	char *abs = realpath(file, NULL);

	memset(info, 0, sizeof(*info));
	info->lo_offset = o->offset;
	info->lo_sizelimit = o->sizelimit;
	info->lo_flags = flags;
	/* only for old readers of LOOP_GET_STATUS64: sysfs has the full path */
	strlcpy((char *)info->lo_file_name, abs ? abs : file, sizeof(info->lo_file_name));
	free(abs);
}

/* Kernels before 5.8: bind, then set the rest one ioctl at a time. */
static int attach_legacy(int dfd, int ffd, const struct loop_info64 *config,
			 const struct loop_attach_opts *o)
{
	struct loop_info64 info = *config;
	int e;

	if (ioctl(dfd, MNTX_LOOP_SET_FD, ffd) < 0)
		return -1;
	/* read-only comes from the file's open mode; these two are settable */
	info.lo_flags &= LOOP_F_AUTOCLEAR | LOOP_F_PARTSCAN;
	if (ioctl(dfd, MNTX_LOOP_SET_STATUS64, &info) < 0)
		goto undo;
	if (o->block_size && ioctl(dfd, MNTX_LOOP_SET_BLOCK_SIZE, (unsigned long)o->block_size) < 0)
		goto undo;
	/* like LOOP_CONFIGURE, keep buffered I/O where direct I/O cannot be had */
	if (config->lo_flags & LOOP_F_DIRECT_IO)
		(void)ioctl(dfd, MNTX_LOOP_SET_DIRECT_IO, 1UL);
	return 0;
undo:
	e = errno;
	ioctl(dfd, MNTX_LOOP_CLR_FD, 0);
	errno = e;
	return -1;
}

static int attach_one(int dfd, int ffd, const struct loop_info64 *info,
		      const struct loop_attach_opts *o, bool *legacy)
{
	if (!*legacy) {
		struct mntx_loop_config c;

		memset(&c, 0, sizeof(c));
		c.fd = (__u32)ffd;
		c.block_size = o->block_size;
		c.info = *info;
		if (ioctl(dfd, MNTX_LOOP_CONFIGURE, &c) == 0)
			return 0;
		/* kernels before 5.8 answer an unknown loop ioctl with EINVAL or
		 * ENOTTY; a refused value fails the same way on the old path */
		if (errno != EINVAL && errno != ENOTTY)
			return -1;
		*legacy = true;
	}
	return attach_legacy(dfd, ffd, info, o);
}

int loop_attach(const char *file, const struct loop_attach_opts *o, struct loop_dev *d)
{
	uint32_t flags = o->flags;
	bool legacy = o->legacy;
	struct loop_info64 info, got;
	int ffd, ctl = -1, dfd = -1, e;

	d->fd = -1;
	d->path[0] = '\0';
	d->step = LOOP_STEP_FILE;
	ffd = open_backing(file, &flags);
	if (ffd < 0)
		return -1;
	attach_info(&info, file, o, flags);
	d->step = LOOP_STEP_CONTROL;
	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		goto fail;
	for (int tries = 0;; tries++) {
		struct stat st;
		int n;

		d->step = LOOP_STEP_FREE;
		n = ioctl(ctl, MNTX_LOOP_CTL_GET_FREE);
		if (n < 0)
			goto fail;
		snprintf(d->path, sizeof(d->path), "/dev/loop%d", n);
		d->step = LOOP_STEP_DEVICE;
		dfd = open_loop(d->path, O_RDWR, &st);
		if (dfd < 0)
			goto fail;
		d->step = LOOP_STEP_CONFIGURE;
		if (attach_one(dfd, ffd, &info, o, &legacy) == 0) {
			d->number = (unsigned int)n;
			break;
		}
		e = errno;
		close(dfd);
		dfd = -1;
		errno = e;
		/* another process bound the same free device first: take the next */
		if (errno != EBUSY || tries + 1 >= ATTACH_TRIES)
			goto fail;
	}
	close(ctl);
	close(ffd);
	d->fd = dfd;
	d->ro = flags & LOOP_F_RO;
	memset(&got, 0, sizeof(got));
	if (ioctl(dfd, MNTX_LOOP_GET_STATUS64, &got) == 0)
		d->ro = got.lo_flags & LOOP_F_RO;
	return 0;
fail:
	e = errno;
	if (ctl >= 0)
		close(ctl);
	close(ffd);
	errno = e;
	return -1;
}

int loop_attach_image(const char *file, bool ro, struct loop_dev *d)
{
	struct loop_attach_opts o = {
		.flags = LOOP_F_AUTOCLEAR | (ro ? LOOP_F_RO : 0),
	};

	return loop_attach(file, &o, d);
}

void loop_dev_close(struct loop_dev *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

/* ---- detach, resize ------------------------------------------------------------ */

/* The backing path sysfs shows for @dev now, or NULL when it is free. */
static char *backing_now(dev_t dev)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/loop/backing_file", major(dev), minor(dev));
	return sysfs_read(AT_FDCWD, path, NULL);
}

int loop_detach(const char *dev, bool *deferred)
{
	struct loop_info64 info;
	struct stat st;
	char *before, *after;
	int fd, e;

	*deferred = false;
	fd = open_loop(dev, O_RDONLY, &st);
	if (fd < 0)
		return -1;
	memset(&info, 0, sizeof(info));
	if (ioctl(fd, MNTX_LOOP_GET_STATUS64, &info) < 0)
		goto fail;
	before = backing_now(st.st_rdev);
	if (ioctl(fd, MNTX_LOOP_CLR_FD, 0) < 0) {
		/* kernels that refuse a busy device: ask for autoclear instead */
		if (errno != EBUSY)
			goto fail_before;
		info.lo_flags |= LOOP_F_AUTOCLEAR;
		if (ioctl(fd, MNTX_LOOP_SET_STATUS64, &info) < 0)
			goto fail_before;
		*deferred = true;
	}
	/* Recent kernels take LOOP_CLR_FD on a busy device as autoclear and
	 * free it on its last close, which may be ours, just below. */
	close(fd);
	after = backing_now(st.st_rdev);
	if (after && before && !strcmp(after, before))
		*deferred = true;
	free(before);
	free(after);
	return 0;
fail_before:
	e = errno;
	free(before);
	errno = e;
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

int loop_resize(const char *dev, uint64_t *size)
{
	struct stat st;
	int fd = open_loop_rw(dev, &st), e;

	if (fd < 0)
		return -1;
	if (ioctl(fd, MNTX_LOOP_SET_CAPACITY, 0) < 0)
		goto fail;
	if (size && ioctl(fd, BLKGETSIZE64, size) < 0)
		goto fail;
	close(fd);
	return 0;
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}
