// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * openat2 - open a path under RESOLVE_* rules (openat2(2)) and say what was
 * opened, copy its content, or just answer by the exit status whether the
 * path resolves under those rules.
 *
 * A refusal is explained from the errno and the rules given; when two
 * rules could have refused with the same errno, the path is looked up
 * again with O_PATH (no side effects) without each of them to find which.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "abi.h"
#include "diag.h"
#include "feature.h"
#include "filerec.h"
#include "flags.h"
#include "sys.h"
#include "tools.h"

#define RACE_TRIES 8	/* EAGAIN from a rename or mount race: look up again */

enum { OPT_IN = OPT_TOOL, OPT_RESOLVE, OPT_FLAGS, OPT_MODE, OPT_CAT };

static const struct mntx_opt options[] = {
	{ OPT_IN, "in", required_argument, "DIR", "resolve PATH relative to DIR (default: the current directory)",
	  OPT_C_DIR },
	{ OPT_RESOLVE, "resolve", required_argument, "LIST", "RESOLVE_* rules for the lookup",
	  OPT_C_LIST, NULL, &flags_resolve },
	{ OPT_FLAGS, "flags", required_argument, "LIST", "open flags (default: path, or rdonly with --cat)",
	  OPT_C_LIST, NULL, &flags_open },
	{ OPT_MODE, "mode", required_argument, "MODE", "permissions of a file created (octal; default 0666 & ~umask)" },
	{ OPT_CAT, "cat", no_argument, NULL, "copy the file's content to standard output" },
	{ 'q', "quiet", no_argument, NULL, "print nothing: the exit status says whether PATH resolves" },
	OPT_ENTRIES_OUTPUT,
	{ 0 }
};

/* The file record, and the path of what was opened. */
#define OC_RESOLVED FC__COUNT
static const struct mntx_col cols[FC__COUNT + 1] = {
	FILE_COL_DEFS,
	[OC_RESOLVED] = { "resolved", "RESOLVED", COL_STR, COLF_DEFAULT, 0,
			  "the path of what was opened, from /proc/self/fd" },
};

static int run(int argc, char **argv);

const struct mntx_tooldef openat2_tool = {
	.name = "openat2",
	.usage = "[--in DIR] [--resolve LIST] [--flags LIST] [--mode MODE] [--cat] [-q|--quiet] PATH",
	.about = "Open PATH with openat2(2) under RESOLVE_* rules and show what was opened, or\n"
		 "copy its content (--cat), or answer by the exit status alone (--quiet):\n"
		 "a safe way to read an untrusted path inside a tree.",
	.opts = options,
	.cols = cols,
	.ncols = FC__COUNT + 1,
	.operands = OPT_C_FILE,
	.run = run,
};

struct request {
	int dfd;
	const char *dir;	/* what DIR is called in messages */
	const char *path;
	struct mntx_open_how how;
	bool quiet;
};

/* One rule that can refuse a lookup, with the errno it refuses with. */
struct rule {
	uint64_t bit;
	int err;
	const char *why;	/* may name DIR with %s */
};

/* In the order they are named when several are possible: specific first. */
static const struct rule rules[] = {
	{ MNTX_RESOLVE_BENEATH, EXDEV, "it escapes '%s' (beneath)" },
	{ MNTX_RESOLVE_IN_ROOT, EXDEV, "a /proc magic link on the path could leave '%s' (in-root)" },
	{ MNTX_RESOLVE_NO_XDEV, EXDEV, "it crosses a mount (no-xdev)" },
	{ MNTX_RESOLVE_NO_MAGICLINKS, ELOOP, "a /proc magic link is on the path (no-magiclinks)" },
	{ MNTX_RESOLVE_NO_SYMLINKS, ELOOP, "a symlink is on the path (no-symlinks)" },
	{ MNTX_RESOLVE_CACHED, EAGAIN, "it is not in the dentry cache (cached)" },
};
#define NRULES (sizeof(rules) / sizeof(rules[0]))

/* openat2, looked up again when a rename or mount race interrupted it. */
static int do_open(const struct request *q, struct mntx_open_how how)
{
	int fd = -1;

	for (int i = 0; i < RACE_TRIES; i++) {
		fd = sys_openat2(q->dfd, q->path, &how, sizeof(how));
		/* with RESOLVE_CACHED, EAGAIN means a cache miss: no use retrying */
		if (fd >= 0 || errno != EAGAIN || (how.resolve & MNTX_RESOLVE_CACHED))
			break;
	}
	return fd;
}

