// SPDX-License-Identifier: GPL-2.0-or-later
/* fhandle.c - handle strings and the way from a handle to a file; see fhandle.h. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "abi.h"
#include "fhandle.h"
#include "mounts.h"
#include "sys.h"

#define PREFIX "fh1:"
#define MOUNT_TRIES 3

static const char hexdigits[] = "0123456789abcdef";

/* ---- the string ------------------------------------------------------------ */

void fh_hex(const struct fh *h, char *buf)
{
	for (size_t i = 0; i < h->len; i++) {
		*buf++ = hexdigits[h->bytes[i] >> 4];
		*buf++ = hexdigits[h->bytes[i] & 15];
	}
	*buf = '\0';
}

int fh_format(const struct fh *h, char *buf, size_t size)
{
	char hex[2 * FH_MAX_BYTES + 1];
	int n;

	if (!h->len || h->len > FH_MAX_BYTES || h->type > INT32_MAX ||
	    (!h->unique && h->mnt_id > INT32_MAX)) {
		errno = EINVAL;
		return -1;
	}
	fh_hex(h, hex);
	n = snprintf(buf, size, PREFIX "%c%" PRIx64 ":t%" PRIx32 ":%s", h->unique ? 'u' : 'o',
		     h->mnt_id, h->type, hex);
	if (n < 0 || (size_t)n >= size) {
		errno = ENOSPC;
		return -1;
	}
	return n;
}

static int hexval(char c)
{
	const char *p = c ? strchr(hexdigits, c) : NULL;

	return p ? (int)(p - hexdigits) : -1;
}

/*
 * A number in canonical hex (lower case, no leading zero) up to the next
 * ':' or the end; *s is left on that character.  @what names it in errors.
 */
static int parse_num(const char **s, unsigned int maxdigits, uint64_t *v, const char **why,
		     const char *const msgs[4])
{
	const char *p = *s;
	unsigned int n = 0;

	*v = 0;
	if (!*p || *p == ':') {
		*why = msgs[0];		/* missing */
		return -1;
	}
	if (*p == '0' && p[1] && p[1] != ':') {
		*why = msgs[1];		/* leading zero */
		return -1;
	}
	for (; *p && *p != ':'; p++, n++) {
		int d = hexval(*p);

		if (d < 0) {
			*why = msgs[2];	/* not a hex digit */
			return -1;
		}
		if (n == maxdigits) {
			*why = msgs[3];	/* too large */
			return -1;
		}
		*v = *v << 4 | (uint64_t)d;
	}
	*s = p;
	return 0;
}

static const char *const id_msgs[4] = {
	"no mount ID after 'u' or 'o'",
	"leading zero in the mount ID",
	"the mount ID is not lower-case hex",
	"the mount ID has more than 16 hex digits",
};
static const char *const type_msgs[4] = {
	"no handle type after 't'",
	"leading zero in the handle type",
	"the handle type is not lower-case hex",
	"the handle type has more than 8 hex digits",
};

static int fail(const char **why, const char *msg)
{
	*why = msg;
	errno = EINVAL;
	return -1;
}

int fh_parse(const char *s, struct fh *h, const char **why)
{
	const char *p;
	uint64_t v;
	size_t n;

	memset(h, 0, sizeof(*h));
	if (!*s)
		return fail(why, "empty handle");
	/* "fh" and a version number, then ':' */
	if (strncmp(s, "fh", 2))
		return fail(why, "not a handle string: it starts with 'fh1:'");
	n = strspn(s + 2, "0123456789");
	if (!n || s[2 + n] != ':')
		return fail(why, "not a handle string: it starts with 'fh1:'");
	if (strncmp(s, PREFIX, strlen(PREFIX)))
		return fail(why, "unknown version: this mntx reads fh1 handles");
	p = s + strlen(PREFIX);

	/* the mount ID */
	if (*p != 'u' && *p != 'o')
		return fail(why, "the mount ID must start with 'u' (unique) or 'o' (old)");
	h->unique = *p++ == 'u';
	if (parse_num(&p, 16, &h->mnt_id, why, id_msgs) < 0)
		return fail(why, *why);
	if (h->unique && h->mnt_id <= MNTX_MNT_UNIQUE_ID_OFFSET)
		return fail(why, "a unique mount ID ('u') is above 80000000");
	if (!h->unique && (h->mnt_id > INT32_MAX || !h->mnt_id))
		return fail(why, "an old mount ID ('o') is between 1 and 7fffffff");

	/* the type */
	if (*p != ':' || p[1] != 't')
		return fail(why, "no ':t' handle type after the mount ID");
	p += 2;
	if (parse_num(&p, 8, &v, why, type_msgs) < 0)
		return fail(why, *why);
	if (v > INT32_MAX)
		return fail(why, "the handle type is above 7fffffff");
	h->type = (uint32_t)v;

	/* the bytes */
	if (*p != ':' || !p[1])
		return fail(why, "no handle bytes after the type");
	p++;
	n = strlen(p);
	for (size_t i = 0; i < n; i++)
		if (hexval(p[i]) < 0)
			return fail(why, p[i] == ':' ? "extra ':' field after the type"
						     : "the handle bytes are not lower-case hex");
	if (n % 2)
		return fail(why, "odd number of hex digits in the handle bytes");
	if (n / 2 > FH_MAX_BYTES)
		return fail(why, "more than 128 handle bytes");
	h->len = n / 2;
	for (size_t i = 0; i < h->len; i++)
		h->bytes[i] = (unsigned char)(hexval(p[2 * i]) << 4 | hexval(p[2 * i + 1]));
	return 0;
}

