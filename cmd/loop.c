// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * loop - loop devices, like losetup: list them, attach a file, detach,
 * show one, resize after the file grew.  Subcommands share one option
 * table; which options each takes is checked below (subs_of()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "diag.h"
#include "loop.h"
#include "out.h"
#include "size.h"
#include "tools.h"

enum sub { SUB_LIST, SUB_ATTACH, SUB_DETACH, SUB_STATUS, SUB_RESIZE, SUB__COUNT };
static const char *const sub_names[SUB__COUNT] = {
	[SUB_LIST] = "list", [SUB_ATTACH] = "attach", [SUB_DETACH] = "detach",
	[SUB_STATUS] = "status", [SUB_RESIZE] = "resize",
};

enum {
	OPT_OFFSET = OPT_TOOL, OPT_SIZELIMIT, OPT_RO, OPT_AUTOCLEAR, OPT_PARTSCAN,
	OPT_DIRECT_IO, OPT_BLOCK_SIZE, OPT_SHOW,
};

static const struct mntx_opt options[] = {
	OPT_ENTRIES_OUTPUT,
	{ 'a', "all", no_argument, NULL, "list: free loop devices too" },
	{ OPT_OFFSET, "offset", required_argument, "SIZE", "attach: start this far into the file (k, m, g suffixes)" },
	{ OPT_SIZELIMIT, "sizelimit", required_argument, "SIZE", "attach: use at most this much of the file" },
	{ OPT_RO, "ro", no_argument, NULL, "attach: a read-only device" },
	{ OPT_AUTOCLEAR, "autoclear", no_argument, NULL, "attach: detach by itself on the last close" },
	{ OPT_PARTSCAN, "partscan", no_argument, NULL, "attach: scan the device for partitions" },
	{ OPT_DIRECT_IO, "direct-io", no_argument, NULL, "attach: direct I/O on the backing file" },
	{ OPT_BLOCK_SIZE, "block-size", required_argument, "SIZE", "attach: logical block size (512, 1k, 2k, 4k)",
	  OPT_C_WORDS, "512 1024 2048 4096" },
	{ OPT_SHOW, "show", no_argument, NULL, "attach: print the device name" },
	{ 0 }
};

static int run(int argc, char **argv);

enum loop_col {
	LC_NAME, LC_SIZELIMIT, LC_OFFSET, LC_AUTOCLEAR, LC_RO, LC_BACK_FILE, LC_DIO, LC_LOG_SEC,
	LC_PARTSCAN, LC_BACK_INO, LC_BACK_MAJ_MIN, LC_MAJ_MIN,
	LC_BACK_MAJ, LC_BACK_MIN, LC_MAJ, LC_MIN, LC_SIZE,
	LC__COUNT
};

/* losetup's columns and order; its keys in snake case, numbers as numbers */
static const struct mntx_col loop_cols[LC__COUNT] = {
	[LC_NAME] = { "name", "NAME", COL_STR, COLF_DEFAULT, 0, "loop device name" },
	[LC_SIZELIMIT] = { "sizelimit", "SIZELIMIT", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, 0, "size limit of the file in bytes (0: none)" },
	[LC_OFFSET] = { "offset", "OFFSET", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, 0, "offset from the beginning of the file" },
	[LC_AUTOCLEAR] = { "autoclear", "AUTOCLEAR", COL_BOOL, COLF_DEFAULT | COLF_RIGHT, 0, "detached on the last close" },
	[LC_RO] = { "ro", "RO", COL_BOOL, COLF_DEFAULT | COLF_RIGHT, 0, "read-only device" },
	[LC_BACK_FILE] = { "back_file", "BACK-FILE", COL_STR, COLF_DEFAULT, 0.3, "backing file, full path" },
	[LC_DIO] = { "dio", "DIO", COL_BOOL, COLF_DEFAULT | COLF_RIGHT, 0, "direct I/O on the backing file" },
	[LC_LOG_SEC] = { "log_sec", "LOG-SEC", COL_U64, COLF_DEFAULT | COLF_RIGHT, 0, "logical sector size in bytes" },
	[LC_PARTSCAN] = { "partscan", "PARTSCAN", COL_BOOL, COLF_RIGHT, 0, "partitions scanned" },
	[LC_BACK_INO] = { "back_ino", "BACK-INO", COL_U64, COLF_RIGHT, 0, "backing file inode number" },
	[LC_BACK_MAJ_MIN] = { "back_maj_min", "BACK-MAJ:MIN", COL_STR, COLF_RIGHT, 0, "backing file's device, major:minor" },
	[LC_MAJ_MIN] = { "maj_min", "MAJ:MIN", COL_STR, COLF_RIGHT, 0, "loop device major:minor" },
	[LC_BACK_MAJ] = { "back_maj", "BACK-MAJ", COL_U64, COLF_RIGHT, 0, "backing file's device, major number" },
	[LC_BACK_MIN] = { "back_min", "BACK-MIN", COL_U64, COLF_RIGHT, 0, "backing file's device, minor number" },
	[LC_MAJ] = { "maj", "MAJ", COL_U64, COLF_RIGHT, 0, "loop device major number" },
	[LC_MIN] = { "min", "MIN", COL_U64, COLF_RIGHT, 0, "loop device minor number" },
	[LC_SIZE] = { "size", "SIZE", COL_SIZE, COLF_RIGHT, 0, "size of the device in bytes" },
};

const struct mntx_tooldef loop_tool = {
	.name = "loop",
	.usage = "[list] [-a|--all] [options] [DEV...]\n"
		 "attach [attach options] [--show] FILE\n"
		 "detach DEV...\n"
		 "status [options] DEV\n"
		 "resize DEV",
	.about = "List, attach, detach and resize loop devices.  DEV is a path such as\n"
		 "/dev/loop0, or loop0.  Without a subcommand: list.",
	.opts = options,
	.cols = loop_cols,
	.ncols = LC__COUNT,
	.operands = OPT_C_FILE,
	.operand_words = "list attach detach status resize",
	.run = run,
};

/* ---- which options go with which subcommand ------------------------------------ */

#define S(x) (1u << SUB_##x)
static unsigned int subs_of(int val)
{
	switch (val) {
	case 'a':
		return S(LIST);
	case OPT_OFFSET: case OPT_SIZELIMIT: case OPT_RO: case OPT_AUTOCLEAR:
	case OPT_PARTSCAN: case OPT_DIRECT_IO: case OPT_BLOCK_SIZE: case OPT_SHOW:
		return S(ATTACH);
	default:		/* the output options: whatever prints records */
		return S(LIST) | S(STATUS) | S(ATTACH);
	}
}
#undef S

static bool find_sub(const char *word, enum sub *sub)
{
	for (int i = 0; i < SUB__COUNT; i++)
		if (!strcmp(word, sub_names[i])) {
			*sub = (enum sub)i;
			return true;
		}
	return false;
}

/* ---- records and messages ---------------------------------------------------------- */

static int emit(struct out_ctx *o, const struct loop_status *st)
{
	struct mntx_rec *r = out_rec(o);
	char majmin[32], back[32];

	rec_str(r, LC_NAME, st->name);
	snprintf(majmin, sizeof(majmin), "%u:%u", major(st->dev), minor(st->dev));
	rec_str(r, LC_MAJ_MIN, majmin);
	rec_u64(r, LC_MAJ, major(st->dev));
	rec_u64(r, LC_MIN, minor(st->dev));
	if (st->known & LOOP_K_SIZE)
		rec_u64(r, LC_SIZE, st->size);
	if (st->known & LOOP_K_LOG_SEC)
		rec_u64(r, LC_LOG_SEC, st->log_sec);
	if (!(st->known & LOOP_K_BOUND))
		return out_emit(o, 0);	/* a free device: no backing fields */
	if (st->known & LOOP_K_FILE)
		rec_strn(r, LC_BACK_FILE, st->back_file, st->back_file_len);
	if (st->known & LOOP_K_BACK_ID) {
		snprintf(back, sizeof(back), "%u:%u", major(st->back_dev), minor(st->back_dev));
		rec_u64(r, LC_BACK_INO, st->back_ino);
		rec_str(r, LC_BACK_MAJ_MIN, back);
		rec_u64(r, LC_BACK_MAJ, major(st->back_dev));
		rec_u64(r, LC_BACK_MIN, minor(st->back_dev));
	}
	if (st->known & LOOP_K_OFFSET)
		rec_u64(r, LC_OFFSET, st->offset);
	if (st->known & LOOP_K_SIZELIMIT)
		rec_u64(r, LC_SIZELIMIT, st->sizelimit);
	if (st->known & LOOP_K_FLAGS) {
		rec_bool(r, LC_RO, st->flags & LOOP_F_RO);
		rec_bool(r, LC_AUTOCLEAR, st->flags & LOOP_F_AUTOCLEAR);
		rec_bool(r, LC_PARTSCAN, st->flags & LOOP_F_PARTSCAN);
		rec_bool(r, LC_DIO, st->flags & LOOP_F_DIRECT_IO);
	}
	return out_emit(o, 0);
}

/* `cannot VERB 'DEV': why`, with the two reasons particular to loop devices. */
static void dev_err(const char *verb, const char *dev, int e)
{
	if (e == EMEDIUMTYPE)
		diag_err(0, "cannot %s '%s': not a loop device", verb, dev);
	else if (e == ENXIO)
		diag_err(0, "cannot %s '%s': no file attached", verb, dev);
	else
		diag_err(e, "cannot %s '%s'", verb, dev);
}

/* ---- subcommands ------------------------------------------------------------------- */

/* Emit one device; a failure to print stops everything (returns -1). */
static int emit_or_fail(struct out_ctx *o, const struct loop_status *st, const char *what)
{
	if (emit(o, st) < 0) {
		if (!diag_stdout_broken())
			diag_err(errno, "cannot print '%s'", what);
		return -1;
	}
	return 0;
}

static int do_list(struct out_ctx *o, bool all, int argc, char **argv)
{
	struct loop_status st;
	unsigned int *nums = NULL;
	size_t n = 0;
	int status = MNTX_EXIT_OK;
	bool broken = false;	/* stdout failed: stop */

	if (all && argc)
		return diag_usage("--all lists every device: give no DEV");
	if (!argc && loop_numbers(all, &nums, &n) < 0) {
		diag_err(errno, "cannot list loop devices in /sys/block");
		return MNTX_EXIT_FAIL;
	}
	if (out_begin(o) < 0) {
		free(nums);
		diag_err(errno, "cannot start output");
		return MNTX_EXIT_FAIL;
	}
	for (size_t i = 0; i < n; i++) {
		int r = loop_status_n(nums[i], &st);

		/* a device detached or removed since the directory was read is
		 * not an error: it is just not there any more */
		if (r == 0 || (errno == ENXIO && all)) {
			r = emit_or_fail(o, &st, st.name);
			loop_status_free(&st);
			if (r < 0) {
				status = MNTX_EXIT_FAIL;
				broken = true;
				break;
			}
		} else if (errno != ENXIO && errno != ENOENT) {
			dev_err("read", st.name, errno);
			status = MNTX_EXIT_FAIL;
		}
	}
	/* named devices: a free one is listed with its backing fields null */
	for (int i = 0; i < argc && !broken; i++) {
		int r = loop_status(argv[i], &st);

		if (r < 0 && (errno != ENXIO || !st.name[0])) {
			dev_err("read", argv[i], errno);
			status = MNTX_EXIT_FAIL;
			continue;
		}
		r = emit_or_fail(o, &st, argv[i]);
		loop_status_free(&st);
		if (r < 0) {
			status = MNTX_EXIT_FAIL;
			broken = true;
		}
	}
	free(nums);
	if (out_end(o) < 0 && !diag_stdout_broken())
		status = MNTX_EXIT_FAIL;
	return status;
}

static int do_status(struct out_ctx *o, const char *dev)
{
	struct loop_status st;
	int rc = MNTX_EXIT_FAIL;

	if (loop_status(dev, &st) < 0) {
		dev_err("read", dev, errno);
		loop_status_free(&st);
		return MNTX_EXIT_FAIL;
	}
	if (emit_or_fail(o, &st, dev) == 0)
		rc = MNTX_EXIT_OK;
	loop_status_free(&st);
	if (out_end(o) < 0 && !diag_stdout_broken())
		rc = MNTX_EXIT_FAIL;
	return rc;
}

/* The notes after an attach: what was asked for and not had. */
static void attach_notes(const char *file, const struct loop_attach_opts *ao,
			 const struct loop_dev *d, const struct loop_status *st, bool have_st)
{
	if (d->ro && !(ao->flags & LOOP_F_RO))
		diag_warn("note: '%s' is write-protected: %s is read-only", file, d->path);
	if ((ao->flags & LOOP_F_DIRECT_IO) && have_st && (st->known & LOOP_K_FLAGS) &&
	    !(st->flags & LOOP_F_DIRECT_IO))
		diag_warn("note: %s: direct I/O is not possible on '%s'; using buffered I/O",
			  d->path, file);
}

static int do_attach(struct out_ctx *o, const char *file, const struct loop_attach_opts *ao,
		     bool show, bool record)
{
	struct loop_dev d;
	struct loop_status st;
	struct stat sb;
	bool have_st;
	int rc = MNTX_EXIT_OK;

	/* the two usual mistakes, said plainly before the kernel is asked */
	if (stat(file, &sb) < 0) {
		diag_err(errno, "cannot open '%s'", file);
		return MNTX_EXIT_FAIL;
	}
	if (!S_ISREG(sb.st_mode) && !S_ISBLK(sb.st_mode)) {
		diag_err(0, "cannot attach '%s': not a regular file or block device", file);
		return MNTX_EXIT_FAIL;
	}
	if (loop_attach(file, ao, &d) < 0) {
		int e = errno;

		switch (d.step) {
		case LOOP_STEP_FILE:
			diag_err(e, "cannot open '%s'", file);
			break;
		case LOOP_STEP_CONTROL:
			diag_err(e, "cannot open /dev/loop-control");
			break;
		case LOOP_STEP_FREE:
			diag_err(e, "no free loop device");
			break;
		case LOOP_STEP_DEVICE:
			dev_err("open", d.path, e);
			break;
		case LOOP_STEP_CONFIGURE:
			if (e == EBUSY)
				diag_err(0, "cannot attach '%s': every free loop device was taken by others first", file);
			else if (e == EINVAL)
				diag_err(e, "cannot attach '%s' (offset, size limit or block size refused)", file);
			else
				diag_err(e, "cannot attach '%s' to %s", file, d.path);
			break;
		}
		return MNTX_EXIT_FAIL;
	}
	/* read the state while our fd still holds an autoclear device */
	have_st = loop_status_n(d.number, &st) == 0;
	if (show && puts(d.path) == EOF)
		rc = MNTX_EXIT_FAIL;
	if (record) {
		if (!have_st) {
			dev_err("read", d.path, errno);
			rc = MNTX_EXIT_FAIL;
		} else if (emit_or_fail(o, &st, d.path) < 0 ||
			   (out_end(o) < 0 && !diag_stdout_broken())) {
			rc = MNTX_EXIT_FAIL;
		}
	}
	attach_notes(file, ao, &d, &st, have_st);
	loop_status_free(&st);
	loop_dev_close(&d);
	if (ao->flags & LOOP_F_AUTOCLEAR) {
		/* nobody else opened it in the meantime: our close freed it */
		if (loop_status_n(d.number, &st) < 0 && errno == ENXIO)
			diag_warn("note: %s was freed at once (--autoclear): nothing else had it open",
				  d.path);
		loop_status_free(&st);
	}
	return rc;
}

static int do_detach(int argc, char **argv)
{
	int status = MNTX_EXIT_OK;

	for (int i = 0; i < argc; i++) {
		bool deferred;

		if (loop_detach(argv[i], &deferred) < 0) {
			dev_err("detach", argv[i], errno);
			status = MNTX_EXIT_FAIL;
		} else if (deferred) {
			diag_warn("note: '%s' is in use: it will be detached when its last user closes it",
				  argv[i]);
		}
	}
	return status;
}

static int do_resize(const char *dev)
{
	if (loop_resize(dev, NULL) < 0) {
		dev_err("resize", dev, errno);
		return MNTX_EXIT_FAIL;
	}
	return MNTX_EXIT_OK;
}

/* ---- options ---------------------------------------------------------------------- */

static int size_arg(const struct mntx_tooldef *def, int c, const char *arg, uint64_t *v)
{
	if (size_parse(arg, v) == 0)
		return 0;
	return diag_usage("invalid %s value: '%s'%s", opt_name(def, c), arg,
			  errno == ERANGE ? " (too large)" : "");
}

static int block_size_arg(const char *arg, uint32_t *bs)
{
	uint64_t v;

	if (size_parse(arg, &v) < 0 || v < 512 || v > UINT32_MAX || (v & (v - 1)))
		return diag_usage("invalid --block-size value: '%s' (a power of 2, 512 or more)", arg);
	*bs = (uint32_t)v;
	return 0;
}

/* The options of one run, before the subcommand is known. */
struct loop_args {
	struct loop_attach_opts ao;
	bool all, show, record;
	int seen[32];		/* the option values given, in order */
	size_t nseen;
};

/* One option; returns 0, or a status to return with. */
static int take(struct out_ctx *o, struct loop_args *a, int c, const char *arg)
{
	int handled = out_option(o, c, arg);
	uint64_t v;

	if (handled < 0)
		return MNTX_EXIT_USAGE;
	if (a->nseen < sizeof(a->seen) / sizeof(a->seen[0]))
		a->seen[a->nseen++] = c;
	if (handled) {
		if (c != 'H')
			a->record = true;
		return 0;
	}
	switch (c) {
	case 'a':
		a->all = true;
		break;
	case OPT_OFFSET:
		if (size_arg(&loop_tool, c, arg, &v))
			return MNTX_EXIT_USAGE;
		a->ao.offset = v;
		break;
	case OPT_SIZELIMIT:
		if (size_arg(&loop_tool, c, arg, &v))
			return MNTX_EXIT_USAGE;
		a->ao.sizelimit = v;
		break;
	case OPT_BLOCK_SIZE:
		if (block_size_arg(arg, &a->ao.block_size))
			return MNTX_EXIT_USAGE;
		break;
	case OPT_RO:
		a->ao.flags |= LOOP_F_RO;
		break;
	case OPT_AUTOCLEAR:
		a->ao.flags |= LOOP_F_AUTOCLEAR;
		break;
	case OPT_PARTSCAN:
		a->ao.flags |= LOOP_F_PARTSCAN;
		break;
	case OPT_DIRECT_IO:
		a->ao.flags |= LOOP_F_DIRECT_IO;
		break;
	case OPT_SHOW:
		a->show = true;
		break;
	}
	return 0;
}

/* Operand count and option checks of the subcommand; 0 or a usage status. */
static int check(enum sub sub, const struct loop_args *a, int nargs)
{
	for (size_t i = 0; i < a->nseen; i++)
		if (!(subs_of(a->seen[i]) & (1u << sub)))
			return diag_usage("%s does not apply to 'loop %s'",
					  opt_name(&loop_tool, a->seen[i]), sub_names[sub]);
	switch (sub) {
	case SUB_LIST:
		return 0;
	case SUB_ATTACH:
		if (nargs != 1)
			return diag_usage(nargs ? "attach takes one FILE" : "no file given");
		if (a->show && a->record)
			return diag_usage("--show prints the name alone: no output options with it");
		return 0;
	case SUB_DETACH:
		return nargs ? 0 : diag_usage("no loop device given");
	default:
		if (nargs != 1)
			return diag_usage(nargs ? "%s takes one DEV" : "no loop device given",
					  sub_names[sub]);
		return 0;
	}
}

static int run(int argc, char **argv)
{
	struct opt_parser p;
	struct out_ctx *o = out_new(loop_cols, LC__COUNT, "loopdevices");
	struct loop_args a = { 0 };
	enum sub sub = SUB_LIST;
	bool have_sub = false;
	int c, rc = MNTX_EXIT_USAGE;
	char *arg;

	if (!o || opt_init(&p, &loop_tool, argc, argv) < 0) {
		diag_err(errno, "cannot start");
		out_free(o);
		return MNTX_EXIT_FAIL;
	}
	diag_set_cap("CAP_SYS_ADMIN");
	/* MNTX_LOOP_LEGACY=1: attach as kernels before 5.8 must (tests) */
	a.ao.legacy = getenv("MNTX_LOOP_LEGACY") && !strcmp(getenv("MNTX_LOOP_LEGACY"), "1");
	/* options before and after the subcommand word: `loop -J list` too */
	for (;;) {
		while ((c = opt_next(&p, &arg)) != OPT_END) {
			if (c == OPT_EXIT) {
				rc = MNTX_EXIT_OK;
				goto done;
			}
			if (c == OPT_ERROR || take(o, &a, c, arg))
				goto done;
		}
		if (have_sub || optind >= argc || !find_sub(argv[optind], &sub))
			break;
		have_sub = true;
		optind++;
	}
	/* `loop atach x`: a word that cannot name a loop device is a typo */
	if (!have_sub && optind < argc && !strchr(argv[optind], '/') &&
	    strncmp(argv[optind], "loop", 4) != 0) {
		diag_usage("unknown subcommand '%s' (list, attach, detach, status, resize)",
			   argv[optind]);
		goto done;
	}
	if (check(sub, &a, argc - optind))
		goto done;
	if (out_wants_columns_list(o)) {
		rc = out_list_columns(o) < 0 ? MNTX_EXIT_FAIL : MNTX_EXIT_OK;
		goto done;
	}
	argv += optind;
	argc -= optind;
	switch (sub) {
	case SUB_LIST:
		rc = do_list(o, a.all, argc, argv);
		break;
	case SUB_STATUS:
		/* one device in full: key: value, or every key in JSON */
		if (!out_columns_chosen(o)) {
			if (out_format(o) == OUT_TABLE)
				out_set_format(o, OUT_VERTICAL);
			out_select_all(o);
		}
		rc = do_status(o, argv[0]);
		break;
	case SUB_ATTACH:
		rc = do_attach(o, argv[0], &a.ao, a.show, a.record);
		break;
	case SUB_DETACH:
		rc = do_detach(argc, argv);
		break;
	case SUB_RESIZE:
		rc = do_resize(argv[0]);
		break;
	case SUB__COUNT:
		break;
	}
done:
	opt_free(&p);
	out_free(o);
	return rc;
}