/* The same lookup as O_PATH under other rules: its errno, or 0 if it worked. */
static int probe(const struct request *q, uint64_t resolve, int *fdp)
{
	struct mntx_open_how how = {
		.flags = O_PATH | O_CLOEXEC | (q->how.flags & (O_NOFOLLOW | O_DIRECTORY)),
		.resolve = resolve & ~MNTX_RESOLVE_CACHED,
	};
	int fd = do_open(q, how);

	if (fd < 0)
		return errno;
	if (fdp)
		*fdp = fd;
	else
		close(fd);
	return 0;
}

/* Is the last component a symlink that nofollow refused? */
static bool nofollow_refused(const struct request *q)
{
	struct stat st;
	int fd = -1;
	bool link;

	if (!(q->how.flags & O_NOFOLLOW) || (q->how.flags & O_PATH))
		return false;
	if (probe(q, q->how.resolve, &fd) != 0)
		return false;
	link = fstat(fd, &st) == 0 && S_ISLNK(st.st_mode);
	close(fd);
	return link;
}

static void refusal(const struct request *q, int err)
{
	const struct rule *cand[NRULES], *found = NULL;
	size_t n = 0;
	char why[PATH_MAX + 128];
	const char *p = diag_quote(q->path);

	if (q->quiet)
		return;
	if (err == ELOOP && nofollow_refused(q)) {
		diag_err(0, "cannot open '%s': it is a symlink (nofollow)", p);
		return;
	}
	for (size_t i = 0; i < NRULES; i++)
		if (rules[i].err == err && (q->how.resolve & rules[i].bit))
			cand[n++] = &rules[i];
	if (n == 1)
		found = cand[0];
	/* several rules could have refused: the first one without which the
	 * lookup gets further is the one; when each alone refuses (a magic
	 * link is a symlink too), the most specific is named */
	for (size_t i = 0; n > 1 && i < n && !found; i++)
		if (probe(q, q->how.resolve & ~cand[i]->bit, NULL) != err)
			found = cand[i];
	if (!found && n > 1)
		found = cand[0];
	if (found) {
		snprintf(why, sizeof(why), found->why, diag_quote(q->dir));
		diag_err(0, "cannot open '%s': %s", p, why);
	} else if (err == EAGAIN) {
		diag_err(0, "cannot open '%s': a rename or mount kept racing with the lookup "
			 "(tried %d times)", p, RACE_TRIES);
	} else if (err == EINVAL) {
		diag_err(0, "cannot open '%s': the kernel refused these flags together "
			 "(openat2 is strict: unknown bits, creat with directory, path with others)", p);
	} else if (err == ENOSYS) {
		diag_err(0, "this kernel lacks openat2(2) (Linux 5.6)");
	} else {
		diag_err(err, "cannot open '%s'", p);
	}
}

static int cat(int fd, const struct request *q)
{
	char buf[65536];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			if (!q->quiet)
				diag_err(errno, "cannot read '%s'", diag_quote(q->path));
			return -1;
		}
		if (n == 0)
			return 0;
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			return -1;
	}
}

static int describe(struct out_ctx *o, int fd, const struct request *q)
{
	struct file_text text = { 0 };
	struct mntx_statx stx;
	struct mntx_rec *r = out_rec(o);
	char path[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	if (sys_statx(fd, "", AT_EMPTY_PATH, file_mask_for(o), &stx) < 0) {
		diag_err(errno, "cannot stat '%s'", diag_quote(q->path));
		return -1;
	}
	rec_str(r, FC_PATH, q->path);
	file_fill(o, r, &stx, &text);
	n = sys_fd_path(fd, path, sizeof(path));
	if (n >= 0)
		rec_strn(r, OC_RESOLVED, path, (size_t)n);
	if (out_needs(o, FC_LINK_TARGET) && S_ISLNK(stx.stx_mode)) {
		n = readlinkat(fd, "", target, sizeof(target));
		if (n >= 0 && (size_t)n < sizeof(target))
			rec_strn(r, FC_LINK_TARGET, target, (size_t)n);
	}
	if (out_emit(o, 0) < 0 || out_end(o) < 0) {
		if (!diag_stdout_broken())
			diag_err(errno, "cannot print '%s'", diag_quote(q->path));
		return -1;
	}
	return 0;
}

static int parse_mode(const char *arg, uint64_t *mode)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 8);
	if (!*arg || *end || errno || v > 07777 || *arg == '-' || *arg == '+') {
		diag_usage("invalid --mode: '%s' (octal, at most 7777)", diag_quote(arg));
		return -1;
	}
	*mode = v;
	return 0;
}

