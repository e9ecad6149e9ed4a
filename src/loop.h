/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * loop.h - loop devices: attach a file, detach, read the state, resize.
 *
 * Attaching asks /dev/loop-control for a free device and configures it in
 * one LOOP_CONFIGURE ioctl (fd, offset, size limit, flags, block size),
 * trying the next free device when another process took the same one
 * first; kernels before 5.8 get LOOP_SET_FD and LOOP_SET_STATUS64.  The
 * state of a device is read from sysfs (/sys/dev/block/MAJ:MIN/loop/...),
 * which has the full backing path where lo_file_name stops at 64 bytes,
 * plus LOOP_GET_STATUS64 for the backing inode and device.
 *
 * Every function that takes a device path checks that it names a block
 * device with the loop driver's major number before any ioctl, so a disk
 * named by mistake is never touched.  Nothing here prints: functions
 * return -1 with errno, and the errno values particular to loop devices
 * are:
 *   EMEDIUMTYPE  the path is not a loop device (another block device, a
 *                character device, a file)
 *   ENXIO        the loop device has no backing file (not attached)
 *
 * Mounting an image file like `mount -o loop`: loop_attach_image() below.
 */
#ifndef MNTX_LOOP_H
#define MNTX_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "abi.h"

/* Flags of a loop device (LO_FLAGS_*), as loop_attach() takes them. */
enum loop_flags {
	LOOP_F_RO = MNTX_LO_FLAGS_READ_ONLY,	/* read-only device */
	LOOP_F_AUTOCLEAR = MNTX_LO_FLAGS_AUTOCLEAR,	/* detach on the last close */
	LOOP_F_PARTSCAN = MNTX_LO_FLAGS_PARTSCAN,	/* scan for partitions (loopNpM) */
	LOOP_F_DIRECT_IO = MNTX_LO_FLAGS_DIRECT_IO,	/* O_DIRECT on the backing file */
};

/** How to attach a file: what LOOP_CONFIGURE takes. */
struct loop_attach_opts {
	uint64_t offset;	/* bytes skipped at the start of the file */
	uint64_t sizelimit;	/* bytes used from @offset on; 0: to the end */
	uint32_t flags;		/* enum loop_flags */
	uint32_t block_size;	/* logical block size; 0: the kernel's 512 */
	bool legacy;		/* skip LOOP_CONFIGURE, as on kernels before 5.8 (tests) */
};

/* The step of loop_attach() that failed, for the caller's message. */
enum loop_step {
	LOOP_STEP_FILE,		/* opening the backing file */
	LOOP_STEP_CONTROL,	/* opening /dev/loop-control */
	LOOP_STEP_FREE,		/* LOOP_CTL_GET_FREE: no free device could be had */
	LOOP_STEP_DEVICE,	/* opening the free device (@path) */
	LOOP_STEP_CONFIGURE,	/* the kernel refused the configuration */
};

/** An attached loop device, open. */
struct loop_dev {
	int fd;			/* open on the device, O_CLOEXEC; -1 when closed */
	unsigned int number;	/* N of /dev/loopN */
	char path[32];		/* "/dev/loopN" */
	bool ro;		/* read-only: asked for, or the file was not writable */
	enum loop_step step;	/* after a failure: which step failed */
};

/**
 * loop_attach() - attach @file to a free loop device.
 * @file: a regular file or a block device
 * @o:    offset, size limit, flags and block size
 * @d:    receives the device, open (close it with loop_dev_close())
 *
 * The file is opened read-only when LOOP_F_RO is asked for or when it
 * cannot be opened for writing (EACCES, EPERM, EROFS, ETXTBSY); the
 * device is then read-only too, and @d->ro says so.  LOOP_F_DIRECT_IO
 * opens it with O_DIRECT where the filesystem allows.  With
 * LOOP_F_AUTOCLEAR the kernel detaches the device on its last close:
 * keep @d->fd open until something else (a mount) holds the device.
 *
 * Return: 0, or -1 with errno, and @d->step saying what failed: opening
 * @file (EINVAL: neither a regular file nor a block device), opening
 * /dev/loop-control, getting a free device (ENODEV, ENOSPC: none could be
 * made), opening it, or configuring it (EINVAL: an offset, size limit or
 * block size the kernel refuses; EBUSY: every free device was taken by
 * others in turn).
 */
int loop_attach(const char *file, const struct loop_attach_opts *o, struct loop_dev *d);

