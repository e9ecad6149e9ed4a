// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umount - umount2(2) on mount points, one after the other; with -R the
 * whole subtree of each, deepest first.
 *
 * The subtree comes from listmount(2) of the target's ID, which lists
 * mounts in creation order; the depth of each (its chain of parents up to
 * the target) gives the order to unmount them in.  Each path is checked to
 * still lead to the mount meant before it is unmounted: another mount may
 * have been stacked over it, or propagation may have taken it already.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include "abi.h"
#include "diag.h"
#include "mountop.h"
#include "tools.h"

enum { OPT_NO_FOLLOW = OPT_TOOL };

static const struct mntx_opt options[] = {
	{ 'l', "lazy", no_argument, NULL, "detach now, clean up when no longer busy (MNT_DETACH)" },
	{ 'f', "force", no_argument, NULL, "force the unmount, for unreachable NFS (MNT_FORCE)" },
	{ 'R', "recursive", no_argument, NULL, "unmount every mount below TARGET first, deepest first" },
	{ OPT_NO_FOLLOW, "no-follow", no_argument, NULL, "do not follow a symbolic link at TARGET (UMOUNT_NOFOLLOW)" },
	{ 'v', "verbose", no_argument, NULL, "print each mount unmounted, as it was (implied by --json)" },
	OPT_ENTRIES_OUTPUT,
	{ 0 }
};

static int run(int argc, char **argv);

const struct mntx_tooldef umount_tool = {
	.name = "umount",
	.usage = "[-l] [-f] [-R] [--no-follow] [-v] [options] TARGET...",
	.about = "Unmount the mounts at TARGETs with umount2(2); with -R, every mount below\n"
		 "each TARGET first, deepest first.  Quiet unless -v, -J or --json-lines is\n"
		 "given: then each mount unmounted is printed as it was.",
	.opts = options,
	.cols = mount_cols,
	.ncols = MC__COUNT,
	.operands = OPT_C_MOUNT,
	.run = run,
};

struct umount {
	struct mountop mo;
	int flags;		/* umount2 flags */
	bool recursive, verbose;
	bool begun;		/* the namespace is open */
};

/* One mount of a subtree. */
struct sub {
	uint64_t id, parent;
	char *target;
	size_t depth;
	bool stuck;		/* a mount below it stays: it cannot go */
};

static int open_ns(struct umount *u)
{
	if (u->begun)
		return 0;
	if (mountop_begin(&u->mo) < 0)
		return -1;
	u->begun = true;
	return 0;
}

/* Unmount mount @id at @path.  @quiet_gone (in a subtree, the namespace
 * open): a mount no longer there is not an error, since propagation in the
 * subtree takes mounts with it. */
static int unmount_one(struct umount *u, const char *path, uint64_t id, bool quiet_gone)
{
	const struct mntx_mount *m;
	struct mntx_mount *was = NULL;
	struct mount_where w;
	int atflags = (u->flags & UMOUNT_NOFOLLOW) ? AT_SYMLINK_NOFOLLOW : 0;

	if (mountop_at(AT_FDCWD, path, atflags, &w) < 0 || w.id != id) {
		if (quiet_gone && mountop_stat(&u->mo, id, 0, &m) < 0 && errno == ENOENT)
			return 0;
		diag_err(0, "cannot unmount '%s': another mount hides mount %llu there", diag_quote(path),
			 (unsigned long long)id);
		return -1;
	}
	if (u->verbose) {
		if (mountop_stat(&u->mo, id, 0, &m) < 0 || !(was = mountop_dup(m))) {
			if (errno == ENOENT && quiet_gone)
				return 0;
			diag_err(errno, "cannot read the mount at '%s'", diag_quote(path));
			return -1;
		}
	}
	if (umount2(path, u->flags) < 0) {
		int e = errno;

		free(was);
		if (e == EBUSY)
			diag_err(e, "cannot unmount '%s' (in use; -l detaches it now and cleans up later)",
				 diag_quote(path));
		else
			diag_err(e, "cannot unmount '%s'", diag_quote(path));
		return -1;
	}
	if (was && mountop_print(&u->mo, was) < 0) {
		free(was);
		if (!diag_stdout_broken())
			diag_err(errno, "cannot print the mount at '%s'", diag_quote(path));
		return -1;
	}
	free(was);
	return 0;
}

/* ---- -R -------------------------------------------------------------------- */

