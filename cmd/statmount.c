// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * statmount - one mount in full: every field statmount(2) gives, by unique
 * ID, old ID or a path on the mount.  The record is lsmnt's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "abi.h"
#include "diag.h"
#include "feature.h"
#include "flags.h"
#include "mountrec.h"
#include "sys.h"
#include "tools.h"

enum { OPT_MASK = OPT_TOOL, OPT_SUPPORTED, OPT_KERNEL };

static const struct mntx_opt options[] = {
	OPT_ENTRIES_OUTPUT,
	{ OPT_MASK, "mask", required_argument, "LIST", "ask only for these statmount groups",
	  OPT_C_LIST, NULL, &flags_statmount },
	{ OPT_SUPPORTED, "supported", no_argument, NULL, "show which statmount groups this kernel supports" },
	{ 'N', "task", required_argument, "PID", "the mount namespace of process PID", OPT_C_PID },
	{ OPT_KERNEL, "kernel", required_argument, "API", "listmount or mountinfo (default: listmount, else mountinfo)",
	  OPT_C_WORDS, "listmount mountinfo" },
	{ 0 }
};

static int run(int argc, char **argv);

const struct mntx_tooldef statmount_tool = {
	.name = "statmount",
	.usage = "[options] ID|PATH...\n--supported [options]",
	.about = "Show every field statmount(2) gives for the mounts named by unique ID, old\n"
		 "(mountinfo) ID or a path on the mount.  One mount: a key: value listing;\n"
		 "several: a table.",
	.opts = options,
	.cols = mount_cols,
	.ncols = MC__COUNT,
	.operands = OPT_C_FILE,
	.run = run,
};

/* ---- --supported ------------------------------------------------------------- */

enum { SC_GROUP, SC_BIT, SC_SUPPORTED, SC_FIELDS, SC__COUNT };
static const struct mntx_col supported_cols[SC__COUNT] = {
	[SC_GROUP] = { "group", "GROUP", COL_STR, COLF_DEFAULT, 0, "statmount group (STATMOUNT_*)" },
	[SC_BIT] = { "bit", "BIT", COL_HEX, COLF_DEFAULT | COLF_RIGHT, 0, "its mask bit" },
	[SC_SUPPORTED] = { "supported", "SUPPORTED", COL_BOOL, COLF_DEFAULT, 0, "this kernel supports it" },
	[SC_FIELDS] = { "fields", "FIELDS", COL_LIST, COLF_DEFAULT, 0, "mntx fields filled from it" },
};

static int supported(struct out_ctx *template, int argc)
{
	struct mnt_ns *ns;
	struct out_ctx *o;
	uint64_t have;
	int rc = MNTX_EXIT_FAIL;

	if (argc)
		return diag_usage("--supported takes no operands");
	/* STATMOUNT_SUPPORTED_MASK where the kernel has it (6.15), else what
	 * came back for the root mount */
	if (mnt_ns_open(&ns, 0, 0, MB_LISTMOUNT) < 0) {
		if (errno == ENOSYS)
			diag_err(0, "--supported needs %s", feature_needs(FEAT_LISTMOUNT));
		else
			diag_err(errno, "cannot read mounts");
		return MNTX_EXIT_FAIL;
	}
	have = mnt_ns_supported(ns);
	mnt_ns_close(ns);
	o = out_new(supported_cols, SC__COUNT, "groups");
	if (!o)
		return MNTX_EXIT_FAIL;
	out_set_format(o, out_format(template) == OUT_VERTICAL ? OUT_TABLE : out_format(template));
	for (size_t i = 0; i < flags_statmount.n; i++) {
		const struct flag_name *g = &flags_statmount.names[i];
		struct mntx_rec *r = out_rec(o);
		char fields[1024];
		size_t len = 0, n = 0;

		for (size_t c = 0; c < MC__COUNT; c++) {
			size_t kl = strlen(mount_cols[c].key) + 1;

			if ((mount_mask(c) & g->set) && len + kl <= sizeof(fields)) {
				memcpy(fields + len, mount_cols[c].key, kl);
				len += kl, n++;
			}
		}
		rec_str(r, SC_GROUP, g->name);
		rec_u64(r, SC_BIT, g->set);
		rec_bool(r, SC_SUPPORTED, have & g->set);
		rec_list(r, SC_FIELDS, fields, len, n);
		if (out_emit(o, 0) < 0)
			goto out;
	}
	rc = out_end(o) < 0 ? MNTX_EXIT_FAIL : MNTX_EXIT_OK;
out:
	out_free(o);
	return rc;
}

