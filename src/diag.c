// SPDX-License-Identifier: GPL-2.0-or-later
/* diag.c - messages and exit codes; see diag.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#define LIBBSD_NETBSD_VIS 1	/* one strnvis prototype, no warning */
#include <vis.h>
#include "charset.h"
#include "diag.h"

static const char *prog = "mntx";
static const char *needed_cap;

void diag_set_prog(const char *name)
{
	prog = name;
}

const char *diag_prog(void)
{
	return prog;
}

void diag_set_cap(const char *cap)
{
	needed_cap = cap;
}

static void vmsg(int errnum, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	if (errnum) {
		fprintf(stderr, ": %s", strerror(errnum));
		if (errnum == EPERM && needed_cap)
			fprintf(stderr, " (needs %s)", needed_cap);
	}
	fputc('\n', stderr);
}

void diag_err(int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(errnum, fmt, ap);
	va_end(ap);
}

void diag_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(0, fmt, ap);
	va_end(ap);
}

int diag_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(0, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", prog);
	return MNTX_EXIT_USAGE;
}

bool diag_stdout_broken(void)
{
	return ferror(stdout);
}

int diag_close_stdout(int status)
{
	int err = 0;

	if (fflush(stdout) != 0 || ferror(stdout))
		err = errno ? errno : EIO;
	if (err && err != EPIPE) {
		diag_err(err, "write error");
		return MNTX_EXIT_FAIL;
	}
	return status;
}

const char *diag_quote(const char *s)
{
	/* each byte may take 4 bytes escaped */
	static char bufs[4][4 * 1024 + 4];
	static unsigned int next;
	char *buf = bufs[next++ % 4];
	size_t len = strlen(s), max = (sizeof(bufs[0]) - 4) / 4;

	charset_load();		/* vis shows what the locale can print */
	if (len > max) {
		strnvisx(buf, sizeof(bufs[0]) - 3, s, max, VIS_CSTYLE | VIS_OCTAL | VIS_TAB | VIS_NL);
		strcat(buf, "...");
	} else {
		strnvisx(buf, sizeof(bufs[0]), s, len, VIS_CSTYLE | VIS_OCTAL | VIS_TAB | VIS_NL);
	}
	return buf;
}
