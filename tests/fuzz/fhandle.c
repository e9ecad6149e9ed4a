// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: fh_parse(), the handle string decoder fh-open runs on what
 * the user types.
 *
 * Besides memory errors (ASan, UBSan) it checks what the format promises:
 * a string that parses is in the one canonical spelling, so writing the
 * handle back gives the same string; a string that is refused has a
 * reason and errno EINVAL.
 *
 *     make fuzz && build/fuzz/fhandle -max_len=400 tests/fuzz/corpus/fhandle
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fhandle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), back[FH_STR_MAX];
	const char *why = NULL;
	struct fh h;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	errno = 0;
	if (fh_parse(s, &h, &why) == 0) {
		if (h.len < 1 || h.len > FH_MAX_BYTES)
			abort();
		if (fh_format(&h, back, sizeof(back)) < 0 || strcmp(back, s))
			abort();
	} else if (!why || errno != EINVAL) {
		abort();
	}
	free(s);
	return 0;
}
