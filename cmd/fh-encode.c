// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fh-encode - a file's handle (name_to_handle_at(2)) as one token that
 * fh-open turns back into the file, in this process or any later one, for
 * as long as the file and its mount exist.  The format is in fhandle.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include "abi.h"
#include "diag.h"
#include "feature.h"
#include "fhandle.h"
#include "out.h"
#include "tools.h"

enum { OPT_FID = OPT_TOOL, OPT_CONNECTABLE };

static const struct mntx_opt options[] = {
	{ 'L', "dereference", no_argument, NULL, "follow a symlink given as PATH (default: the link itself)" },
	{ OPT_FID, "fid", no_argument, NULL, "an identity-only handle, also where real ones are refused (6.5)" },
	{ OPT_CONNECTABLE, "connectable", no_argument, NULL, "a handle that opens with a connected path (6.13)" },
	OPT_ENTRIES_OUTPUT,
	{ 0 }
};

enum { EC_PATH, EC_HANDLE, EC_MNT_ID, EC_MNT_ID_UNIQUE, EC_HANDLE_TYPE, EC_BYTES, EC__COUNT };

static const struct mntx_col cols[EC__COUNT] = {
	[EC_PATH] = { "path", "PATH", COL_STR, COLF_DEFAULT, 0, "the path as given" },
	[EC_HANDLE] = { "handle", "HANDLE", COL_STR, COLF_DEFAULT, 0, "the handle string, for fh-open" },
	[EC_MNT_ID] = { "mnt_id", "MNT-ID", COL_U64, COLF_RIGHT, 0, "the ID of the mount the handle names" },
	[EC_MNT_ID_UNIQUE] = { "mnt_id_unique", "UNIQUE", COL_BOOL, 0, 0, "true: a unique mount ID; false: an old, reusable one" },
	[EC_HANDLE_TYPE] = { "handle_type", "HANDLE-TYPE", COL_HEX, COLF_RIGHT, 0, "the handle type (FILEID_* flags in the high 16 bits)" },
	[EC_BYTES] = { "bytes", "BYTES", COL_STR, 0, 0, "the handle's bytes, in hex" },
};

static int run(int argc, char **argv);

const struct mntx_tooldef fh_encode_tool = {
	.name = "fh-encode",
	.usage = "[options] PATH...",
	.about = "Print the file handle of each PATH (name_to_handle_at(2)) as a string that\n"
		 "fh-open opens again later, even after the file was renamed.  One PATH: the\n"
		 "handle alone; several: a table of path and handle.",
	.opts = options,
	.cols = cols,
	.ncols = EC__COUNT,
	.operands = OPT_C_FILE,
	.run = run,
};

/* Why the kernel gave no handle, in the user's terms. */
static void encode_error(int err, const char *path, int flags)
{
	const char *q = diag_quote(path);

	if (err == EOPNOTSUPP && !(flags & (MNTX_AT_HANDLE_FID | MNTX_AT_HANDLE_CONNECTABLE)))
		diag_err(0, "cannot encode '%s': its filesystem does not export file handles "
			 "(--fid gives an identity-only one)", q);
	else if (err == EOPNOTSUPP && (flags & MNTX_AT_HANDLE_CONNECTABLE))
		diag_err(0, "cannot encode '%s': its filesystem cannot make connectable handles", q);
	else if (err == EOPNOTSUPP)
		diag_err(0, "cannot encode '%s': its filesystem has no file handles at all", q);
	else if (err == ENOSYS)
		diag_err(0, "this kernel lacks name_to_handle_at(2) (Linux 2.6.39 with CONFIG_FHANDLE)");
	else
		diag_err(err, "cannot encode '%s'", q);
}

static int encode_one(struct out_ctx *o, const char *path, int flags, bool *warned)
{
	struct fh h;
	struct mntx_rec *r;
	char s[FH_STR_MAX], hex[2 * FH_MAX_BYTES + 1];

	if (fh_encode(AT_FDCWD, path, flags, &h) < 0) {
		encode_error(errno, path, flags);
		return -1;
	}
	if (fh_format(&h, s, sizeof(s)) < 0) {
		diag_err(errno, "cannot write the handle of '%s'", diag_quote(path));
		return -1;
	}
	if (!h.unique && !*warned) {
		diag_warn("note: this kernel gives handles old mount IDs only (unique ones: Linux 6.12); "
			  "a later mount may reuse the ID");
		*warned = true;
	}
	fh_hex(&h, hex);
	r = out_rec(o);
	rec_str(r, EC_PATH, path);
	rec_str(r, EC_HANDLE, s);
	rec_u64(r, EC_MNT_ID, h.mnt_id);
	rec_bool(r, EC_MNT_ID_UNIQUE, h.unique);
	rec_u64(r, EC_HANDLE_TYPE, h.type);
	rec_str(r, EC_BYTES, hex);
	if (out_emit(o, 0) < 0) {
		if (!diag_stdout_broken())
			diag_err(errno, "cannot print the handle of '%s'", diag_quote(path));
		return -1;
	}
	return 0;
}

static int run(int argc, char **argv)
{
	struct opt_parser p;
	struct out_ctx *o = out_new(cols, EC__COUNT, "handles");
	bool warned = false;
	int c, flags = 0, rc = MNTX_EXIT_USAGE, status = MNTX_EXIT_OK;
	char *arg;

	if (!o || opt_init(&p, &fh_encode_tool, argc, argv) < 0) {
		diag_err(errno, "cannot start");
		out_free(o);
		return MNTX_EXIT_FAIL;
	}
	opt_output(&p, o);
	while ((c = opt_next(&p, &arg)) >= 0) {
		switch (c) {
		case 'L':
			flags |= AT_SYMLINK_FOLLOW;
			break;
		case OPT_FID:
			flags |= MNTX_AT_HANDLE_FID;
			break;
		case OPT_CONNECTABLE:
			flags |= MNTX_AT_HANDLE_CONNECTABLE;
			break;
		}
	}
	if (c != OPT_END) {
		rc = c == OPT_EXIT ? MNTX_EXIT_OK : MNTX_EXIT_USAGE;
		goto done;
	}
	if ((flags & MNTX_AT_HANDLE_FID) && (flags & MNTX_AT_HANDLE_CONNECTABLE)) {
		diag_usage("--fid and --connectable exclude each other");
		goto done;
	}
	if (optind >= argc) {
		diag_usage("no file given");
		goto done;
	}
	rc = MNTX_EXIT_FAIL;
	if ((flags & MNTX_AT_HANDLE_FID) && !feature_has(FEAT_AT_HANDLE_FID)) {
		diag_err(0, "--fid needs %s", feature_needs(FEAT_AT_HANDLE_FID));
		goto done;
	}
	if ((flags & MNTX_AT_HANDLE_CONNECTABLE) && !feature_has(FEAT_AT_HANDLE_CONNECTABLE)) {
		diag_err(0, "--connectable needs %s", feature_needs(FEAT_AT_HANDLE_CONNECTABLE));
		goto done;
	}
	/* one file: the handle alone, ready for $(...); JSON: every part */
	if (!out_columns_chosen(o)) {
		if (argc - optind == 1 && out_format(o) == OUT_TABLE) {
			out_select(o, "handle");
			out_option(o, 'n', NULL);
		} else if (out_format(o) != OUT_TABLE) {
			out_select_all(o);
		}
	}
	if (out_begin(o) < 0)
		goto done;
	for (int i = optind; i < argc; i++) {
		if (encode_one(o, argv[i], flags, &warned) < 0) {
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
