// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * walkstate.c - libFuzzer target for the resume state parser: any bytes are
 * refused with a reason or accepted, never a crash; what is accepted writes
 * back to the same text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "walkstate.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct walkstate st, again;
	const char *why;
	char *text;
	size_t len;

	if (walkstate_parse((const char *)data, size, &st, &why) < 0) {
		if (!why && errno != ENOMEM)
			abort();	/* a refusal always says why */
		return 0;
	}
	text = walkstate_format(&st, &len);
	if (!text)
		abort();
	/* the text is canonical: it must come back byte for byte */
	if (len != size || memcmp(text, data, size))
		abort();
	if (walkstate_parse(text, len, &again, &why) < 0)
		abort();
	walkstate_free(&again);
	free(text);
	walkstate_free(&st);
	return 0;
}
