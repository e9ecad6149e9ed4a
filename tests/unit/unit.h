/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * unit.h - the few checks the unit tests of src/ share.
 *
 * Each tests/unit/NAME.c is a program whose main() returns unit_end(): 0
 * when every check passed, 1 otherwise.  A failed check prints its file,
 * line and expression and the test goes on, so one run shows every
 * failure.  Failures go to the stream stderr held when unit_begin() ran,
 * so that a test may swap stderr (or stdout) to capture what src/ prints.
 */
#ifndef MNTX_UNIT_H
#define MNTX_UNIT_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE *unit_log;
static int unit_checks, unit_failures;

static inline void unit_begin(void)
{
	unit_log = stderr;
}

static inline int unit_end(const char *name)
{
	fprintf(unit_log, "%s: %d checks, %d failed\n", name, unit_checks, unit_failures);
	return unit_failures ? 1 : 0;
}

static inline int unit_fail(const char *file, int line, const char *what)
{
	fprintf(unit_log, "%s:%d: check failed: %s\n", file, line, what);
	unit_failures++;
	return 0;
}

/* Each macro evaluates to 1 when the check passed, 0 when it failed. */
#define CHECK(cond) \
	(unit_checks++, (cond) ? 1 : unit_fail(__FILE__, __LINE__, #cond))

#define CHECK_STR(got, want) \
	(unit_checks++, unit_str(__FILE__, __LINE__, #got, (got), (want)))

#define CHECK_U64(got, want) \
	(unit_checks++, unit_u64(__FILE__, __LINE__, #got, (got), (want)))

static inline int unit_str(const char *file, int line, const char *expr, const char *got,
			   const char *want)
{
	if (got == want || (got && want && !strcmp(got, want)))
		return 1;
	fprintf(unit_log, "%s:%d: %s is \"%s\", expected \"%s\"\n", file, line, expr,
		got ? got : "(null)", want ? want : "(null)");
	unit_failures++;
	return 0;
}

static inline int unit_u64(const char *file, int line, const char *expr, uint64_t got,
			   uint64_t want)
{
	if (got == want)
		return 1;
	fprintf(unit_log, "%s:%d: %s is %" PRIu64 " (%#" PRIx64 "), expected %" PRIu64
		" (%#" PRIx64 ")\n", file, line, expr, got, got, want, want);
	unit_failures++;
	return 0;
}

/*
 * Capture what a stream receives: unit_capture(&stderr) swaps the stream
 * for a memory one, unit_release() puts it back and returns the text
 * (malloc'd; free it).
 */
struct unit_capture {
	FILE **stream, *saved;
	char *text;
	size_t len;
};

static inline void unit_capture(struct unit_capture *c, FILE **stream)
{
	c->stream = stream;
	c->saved = *stream;
	c->text = NULL;
	c->len = 0;
	*stream = open_memstream(&c->text, &c->len);
	if (!*stream) {
		perror("open_memstream");
		exit(2);
	}
}

static inline char *unit_release(struct unit_capture *c)
{
	fclose(*c->stream);
	*c->stream = c->saved;
	return c->text;
}

#endif
