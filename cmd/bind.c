// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bind - a bind mount made with the new mount API: open_tree(2) clones
 * SRC into a detached tree, the attributes (and an idmapping) are set on
 * that tree while nobody can see it, and move_mount(2) attaches it at DST.
 * There is never a moment where DST shows the copy without its attributes.
 *
 * open_tree_attr(2) (6.15) clones and sets in one call; older kernels get
 * open_tree then mount_setattr on the detached tree, which is as good.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/vfs.h>
#include "abi.h"
#include "diag.h"
#include "feature.h"
#include "flags.h"
#include "idmap.h"
#include "mountop.h"
#include "sys.h"
#include "tools.h"

enum { OPT_ATTR = OPT_TOOL, OPT_PROPAGATION, OPT_IDMAP, OPT_BENEATH };

static const struct mntx_opt options[] = {
	{ 'R', "recursive", no_argument, NULL, "copy the mounts below SRC too (rbind)" },
	{ OPT_ATTR, "attr", required_argument, "LIST", "mount attributes of the copy (ro, nosuid, noatime, ...)",
	  OPT_C_LIST, NULL, &flags_mount_attr },
	{ OPT_PROPAGATION, "propagation", required_argument, "TYPE", "shared, slave, private or unbindable",
	  OPT_C_WORDS, NULL, &flags_propagation },
	{ OPT_IDMAP, "idmap", required_argument, "MAP", "an idmapped mount: 'u:0:100000:65536 g:...' or a userns file" },
	{ OPT_BENEATH, "beneath", no_argument, NULL, "mount under the mount at DST, not on top of it" },
	OPT_ENTRIES_OUTPUT,
	{ 0 }
};

static int run(int argc, char **argv);

const struct mntx_tooldef bind_tool = {
	.name = "bind",
	.usage = "[-R] [--attr LIST] [--propagation TYPE] [--idmap MAP] [--beneath] [options] SRC DST",
	.about = "Bind mount SRC at DST: clone it with open_tree(2), set its attributes while it\n"
		 "is detached, attach it with move_mount(2).  Prints the new mount (with -R, and\n"
		 "the mounts copied under it).",
	.opts = options,
	.cols = mount_cols,
	.ncols = MC__COUNT,
	.operands = OPT_C_FILE,
	.run = run,
};

struct bind {
	const char *src, *dst;
	const char *idmap_text;
	struct idmap *idmap;
	struct mntx_mount_attr attr;
	bool recursive, beneath, with_attr;
};

/* ---- the copy ------------------------------------------------------------------ */

static unsigned int clone_flags(const struct bind *b)
{
	return MNTX_OPEN_TREE_CLONE | MNTX_OPEN_TREE_CLOEXEC | (b->recursive ? AT_RECURSIVE : 0);
}

static bool is_tmpfs(const char *path)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && sf.f_type == TMPFS_MAGIC;
}

/* After a failed open_tree_attr: was it the clone or the attributes? */
static void clone_attr_error(const struct bind *b, int e)
{
	int probe = sys_open_tree(AT_FDCWD, b->src, clone_flags(b));

	if (probe < 0) {
		diag_err(errno, "cannot copy '%s'", diag_quote(b->src));
		return;
	}
	close(probe);
	if (b->idmap && e == EINVAL && is_tmpfs(b->src) && !feature_has(FEAT_IDMAPPED_TMPFS))
		diag_err(0, "cannot idmap the copy of '%s': idmapped tmpfs mounts need %s",
			 diag_quote(b->src), feature_needs(FEAT_IDMAPPED_TMPFS));
	else if (b->idmap && e == EINVAL)
		diag_err(e, "cannot idmap the copy of '%s' (its filesystem must allow idmapped "
			 "mounts; the namespace needs both a uid_map and a gid_map)",
			 diag_quote(b->src));
	else if (b->idmap)
		diag_err(e, "cannot idmap the copy of '%s'", diag_quote(b->src));
	else
		diag_err(e, "cannot set the attributes of the copy of '%s'", diag_quote(b->src));
}