/**
 * loop_attach_image() - attach an image file for mounting it, as
 * `mount -o loop` does: autoclear, read-only when @ro.
 * @file: the image
 * @ro:   the mount will be read-only
 * @d:    receives the device; @d->path is the mount source
 *
 * Keep @d->fd open until the mount holds the device (after fsmount(2) or
 * mount(2) returned), then loop_dev_close(@d): the device is freed when
 * the filesystem is unmounted.  When mounting fails, loop_dev_close(@d)
 * frees the device at once, so nothing stays attached.  When the file is
 * not writable the device is read-only whatever @ro said: check @d->ro
 * and mount read-only then.
 *
 *	struct loop_dev d;
 *	if (loop_attach_image(image, ro, &d) < 0)
 *		return -1;
 *	fsconfig(fs, FSCONFIG_SET_STRING, "source", d.path, 0);
 *	... FSCONFIG_CMD_CREATE, fsmount(), move_mount() ...
 *	loop_dev_close(&d);
 *
 * Return: 0, or -1 with errno as loop_attach().
 */
int loop_attach_image(const char *file, bool ro, struct loop_dev *d);

/** loop_dev_close() - close @d->fd (an autoclear device may go away). */
void loop_dev_close(struct loop_dev *d);

/**
 * loop_detach() - detach the backing file of a loop device (LOOP_CLR_FD).
 * @dev:      the device: a path, or "loopN" for /dev/loopN
 * @deferred: set true when the device is still in use (mounted, or open
 *            elsewhere): it got autoclear and is freed on its last close
 *
 * Return: 0, or -1 with errno (EMEDIUMTYPE, ENXIO, or that of open()).
 */
int loop_detach(const char *dev, bool *deferred);

/**
 * loop_resize() - make the device see its backing file's new size
 * (LOOP_SET_CAPACITY).
 * @size: receives the device's size in bytes afterwards, or NULL
 * Return: 0, or -1 with errno (EMEDIUMTYPE, ENXIO, ...).
 */
int loop_resize(const char *dev, uint64_t *size);

/* Which fields of struct loop_status the kernel gave. */
enum loop_known {
	LOOP_K_BOUND = 1 << 0,	/* attached: the fields below may be set */
	LOOP_K_FILE = 1 << 1,	/* back_file */
	LOOP_K_BACK_ID = 1 << 2,	/* back_ino, back_dev (LOOP_GET_STATUS64) */
	LOOP_K_OFFSET = 1 << 3,
	LOOP_K_SIZELIMIT = 1 << 4,
	LOOP_K_FLAGS = 1 << 5,	/* flags */
	LOOP_K_LOG_SEC = 1 << 6,	/* log_sec */
	LOOP_K_SIZE = 1 << 7,	/* size */
};

/** The state of one loop device. */
struct loop_status {
	unsigned int number;	/* N of loopN */
	char name[32];		/* "/dev/loopN" */
	dev_t dev;		/* the device's number */
	unsigned int known;	/* enum loop_known */
	char *back_file;	/* full path of the backing file (malloc'd bytes) */
	size_t back_file_len;
	uint64_t back_ino;	/* the backing file's inode ... */
	dev_t back_dev;		/* ... and the device of its filesystem */
	uint64_t offset, sizelimit;
	uint32_t flags;		/* enum loop_flags */
	uint32_t log_sec;	/* logical sector size */
	uint64_t size;		/* the device's size in bytes */
};

/**
 * loop_status() - the state of the loop device at @dev.
 * @dev: a path, or "loopN" for /dev/loopN
 * @st:  receives the state (free with loop_status_free())
 *
 * Return: 0, or -1 with errno: EMEDIUMTYPE, ENXIO (not attached; @st then
 * holds the device's name and number), or that of stat(2).
 */
int loop_status(const char *dev, struct loop_status *st);

/**
 * loop_status_n() - the state of /dev/loopN, read from sysfs; the backing
 * inode and device are left unknown when the device node cannot be opened
 * (an unprivileged caller).
 * Return: 0, or -1 with errno (ENXIO: not attached, ENOENT: no such device).
 */
int loop_status_n(unsigned int n, struct loop_status *st);

void loop_status_free(struct loop_status *st);

/**
 * loop_numbers() - the numbers N of the loop devices, ascending.
 * @all:  every loop device; false: only the attached ones
 * @nums: receives a malloc'd array (free it)
 * @n:    receives its length
 * Return: 0, or -1 with errno.
 */
int loop_numbers(bool all, unsigned int **nums, size_t *n);

/**
 * loop_dev_path() - the path a device name stands for: "loopN" (no slash)
 * means /dev/loopN; anything else is a path as given.
 * Return: @dev or @buf.
 */
const char *loop_dev_path(const char *dev, char *buf, size_t size);

/**
 * loop_major() - the loop driver's block major: from /proc/devices, or
 * 7 (LOOP_MAJOR) when it does not say.
 */
unsigned int loop_major(void);

#endif
