// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: flags_parse() and flags_names() on every flag table.
 *
 * The input is a comma list as a user would type it.  Besides memory
 * errors (ASan, UBSan) it checks what the tables promise: a list that
 * parses gives names that parse again to the same names, and flags_names()
 * never writes past the buffer it was given.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flags.h"

static const struct flag_table *const tables[] = {
	&flags_mount_attr, &flags_propagation, &flags_sb, &flags_statmount,
	&flags_statx_mask, &flags_statx_attr,
};

/* The names of @v as a comma list, keeping only names users may give. */
static void names_list(const struct flag_table *t, uint64_t v, char *out, size_t size)
{
	char buf[1024];
	size_t n, len = flags_names(t, v, buf, sizeof(buf), &n), used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < len; i += strlen(buf + i) + 1) {
		if (!flags_lookup(t, buf + i, strlen(buf + i)))
			continue;	/* printed only (idmapped) */
		used += (size_t)snprintf(out + used, size - used, "%s%s", used ? "," : "", buf + i);
	}
}

static void check_table(const struct flag_table *t, const char *list, uint64_t v, size_t size)
{
	uint64_t set = 0, clr = 0;
	char *small;
	size_t n, used;

	if (flags_parse(t, list, &set, &clr) == 0) {
		char again[1024], again2[1024];
		uint64_t set2 = 0, set3 = 0;

		/* names of what parsed, parsed again, name the same bits */
		names_list(t, set, again, sizeof(again));
		if (flags_parse(t, again, &set2, NULL) != 0)
			abort();
		names_list(t, set2, again2, sizeof(again2));
		if (strcmp(again, again2))
			abort();
		if (flags_parse(t, again2, &set3, NULL) != 0 || set3 != set2)
			abort();
	}

	/* an exact-size heap buffer: any overflow is an ASan report */
	small = malloc(size ? size : 1);
	if (!small)
		return;
	used = flags_names(t, v, small, size, &n);
	if (used > size)
		abort();
	for (size_t i = 0, k = 0; i < used; k++) {
		size_t l = strnlen(small + i, used - i);

		if (i + l >= used || k >= n)	/* every name NUL-terminated */
			abort();
		i += l + 1;
	}
	free(small);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	uint64_t v = 0;
	size_t bufsize = 0;
	char *list;

	if (!devnull) {
		/*
		 * diag prints every usage error; the fuzzer needs none of them.
		 * Only the stdio stream is swapped: fd 2 stays open for
		 * libFuzzer's progress and the sanitizers' reports, which a
		 * freopen() of stderr would send to /dev/null too.
		 */
		devnull = fopen("/dev/null", "w");
		if (devnull)
			stderr = devnull;
	}
	/* the first 9 bytes, when there, also give a value and a buffer size */
	if (size >= 9) {
		memcpy(&v, data, sizeof(v));
		bufsize = data[8];
	}
	list = malloc(size + 1);
	if (!list)
		return 0;
	memcpy(list, data, size);
	list[size] = '\0';
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		check_table(tables[i], list, v, bufsize);
	free(list);
	return 0;
}

/* UBSan findings stop the run, as ASan's do. */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}
