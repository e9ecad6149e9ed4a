// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target of size_parse(): any bytes, no crash, and an accepted
 * size agrees with a plain reading of its digits and unit.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "size.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *s = malloc(len + 1);
	uint64_t v = 0, digits = 0;
	size_t i = 0;

	if (!s)
		return 0;
	memcpy(s, data, len);
	s[len] = '\0';
	if (size_parse(s, &v) == 0) {
		/* accepted: decimal digits, then at most a unit and "iB" */
		for (; s[i] >= '0' && s[i] <= '9'; i++)
			digits = digits * 10 + (uint64_t)(s[i] - '0');
		if (i == 0 || strlen(s + i) > 3 || (s[i] == '\0' && v != digits) ||
		    (s[i] && v < digits))
			abort();
	} else if (errno != EINVAL && errno != ERANGE) {
		abort();
	}
	free(s);
	return 0;
}
