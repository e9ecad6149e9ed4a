// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * move-mount - move_mount(2) on mounts that exist: move one elsewhere,
 * slide one beneath the top mount at a place (--beneath: unmounting the
 * top then reveals it, with no moment where nothing is mounted there), or
 * make one join another's peer group (--set-group).
 *
 * FROM is opened once (open_tree without OPEN_TREE_CLONE: an O_PATH fd on
 * the mount itself), so the mount checked is the mount moved.  When the
 * kernel refuses with EINVAL, the rules it applies are checked one by one
 * to say which was broken.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "abi.h"
#include "diag.h"
#include "feature.h"
#include "mountop.h"
#include "sys.h"
#include "tools.h"

enum { OPT_BENEATH = OPT_TOOL, OPT_SET_GROUP };

static const struct mntx_opt options[] = {
	{ OPT_BENEATH, "beneath", no_argument, NULL, "put FROM under the top mount at TO" },
	{ OPT_SET_GROUP, "set-group", no_argument, NULL, "make the mount at TO join FROM's peer group" },
	OPT_ENTRIES_OUTPUT,
	{ 0 }
};

static int run(int argc, char **argv);

const struct mntx_tooldef move_mount_tool = {
	.name = "move-mount",
	.usage = "[--beneath | --set-group] [options] FROM TO",
	.about = "Move the mount at FROM to TO with move_mount(2); with --beneath, under the\n"
		 "mount at TO; with --set-group, leave it and make the mount at TO a peer of it.\n"
		 "Prints the mount that moved (with --set-group, the mount at TO).",
	.opts = options,
	.cols = mount_cols,
	.ncols = MC__COUNT,
	.operands = OPT_C_FILE,
	.run = run,
};

enum mode { MOVE, BENEATH, SET_GROUP };

struct move {
	const char *from, *to;
	enum mode mode;
	struct mount_where wf, wt;
	bool have_wt;
};

/* ---- why EINVAL ---------------------------------------------------------------- */

struct facts {
	bool ok;
	uint64_t propagation, parent_id;
	uint32_t maj, min;
};

static struct facts facts(struct mountop *mo, uint64_t id)
{
	const struct mntx_mount *m;
	struct facts f = { 0 };

	if (mountop_stat(mo, id, MNTX_STATMOUNT_SB_BASIC, &m) == 0 &&
	    (m->have & (MH_PROPAGATION | MH_DEV)) == (MH_PROPAGATION | MH_DEV)) {
		f.ok = true;
		f.propagation = m->propagation;
		/* in the numbering mountop_stat() takes: old IDs before 6.8 */
		f.parent_id = (m->have & MH_ID) ? m->parent_id : m->old_parent_id;
		f.maj = m->maj;
		f.min = m->min;
	}
	return f;
}

/* The first rule of move_mount(2) that the mounts break, or NULL. */
static const char *broken_rule(struct mountop *mo, const struct move *mv)
{
	struct facts from = facts(mo, mv->wf.id), to = { 0 }, parent;

	if (!from.ok)
		return NULL;
	if (mv->have_wt)
		to = facts(mo, mv->wt.id);
	switch (mv->mode) {
	case MOVE:
		parent = facts(mo, from.parent_id);
		if (parent.ok && (parent.propagation & MNTX_MS_SHARED))
			return "a mount whose parent mount is shared cannot move";
		if (to.ok && (to.propagation & MNTX_MS_SHARED) && (from.propagation & MNTX_MS_UNBINDABLE))
			return "an unbindable mount cannot go under a shared one";
		break;
	case BENEATH:
		if (to.ok && to.parent_id == mv->wt.id)
			return "the mount at TO has no parent to go beneath";
		return "the mount at TO must not be the root or locked, and propagation must not "
		       "cover it";
	case SET_GROUP:
		if (!(from.propagation & (MNTX_MS_SHARED | MNTX_MS_SLAVE)))
			return "FROM must be shared or a slave";
		if (to.ok && (to.propagation & (MNTX_MS_SHARED | MNTX_MS_SLAVE)))
			return "TO must be private (neither shared nor a slave)";
		if (to.ok && (to.maj != from.maj || to.min != from.min))
			return "FROM and TO must be mounts of one filesystem";
		return "the root of TO must lie within the root of FROM";
	}
	return NULL;
}

