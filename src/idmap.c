// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * idmap.c - idmapping text and the user namespace that carries it; see
 * idmap.h.
 *
 * The user namespace is made the way libmount does it: a short-lived child
 * unshares CLONE_NEWUSER, the parent writes its maps and opens
 * /proc/CHILD/ns/user, which keeps the namespace alive after the child is
 * gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include "abi.h"
#include "idmap.h"

/* ---- parsing ------------------------------------------------------------ */

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

static int refuse(struct idmap_err *err, const char *s, const char *entry, size_t len,
		  const char *why, int e)
{
	if (err) {
		err->off = (size_t)(entry - s);
		err->len = len;
		err->why = why;
	}
	errno = e;
	return -1;
}

/* A decimal 32-bit number ending at a ':' (when @colon) or the entry's end. */
static const char *number(const char *p, const char *end, bool colon, uint32_t *v, int *e)
{
	uint64_t x = 0;
	const char *start = p;

	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		x = x * 10 + (uint64_t)(*p - '0');
		if (x > UINT32_MAX) {
			*e = ERANGE;
			return NULL;
		}
	}
	*e = EINVAL;
	if (p == start || (colon ? (p == end || *p != ':') : p != end))
		return NULL;
	*v = (uint32_t)x;
	return colon ? p + 1 : p;
}

/* Two ranges [a, a+n) and [b, b+m) share an ID. */
static bool overlap(uint32_t a, uint32_t n, uint32_t b, uint32_t m)
{
	return (uint64_t)a < (uint64_t)b + m && (uint64_t)b < (uint64_t)a + n;
}

static const char *check_extent(const struct idmap *m, const struct idmap_extent *x, int *e)
{
	size_t nkind[2] = { 0, 0 };

	*e = EINVAL;
	if (!x->count)
		return "COUNT must not be 0";
	/* the kernel refuses (u32)-1 as a first ID and ranges that wrap */
	*e = ERANGE;
	if ((uint64_t)x->inside + x->count > UINT32_MAX || (uint64_t)x->outside + x->count > UINT32_MAX)
		return "the range reaches 4294967295, not a valid ID";
	*e = EINVAL;
	for (size_t i = 0; i < m->n; i++) {
		const struct idmap_extent *y = &m->ext[i];

		if (y->kind & IDMAP_UID)
			nkind[0]++;
		if (y->kind & IDMAP_GID)
			nkind[1]++;
		if (!(y->kind & x->kind))
			continue;
		if (overlap(x->inside, x->count, y->inside, y->count))
			return "its inside range overlaps an earlier entry";
		if (overlap(x->outside, x->count, y->outside, y->count))
			return "its outside range overlaps an earlier entry";
	}
	*e = E2BIG;
	if (((x->kind & IDMAP_UID) && nkind[0] >= IDMAP_MAX_EXTENTS) ||
	    ((x->kind & IDMAP_GID) && nkind[1] >= IDMAP_MAX_EXTENTS))
		return "more than 340 entries for one map";
	return NULL;
}

static int parse_entry(const char *s, const char *p, const char *end, struct idmap *m,
		       struct idmap_err *err)
{
	struct idmap_extent x = { .kind = IDMAP_BOTH };
	const char *q = p, *why;
	int e;

	if (end - q >= 2 && q[1] == ':' && (q[0] == 'u' || q[0] == 'g' || q[0] == 'b')) {
		x.kind = q[0] == 'u' ? IDMAP_UID : q[0] == 'g' ? IDMAP_GID : IDMAP_BOTH;
		q += 2;
	}
	if (!(q = number(q, end, true, &x.inside, &e)) ||
	    !(q = number(q, end, true, &x.outside, &e)) ||
	    !(q = number(q, end, false, &x.count, &e)))
		return refuse(err, s, p, (size_t)(end - p),
			      e == ERANGE ? "a number is larger than 4294967295"
					  : "expected [u:|g:|b:]INSIDE:OUTSIDE:COUNT", e);
	why = check_extent(m, &x, &e);
	if (why)
		return refuse(err, s, p, (size_t)(end - p), why, e);
	m->ext[m->n++] = x;
	return 0;
}

