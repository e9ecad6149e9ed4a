// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fh-open - open files by the handle strings fh-encode printed
 * (open_by_handle_at(2)) and print where they are now, their file record,
 * or their content.
 *
 * The handle names its mount by ID; the mount is found with statmount,
 * opened by its mount point and checked with statx to be that very mount
 * (fhandle.c), so that a path covered by another mount cannot lend its
 * filesystem to the decoding.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "abi.h"
#include "diag.h"
#include "fhandle.h"
#include "filerec.h"
#include "flags.h"
#include "mounts.h"
#include "sys.h"
#include "tools.h"

enum { OPT_PATH = OPT_TOOL, OPT_STAT, OPT_CAT, OPT_FLAGS };

static const struct mntx_opt options[] = {
	{ OPT_PATH, "path", no_argument, NULL, "print the file's current path (the default)" },
	{ OPT_STAT, "stat", no_argument, NULL, "print the file record, as statx does" },
	{ OPT_CAT, "cat", no_argument, NULL, "copy the file's content to standard output" },
	{ OPT_FLAGS, "flags", required_argument, "LIST", "open flags (default: path, or rdonly with --cat)",
	  OPT_C_LIST, NULL, &flags_open },
	OPT_ENTRIES_OUTPUT,
	{ 0 }
};

/* The file record and the handle it was opened by. */
#define HC_HANDLE FC__COUNT
static const struct mntx_col cols[FC__COUNT + 1] = {
	FILE_COL_DEFS,
	[HC_HANDLE] = { "handle", "HANDLE", COL_STR, 0, 0, "the handle string it was opened by" },
};

static int run(int argc, char **argv);

const struct mntx_tooldef fh_open_tool = {
	.name = "fh-open",
	.usage = "[--path|--stat|--cat] [--flags LIST] [options] HANDLE...",
	.about = "Open files by the handles fh-encode printed (open_by_handle_at(2); needs\n"
		 "CAP_DAC_READ_SEARCH) and print their current path, their file record\n"
		 "(--stat) or their content (--cat).",
	.opts = options,
	.cols = cols,
	.ncols = FC__COUNT + 1,
	.operands = OPT_C_NONE,
	.run = run,
};

enum mode { M_PATH, M_STAT, M_CAT };

struct opener {
	struct mnt_ns *ns;
	int mount_fd;		/* the mount of the last handle, kept for the next */
	uint64_t mnt_id;
	bool unique;
	struct file_text text;
};

/* The mount a handle names, reused while handles name the same one. */
static int mount_fd(struct opener *op, const struct fh *h, const char *s)
{
	char *point = NULL;
	int fd, e;

	if (op->mount_fd >= 0 && op->mnt_id == h->mnt_id && op->unique == h->unique)
		return op->mount_fd;
	fd = fh_mount_open(op->ns, h, &point);
	if (fd >= 0) {
		if (op->mount_fd >= 0)
			close(op->mount_fd);
		op->mount_fd = fd;
		op->mnt_id = h->mnt_id;
		op->unique = h->unique;
		free(point);
		return fd;
	}
	e = errno;
	switch (e) {
	case ENOENT:
		diag_err(0, "cannot open '%s': mount ID %" PRIu64 " is not mounted", s, h->mnt_id);
		break;
	case EXDEV:
		diag_err(0, "cannot open '%s': mount ID %" PRIu64 " is outside this process's root",
			 s, h->mnt_id);
		break;
	case EBUSY:
		diag_err(0, "cannot open '%s': mount ID %" PRIu64 " at '%s' is covered by another mount",
			 s, h->mnt_id, point ? diag_quote(point) : "?");
		break;
	case EOPNOTSUPP:
		diag_err(0, "this kernel cannot say which mount a path is on (STATX_MNT_ID_UNIQUE: Linux 6.8)");
		break;
	default:
		diag_err(e, "cannot open '%s': cannot open mount ID %" PRIu64, s, h->mnt_id);
		break;
	}
	free(point);
	return -1;
}

static void open_error(int err, const char *s, const struct fh *h)
{
	switch (err) {
	case ESTALE:
		diag_err(0, "cannot open '%s': the file no longer exists (stale file handle; "
			 "or it is not on mount %" PRIu64 "'s filesystem)", s, h->mnt_id);
		break;
	case EPERM:
		diag_err(EPERM, "cannot open '%s'", s);
		break;
	case EINVAL:
		diag_err(0, "cannot open '%s': the kernel refused the handle or the open flags "
			 "(%s)", s, strerror(err));
		break;
	default:
		diag_err(err, "cannot open '%s'", s);
		break;
	}
}

/* Copy an open file to stdout. */
static int cat(int fd, const char *s)
{
	char buf[65536];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			diag_err(errno, "cannot read '%s'", s);
			return -1;
		}
		if (n == 0)
			return 0;
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			return -1;	/* diag_close_stdout() says why */
	}
}

