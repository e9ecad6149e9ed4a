/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * diag.h - messages on stderr and exit codes, the one place that words them.
 *
 * Messages read `NAME: what failed: why`, NAME being the tool as invoked.
 * src/ never prints except through here, and never exits: functions return
 * -1 with errno and the caller in cmd/ decides what to say.
 */
#ifndef MNTX_DIAG_H
#define MNTX_DIAG_H

#include <stdbool.h>

enum mntx_exit {
	MNTX_EXIT_OK = 0,
	MNTX_EXIT_FAIL = 1,	/* failure, including partial failure */
	MNTX_EXIT_USAGE = 2,	/* bad options or operands */
	MNTX_EXIT_UNKNOWN = 127,	/* no such tool */
};

/** diag_set_prog() - name used in front of every message (the tool as invoked). */
void diag_set_prog(const char *name);
const char *diag_prog(void);

/**
 * diag_err() - print `NAME: MESSAGE: strerror(errnum)`.
 * @errnum: an errno value, or 0 for a message without a reason
 *
 * EPERM gets the capability that was missing named after it, when
 * diag_set_cap() said which one the tool needs: "(needs CAP_SYS_ADMIN)".
 * EACCES does not, since it means a file's permissions far more often
 * than a capability.
 */
void diag_err(int errnum, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** diag_warn() - print `NAME: MESSAGE` (a note or warning; no reason). */
void diag_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** diag_set_cap() - the capability whose absence EPERM means for this tool. */
void diag_set_cap(const char *cap);

/**
 * diag_usage() - a usage error: the message, then the hint to --help.
 * Return: MNTX_EXIT_USAGE, to be returned by the caller.
 */
int diag_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * diag_close_stdout() - flush stdout and turn a write error into a status.
 * @status: the status so far
 *
 * EPIPE is not an error: the reader went away, as with `| head`.
 * Return: @status, or MNTX_EXIT_FAIL after a write error.
 */
int diag_close_stdout(int status);

/**
 * diag_quote() - @s made safe to put in a message: control bytes, backslash
 * and bytes that are not text in the locale become C-style escapes, so a
 * file name cannot forge a line.  Returns one of a few static buffers (four
 * quotes may be in one message); very long names are cut with "...".
 */
const char *diag_quote(const char *s);

/** diag_stdout_broken() - true once stdout failed (stop producing output). */
bool diag_stdout_broken(void);

#endif