static void move_error(struct mountop *mo, const struct move *mv, int e)
{
	const char *why = NULL;

	if ((e == EINVAL || e == ENOTDIR) && mv->mode != SET_GROUP &&
	    mountop_kinds_differ(mv->from, mv->to))
		why = "one is a directory, the other is not";
	else if (e == EINVAL && mountop_begin(mo) == 0)
		why = broken_rule(mo, mv);
	else if (e == ENOTDIR)
		why = "one is a directory, the other is not";
	else if (e == ELOOP)
		why = "it would go inside itself";
	if (mv->mode == SET_GROUP) {
		if (why)
			diag_err(0, "cannot join '%s' to the peer group of '%s': %s",
				 diag_quote(mv->to), diag_quote(mv->from), why);
		else
			diag_err(e, "cannot join '%s' to the peer group of '%s'",
				 diag_quote(mv->to), diag_quote(mv->from));
		return;
	}
	const char *how = mv->mode == BENEATH ? "beneath" : "to";

	if (why)
		diag_err(0, "cannot move '%s' %s '%s': %s", diag_quote(mv->from), how,
			 diag_quote(mv->to), why);
	else
		diag_err(e, "cannot move '%s' %s '%s'", diag_quote(mv->from), how, diag_quote(mv->to));
}

/* ---- the move ---------------------------------------------------------------------- */

static int move(struct mountop *mo, struct move *mv)
{
	static const unsigned int flags[] = {
		[MOVE] = 0, [BENEATH] = MNTX_MOVE_MOUNT_BENEATH, [SET_GROUP] = MNTX_MOVE_MOUNT_SET_GROUP,
	};
	int fd, rc = MNTX_EXIT_FAIL;

	fd = sys_open_tree(AT_FDCWD, mv->from, MNTX_OPEN_TREE_CLOEXEC);
	if (fd < 0 || mountop_at(fd, "", AT_EMPTY_PATH, &mv->wf) < 0) {
		diag_err(errno, "cannot open '%s'", diag_quote(mv->from));
		goto out;
	}
	if (!mv->wf.root) {
		diag_err(0, "cannot move '%s': not a mount point", diag_quote(mv->from));
		goto out;
	}
	mv->have_wt = mountop_at(AT_FDCWD, mv->to, 0, &mv->wt) == 0;
	if (mv->mode != MOVE && mv->have_wt && !mv->wt.root) {
		diag_err(0, "cannot %s '%s': not a mount point",
			 mv->mode == BENEATH ? "mount beneath" : "join", diag_quote(mv->to));
		goto out;
	}
	if (sys_move_mount(fd, "", AT_FDCWD, mv->to, MNTX_MOVE_MOUNT_F_EMPTY_PATH | flags[mv->mode]) < 0) {
		move_error(mo, mv, errno);
		goto out;
	}
	/* a moved mount keeps its ID; --set-group changed the mount at TO */
	if (mountop_begin(mo) < 0 ||
	    mountop_show(mo, mv->mode == SET_GROUP ? mv->wt.id : mv->wf.id) < 0) {
		if (!diag_stdout_broken())
			diag_err(errno, "done, but cannot read the mount");
		goto out;
	}
	rc = mountop_end(mo) < 0 ? MNTX_EXIT_FAIL : MNTX_EXIT_OK;
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

static int run(int argc, char **argv)
{
	struct move mv = { .mode = MOVE };
	struct opt_parser p;
	struct mountop mo;
	int c, rc = MNTX_EXIT_USAGE;
	char *arg;

	if (mountop_init(&mo) < 0 || opt_init(&p, &move_mount_tool, argc, argv) < 0) {
		diag_err(errno, "cannot start");
		mountop_free(&mo);
		return MNTX_EXIT_FAIL;
	}
	diag_set_cap("CAP_SYS_ADMIN");
	opt_output(&p, mo.out);
	while ((c = opt_next(&p, &arg)) >= 0) {
		switch (c) {
		case OPT_BENEATH:
		case OPT_SET_GROUP: {
			enum mode m = c == OPT_BENEATH ? BENEATH : SET_GROUP;

			if (mv.mode != MOVE && mv.mode != m) {
				diag_usage("--beneath and --set-group cannot be used together");
				goto done;
			}
			mv.mode = m;
			break;
		}
		}
	}
	if (c != OPT_END) {
		rc = c == OPT_EXIT ? MNTX_EXIT_OK : MNTX_EXIT_USAGE;
		goto done;
	}
	if (argc - optind != 2) {
		if (argc - optind < 2)
			diag_usage("expected FROM and TO");
		else
			diag_usage("unexpected operand '%s'", diag_quote(argv[optind + 2]));
		goto done;
	}
	mv.from = argv[optind];
	mv.to = argv[optind + 1];
	rc = MNTX_EXIT_FAIL;
	if (mv.mode == BENEATH && !feature_has(FEAT_MOVE_MOUNT_BENEATH))
		diag_err(0, "--beneath needs %s", feature_needs(FEAT_MOVE_MOUNT_BENEATH));
	else if (mv.mode == SET_GROUP && !feature_has(FEAT_MOVE_MOUNT_SET_GROUP))
		diag_err(0, "--set-group needs %s", feature_needs(FEAT_MOVE_MOUNT_SET_GROUP));
	else
		rc = move(&mo, &mv);
done:
	opt_free(&p);
	mountop_free(&mo);
	return rc;
}
