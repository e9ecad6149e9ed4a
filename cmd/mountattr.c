// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mountattr - change the attributes and the propagation of a mount with
 * mount_setattr(2), and show it before and after.
 *
 * The mounts are read before the change and kept, so that a failed change
 * prints nothing but its error; after it, each mount is printed twice, as
 * it was and as it is.  -R changes the whole subtree atomically: the kernel
 * prepares every mount, then commits or rolls back.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "abi.h"
#include "diag.h"
#include "flags.h"
#include "mountop.h"
#include "sys.h"
#include "tools.h"

enum { OPT_SET = OPT_TOOL, OPT_CLEAR, OPT_PROPAGATION };

static const struct mntx_opt options[] = {
	{ OPT_SET, "set", required_argument, "LIST", "mount attributes to set (rw clears ro; one atime mode)",
	  OPT_C_LIST, NULL, &flags_mount_attr },
	{ OPT_CLEAR, "clear", required_argument, "LIST", "mount attributes to clear (an atime mode: back to relatime)",
	  OPT_C_LIST, NULL, &flags_mount_attr },
	{ OPT_PROPAGATION, "propagation", required_argument, "TYPE", "shared, slave, private or unbindable",
	  OPT_C_WORDS, NULL, &flags_propagation },
	{ 'R', "recursive", no_argument, NULL, "change every mount below PATH too, atomically" },
	OPT_ENTRIES_OUTPUT,
	{ 0 }
};

static int run(int argc, char **argv);

const struct mntx_tooldef mountattr_tool = {
	.name = "mountattr",
	.usage = "[--set LIST] [--clear LIST] [--propagation TYPE] [-R] [options] PATH",
	.about = "Change the mount attributes and the propagation of the mount at PATH with\n"
		 "mount_setattr(2).  The mount is printed as it was, then as it is (with -R,\n"
		 "each mount of the subtree in turn).",
	.opts = options,
	.cols = mount_cols,
	.ncols = MC__COUNT,
	.operands = OPT_C_MOUNT,
	.run = run,
};

struct change {
	char *set, *clear;	/* the lists given, joined */
	const char *propagation;
	struct mntx_mount_attr attr;
	unsigned int flags;	/* AT_RECURSIVE */
};

/* --set and --clear may be repeated: the lists add up. */
static int append(char **list, const char *more)
{
	char *joined;

	if (asprintf(&joined, "%s%s%s", *list ? *list : "", *list ? "," : "", more) < 0)
		return -1;
	free(*list);
	*list = joined;
	return 0;
}

/* The lists into a struct mount_attr; usage errors are printed. */
static int parse_change(struct change *ch)
{
	uint64_t set = 0, clr = 0, prop = 0;

	if (ch->set && flags_parse(&flags_mount_attr, ch->set, &set, &clr) < 0)
		return -1;
	if (ch->clear && flags_parse_clear(&flags_mount_attr, ch->clear, ch->set, &clr) < 0)
		return -1;
	if (ch->propagation && flags_parse(&flags_propagation, ch->propagation, &prop, NULL) < 0)
		return -1;
	/* the kernel returns 0 for an empty change without looking at the path */
	if (!set && !clr && !prop) {
		diag_usage("nothing to change: give --set, --clear or --propagation");
		return -1;
	}
	ch->attr = (struct mntx_mount_attr){ .attr_set = set, .attr_clr = clr, .propagation = prop };
	return 0;
}

/* The mounts to change, as they are now: the one at PATH, then with -R
 * every mount below it. */
static int snapshot(struct mountop *mo, uint64_t top, bool recursive,
		    struct mntx_mount ***before, size_t *n)
{
	const struct mntx_mount *m;
	size_t cap = 1;
	int r;

	*n = 0;
	*before = malloc(sizeof(**before));
	if (!*before || mountop_stat(mo, top, 0, &m) < 0 || !((*before)[0] = mountop_dup(m)))
		return -1;
	*n = 1;
	if (!recursive)
		return 0;
	if (mnt_list_begin(mo->ns, top, false) < 0)
		return -1;
	while ((r = mnt_list_next(mo->ns, mo->mask, &m)) > 0) {
		if (*n == cap) {
			struct mntx_mount **nb = reallocarray(*before, cap *= 2, sizeof(**before));

			if (!nb)
				return -1;
			*before = nb;
		}
		if (!((*before)[*n] = mountop_dup(m)))
			return -1;
		(*n)++;
	}
	return r;
}

