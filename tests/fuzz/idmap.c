// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for src/idmap.c: any text through idmap_parse(); what
 * it accepts must hold the kernel's rules, and idmap_format() must stay
 * inside its buffer and one kernel write.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "idmap.h"

static struct idmap map;
static char text[IDMAP_MAX_TEXT];

static void check_map(void)
{
	size_t n[2] = { 0, 0 };
	unsigned int kinds = 0;

	for (size_t i = 0; i < map.n; i++) {
		const struct idmap_extent *x = &map.ext[i];

		kinds |= x->kind;
		if (!x->count || !x->kind || (x->kind & ~IDMAP_BOTH) ||
		    (uint64_t)x->inside + x->count > UINT32_MAX ||
		    (uint64_t)x->outside + x->count > UINT32_MAX)
			__builtin_trap();
		for (size_t j = 0; j < i; j++) {
			const struct idmap_extent *y = &map.ext[j];

			if (!(x->kind & y->kind))
				continue;
			if (((uint64_t)x->inside < (uint64_t)y->inside + y->count &&
			     (uint64_t)y->inside < (uint64_t)x->inside + x->count) ||
			    ((uint64_t)x->outside < (uint64_t)y->outside + y->count &&
			     (uint64_t)y->outside < (uint64_t)x->outside + x->count))
				__builtin_trap();
		}
		n[0] += !!(x->kind & IDMAP_UID);
		n[1] += !!(x->kind & IDMAP_GID);
	}
	if (kinds != IDMAP_BOTH || n[0] > IDMAP_MAX_EXTENTS || n[1] > IDMAP_MAX_EXTENTS)
		__builtin_trap();
	for (int k = IDMAP_UID; k <= IDMAP_GID; k <<= 1) {
		int len = idmap_format(&map, k, text, sizeof(text));

		if (len >= (int)sizeof(text) || (len >= 0 && strlen(text) != (size_t)len))
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct idmap_err err;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (idmap_parse(s, &map, &err) == 0) {
		if (map.userns_path) {
			if (map.userns_path < s || map.userns_path > s + size || *map.userns_path != '/')
				__builtin_trap();
		} else {
			check_map();
		}
	} else if (err.off + err.len > strlen(s) || !err.why) {
		__builtin_trap();
	}
	free(s);
	return 0;
}