/* ---- main ---------------------------------------------------------------------- */

static bool is_id(const char *s, uint64_t *id)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*id = strtoull(s, &end, 10);
	return !errno && !*end;
}

static int run(int argc, char **argv)
{
	struct opt_parser p;
	struct out_ctx *o = out_new(mount_cols, MC__COUNT, "mounts");
	struct mnt_ns *ns = NULL;
	struct mount_text text = { 0 };
	enum mount_backend backend = MB_AUTO;
	uint64_t mask = 0;
	bool want_supported = false, have_mask = false;
	pid_t pid = 0;
	int c, rc = MNTX_EXIT_USAGE, status = MNTX_EXIT_OK;
	char *arg;

	if (!o || opt_init(&p, &statmount_tool, argc, argv) < 0) {
		diag_err(errno, "cannot start");
		out_free(o);
		return MNTX_EXIT_FAIL;
	}
	opt_output(&p, o);
	while ((c = opt_next(&p, &arg)) >= 0) {
		switch (c) {
		case OPT_MASK:
			if (flags_parse(&flags_statmount, arg, &mask, NULL) < 0)
				goto done;
			have_mask = true;
			break;
		case OPT_SUPPORTED:
			want_supported = true;
			break;
		case 'N': {
			const char *err = NULL;

			pid = (pid_t)strtonum(arg, 1, INT32_MAX, &err);
			if (err) {
				diag_usage("invalid process ID: '%s'", arg);
				goto done;
			}
			break;
		}
		case OPT_KERNEL:
			if (mnt_backend_parse(arg, &backend) < 0) {
				diag_usage("invalid --kernel value: '%s' (listmount or mountinfo)", arg);
				goto done;
			}
			break;
		}
	}
	if (c != OPT_END) {
		rc = c == OPT_EXIT ? MNTX_EXIT_OK : MNTX_EXIT_USAGE;
		goto done;
	}
	if (want_supported) {
		rc = supported(o, argc - optind);
		goto done;
	}
	if (optind >= argc) {
		diag_usage("no mount given");
		goto done;
	}
	rc = MNTX_EXIT_FAIL;
	if (mnt_ns_open(&ns, pid, 0, backend) < 0) {
		if (errno == ENOSYS)
			diag_err(0, "this kernel lacks statmount(2) (Linux 6.8); use --kernel=mountinfo");
		else
			diag_err(errno, "cannot read mounts");
		goto done;
	}
	if (have_mask && mnt_ns_backend(ns) == MB_MOUNTINFO) {
		if (mnt_ns_fell_back(ns))
			diag_err(0, "--mask needs %s", feature_needs(FEAT_LISTMOUNT));
		else
			diag_err(0, "--mask is for statmount(2), not --kernel=mountinfo");
		goto done;
	}
	/* one mount: every field, key: value; several: a table, by the IDs
	 * the back-end has */
	out_layout_full(o, (size_t)(argc - optind), mount_table_columns(ns));
	if (!have_mask)
		mask = mount_mask_for(o);
	mount_note_unknown(o, ns);
	if (out_begin(o) < 0)
		goto done;
	for (int i = optind; i < argc; i++) {
		const struct mntx_mount *m;
		uint64_t id;
		int r;

		if (is_id(argv[i], &id))
			r = mnt_stat(ns, id, mask, &m);
		else
			r = mnt_stat_path(ns, argv[i], mask, &m);
		if (r < 0) {
			int e = errno == EINVAL ? ENOENT : errno;

			if (is_id(argv[i], &id))
				diag_err(e, "cannot read mount %s", argv[i]);
			else
				diag_err(e, "cannot find the mount of '%s'", argv[i]);
			status = MNTX_EXIT_FAIL;
			continue;
		}
		if (mount_fill(o, out_rec(o), m, &text) < 0 || out_emit(o, 0) < 0) {
			if (!diag_stdout_broken())
				diag_err(errno, "cannot print mount %s", argv[i]);
			status = MNTX_EXIT_FAIL;
			break;
		}
	}
	rc = out_end(o) < 0 ? MNTX_EXIT_FAIL : status;
done:
	opt_free(&p);
	mnt_ns_close(ns);
	mount_text_free(&text);
	out_free(o);
	return rc;
}
