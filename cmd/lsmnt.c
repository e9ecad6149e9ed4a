// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lsmnt - list mounts, as findmnt does, from listmount(2) and statmount(2).
 *
 * The kernel is asked, per mount, only for the statmount groups that the
 * shown columns and the filters need.  Flat output streams; a tree is
 * built from IDs first (one cheap pass) and then filled in tree order.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "abi.h"
#include "diag.h"
#include "feature.h"
#include "mountrec.h"
#include "tools.h"

enum {
	OPT_TREE = OPT_TOOL, OPT_ID, OPT_REVERSE, OPT_NS_ID, OPT_KERNEL,
};

static const struct mntx_opt options[] = {
	{ 'l', "list", no_argument, NULL, "flat list (the default when stdout is not a terminal)" },
	{ OPT_TREE, "tree", no_argument, NULL, "show the mount tree (JSON: nested under \"children\")" },
	OPT_ENTRIES_OUTPUT,
	{ 't', "types", required_argument, "LIST", "only these filesystem types (noLIST: all others)", OPT_C_FSTYPE },
	{ 'S', "source", required_argument, "SPEC", "only mounts of this source" },
	{ 'T', "target", required_argument, "PATH", "the mount that holds PATH", OPT_C_FILE },
	{ 'O', "options", required_argument, "LIST", "only mounts with these options (noOPT: without)" },
	{ OPT_ID, "id", required_argument, "ID", "the mount with this unique or old ID" },
	{ 'R', "submounts", no_argument, NULL, "with TARGET or --id: that mount and all under it" },
	{ OPT_REVERSE, "reverse", no_argument, NULL, "newest mounts first" },
	{ 'N', "task", required_argument, "PID", "the mount namespace of process PID", OPT_C_PID },
	{ OPT_NS_ID, "ns-id", required_argument, "ID", "the mount namespace with this ID" },
	{ OPT_KERNEL, "kernel", required_argument, "API", "listmount or mountinfo (default: listmount, else mountinfo)",
	  OPT_C_WORDS, "listmount mountinfo" },
	{ 0 }
};

static int run(int argc, char **argv);

const struct mntx_tooldef lsmnt_tool = {
	.name = "lsmnt",
	.usage = "[options] [TARGET]",
	.about = "List the mounts of a mount namespace, or the mount that holds TARGET.",
	.opts = options,
	.cols = mount_cols,
	.ncols = MC__COUNT,
	.operands = OPT_C_FILE,
	.run = run,
};

struct filter {
	const char *types, *source, *options;
};

/* libmount's rule: a leading "no" negates the whole list, and an item of
 * the form noTYPE excludes that type. */
static bool match_types(const char *type, const char *pattern)
{
	bool neg = false;
	size_t len = strlen(type);

	if (!strncmp(pattern, "no", 2)) {
		neg = true;
		pattern += 2;
	}
	for (const char *p = pattern; p; p = strchr(p, ','), p = p ? p + 1 : NULL) {
		if (!strncmp(p, "no", 2) && !strncmp(p + 2, type, len) && (p[len + 2] == '\0' || p[len + 2] == ','))
			return false;
		if (!strncmp(p, type, len) && (p[len] == '\0' || p[len] == ','))
			return !neg;
	}
	return neg;
}

/* Is option NAME (NAME or NAME=VALUE as given) in the comma list OPTS? */
static bool has_option(const char *opts, const char *name, size_t len)
{
	bool with_value = memchr(name, '=', len) != NULL;

	for (const char *p = opts; p && *p;) {
		size_t n = strcspn(p, ",");
		size_t key = with_value ? n : strcspn(p, ",=");

		if (key == len && !strncmp(p, name, len))
			return true;
		p += n + (p[n] == ',');
	}
	return false;
}

/* findmnt's -O: every item must be present; noITEM must be absent;
 * +ITEM matches ITEM literally (+noatime). */
static bool match_options(const char *opts, const char *pattern)
{
	for (const char *p = pattern; *p;) {
		size_t n = strcspn(p, ",");
		const char *name = p;
		size_t len = n;
		bool neg = false;

		if (len && *name == '+')
			name++, len--;
		else if (len > 2 && !strncmp(name, "no", 2))
			neg = true, name += 2, len -= 2;
		if (len && has_option(opts, name, len) == neg)
			return false;
		p += n + (p[n] == ',');
	}
	return true;
}

static uint64_t filter_mask(const struct filter *f)
{
	return (f->types ? mount_mask(MC_FSTYPE) : 0) | (f->source ? mount_mask(MC_SOURCE) : 0) |
	       (f->options ? mount_mask(MC_OPTIONS) : 0);
}