int idmap_parse(const char *s, struct idmap *m, struct idmap_err *err)
{
	const char *p = s;

	m->userns_path = NULL;
	m->n = 0;
	while (blank(*p))
		p++;
	if (*p == '/') {
		m->userns_path = p;
		return 0;
	}
	while (*p) {
		const char *end = p;

		while (*end && !blank(*end))
			end++;
		if (parse_entry(s, p, end, m, err) < 0)
			return -1;
		for (p = end; blank(*p); p++)
			;
	}
	if (!m->n)
		return refuse(err, s, s, 0, "no entries", EINVAL);
	/* the kernel refuses a user namespace with only one of its maps */
	unsigned int kinds = 0;

	for (size_t i = 0; i < m->n; i++)
		kinds |= m->ext[i].kind;
	if (kinds != IDMAP_BOTH)
		return refuse(err, s, s, 0, kinds == IDMAP_UID ? "no group IDs mapped (add g: entries)"
							       : "no user IDs mapped (add u: entries)",
			      EINVAL);
	return 0;
}

int idmap_format(const struct idmap *m, enum idmap_kind kind, char *buf, size_t size)
{
	size_t used = 0;

	if (size)
		buf[0] = '\0';
	for (size_t i = 0; i < m->n; i++) {
		const struct idmap_extent *x = &m->ext[i];
		int r;

		if (!(x->kind & kind))
			continue;
		r = snprintf(buf + used, size - used, "%u %u %u\n", x->inside, x->outside, x->count);
		if (r < 0 || (size_t)r >= size - used || used + (size_t)r >= IDMAP_MAX_TEXT) {
			errno = E2BIG;
			return -1;
		}
		used += (size_t)r;
	}
	return (int)used;
}

/* ---- the user namespace ------------------------------------------------------- */

static int write_file(pid_t pid, const char *name, const char *text, size_t len)
{
	char path[64];
	int fd, saved;
	ssize_t w;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	/* the kernel takes a map in one write, whole or not at all */
	w = write(fd, text, len);
	saved = errno;
	close(fd);
	if (w == (ssize_t)len)
		return 0;
	errno = w < 0 ? saved : EIO;
	return -1;
}

static int write_maps(const struct idmap *m, pid_t pid)
{
	char text[IDMAP_MAX_TEXT];
	int len;

	len = idmap_format(m, IDMAP_UID, text, sizeof(text));
	if (len < 0 || (len && write_file(pid, "uid_map", text, (size_t)len) < 0))
		return -1;
	len = idmap_format(m, IDMAP_GID, text, sizeof(text));
	if (len <= 0)
		return len;
	if (write_file(pid, "gid_map", text, (size_t)len) == 0)
		return 0;
	/* without CAP_SETGID over the parent namespace, only after setgroups
	 * is denied (user_namespaces(7)) */
	if (errno != EPERM || write_file(pid, "setgroups", "deny", 4) < 0)
		return -1;
	return write_file(pid, "gid_map", text, (size_t)len);
}

/* The child: unshare, report (0 or an errno), then wait for the parent to
 * close its end of @hold; only async-signal-safe calls here. */
static void child(int ready, int hold)
{
	int e = unshare(CLONE_NEWUSER) < 0 ? errno : 0;
	char c;

	if (write(ready, &e, sizeof(e)) != sizeof(e) || e)
		_exit(1);
	while (read(hold, &c, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

static int open_userns_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	int type, parent;

	if (fd < 0)
		return -1;
	type = ioctl(fd, MNTX_NS_GET_NSTYPE);
	if (type != CLONE_NEWUSER) {
		close(fd);
		errno = EINVAL;	/* not a namespace, or not a user one */
		return -1;
	}
	/* the initial namespace has no parent, and cannot idmap (the kernel
	 * would say EPERM too, which reads as a missing capability) */
	parent = ioctl(fd, MNTX_NS_GET_PARENT);
	if (parent >= 0) {
		close(parent);
	} else if (errno == EPERM) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

int idmap_userns(const struct idmap *m)
{
	int ready[2], hold[2], e = 0, fd = -1, saved;
	char path[64];
	pid_t pid;
	ssize_t r;

	if (m->userns_path)
		return open_userns_file(m->userns_path);
	if (pipe2(ready, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(hold, O_CLOEXEC) < 0) {
		saved = errno;
		close(ready[0]), close(ready[1]);
		errno = saved;
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		close(ready[0]), close(hold[1]);
		child(ready[1], hold[0]);
	}
	saved = errno;
	close(ready[1]), close(hold[0]);
	if (pid < 0) {
		close(ready[0]), close(hold[1]);
		errno = saved;
		return -1;
	}
	do
		r = read(ready[0], &e, sizeof(e));
	while (r < 0 && errno == EINTR);
	if (r != sizeof(e))
		e = r < 0 ? errno : ECHILD;
	if (!e && write_maps(m, pid) < 0)
		e = errno;
	if (!e) {
		snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			e = errno;
	}
	/* the open fd keeps the namespace; the child has done its part */
	close(hold[1]);
	close(ready[0]);
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	errno = e;
	return e ? -1 : fd;
}