static int run(int argc, char **argv)
{
	struct opt_parser p;
	struct out_ctx *o = out_new(cols, FC__COUNT + 1, "files");
	struct request q = { .dfd = AT_FDCWD, .dir = "." };
	const char *in = NULL;
	uint64_t flags = 0, resolve = 0, mode = 0;
	bool have_flags = false, have_mode = false, want_cat = false;
	int c, fd = -1, rc = MNTX_EXIT_USAGE;
	char *arg;

	if (!o || opt_init(&p, &openat2_tool, argc, argv) < 0) {
		diag_err(errno, "cannot start");
		out_free(o);
		return MNTX_EXIT_FAIL;
	}
	opt_output(&p, o);
	while ((c = opt_next(&p, &arg)) >= 0) {
		switch (c) {
		case OPT_IN:
			in = arg;
			break;
		case OPT_RESOLVE:
			if (flags_parse(&flags_resolve, arg, &resolve, NULL) < 0)
				goto done;
			break;
		case OPT_FLAGS:
			if (flags_parse(&flags_open, arg, &flags, NULL) < 0)
				goto done;
			have_flags = true;
			break;
		case OPT_MODE:
			if (parse_mode(arg, &mode) < 0)
				goto done;
			have_mode = true;
			break;
		case OPT_CAT:
			want_cat = true;
			break;
		case 'q':
			q.quiet = true;
			break;
		}
	}
	if (c != OPT_END) {
		rc = c == OPT_EXIT ? MNTX_EXIT_OK : MNTX_EXIT_USAGE;
		goto done;
	}
	if (optind >= argc) {
		diag_usage("no path given");
		goto done;
	}
	if (argc - optind > 1) {
		diag_usage("one PATH only: '%s' is one too many", diag_quote(argv[optind + 1]));
		goto done;
	}
	if (want_cat && q.quiet) {
		diag_usage("--cat and --quiet exclude each other");
		goto done;
	}
	if (!have_flags)
		flags = want_cat ? O_RDONLY : O_PATH;
	if (have_mode && !(flags & O_CREAT) && (flags & O_TMPFILE) != O_TMPFILE) {
		diag_usage("--mode is for files created: add creat or tmpfile to --flags");
		goto done;
	}
	if (!have_mode && ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE))
		mode = 0666;	/* the umask takes its share, as for open(2) */
	if ((resolve & MNTX_RESOLVE_CACHED) && (flags & (O_CREAT | O_TRUNC | __O_TMPFILE))) {
		diag_usage("--resolve cached cannot create or truncate (creat, trunc, tmpfile)");
		goto done;
	}
	q.path = argv[optind];
	q.how = (struct mntx_open_how){ .flags = flags | O_CLOEXEC, .mode = mode, .resolve = resolve };
	/* one file: every field, key: value */
	out_layout_full(o, 1, NULL);

	rc = MNTX_EXIT_FAIL;
	if ((resolve & MNTX_RESOLVE_CACHED) && !feature_has(FEAT_RESOLVE_CACHED)) {
		diag_err(0, "--resolve cached needs %s", feature_needs(FEAT_RESOLVE_CACHED));
		goto done;
	}
	if (in) {
		q.dir = in;
		q.dfd = open(in, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (q.dfd < 0) {
			if (!q.quiet)
				diag_err(errno, "cannot open directory '%s'", diag_quote(in));
			goto done;
		}
	}
	fd = do_open(&q, q.how);
	if (fd < 0) {
		refusal(&q, errno);
		goto done;
	}
	if (q.quiet)
		rc = MNTX_EXIT_OK;
	else if (want_cat)
		rc = cat(fd, &q) < 0 ? MNTX_EXIT_FAIL : MNTX_EXIT_OK;
	else
		rc = describe(o, fd, &q) < 0 ? MNTX_EXIT_FAIL : MNTX_EXIT_OK;
done:
	if (fd >= 0)
		close(fd);
	if (q.dfd >= 0)
		close(q.dfd);
	opt_free(&p);
	out_free(o);
	return rc;
}