/* The detached copy of SRC with its attributes, as an fd. */
static int make_copy(struct bind *b)
{
	int fd;

	if (b->with_attr) {
		fd = sys_open_tree_attr(AT_FDCWD, b->src, clone_flags(b), &b->attr, sizeof(b->attr));
		if (fd >= 0)
			return fd;
		if (errno != ENOSYS) {
			clone_attr_error(b, errno);
			return -1;
		}
	}
	fd = sys_open_tree(AT_FDCWD, b->src, clone_flags(b));
	if (fd < 0) {
		if (errno == ENOSYS)
			diag_err(0, "this kernel lacks open_tree(2) (Linux 5.2)");
		else
			diag_err(errno, "cannot copy '%s'", diag_quote(b->src));
		return -1;
	}
	if (b->with_attr && sys_mount_setattr(fd, "", AT_EMPTY_PATH | (b->recursive ? AT_RECURSIVE : 0),
					      &b->attr, sizeof(b->attr)) < 0) {
		clone_attr_error(b, errno);
		close(fd);
		return -1;
	}
	return fd;
}

static void attach_error(const struct bind *b, int e)
{
	struct mount_where w;

	if (e == EINVAL && b->beneath && mountop_at(AT_FDCWD, b->dst, 0, &w) == 0 && !w.root)
		diag_err(0, "cannot mount beneath '%s': not a mount point", diag_quote(b->dst));
	else if (e == ENOTDIR || (e == EINVAL && mountop_kinds_differ(b->src, b->dst)))
		diag_err(0, "cannot attach '%s' at '%s': one is a directory, the other is not",
			 diag_quote(b->src), diag_quote(b->dst));
	else if (e == EINVAL && b->beneath)
		diag_err(e, "cannot mount beneath '%s' (the mount there must have a parent, not be "
			 "the root, and not be locked)", diag_quote(b->dst));
	else
		diag_err(e, "cannot attach the copy of '%s' at '%s'", diag_quote(b->src),
			 diag_quote(b->dst));
}

/* ---- the record ------------------------------------------------------------------ */

/* The new mount, and with -R the mounts copied under it: those made after
 * it (unique IDs only grow), not a mount that was already at DST and now
 * sits on it (--beneath). */
static int show(struct mountop *mo, const struct bind *b, int fd)
{
	const struct mntx_mount *m;
	struct mount_where w;
	uint64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int r = 0, status = MNTX_EXIT_OK;

	if (mountop_at(fd, "", AT_EMPTY_PATH, &w) < 0 || mountop_begin(mo) < 0)
		goto fail;
	if (b->recursive) {
		/* IDs first: printing reads mounts, which would end the listing */
		if (mnt_list_begin(mo->ns, w.id, false) < 0)
			goto fail;
		while ((r = mnt_list_next(mo->ns, MNTX_STATMOUNT_MNT_BASIC, &m)) > 0) {
			if ((m->have & MH_ID) && m->id < w.id)
				continue;
			if (n == cap) {
				uint64_t *ni = reallocarray(ids, cap = cap ? 2 * cap : 16, sizeof(*ids));

				if (!ni)
					goto fail;
				ids = ni;
			}
			ids[n++] = mountop_id(m);
		}
		if (r < 0)
			goto fail;
	}
	if (mountop_show(mo, w.id) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if (mountop_show(mo, ids[i]) == 0 || errno == ENOENT)
			continue;	/* ENOENT: unmounted since, nothing to show */
		if (diag_stdout_broken())
			goto fail;
		diag_err(errno, "cannot read mount %llu", (unsigned long long)ids[i]);
		status = MNTX_EXIT_FAIL;
	}
	free(ids);
	return mountop_end(mo) < 0 ? MNTX_EXIT_FAIL : status;
fail:
	if (!diag_stdout_broken())
		diag_err(errno, "mounted, but cannot read the new mount at '%s'", diag_quote(b->dst));
	free(ids);
	return MNTX_EXIT_FAIL;
}