/* The filters see the same text the columns show; @o selects it all. */
static bool matches(const struct filter *f, const struct mntx_mount *m, struct out_ctx *all,
		    struct mount_text *t)
{
	char buf[512];

	if (f->types) {
		const char *type = mount_fstype(m, buf, sizeof(buf));

		if (!type || !match_types(type, f->types))
			return false;
	}
	if (f->source && (!m->source || strcmp(m->source, f->source)))
		return false;
	if (f->options) {
		struct mntx_rec *r = out_rec(all);

		if (mount_fill(all, r, m, t) < 0 || !r->v[MC_OPTIONS].set ||
		    !match_options(r->v[MC_OPTIONS].str, f->options))
			return false;
	}
	return true;
}

struct lsmnt {
	struct out_ctx *o, *all;	/* the output; every column, for -O */
	struct mnt_ns *ns;
	struct filter f;
	struct mount_text text, ftext;
	uint64_t mask;
	bool reverse, tree, submounts, by_old_id;
	int status;
};

static int emit(struct lsmnt *l, const struct mntx_mount *m, int depth)
{
	if (mount_fill(l->o, out_rec(l->o), m, &l->text) < 0 || out_emit(l->o, depth) < 0) {
		if (!diag_stdout_broken())
			diag_err(errno, "cannot print mount");
		return -1;
	}
	return 0;
}

static uint64_t key_of(const struct lsmnt *l, const struct mntx_mount *m)
{
	return l->by_old_id ? m->old_id : m->id;
}

static uint64_t parent_of(const struct lsmnt *l, const struct mntx_mount *m)
{
	return l->by_old_id ? m->old_parent_id : m->parent_id;
}

/* ---- flat ------------------------------------------------------------------ */

static int list_flat(struct lsmnt *l, uint64_t below)
{
	const struct mntx_mount *m;
	int r;

	if (mnt_list_begin(l->ns, below, l->reverse) < 0)
		return -1;
	while ((r = mnt_list_next(l->ns, l->mask, &m)) > 0) {
		if (matches(&l->f, m, l->all, &l->ftext) && emit(l, m, 0) < 0)
			return -1;
	}
	return r;
}

/* ---- tree ------------------------------------------------------------------ */

struct node {
	uint64_t id, parent;
	size_t first_child, next_sibling;	/* indexes + 1; 0: none */
};