static void change_error(int e, const char *path, const struct change *ch)
{
	switch (e) {
	case ENOSYS:
		diag_err(0, "this kernel lacks mount_setattr(2) (Linux 5.12)");
		break;
	case EBUSY:
		if (ch->attr.attr_set & MNTX_MOUNT_ATTR_RDONLY) {
			diag_err(e, "cannot make '%s' read-only: a file on it is open for writing",
				 diag_quote(path));
			break;
		}
		/* fall through */
	default:
		diag_err(e, "cannot change '%s'", diag_quote(path));
	}
}

/* Print each mount as it was and as it is. */
static int show(struct mountop *mo, struct mntx_mount **before, size_t n)
{
	int status = MNTX_EXIT_OK;

	for (size_t i = 0; i < n; i++) {
		if (mountop_print(mo, before[i]) < 0)
			goto broken;
		if (mountop_show(mo, mountop_id(before[i])) == 0)
			continue;
		if (diag_stdout_broken())
			goto broken;
		diag_err(errno, "cannot read mount %llu after the change",
			 (unsigned long long)mountop_id(before[i]));
		status = MNTX_EXIT_FAIL;
	}
	return mountop_end(mo) < 0 ? MNTX_EXIT_FAIL : status;
broken:
	if (!diag_stdout_broken())
		diag_err(errno, "cannot print the mounts");
	return MNTX_EXIT_FAIL;
}

static int change(struct mountop *mo, const char *path, struct change *ch)
{
	struct mntx_mount **before = NULL;
	struct mount_where w;
	size_t n = 0;
	int fd, rc = MNTX_EXIT_FAIL;

	/* one open: the mount read, changed and shown is the same */
	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0 || mountop_at(fd, "", AT_EMPTY_PATH, &w) < 0) {
		diag_err(errno, "cannot open '%s'", diag_quote(path));
		goto out;
	}
	if (!w.root) {
		diag_err(0, "cannot change '%s': not a mount point", diag_quote(path));
		goto out;
	}
	if (mountop_begin(mo) < 0 || snapshot(mo, w.id, ch->flags & AT_RECURSIVE, &before, &n) < 0) {
		diag_err(errno, "cannot read the mount at '%s'", diag_quote(path));
		goto out;
	}
	if (sys_mount_setattr(fd, "", AT_EMPTY_PATH | ch->flags, &ch->attr, sizeof(ch->attr)) < 0) {
		change_error(errno, path, ch);
		goto out;
	}
	rc = show(mo, before, n);
out:
	for (size_t i = 0; i < n; i++)
		free(before[i]);
	free(before);
	if (fd >= 0)
		close(fd);
	return rc;
}

static int run(int argc, char **argv)
{
	struct change ch = { 0 };
	struct opt_parser p;
	struct mountop mo;
	int c, rc = MNTX_EXIT_USAGE;
	char *arg;

	if (mountop_init(&mo) < 0 || opt_init(&p, &mountattr_tool, argc, argv) < 0) {
		diag_err(errno, "cannot start");
		mountop_free(&mo);
		return MNTX_EXIT_FAIL;
	}
	diag_set_cap("CAP_SYS_ADMIN");
	opt_output(&p, mo.out);
	while ((c = opt_next(&p, &arg)) >= 0) {
		switch (c) {
		case OPT_SET:
		case OPT_CLEAR:
			if (append(c == OPT_SET ? &ch.set : &ch.clear, arg) < 0) {
				diag_err(errno, "cannot start");
				rc = MNTX_EXIT_FAIL;
				goto done;
			}
			break;
		case OPT_PROPAGATION:
			ch.propagation = arg;
			break;
		case 'R':
			ch.flags |= AT_RECURSIVE;
			break;
		}
	}
	if (c != OPT_END) {
		rc = c == OPT_EXIT ? MNTX_EXIT_OK : MNTX_EXIT_USAGE;
		goto done;
	}
	if (optind >= argc) {
		diag_usage("no mount given");
		goto done;
	}
	if (argc - optind > 1) {
		diag_usage("one mount at a time: unexpected '%s'", diag_quote(argv[optind + 1]));
		goto done;
	}
	if (parse_change(&ch) < 0)
		goto done;
	rc = MNTX_EXIT_FAIL;
	if (mountop_attr_check(&ch.attr, ch.set ? "--set" : ch.clear ? "--clear" : "--propagation") < 0)
		goto done;
	rc = change(&mo, argv[optind], &ch);
done:
	free(ch.set);
	free(ch.clear);
	opt_free(&p);
	mountop_free(&mo);
	return rc;
}