/* One record: the current path, and the file record when columns want it. */
static int describe(struct out_ctx *o, struct opener *op, int fd, const char *s)
{
	struct mntx_rec *r = out_rec(o);
	char path[PATH_MAX], target[PATH_MAX];
	unsigned int mask = file_mask_for(o);
	ssize_t n;

	rec_str(r, HC_HANDLE, s);
	n = sys_fd_path(fd, path, sizeof(path));
	if (n >= 0)
		rec_strn(r, FC_PATH, path, (size_t)n);
	if (mask || out_needs(o, FC_BLKSIZE) || out_needs(o, FC_DEV_MAJOR) ||
	    out_needs(o, FC_DEV_MINOR) || out_needs(o, FC_ATTRIBUTES)) {
		struct mntx_statx stx;

		if (sys_statx(fd, "", AT_EMPTY_PATH, mask, &stx) < 0) {
			diag_err(errno, "cannot stat '%s'", s);
			return -1;
		}
		file_fill(o, r, &stx, &op->text);
		if (out_needs(o, FC_LINK_TARGET) && S_ISLNK(stx.stx_mode)) {
			n = readlinkat(fd, "", target, sizeof(target));
			if (n >= 0 && (size_t)n < sizeof(target))
				rec_strn(r, FC_LINK_TARGET, target, (size_t)n);
		}
	}
	if (out_emit(o, 0) < 0) {
		if (!diag_stdout_broken())
			diag_err(errno, "cannot print '%s'", s);
		return -1;
	}
	return 0;
}

static int open_one(struct out_ctx *o, struct opener *op, const char *s, const struct fh *h,
		    int flags, enum mode mode)
{
	int mfd = mount_fd(op, h, s), fd, r;

	if (mfd < 0)
		return -1;
	fd = fh_open(mfd, h, flags);
	if (fd < 0) {
		open_error(errno, s, h);
		return -1;
	}
	r = mode == M_CAT ? cat(fd, s) : describe(o, op, fd, s);
	close(fd);
	return r;
}

static int run(int argc, char **argv)
{
	struct opt_parser p;
	struct out_ctx *o = out_new(cols, FC__COUNT + 1, "files");
	struct opener op = { .mount_fd = -1 };
	struct fh *handles = NULL;
	enum mode mode = M_PATH;
	uint64_t flags = 0;
	bool have_flags = false, mode_set = false;
	int c, n, rc = MNTX_EXIT_USAGE, status = MNTX_EXIT_OK;
	char *arg;

	diag_set_cap("CAP_DAC_READ_SEARCH");
	if (!o || opt_init(&p, &fh_open_tool, argc, argv) < 0) {
		diag_err(errno, "cannot start");
		out_free(o);
		return MNTX_EXIT_FAIL;
	}
	opt_output(&p, o);
	while ((c = opt_next(&p, &arg)) >= 0) {
		switch (c) {
		case OPT_PATH:
		case OPT_STAT:
		case OPT_CAT: {
			enum mode m = c == OPT_PATH ? M_PATH : c == OPT_STAT ? M_STAT : M_CAT;

			if (mode_set && m != mode) {
				diag_usage("--path, --stat and --cat exclude each other");
				goto done;
			}
			mode = m;
			mode_set = true;
			break;
		}
		case OPT_FLAGS:
			if (flags_parse(&flags_open, arg, &flags, NULL) < 0)
				goto done;
			have_flags = true;
			break;
		}
	}
	if (c != OPT_END) {
		rc = c == OPT_EXIT ? MNTX_EXIT_OK : MNTX_EXIT_USAGE;
		goto done;
	}
	n = argc - optind;
	if (n <= 0) {
		diag_usage("no handle given");
		goto done;
	}
	/* every handle is checked before any is opened */
	handles = reallocarray(NULL, (size_t)n, sizeof(*handles));
	if (!handles) {
		diag_err(errno, "cannot start");
		rc = MNTX_EXIT_FAIL;
		goto done;
	}
	for (int i = 0; i < n; i++) {
		const char *why;

		if (fh_parse(argv[optind + i], &handles[i], &why) < 0) {
			diag_usage("invalid handle '%s': %s", diag_quote(argv[optind + i]), why);
			goto done;
		}
	}
	if (!have_flags)
		flags = mode == M_CAT ? O_RDONLY : O_PATH;
	/* the path alone for one handle; the record for --stat as statx shows it */
	if (!out_columns_chosen(o)) {
		if (mode == M_STAT)
			out_layout_full(o, n, NULL);
		else if (n == 1 && out_format(o) == OUT_TABLE) {
			out_select(o, "path");
			out_option(o, 'n', NULL);
		} else {
			out_select(o, out_format(o) == OUT_TABLE ? "PATH,HANDLE" : "handle,path");
		}
	}

	rc = MNTX_EXIT_FAIL;
	if (mnt_ns_open(&op.ns, 0, 0, MB_AUTO) < 0) {
		diag_err(errno, "cannot read mounts");
		goto done;
	}
	if (mode != M_CAT && out_begin(o) < 0)
		goto done;
	for (int i = 0; i < n; i++) {
		if (open_one(o, &op, argv[optind + i], &handles[i], (int)flags, mode) < 0) {
			status = MNTX_EXIT_FAIL;
			if (diag_stdout_broken())
				break;
		}
	}
	rc = status;
	if (mode != M_CAT && out_end(o) < 0)
		rc = MNTX_EXIT_FAIL;
done:
	if (op.mount_fd >= 0)
		close(op.mount_fd);
	mnt_ns_close(op.ns);
	free(handles);
	opt_free(&p);
	out_free(o);
	return rc;
}
