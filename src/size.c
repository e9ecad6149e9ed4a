// SPDX-License-Identifier: GPL-2.0-or-later
/* size.c - sizes given by the user; see size.h. */
#include <errno.h>
#include <string.h>
#include "size.h"

/* The power of 1024 a unit letter stands for, or -1. */
static int unit_shift(char c)
{
	static const char units[] = "kmgtpe";
	const char *p = c ? strchr(units, c | 0x20) : NULL;

	return p ? (int)(p - units + 1) * 10 : -1;
}

int size_parse(const char *s, uint64_t *out)
{
	uint64_t n = 0;
	int shift = 0;
	const char *p = s;

	if (*p < '0' || *p > '9') {
		errno = EINVAL;
		return -1;
	}
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (n > (UINT64_MAX - d) / 10) {
			errno = ERANGE;
			return -1;
		}
		n = n * 10 + d;
	}
	if (*p) {
		shift = unit_shift(*p++);
		if (shift < 0 || (*p && strcmp(p, "iB") != 0)) {
			errno = EINVAL;
			return -1;
		}
	}
	if (shift && n > UINT64_MAX >> shift) {
		errno = ERANGE;
		return -1;
	}
	*out = n << shift;
	return 0;
}