static int cmp_id(const void *a, const void *b)
{
	const struct node *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static struct node *find_node(struct node *v, size_t n, uint64_t id)
{
	struct node key = { .id = id };

	return bsearch(&key, v, n, sizeof(*v), cmp_id);
}

/* Append the subtree of node @root to @ids and @depth in the order it is
 * shown: depth first, without recursion. */
static void tree_order(const struct node *v, size_t root, uint64_t *ids, int *depth,
		       size_t *n, size_t *stack)
{
	size_t cur = root, top = 0;

	for (;;) {
		ids[*n] = v[cur].id;
		depth[(*n)++] = (int)top;
		if (v[cur].first_child) {
			stack[top++] = cur;
			cur = v[cur].first_child - 1;
			continue;
		}
		/* climb until a sibling is found */
		while (!v[cur].next_sibling && top > 0)
			cur = stack[--top];
		if (!v[cur].next_sibling || cur == root)
			break;
		cur = v[cur].next_sibling - 1;
	}
}

/* Pass 2: the mounts of @ids, read on every CPU, shown at @depth.  A
 * mount unmounted since pass 1 is not returned; its children, which would
 * hang under the wrong parent, are skipped too. */
static int print_tree(struct lsmnt *l, const uint64_t *ids, const int *depth, size_t n)
{
	const struct mntx_mount *m;
	size_t k = 0;
	int gone = -1, r;	/* the depth of a vanished mount whose subtree this is */

	if (mnt_list_ids(l->ns, ids, n) < 0)
		return -1;
	while ((r = mnt_list_next(l->ns, l->mask, &m)) > 0) {
		uint64_t id = key_of(l, m);

		for (; k < n && ids[k] != id; k++)
			if (gone < 0 || depth[k] <= gone)
				gone = depth[k];
		if (k == n)
			break;
		if (gone >= 0 && depth[k] > gone) {
			k++;
			continue;
		}
		gone = -1;
		if (emit(l, m, depth[k++]) < 0)
			return -1;
	}
	return r < 0 ? -1 : 0;
}

static int list_tree(struct lsmnt *l, const struct mntx_mount *top)
{
	struct node *v = NULL;
	uint64_t *ids = NULL;
	int *depth = NULL;
	size_t n = 0, cap = 0, *stack = NULL;
	const struct mntx_mount *m;
	uint64_t top_key = top ? key_of(l, top) : 0;
	int r, rc = -1;

	/* pass 1: the IDs and parents of the mounts that pass the filters */
	if (top) {
		v = calloc(cap = 64, sizeof(*v));
		if (!v)
			return -1;
		v[n++] = (struct node){ .id = top_key, .parent = 0 };
	}
	if (mnt_list_begin(l->ns, top ? top_key : 0, false) < 0)
		goto out;
	while ((r = mnt_list_next(l->ns, MNTX_STATMOUNT_MNT_BASIC | filter_mask(&l->f), &m)) > 0) {
		if (!matches(&l->f, m, l->all, &l->ftext))
			continue;
		if (n == cap) {
			struct node *nv = reallocarray(v, cap = cap ? cap * 2 : 256, sizeof(*v));

			if (!nv)
				goto out;
			v = nv;
		}
		v[n++] = (struct node){ .id = key_of(l, m), .parent = parent_of(l, m) };
	}
	if (r < 0)
		goto out;
	qsort(v, n, sizeof(*v), cmp_id);
	/* link children in ID order (creation order), or reversed */
	for (size_t k = 0; k < n; k++) {
		size_t i = l->reverse ? k : n - 1 - k;
		struct node *p = v[i].parent != v[i].id ? find_node(v, n, v[i].parent) : NULL;

		if (p && p != &v[i]) {
			v[i].next_sibling = p->first_child;
			p->first_child = i + 1;
		} else {
			v[i].parent = 0;	/* a root of the printed forest */
		}
	}
	/* pass 2: the tree's order, then the mounts in full */
	ids = reallocarray(NULL, n ? n : 1, sizeof(*ids));
	depth = reallocarray(NULL, n ? n : 1, sizeof(*depth));
	stack = reallocarray(NULL, n ? n : 1, sizeof(*stack));
	if (!ids || !depth || !stack)
		goto out;
	for (size_t k = 0, nord = 0; k < n; k++) {
		size_t i = l->reverse ? n - 1 - k : k;

		if (!v[i].parent)
			tree_order(v, i, ids, depth, &nord, stack);
	}
	rc = print_tree(l, ids, depth, n);
out:
	if (rc < 0 && errno && !diag_stdout_broken())
		diag_err(errno, "cannot list mounts");
	free(v);
	free(ids);
	free(depth);
	free(stack);
	return rc;
}

/* ---- main -------------------------------------------------------------------- */

static int parse_id(const char *s, uint64_t *id)
{
	char *end;

	errno = 0;
	if (*s < '0' || *s > '9')
		return -1;
	*id = strtoull(s, &end, 10);	/* decimal, as listed: 010 is ten */
	return errno || *end || !*id ? -1 : 0;
}

static int run(int argc, char **argv)
{
	struct opt_parser p;
	struct lsmnt l = { .status = MNTX_EXIT_OK };
	enum mount_backend backend = MB_AUTO;
	const char *target = NULL;
	uint64_t id = 0, ns_id = 0;
	pid_t pid = 0;
	int c, list = 0, tree = 0, rc = MNTX_EXIT_USAGE;
	char *arg;

	l.o = out_new(mount_cols, MC__COUNT, "mounts");
	l.all = out_new(mount_cols, MC__COUNT, "mounts");
	if (!l.o || !l.all || opt_init(&p, &lsmnt_tool, argc, argv) < 0) {
		diag_err(errno, "cannot start");
		rc = MNTX_EXIT_FAIL;
		goto done;
	}
	out_select_all(l.all);
	opt_output(&p, l.o);
	while ((c = opt_next(&p, &arg)) >= 0) {
		switch (c) {
		case 'l':
			list = 1;
			break;
		case OPT_TREE:
			tree = 1;
			break;
		case 't':
			l.f.types = arg;
			break;
		case 'S':
			l.f.source = arg;
			break;
		case 'O':
			l.f.options = arg;
			break;
		case 'T':
			target = arg;
			break;
		case OPT_ID:
			if (parse_id(arg, &id) < 0) {
				diag_usage("invalid mount ID: '%s'", arg);
				goto done;
			}
			break;
		case 'R':
			l.submounts = true;
			break;
		case OPT_REVERSE:
			l.reverse = true;
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
		case OPT_NS_ID:
			if (parse_id(arg, &ns_id) < 0) {
				diag_usage("invalid namespace ID: '%s'", arg);
				goto done;
			}
			break;
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
	if (optind < argc) {
		if (target) {
			diag_usage("both --target and TARGET given");
			goto done;
		}
		target = argv[optind++];
	}
	if (optind < argc) {
		diag_usage("unexpected argument: '%s'", argv[optind]);
		goto done;
	}
	if (list && tree) {
		diag_usage("--list and --tree are mutually exclusive");
		goto done;
	}
	if (target && id) {
		diag_usage("both a target and --id given");
		goto done;
	}
	if (l.submounts && !target && !id) {
		diag_usage("--submounts needs TARGET or --id");
		goto done;
	}
	if (pid && ns_id) {
		diag_usage("--task and --ns-id are mutually exclusive");
		goto done;
	}
	/* a tree on a terminal, as findmnt; --tree anywhere but in raw and
	 * JSON Lines output, which are flat streams */
	l.tree = (tree || (!list && out_format(l.o) == OUT_TABLE && isatty(STDOUT_FILENO))) &&
		 out_format(l.o) != OUT_RAW && out_format(l.o) != OUT_JSON_LINES;
	out_set_tree(l.o, l.tree);
	/* JSON without -o carries the IDs, so a script can rebuild the tree */
	if (out_json_defaults(l.o, "ID,PARENT,TARGET,SOURCE,FSTYPE,OPTIONS") < 0)
		goto done;

	rc = MNTX_EXIT_FAIL;
	if (ns_id && !feature_has(FEAT_MNTNS_ID)) {
		diag_err(0, "--ns-id needs %s", feature_needs(FEAT_MNTNS_ID));
		goto done;
	}
	if (mnt_ns_open(&l.ns, pid, ns_id, backend) < 0) {
		if (errno == ENOSYS)
			diag_err(0, "this kernel lacks listmount(2) and statmount(2) (Linux 6.8); use --kernel=mountinfo");
		else if (errno == EOPNOTSUPP)
			diag_err(0, "--ns-id needs listmount(2): not with --kernel=mountinfo");
		else if (pid)
			diag_err(errno, "cannot open the mount namespace of process %d", (int)pid);
		else
			diag_err(errno, "cannot read mounts");
		goto done;
	}
	l.by_old_id = mnt_ns_backend(l.ns) == MB_MOUNTINFO;
	mount_note_unknown(l.o, l.ns);
	l.mask = mount_mask_for(l.o) | filter_mask(&l.f) | (l.tree ? MNTX_STATMOUNT_MNT_BASIC : 0);
	if (out_begin(l.o) < 0) {
		diag_err(errno, "cannot start output");
		goto done;
	}

	if (target || id) {
		const struct mntx_mount *m;
		int r;

		if (target) {
			r = mnt_stat_path(l.ns, target, l.mask | MNTX_STATMOUNT_MNT_BASIC, &m);
		} else {
			r = mnt_stat(l.ns, id, l.mask | MNTX_STATMOUNT_MNT_BASIC, &m);
		}
		if (r < 0) {
			if (target)
				diag_err(errno, "cannot find the mount of '%s'", target);
			else
				diag_err(errno == EINVAL ? ENOENT : errno, "cannot read mount %" PRIu64, id);
			goto end;
		}
		if (!l.submounts) {
			if (matches(&l.f, m, l.all, &l.ftext) && emit(&l, m, 0) < 0)
				goto end;
		} else if (l.tree) {
			struct mntx_mount top = *m;

			if (list_tree(&l, &top) < 0)
				goto end;
		} else {
			uint64_t below = key_of(&l, m);

			if (!l.reverse && matches(&l.f, m, l.all, &l.ftext) && emit(&l, m, 0) < 0)
				goto end;
			if (list_flat(&l, below) < 0) {
				if (!diag_stdout_broken())
					diag_err(errno, "cannot list mounts under %" PRIu64, below);
				goto end;
			}
			if (l.reverse && mnt_stat(l.ns, below, l.mask, &m) == 0 &&
			    matches(&l.f, m, l.all, &l.ftext) && emit(&l, m, 0) < 0)
				goto end;
		}
	} else if (l.tree) {
		if (list_tree(&l, NULL) < 0)
			goto end;
	} else if (list_flat(&l, 0) < 0) {
		if (!diag_stdout_broken())
			diag_err(errno, "cannot list mounts");
		goto end;
	}
	rc = out_count(l.o) ? l.status : MNTX_EXIT_FAIL;
end:
	if (out_end(l.o) < 0 && !diag_stdout_broken())
		rc = MNTX_EXIT_FAIL;
done:
	opt_free(&p);
	mnt_ns_close(l.ns);
	mount_text_free(&l.text);
	mount_text_free(&l.ftext);
	out_free(l.o);
	out_free(l.all);
	return rc;
}