/* ---- the kernel --------------------------------------------------------------- */

/* struct file_handle with room for the largest handle */
union handle_buf {
	struct file_handle fh;
	unsigned char space[sizeof(struct file_handle) + FH_MAX_BYTES];
};

int fh_encode(int dfd, const char *path, int flags, struct fh *h)
{
	union handle_buf b;
	uint64_t unique_id = 0;
	int old_id = 0;

	memset(h, 0, sizeof(*h));
	b.fh.handle_bytes = FH_MAX_BYTES;
	/* glibc says int *; with AT_HANDLE_MNT_ID_UNIQUE the kernel writes a u64 */
	if (name_to_handle_at(dfd, path, &b.fh, (int *)&unique_id,
			      flags | MNTX_AT_HANDLE_MNT_ID_UNIQUE) == 0) {
		h->unique = true;
		h->mnt_id = unique_id;
	} else {
		/* EINVAL: a kernel before 6.12, which has only the old IDs */
		if (errno != EINVAL)
			return -1;
		b.fh.handle_bytes = FH_MAX_BYTES;
		if (name_to_handle_at(dfd, path, &b.fh, &old_id, flags) < 0)
			return -1;
		h->unique = false;
		h->mnt_id = (uint64_t)old_id;
	}
	if (b.fh.handle_type < 0 || !b.fh.handle_bytes || b.fh.handle_bytes > FH_MAX_BYTES) {
		errno = EPROTO;		/* nothing a handle string could carry */
		return -1;
	}
	h->type = (uint32_t)b.fh.handle_type;
	h->len = b.fh.handle_bytes;
	memcpy(h->bytes, b.fh.f_handle, h->len);
	return 0;
}

/* Is @fd on the mount @h names? 1 yes, 0 no, -1 with errno. */
static int is_the_mount(int fd, const struct fh *h)
{
	struct mntx_statx stx;
	unsigned int want = h->unique ? MNTX_STATX_MNT_ID_UNIQUE : MNTX_STATX_MNT_ID;

	if (sys_statx(fd, "", AT_EMPTY_PATH, want, &stx) < 0)
		return -1;
	if (!(stx.stx_mask & want)) {
		errno = EOPNOTSUPP;
		return -1;
	}
	return stx.stx_mnt_id == h->mnt_id;
}

/*
 * open_by_handle_at() wants a real fd on the mount, not an O_PATH one
 * (fdget() refuses those).  Reopening through the checked O_PATH fd keeps
 * the very mount: "." of a directory, the fd's magic link for a file.
 */
static int reopen(int pfd)
{
	struct stat st;
	char link[64];

	if (fstat(pfd, &st) < 0)
		return -1;
	if (S_ISDIR(st.st_mode))
		return openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (!S_ISREG(st.st_mode)) {
		errno = ENODEV;	/* opening a device or FIFO could have effects */
		return -1;
	}
	snprintf(link, sizeof(link), "/proc/self/fd/%d", pfd);
	return open(link, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
}

int fh_mount_open(struct mnt_ns *ns, const struct fh *h, char **point)
{
	const struct mntx_mount *m;
	char *target = NULL;
	int fd = -1;

	for (int try = 0; try < MOUNT_TRIES; try++) {
		int r;

		if (mnt_stat(ns, h->mnt_id, MNTX_STATMOUNT_MNT_POINT, &m) < 0)
			goto fail;	/* ENOENT: not mounted */
		if (!m->target) {
			errno = EXDEV;	/* outside our root */
			goto fail;
		}
		free(target);
		target = strdup(m->target);
		if (!target)
			goto fail;
		/* the mount point may be a file (a bind mount of one) */
		fd = open(target, O_PATH | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ENOENT)
				continue;	/* moved away in between */
			goto fail;
		}
		r = is_the_mount(fd, h);
		if (r < 0)
			goto fail;
		if (r) {
			int rfd = reopen(fd);

			if (rfd < 0)
				goto fail;
			close(fd);
			fd = rfd;
			if (point)
				*point = target;
			else
				free(target);
			return fd;
		}
		/* covered by another mount, or moved: look again */
		close(fd);
		fd = -1;
	}
	errno = EBUSY;
fail:
	if (fd >= 0) {
		int saved = errno;

		close(fd);
		errno = saved;
	}
	if (point)
		*point = target;	/* for messages: where it was looked for */
	else
		free(target);
	return -1;
}

int fh_open(int mount_fd, const struct fh *h, int flags)
{
	union handle_buf b;

	b.fh.handle_bytes = (unsigned int)h->len;
	b.fh.handle_type = (int)h->type;
	memcpy(b.fh.f_handle, h->bytes, h->len);
	return open_by_handle_at(mount_fd, &b.fh, flags | O_CLOEXEC);
}