static int do_bind(struct mountop *mo, struct bind *b)
{
	int fd, userns = -1, rc = MNTX_EXIT_FAIL;

	if (b->idmap) {
		userns = idmap_userns(b->idmap);
		if (userns < 0) {
			if (b->idmap->userns_path && errno == EINVAL)
				diag_err(0, "cannot idmap: '%s' is not a user namespace",
					 diag_quote(b->idmap->userns_path));
			else if (b->idmap->userns_path && errno == EPERM)
				diag_err(0, "cannot idmap: '%s' is the initial user namespace (an idmapping "
					 "needs one below it)", diag_quote(b->idmap->userns_path));
			else if (b->idmap->userns_path)
				diag_err(errno, "cannot open the user namespace '%s'",
					 diag_quote(b->idmap->userns_path));
			else
				diag_err(errno, "cannot make a user namespace for '%s'", diag_quote(b->idmap_text));
			return MNTX_EXIT_FAIL;
		}
		b->attr.attr_set |= MNTX_MOUNT_ATTR_IDMAP;
		b->attr.userns_fd = (__u64)userns;
		b->with_attr = true;
	}
	fd = make_copy(b);
	if (userns >= 0)
		close(userns);	/* the mount holds the namespace now */
	if (fd < 0)
		return MNTX_EXIT_FAIL;
	if (sys_move_mount(fd, "", AT_FDCWD, b->dst,
			   MNTX_MOVE_MOUNT_F_EMPTY_PATH | (b->beneath ? MNTX_MOVE_MOUNT_BENEATH : 0)) < 0)
		attach_error(b, errno);	/* closing the fd dissolves the copy */
	else
		rc = show(mo, b, fd);
	close(fd);
	return rc;
}

/* ---- options -------------------------------------------------------------------- */

static int parse_idmap(struct bind *b, const char *text)
{
	struct idmap_err err = { 0 };

	b->idmap = malloc(sizeof(*b->idmap));
	if (!b->idmap) {
		diag_err(errno, "cannot start");
		return -1;
	}
	if (idmap_parse(text, b->idmap, &err) == 0) {
		b->idmap_text = text;
		return 0;
	}
	if (err.len) {
		char *entry = strndup(text + err.off, err.len);

		diag_usage("invalid --idmap entry '%s': %s", entry ? diag_quote(entry) : "?", err.why);
		free(entry);
	} else {
		diag_usage("invalid --idmap '%s': %s (expected [u:|g:|b:]INSIDE:OUTSIDE:COUNT... or "
			   "a user namespace file)", diag_quote(text), err.why ? err.why : strerror(errno));
	}
	return -1;
}

static int run(int argc, char **argv)
{
	struct bind b = { 0 };
	struct opt_parser p;
	struct mountop mo;
	const char *attr = NULL, *prop = NULL, *idmap = NULL;
	uint64_t set = 0, clr = 0, pbits = 0;
	int c, rc = MNTX_EXIT_USAGE;
	char *arg;

	if (mountop_init(&mo) < 0 || opt_init(&p, &bind_tool, argc, argv) < 0) {
		diag_err(errno, "cannot start");
		mountop_free(&mo);
		return MNTX_EXIT_FAIL;
	}
	diag_set_cap("CAP_SYS_ADMIN");
	opt_output(&p, mo.out);
	while ((c = opt_next(&p, &arg)) >= 0) {
		switch (c) {
		case 'R':
			b.recursive = true;
			break;
		case OPT_ATTR:
			attr = arg;
			break;
		case OPT_PROPAGATION:
			prop = arg;
			break;
		case OPT_IDMAP:
			idmap = arg;
			break;
		case OPT_BENEATH:
			b.beneath = true;
			break;
		}
	}
	if (c != OPT_END) {
		rc = c == OPT_EXIT ? MNTX_EXIT_OK : MNTX_EXIT_USAGE;
		goto done;
	}
	if (argc - optind != 2) {
		if (argc - optind < 2)
			diag_usage("expected SRC and DST");
		else
			diag_usage("unexpected operand '%s'", diag_quote(argv[optind + 2]));
		goto done;
	}
	if ((attr && flags_parse(&flags_mount_attr, attr, &set, &clr) < 0) ||
	    (prop && flags_parse(&flags_propagation, prop, &pbits, NULL) < 0) ||
	    (idmap && parse_idmap(&b, idmap) < 0))
		goto done;
	b.src = argv[optind];
	b.dst = argv[optind + 1];
	b.attr = (struct mntx_mount_attr){ .attr_set = set, .attr_clr = clr, .propagation = pbits };
	b.with_attr = set || clr || pbits;
	rc = MNTX_EXIT_FAIL;
	if (b.beneath && !feature_has(FEAT_MOVE_MOUNT_BENEATH))
		diag_err(0, "--beneath needs %s", feature_needs(FEAT_MOVE_MOUNT_BENEATH));
	else if ((b.with_attr || b.idmap) &&
		 mountop_attr_check(&b.attr, idmap ? "--idmap" : attr ? "--attr" : "--propagation") < 0)
		;
	else
		rc = do_bind(&mo, &b);
done:
	free(b.idmap);
	opt_free(&p);
	mountop_free(&mo);
	return rc;
}
