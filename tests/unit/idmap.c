// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test of src/idmap.c: the X-mount.idmap syntax, the checks the kernel
 * would make, and the uid_map/gid_map text.  Exits non-zero on a failure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "idmap.h"
#include "unit.h"

static struct idmap map;


/* Parse @text, expecting success; the uid_map and gid_map texts must be @uid and @gid. */
static void good(const char *text, const char *uid, const char *gid)
{
	char buf[IDMAP_MAX_TEXT];

	if (idmap_parse(text, &map, NULL) < 0) {
		fprintf(stderr, "refused '%s': %s\n", text, strerror(errno));
		unit_failures++;
		return;
	}
	CHECK(!map.userns_path);
	CHECK(idmap_format(&map, IDMAP_UID, buf, sizeof(buf)) == (int)strlen(uid));
	if (strcmp(buf, uid))
		fprintf(stderr, "'%s': uid_map '%s', expected '%s'\n", text, buf, uid), unit_failures++;
	CHECK(idmap_format(&map, IDMAP_GID, buf, sizeof(buf)) == (int)strlen(gid));
	if (strcmp(buf, gid))
		fprintf(stderr, "'%s': gid_map '%s', expected '%s'\n", text, buf, gid), unit_failures++;
}

/* Parse @text, expecting errno @e and the offending entry to start at @off. */
static void bad(const char *text, int e, size_t off, size_t len)
{
	struct idmap_err err = { 0 };

	errno = 0;
	if (idmap_parse(text, &map, &err) == 0) {
		fprintf(stderr, "accepted '%s'\n", text);
		unit_failures++;
		return;
	}
	if (errno != e || err.off != off || err.len != len || !err.why) {
		fprintf(stderr, "'%s': errno %d at %zu+%zu (%s), expected %d at %zu+%zu\n", text,
			errno, err.off, err.len, err.why ? err.why : "?", e, off, len);
		unit_failures++;
	}
}

static void syntax(void)
{
	good("u:0:100000:65536 g:0:100000:65536", "0 100000 65536\n", "0 100000 65536\n");
	good("0:100000:65536", "0 100000 65536\n", "0 100000 65536\n");
	good("b:0:100000:65536", "0 100000 65536\n", "0 100000 65536\n");
	good("  u:0:1000:1\tg:0:2000:1  b:1:5000:10 ", "0 1000 1\n1 5000 10\n", "0 2000 1\n1 5000 10\n");
	/* one map each: the same ranges do not meet */
	good("u:0:100:10 g:0:100:10", "0 100 10\n", "0 100 10\n");
	/* the last valid ID is 4294967294 */
	good("0:4294967294:1", "0 4294967294 1\n", "0 4294967294 1\n");
	good("4294967294:0:1", "4294967294 0 1\n", "4294967294 0 1\n");

	bad("", EINVAL, 0, 0);
	bad("   \t ", EINVAL, 0, 0);
	bad("u:0:1", EINVAL, 0, 5);
	bad("u:0:1:", EINVAL, 0, 6);
	bad("u:0:1:1:2", EINVAL, 0, 9);
	bad("x:0:1:1", EINVAL, 0, 7);
	bad("U:0:1:1", EINVAL, 0, 7);
	bad("u:-1:1:1", EINVAL, 0, 8);
	bad("u:+1:1:1", EINVAL, 0, 8);
	bad("u:1 :1:1", EINVAL, 0, 3);
	bad("0:1:1,1:2:1", EINVAL, 0, 11);
	bad("0:1:0", EINVAL, 0, 5);
	bad("0:1:1 bad", EINVAL, 6, 3);
	bad("0:100:1 0:4294967296:1", ERANGE, 8, 14);
	bad("0:4294967295:1", ERANGE, 0, 14);
	bad("4294967295:0:1", ERANGE, 0, 14);
	bad("0:1:4294967295", ERANGE, 0, 14);
	bad("0:100:99999999999999999999", ERANGE, 0, 26);
	/* overlaps on the inside, then on the outside */
	bad("0:100:10 5:200:10", EINVAL, 9, 8);
	bad("0:100:10 20:105:10", EINVAL, 9, 9);
	bad("u:0:100:10 b:9:500:1", EINVAL, 11, 9);
	/* both maps are needed */
	bad("u:0:100000:65536", EINVAL, 0, 0);
	bad("g:0:100000:65536", EINVAL, 0, 0);
}

static void paths(void)
{
	const char *t = "  /proc/self/ns/user";

	CHECK(idmap_parse(t, &map, NULL) == 0);
	CHECK(map.userns_path == t + 2);
	CHECK(map.n == 0);
	CHECK(idmap_parse("/a path/with space", &map, NULL) == 0);
	CHECK(map.userns_path && !strcmp(map.userns_path, "/a path/with space"));
}

/* 340 extents per map, and a map's text must fit one kernel write. */
static void limits(void)
{
	size_t size = 64 * 1024;
	char *text = malloc(size), *buf = malloc(size);
	size_t used = 0;

	if (!text || !buf)
		abort();
	for (int i = 0; i < IDMAP_MAX_EXTENTS; i++)
		used += (size_t)snprintf(text + used, size - used, "u:%d:%d:1 ", i, 1000 + i);
	snprintf(text + used, size - used, "g:0:0:1");
	CHECK(idmap_parse(text, &map, NULL) == 0);
	CHECK(map.n == IDMAP_MAX_EXTENTS + 1);
	CHECK(idmap_format(&map, IDMAP_UID, buf, size) > 0);
	snprintf(text + used, size - used, "u:999:9999:1 g:0:0:1");
	bad(text, E2BIG, used, 12);

	/* long numbers: 340 lines of 33 bytes pass a page */
	used = 0;
	for (int i = 0; i < IDMAP_MAX_EXTENTS; i++)
		used += (size_t)snprintf(text + used, size - used, "%u:%u:1 ", 4000000000u + i,
					 4100000000u + i);
	CHECK(idmap_parse(text, &map, NULL) == 0);
	errno = 0;
	CHECK(idmap_format(&map, IDMAP_UID, buf, size) == -1 && errno == E2BIG);
	/* and a buffer too small is the same error */
	CHECK(idmap_parse("0:100000:65536", &map, NULL) == 0);
	errno = 0;
	CHECK(idmap_format(&map, IDMAP_UID, buf, 8) == -1 && errno == E2BIG);
	free(text);
	free(buf);
}

int main(void)
{
	unit_begin();
	syntax();
	paths();
	limits();
	return unit_end("idmap");
}
