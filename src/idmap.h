/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * idmap.h - the idmapping of an idmapped mount.
 *
 * A map is written as mount(8)'s X-mount.idmap option is: either a path to
 * a user namespace file (/proc/PID/ns/user), or entries separated by blanks,
 *
 *     [u:|g:|b:]INSIDE:OUTSIDE:COUNT
 *
 * u: for user IDs, g: for group IDs, b: or no prefix for both.  INSIDE is
 * the ID stored in the filesystem, OUTSIDE the ID seen through the mount
 * ("u:0:100000:65536": files of root appear owned by 100000), as the lines
 * of /proc/PID/uid_map read.  The kernel then needs a user namespace with
 * that map, which idmap_userns() makes.
 */
#ifndef MNTX_IDMAP_H
#define MNTX_IDMAP_H

#include <stddef.h>
#include <stdint.h>

/* Extents per map (uid_map, gid_map): the kernel's limit since 4.15. */
#define IDMAP_MAX_EXTENTS 340
/* The kernel takes a map in one write of less than a page. */
#define IDMAP_MAX_TEXT 4096

enum idmap_kind {
	IDMAP_UID = 1 << 0,
	IDMAP_GID = 1 << 1,
	IDMAP_BOTH = IDMAP_UID | IDMAP_GID,
};

struct idmap_extent {
	uint32_t inside, outside, count;
	unsigned int kind;	/* enum idmap_kind */
};

struct idmap {
	const char *userns_path;	/* a user namespace file, or NULL;
					   points into the parsed text */
	size_t n;			/* entries in ext[] */
	struct idmap_extent ext[2 * IDMAP_MAX_EXTENTS];
};

/** Where and why a map was refused, for the caller's message. */
struct idmap_err {
	size_t off, len;	/* the offending entry in the text */
	const char *why;	/* a short reason: "COUNT must not be 0" */
};

/**
 * idmap_parse() - parse a map.
 * @s:   the text; a path (it starts with '/') or entries
 * @m:   receives the map (it may point into @s)
 * @err: receives where and why the text was refused, or NULL
 *
 * Entries are checked as the kernel would check them: numbers are decimal
 * 32-bit values, COUNT is not 0, a range does not reach 2^32 - 1, no two
 * ranges of one map overlap on either side, at most IDMAP_MAX_EXTENTS per
 * map, and both user and group IDs are mapped (an idmapped mount needs a
 * user namespace with both maps).
 * Return: 0, or -1 with errno EINVAL (syntax, overlap), ERANGE (a number or
 * a range too large) or E2BIG (too many entries).
 */
int idmap_parse(const char *s, struct idmap *m, struct idmap_err *err);

/**
 * idmap_format() - the /proc/PID/uid_map (or gid_map) text of a map.
 * @kind: IDMAP_UID or IDMAP_GID
 * @buf:  receives "INSIDE OUTSIDE COUNT\n" lines, NUL-terminated
 * Return: the length written (0 when the map has no entry of @kind), or -1
 * with errno E2BIG when it does not fit @size or one kernel write.
 */
int idmap_format(const struct idmap *m, enum idmap_kind kind, char *buf, size_t size);

/**
 * idmap_userns() - a user namespace fd for the map.
 *
 * For a path, the file opened and checked to be a user namespace (EINVAL
 * otherwise) below the initial one (EPERM for the initial namespace, or one
 * above ours, which cannot carry an idmapping).  For entries, a new user namespace: a child process unshares
 * one and waits while its uid_map and gid_map are written (setgroups is
 * set to "deny" first when the gid_map write needs it), the namespace is
 * opened, and the child is killed and reaped.
 * Return: a close-on-exec fd, or -1 with errno.
 */
int idmap_userns(const struct idmap *m);

#endif
