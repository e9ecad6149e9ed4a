// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for src/optstr.c (fsmount -o LIST).  Beyond memory
 * safety it checks what the parser promises: every item has a non-empty
 * key, no quote survives, items never hold more bytes than the input,
 * and a failed parse leaves an earlier list untouched.
 *
 *   make fuzz && build/fuzz/optstr -max_total_time=60
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "optstr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct optstr *l, size_t from, size_t inlen)
{
	size_t total = 0;

	for (size_t i = from; i < l->n; i++) {
		const struct optstr_item *it = &l->items[i];

		if (!it->key || !*it->key || strchr(it->key, '"'))
			abort();
		if (it->value && strchr(it->value, '"'))
			abort();
		total += strlen(it->key) + (it->value ? strlen(it->value) + 1 : 0);
	}
	if (total > inlen)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct optstr l = { 0 };
	char *s = malloc(size + 1);
	size_t pos = 0, before;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	/* a first list, to see that a bad second one leaves it alone */
	if (optstr_parse(&l, "size=1m,noswap", NULL) < 0 || l.n != 2)
		abort();
	before = l.n;
	if (optstr_parse(&l, s, &pos) == 0) {
		check(&l, before, strlen(s));
	} else {
		if (errno == EINVAL && pos > strlen(s))
			abort();
		if (l.n != before)
			abort();
	}
	optstr_free(&l);
	free(s);
	return 0;
}
