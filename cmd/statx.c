// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * statx - every field statx(2) gives for files, in the file record that
 * fswalk, openat2 and fh-open share.
 *
 * The kernel is asked only for the STATX_* bits the shown columns need
 * (or the --mask given); a field whose bit it did not return is null.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "abi.h"
#include "diag.h"
#include "filerec.h"
#include "flags.h"
#include "sys.h"
#include "tools.h"

enum { OPT_MASK = OPT_TOOL, OPT_SYNC };

static const struct mntx_opt options[] = {
	{ 'L', "dereference", no_argument, NULL, "follow a symlink given as PATH (default: describe the link)" },
	{ OPT_MASK, "mask", required_argument, "LIST", "ask the kernel only for these STATX_* fields",
	  OPT_C_LIST, NULL, &flags_statx_mask },
	{ OPT_SYNC, "sync", required_argument, "WHEN", "as-stat, force or dont: how fresh network filesystems must be",
	  OPT_C_WORDS, "as-stat force dont" },
	OPT_ENTRIES_OUTPUT,
	{ 0 }
};

static int run(int argc, char **argv);

const struct mntx_tooldef statx_tool = {
	.name = "statx",
	.usage = "[options] PATH...",
	.about = "Show what statx(2) says about files: every field of Linux 6.18, a field the\n"
		 "kernel did not return being empty (null in JSON).  One PATH: a key: value\n"
		 "listing; several: a table.  '-' is standard input.",
	.opts = options,
	.cols = file_cols,
	.ncols = FC__COUNT,
	.operands = OPT_C_FILE,
	.run = run,
};

struct statx_req {
	int flags;		/* AT_* */
	unsigned int mask;	/* STATX_* */
};

static int parse_sync(const char *arg, int *flags)
{
	if (!strcmp(arg, "as-stat"))
		*flags = MNTX_AT_STATX_SYNC_AS_STAT;
	else if (!strcmp(arg, "force"))
		*flags = MNTX_AT_STATX_FORCE_SYNC;
	else if (!strcmp(arg, "dont"))
		*flags = MNTX_AT_STATX_DONT_SYNC;
	else
		{
		diag_usage("invalid --sync value: '%s' (as-stat, force or dont)", diag_quote(arg));
		return -1;
	}
	return 0;
}

/* One PATH into one record; 0, or -1 after saying what failed. */
static int stat_one(struct out_ctx *o, const struct statx_req *q, const char *path,
		    struct file_text *text)
{
	struct mntx_statx stx;
	struct mntx_rec *r;
	char target[PATH_MAX];
	int dfd = AT_FDCWD, flags = q->flags;
	const char *name = path;

	/* "-" is standard input: the file it is open on, whatever that is */
	if (!strcmp(path, "-")) {
		dfd = STDIN_FILENO;
		name = "";
		flags |= AT_EMPTY_PATH;
	}
	memset(&stx, 0, sizeof(stx));
	if (sys_statx(dfd, name, flags, q->mask, &stx) < 0) {
		if (errno == ENOSYS)
			diag_err(0, "this kernel lacks statx(2) (Linux 4.11)");
		else if (dfd == STDIN_FILENO)
			diag_err(errno, "cannot stat standard input");
		else
			diag_err(errno, "cannot stat '%s'", diag_quote(path));
		return -1;
	}
	r = out_rec(o);
	rec_str(r, FC_PATH, path);
	file_fill(o, r, &stx, text);
	if (out_needs(o, FC_LINK_TARGET) && (stx.stx_mask & MNTX_STATX_TYPE) &&
	    S_ISLNK(stx.stx_mode)) {
		ssize_t n = readlinkat(dfd, name, target, sizeof(target));

		/* a link replaced between the two calls just has no target */
		if (n >= 0 && (size_t)n < sizeof(target))
			rec_strn(r, FC_LINK_TARGET, target, (size_t)n);
	}
	if (out_emit(o, 0) < 0) {
		if (!diag_stdout_broken())
			diag_err(errno, "cannot print '%s'", diag_quote(path));
		return -1;
	}
	return 0;
}

static int run(int argc, char **argv)
{
	struct opt_parser p;
	struct out_ctx *o = out_new(file_cols, FC__COUNT, "files");
	struct statx_req q = { .flags = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT };
	struct file_text text = { 0 };
	uint64_t mask = 0;
	bool have_mask = false;
	int c, sync = MNTX_AT_STATX_SYNC_AS_STAT, rc = MNTX_EXIT_USAGE, status = MNTX_EXIT_OK;
	char *arg;

	if (!o || opt_init(&p, &statx_tool, argc, argv) < 0) {
		diag_err(errno, "cannot start");
		out_free(o);
		return MNTX_EXIT_FAIL;
	}
	opt_output(&p, o);
	while ((c = opt_next(&p, &arg)) >= 0) {
		switch (c) {
		case 'L':
			q.flags &= ~AT_SYMLINK_NOFOLLOW;
			break;
		case OPT_MASK:
			if (flags_parse(&flags_statx_mask, arg, &mask, NULL) < 0)
				goto done;
			have_mask = true;
			break;
		case OPT_SYNC:
			if (parse_sync(arg, &sync) < 0)
				goto done;
			break;
		}
	}
	if (c != OPT_END) {
		rc = c == OPT_EXIT ? MNTX_EXIT_OK : MNTX_EXIT_USAGE;
		goto done;
	}
	if (optind >= argc) {
		diag_usage("no file given");
		goto done;
	}
	/* one file: every field, key: value; several: a table */
	out_layout_full(o, (size_t)(argc - optind), NULL);
	q.flags |= sync;
	q.mask = have_mask ? (unsigned int)mask : file_mask_for(o);

	rc = MNTX_EXIT_FAIL;
	if (out_begin(o) < 0)
		goto done;
	for (int i = optind; i < argc; i++) {
		if (stat_one(o, &q, argv[i], &text) < 0) {
			status = MNTX_EXIT_FAIL;
			if (diag_stdout_broken())
				break;
		}
	}
	rc = out_end(o) < 0 ? MNTX_EXIT_FAIL : status;
done:
	opt_free(&p);
	out_free(o);
	return rc;
}
