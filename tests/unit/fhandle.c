// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of fhandle.h: the handle string, written and read back, its
 * limits, every way a string can be malformed (with the reason given),
 * and a real handle of the current directory through both.
 * main() returns 0 when every check passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include "fhandle.h"

static int checks, failures;

#define CHECK(cond) \
	((void)(checks++, (cond) ? 0 : (failures++, fprintf(stderr, "%s:%d: check failed: %s\n", \
								__FILE__, __LINE__, #cond))))

/* A string that must parse, and format back to itself. */
static void good(const char *s, uint64_t id, bool unique, uint32_t type, size_t len)
{
	struct fh h;
	const char *why = NULL;
	char back[FH_STR_MAX];

	if (fh_parse(s, &h, &why) < 0) {
		failures++, checks++;
		fprintf(stderr, "refused '%s': %s\n", s, why);
		return;
	}
	CHECK(h.mnt_id == id);
	CHECK(h.unique == unique);
	CHECK(h.type == type);
	CHECK(h.len == len);
	CHECK(fh_format(&h, back, sizeof(back)) == (int)strlen(s));
	if (strcmp(back, s)) {
		failures++;
		fprintf(stderr, "'%s' formats back as '%s'\n", s, back);
	}
	checks++;
}

/* A string that must be refused, for the reason given (a substring). */
static void bad(const char *s, const char *reason)
{
	struct fh h;
	const char *why = NULL;

	checks++;
	errno = 0;
	if (fh_parse(s, &h, &why) == 0) {
		failures++;
		fprintf(stderr, "accepted '%s'\n", s);
		return;
	}
	CHECK(errno == EINVAL);
	if (!why || !strstr(why, reason)) {
		failures++;
		fprintf(stderr, "'%s' refused for '%s', expected '%s'\n", s, why ? why : "(null)", reason);
	}
}

static void strings(void)
{
	char max[FH_STR_MAX], over[FH_STR_MAX + 8];

	good("fh1:u80000001:t1:00", 0x80000001, true, 1, 1);
	good("fh1:u8000000100000022:t30001:0102030405060708", 0x8000000100000022ull, true, 0x30001, 8);
	good("fh1:uffffffffffffffff:t7fffffff:ff", UINT64_MAX, true, 0x7fffffff, 1);
	good("fh1:o1:t0:abcdef", 1, false, 0, 3);
	good("fh1:o7fffffff:t81:0123456789abcdef", 0x7fffffff, false, 0x81, 8);
	/* 128 bytes: the largest handle */
	snprintf(max, sizeof(max), "fh1:u80000002:t1:");
	for (int i = 0; i < 128; i++)
		strcat(max, "5a");
	good(max, 0x80000002, true, 1, 128);
	CHECK(strlen(max) < FH_STR_MAX);
	snprintf(over, sizeof(over), "%s5a", max);
	bad(over, "more than 128 handle bytes");

	bad("", "empty handle");
	bad("fh", "not a handle string");
	bad("f", "not a handle string");
	bad("fh1", "not a handle string");
	bad("fhx:u80000001:t1:00", "not a handle string");
	bad("xx1:u80000001:t1:00", "not a handle string");
	bad(" fh1:u80000001:t1:00", "not a handle string");
	bad("fh2:u80000001:t1:00", "unknown version");
	bad("fh10:u80000001:t1:00", "unknown version");
	bad("fh1:", "must start with 'u'");
	bad("fh1:x80000001:t1:00", "must start with 'u'");
	bad("fh1:U80000001:t1:00", "must start with 'u'");
	bad("fh1:u:t1:00", "no mount ID");
	bad("fh1:u", "no mount ID");
	bad("fh1:u080000001:t1:00", "leading zero in the mount ID");
	bad("fh1:u8000000A:t1:00", "not lower-case hex");
	bad("fh1:u8000000g:t1:00", "not lower-case hex");
	bad("fh1:u10000000000000000:t1:00", "more than 16 hex digits");
	bad("fh1:u80000000:t1:00", "above 80000000");
	bad("fh1:u1:t1:00", "above 80000000");
	bad("fh1:o0:t1:00", "between 1 and 7fffffff");
	bad("fh1:o80000000:t1:00", "between 1 and 7fffffff");
	bad("fh1:u80000001", "no ':t' handle type");
	bad("fh1:u80000001:", "no ':t' handle type");
	bad("fh1:u80000001:1:00", "no ':t' handle type");
	bad("fh1:u80000001:t:00", "no handle type");
	bad("fh1:u80000001:t01:00", "leading zero in the handle type");
	bad("fh1:u80000001:tF:00", "handle type is not lower-case hex");
	bad("fh1:u80000001:t-1:00", "handle type is not lower-case hex");
	bad("fh1:u80000001:t100000000:00", "more than 8 hex digits");
	bad("fh1:u80000001:t80000000:00", "above 7fffffff");
	bad("fh1:u80000001:t1", "no handle bytes");
	bad("fh1:u80000001:t1:", "no handle bytes");
	bad("fh1:u80000001:t1:0", "odd number of hex digits");
	bad("fh1:u80000001:t1:abc", "odd number of hex digits");
	bad("fh1:u80000001:t1:AB", "not lower-case hex");
	bad("fh1:u80000001:t1:00 ", "not lower-case hex");
	bad("fh1:u80000001:t1:00\n", "not lower-case hex");
	bad("fh1:u80000001:t1:00:00", "extra ':' field");
}

static void formatting(void)
{
	struct fh h = { .mnt_id = 0x80000001, .unique = true, .type = 1, .len = 2,
			.bytes = { 0xab, 0x01 } };
	char small[8], buf[FH_STR_MAX], hex[2 * FH_MAX_BYTES + 1];

	CHECK(fh_format(&h, buf, sizeof(buf)) > 0);
	CHECK(!strcmp(buf, "fh1:u80000001:t1:ab01"));
	fh_hex(&h, hex);
	CHECK(!strcmp(hex, "ab01"));
	errno = 0;
	CHECK(fh_format(&h, small, sizeof(small)) < 0 && errno == ENOSPC);
	h.len = 0;
	CHECK(fh_format(&h, buf, sizeof(buf)) < 0 && errno == EINVAL);
	h.len = 1;
	h.type = 0x80000000u;
	CHECK(fh_format(&h, buf, sizeof(buf)) < 0 && errno == EINVAL);
	h.type = 1;
	h.unique = false;	/* an old ID cannot be that large */
	CHECK(fh_format(&h, buf, sizeof(buf)) < 0 && errno == EINVAL);
}

/* A real handle: encoded by the kernel, through the string and back. */
static void kernel(void)
{
	struct fh h, back;
	char s[FH_STR_MAX];
	const char *why;

	if (fh_encode(AT_FDCWD, ".", 0, &h) < 0) {
		fprintf(stderr, "note: no handle for '.' here (%s); kernel checks skipped\n",
			strerror(errno));
		return;
	}
	CHECK(h.len > 0);
	CHECK(fh_format(&h, s, sizeof(s)) > 0);
	CHECK(fh_parse(s, &back, &why) == 0);
	CHECK(back.mnt_id == h.mnt_id && back.unique == h.unique && back.type == h.type);
	CHECK(back.len == h.len && !memcmp(back.bytes, h.bytes, h.len));
	errno = 0;
	CHECK(fh_encode(AT_FDCWD, "/nonexistent/mntx-unit", 0, &h) < 0 && errno == ENOENT);
}

int main(void)
{
	strings();
	formatting();
	kernel();
	fprintf(stderr, "fhandle: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