static int by_id(const void *a, const void *b)
{
	const struct sub *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int deepest_first(const void *a, const void *b)
{
	const struct sub *x = a, *y = b;

	if (x->depth != y->depth)
		return x->depth < y->depth ? 1 : -1;
	return x->id < y->id ? 1 : x->id > y->id ? -1 : 0;	/* newest first */
}

/* Depth below the target: 1 for a child of it.  @s is sorted by ID. */
static size_t depth(struct sub *s, size_t n, struct sub *x)
{
	struct sub key, *p;

	if (x->depth)
		return x->depth;
	x->depth = 1;	/* a parent outside the set: the target itself */
	key.id = x->parent;
	p = x->parent != x->id ? bsearch(&key, s, n, sizeof(*s), by_id) : NULL;
	if (p)
		x->depth = depth(s, n, p) + 1;
	return x->depth;
}

static int list_subtree(struct umount *u, uint64_t top, struct sub **subs, size_t *n)
{
	const struct mntx_mount *m;
	size_t cap = 0;
	int r;

	*subs = NULL;
	*n = 0;
	if (mnt_list_begin(u->mo.ns, top, false) < 0)
		return -1;
	while ((r = mnt_list_next(u->mo.ns, MNTX_STATMOUNT_MNT_BASIC | MNTX_STATMOUNT_MNT_POINT, &m)) > 0) {
		if (!m->target)
			continue;	/* outside our root: no path to it */
		if (*n == cap) {
			struct sub *ns = reallocarray(*subs, cap = cap ? 2 * cap : 16, sizeof(**subs));

			if (!ns)
				return -1;
			*subs = ns;
		}
		(*subs)[*n] = (struct sub){
			.id = mountop_id(m),
			.parent = (m->have & MH_ID) ? m->parent_id : m->old_parent_id,
			.target = strdup(m->target),
		};
		if (!(*subs)[(*n)++].target)
			return -1;
	}
	return r;
}

static int unmount_below(struct umount *u, const char *path, uint64_t top)
{
	struct sub *s;
	size_t n;
	int rc = 0;

	if (list_subtree(u, top, &s, &n) < 0) {
		diag_err(errno, "cannot list the mounts below '%s'", diag_quote(path));
		rc = -1;
		goto out;
	}
	qsort(s, n, sizeof(*s), by_id);
	for (size_t i = 0; i < n; i++)
		depth(s, n, &s[i]);
	qsort(s, n, sizeof(*s), deepest_first);
	for (size_t i = 0; i < n && !diag_stdout_broken(); i++) {
		/* a mount that stays keeps its parents: say it once, for it */
		if (s[i].stuck || unmount_one(u, s[i].target, s[i].id, true) < 0) {
			for (size_t j = i + 1; j < n; j++)
				if (s[j].id == s[i].parent)
					s[j].stuck = true;
			rc = -1;
		}
	}
	if (rc < 0 && !diag_stdout_broken())
		diag_err(0, "cannot unmount '%s': mounts below it remain", diag_quote(path));
out:
	for (size_t i = 0; i < n; i++)
		free(s[i].target);
	free(s);
	return rc;
}

/* ---- one TARGET ------------------------------------------------------------------ */

static int unmount_target(struct umount *u, const char *path)
{
	struct mount_where w;
	int atflags = (u->flags & UMOUNT_NOFOLLOW) ? AT_SYMLINK_NOFOLLOW : 0;

	if (mountop_at(AT_FDCWD, path, atflags, &w) < 0) {
		diag_err(errno, "cannot unmount '%s'", diag_quote(path));
		return -1;
	}
	if (!w.root) {
		diag_err(0, "cannot unmount '%s': not a mount point", diag_quote(path));
		return -1;
	}
	if ((u->recursive || u->verbose) && open_ns(u) < 0) {
		diag_err(errno, "cannot read mounts");
		return -1;
	}
	/* below first: a busy submount keeps the target mounted too */
	if (u->recursive && unmount_below(u, path, w.id) < 0)
		return -1;
	return unmount_one(u, path, w.id, false);
}

static int run(int argc, char **argv)
{
	struct umount u = { 0 };
	struct opt_parser p;
	int c, rc = MNTX_EXIT_USAGE;
	char *arg;

	if (mountop_init(&u.mo) < 0 || opt_init(&p, &umount_tool, argc, argv) < 0) {
		diag_err(errno, "cannot start");
		mountop_free(&u.mo);
		return MNTX_EXIT_FAIL;
	}
	diag_set_cap("CAP_SYS_ADMIN");
	opt_output(&p, u.mo.out);
	while ((c = opt_next(&p, &arg)) >= 0) {
		switch (c) {
		case 'l':
			u.flags |= MNT_DETACH;
			break;
		case 'f':
			u.flags |= MNT_FORCE;
			break;
		case 'R':
			u.recursive = true;
			break;
		case OPT_NO_FOLLOW:
			u.flags |= UMOUNT_NOFOLLOW;
			break;
		case 'v':
			u.verbose = true;
			break;
		}
	}
	if (c != OPT_END) {
		rc = c == OPT_EXIT ? MNTX_EXIT_OK : MNTX_EXIT_USAGE;
		goto done;
	}
	if (optind >= argc) {
		diag_usage("no mount point given");
		goto done;
	}
	if (out_is_json(u.mo.out))
		u.verbose = true;
	rc = MNTX_EXIT_OK;
	for (int i = optind; i < argc && !diag_stdout_broken(); i++)
		if (unmount_target(&u, argv[i]) < 0)
			rc = MNTX_EXIT_FAIL;
	if (u.verbose && mountop_end(&u.mo) < 0)
		rc = MNTX_EXIT_FAIL;
done:
	opt_free(&p);
	mountop_free(&u.mo);
	return rc;
}
