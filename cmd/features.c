// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mntx --features - what the running kernel offers of the mount and file
 * API, probed as the tools probe it when the kernel refuses something
 * (src/feature.c), one record per feature.
 */
#include <errno.h>
#include "diag.h"
#include "feature.h"
#include "out.h"
#include "tools.h"

enum { FC_NAME, FC_AVAILABLE, FC_SINCE, FC_KERNEL, FC_USED_BY, FC_WITHOUT, FC__COUNT };

static const struct mntx_col cols[FC__COUNT] = {
	[FC_NAME] = { "name", "FEATURE", COL_STR, COLF_DEFAULT, 0, "the feature's name (the tests' `needs` word)" },
	[FC_AVAILABLE] = { "available", "AVAILABLE", COL_BOOL, COLF_DEFAULT, 0,
			   "whether this kernel has it; null when the probe needs a privilege we lack" },
	[FC_SINCE] = { "since", "SINCE", COL_STR, COLF_DEFAULT | COLF_RIGHT, 0, "the first Linux version with it" },
	[FC_KERNEL] = { "kernel_name", "KERNEL-NAME", COL_STR, 0, 0, "the kernel's name for it" },
	[FC_USED_BY] = { "used_by", "USED-BY", COL_STR, COLF_DEFAULT | COLF_TRUNC, 0, "what in mntx needs it" },
	[FC_WITHOUT] = { "without", "WITHOUT", COL_STR, 0, 0, "what mntx does on a kernel without it" },
};

static const struct mntx_opt options[] = {
	OPT_ENTRIES_OUTPUT,
	{ 0 }
};

static int run(int argc, char **argv);

const struct mntx_tooldef features_tool = {
	.name = "mntx --features",
	.usage = "[options]",
	.about = "Show which features of the mount and file API the running kernel has, each\n"
		 "found by calling it, with the Linux version that brought it and what mntx\n"
		 "does without it.",
	.opts = options,
	.cols = cols,
	.ncols = FC__COUNT,
	.run = run,
};

static int run(int argc, char **argv)
{
	struct opt_parser p;
	struct out_ctx *o = out_new(cols, FC__COUNT, "features");
	int c, rc = MNTX_EXIT_USAGE;
	char *arg;

	if (!o || opt_init(&p, &features_tool, argc, argv) < 0) {
		diag_err(errno, "cannot start");
		out_free(o);
		return MNTX_EXIT_FAIL;
	}
	opt_output(&p, o);
	while ((c = opt_next(&p, &arg)) >= 0)
		;
	if (c != OPT_END) {
		rc = c == OPT_EXIT ? MNTX_EXIT_OK : MNTX_EXIT_USAGE;
		goto done;
	}
	if (optind < argc) {
		diag_usage("unexpected argument '%s'", diag_quote(argv[optind]));
		goto done;
	}
	rc = MNTX_EXIT_FAIL;
	if (out_begin(o) < 0)
		goto done;
	for (int f = 0; f < FEAT__COUNT; f++) {
		const struct feature_info *fi = feature_info((enum feature)f);
		enum feature_state st = feature_probe((enum feature)f);
		struct mntx_rec *r = out_rec(o);

		rec_str(r, FC_NAME, fi->name);
		if (st != FEATURE_UNKNOWN)
			rec_bool(r, FC_AVAILABLE, st == FEATURE_YES);
		rec_str(r, FC_SINCE, fi->since);
		rec_str(r, FC_KERNEL, fi->kname);
		rec_str(r, FC_USED_BY, fi->used_by);
		rec_str(r, FC_WITHOUT, fi->without);
		if (out_emit(o, 0) < 0)
			break;
	}
	rc = out_end(o) < 0 ? MNTX_EXIT_FAIL : MNTX_EXIT_OK;
done:
	opt_free(&p);
	out_free(o);
	return rc;
}
