// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: mountinfo_parse_line() and mount_unescape() on arbitrary
 * bytes, then the parsed mount through mount_fill() and the JSON Lines
 * rendering.
 *
 * The input is one line (not NUL-terminated by libFuzzer: it is copied).
 * Besides memory errors it checks that every string the parser returns
 * lies inside the line, and that the JSON written for the mount is valid
 * UTF-8 that cJSON parses, whatever bytes the line held.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cJSON.h>
#include "mountrec.h"
#include "mounts.h"
#include "out.h"

static const char *line_start, *line_end;

/* A string the parser returned: NULL, a constant "", or inside the line. */
static void check_str(const char *s)
{
	if (!s || !*s)
		return;
	if (s < line_start || s >= line_end || s + strlen(s) >= line_end)
		abort();
}

/* Render @m as JSON Lines into memory and check the text. */
static void check_json(const struct mntx_mount *m)
{
	struct out_ctx *o = out_new(mount_cols, MC__COUNT, "mounts");
	struct mount_text t = { 0 };
	FILE *saved = stdout;
	char *text = NULL;
	size_t len = 0;
	cJSON *j;

	if (!o)
		return;
	stdout = open_memstream(&text, &len);
	if (!stdout) {
		stdout = saved;
		out_free(o);
		return;
	}
	out_set_format(o, OUT_JSON_LINES);
	out_select_all(o);
	if (mount_fill(o, out_rec(o), m, &t) == 0 && out_emit(o, 0) == 0)
		out_end(o);
	fclose(stdout);
	stdout = saved;
	if (len) {
		if (!utf8_valid(text, len) || text[len - 1] != '\n')
			abort();
		j = cJSON_ParseWithLength(text, len);
		if (!j || !cJSON_IsObject(j))
			abort();
		cJSON_Delete(j);
	}
	free(text);
	mount_text_free(&t);
	out_free(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mntx_mount m;
	char *line = malloc(size + 1), *copy = malloc(size + 1);

	if (!line || !copy)
		goto out;
	memcpy(line, data, size);
	line[size] = '\0';
	memcpy(copy, line, size + 1);

	/* unescaping never grows the string */
	mount_unescape(copy);
	if (strlen(copy) > strlen(line))
		abort();

	line_start = line;
	line_end = line + size + 1;
	if (mountinfo_parse_line(line, &m) == 0) {
		check_str(m.root);
		check_str(m.target);
		check_str(m.source);
		check_str(m.fs_type);
		check_str(m.fs_subtype);
		check_str(m.mnt_opts);
		if (!m.root || !m.target || !m.source || !m.fs_type || !m.mnt_opts)
			abort();
		check_json(&m);
	}
out:
	free(line);
	free(copy);
	return 0;
}

/* UBSan findings stop the run, as ASan's do. */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}
