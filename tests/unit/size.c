// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test of size_parse(): every unit, the 2^64 boundary, and what must
 * be refused (signs, spaces, hex, "KB", junk after the unit).  Exits
 * non-zero when a case fails, naming it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include "size.h"

static const struct {
	const char *in;
	int err;		/* 0: accepted */
	uint64_t want;
} cases[] = {
	{ "0", 0, 0 },
	{ "512", 0, 512 },
	{ "010", 0, 10 },	/* decimal, never octal */
	{ "1k", 0, 1024 },
	{ "1K", 0, 1024 },
	{ "4KiB", 0, 4096 },
	{ "3m", 0, 3ull << 20 },
	{ "2MiB", 0, 2ull << 20 },
	{ "1g", 0, 1ull << 30 },
	{ "1G", 0, 1ull << 30 },
	{ "5t", 0, 5ull << 40 },
	{ "7P", 0, 7ull << 50 },
	{ "15e", 0, 15ull << 60 },
	{ "18446744073709551615", 0, UINT64_MAX },
	{ "16e", ERANGE, 0 },
	{ "18446744073709551616", ERANGE, 0 },
	{ "99999999999999999999999", ERANGE, 0 },
	{ "17179869184g", ERANGE, 0 },
	{ "17179869183g", 0, 17179869183ull << 30 },
	{ "", EINVAL, 0 },
	{ "k", EINVAL, 0 },
	{ "-1", EINVAL, 0 },
	{ "+1", EINVAL, 0 },
	{ " 1", EINVAL, 0 },
	{ "1 ", EINVAL, 0 },
	{ "1 k", EINVAL, 0 },
	{ "0x10", EINVAL, 0 },
	{ "1.5k", EINVAL, 0 },
	{ "1kk", EINVAL, 0 },
	{ "1KB", EINVAL, 0 },
	{ "1kib", EINVAL, 0 },
	{ "1iB", EINVAL, 0 },
	{ "1B", EINVAL, 0 },
	{ "1x", EINVAL, 0 },
	{ "10kxyz", EINVAL, 0 },
};

int main(void)
{
	int failed = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t got = 42;
		int r;

		errno = 0;
		r = size_parse(cases[i].in, &got);
		if (cases[i].err ? (r != -1 || errno != cases[i].err || got != 42)
				 : (r != 0 || got != cases[i].want)) {
			fprintf(stderr, "size_parse(\"%s\"): got %d (errno %d, value %" PRIu64 ")\n",
				cases[i].in, r, errno, got);
			failed++;
		}
	}
	fprintf(stderr, "size: %zu checks, %d failed\n", sizeof(cases) / sizeof(cases[0]), failed);
	return failed != 0;
}
