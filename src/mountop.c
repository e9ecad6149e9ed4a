// SPDX-License-Identifier: GPL-2.0-or-later
/* mountop.c - the shared part of the tools that change mounts; see mountop.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "abi.h"
#include "diag.h"
#include "feature.h"
#include "mountop.h"
#include "opt.h"
#include "sys.h"

int mountop_init(struct mountop *m)
{
	memset(m, 0, sizeof(*m));
	m->out = out_new(mount_cols, MC__COUNT, "mounts");
	return m->out ? 0 : -1;
}

int mountop_begin(struct mountop *m)
{
	if (m->ns)
		return 0;	/* settled already */
	if (mnt_ns_open(&m->ns, 0, 0, MB_AUTO) < 0)
		return -1;
	if (!out_columns_chosen(m->out)) {
		if (out_is_json(m->out))
			out_select_all(m->out);
		else if (out_select(m->out, mount_table_columns(m->ns)) < 0)
			return -1;	/* cannot happen: the names are ours */
	}
	/* the ID tells the records apart, whatever the columns */
	m->mask = mount_mask_for(m->out) | MNTX_STATMOUNT_MNT_BASIC;
	return 0;
}

int mountop_stat(struct mountop *m, uint64_t id, uint64_t extra, const struct mntx_mount **mnt)
{
	/* mountinfo is read once per open: read it again, it has changed */
	if (mnt_ns_backend(m->ns) == MB_MOUNTINFO) {
		mnt_ns_close(m->ns);
		m->ns = NULL;
		if (mnt_ns_open(&m->ns, 0, 0, MB_MOUNTINFO) < 0)
			return -1;
	}
	return mnt_stat(m->ns, id, m->mask | extra, mnt);
}

int mountop_print(struct mountop *m, const struct mntx_mount *mnt)
{
	if (mount_fill(m->out, out_rec(m->out), mnt, &m->text) < 0)
		return -1;
	return out_emit(m->out, 0);
}

int mountop_show(struct mountop *m, uint64_t id)
{
	const struct mntx_mount *mnt;

	if (mountop_stat(m, id, 0, &mnt) < 0)
		return -1;
	return mountop_print(m, mnt);
}

int mountop_end(struct mountop *m)
{
	return out_end(m->out);
}

void mountop_free(struct mountop *m)
{
	mnt_ns_close(m->ns);
	mount_text_free(&m->text);
	out_free(m->out);
	memset(m, 0, sizeof(*m));
}

uint64_t mountop_id(const struct mntx_mount *mnt)
{
	return (mnt->have & MH_ID) ? mnt->id : mnt->old_id;
}

/* The strings of a mount, for mountop_dup(). */
#define MOUNT_STRINGS(m) { &(m)->fs_type, &(m)->fs_subtype, &(m)->root, &(m)->target, \
			   &(m)->source, &(m)->mnt_opts }
#define MOUNT_LISTS(m) { &(m)->opt_array, &(m)->opt_sec_array, &(m)->uid_map, &(m)->gid_map }

struct mntx_mount *mountop_dup(const struct mntx_mount *mnt)
{
	const char *const *strs[] = MOUNT_STRINGS(mnt);
	const struct mount_strs *lists[] = MOUNT_LISTS(mnt);
	size_t size = sizeof(*mnt);
	struct mntx_mount *copy;
	char *p;

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		size += *strs[i] ? strlen(*strs[i]) + 1 : 0;
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		size += lists[i]->buf ? lists[i]->len + 1 : 0;
	copy = malloc(size);
	if (!copy)
		return NULL;
	*copy = *mnt;
	p = (char *)(copy + 1);

	const char **cstrs[] = MOUNT_STRINGS(copy);
	struct mount_strs *clists[] = MOUNT_LISTS(copy);

	for (size_t i = 0; i < sizeof(cstrs) / sizeof(cstrs[0]); i++) {
		if (!*cstrs[i])
			continue;
		size_t len = strlen(*cstrs[i]) + 1;

		memcpy(p, *cstrs[i], len);
		*cstrs[i] = p;
		p += len;
	}
	for (size_t i = 0; i < sizeof(clists) / sizeof(clists[0]); i++) {
		if (!clists[i]->buf)
			continue;
		memcpy(p, clists[i]->buf, clists[i]->len);
		p[clists[i]->len] = '\0';	/* an empty list is "" */
		clists[i]->buf = p;
		p += clists[i]->len + 1;
	}
	return copy;
}

int mountop_at(int dfd, const char *path, int atflags, struct mount_where *w)
{
	struct mntx_statx stx;
	/* the IDs of the back-end mountop_begin() opens: unique ones with
	 * listmount, mountinfo's without (they came together, in 6.8) */
	unsigned int want = feature_has(FEAT_LISTMOUNT) ? MNTX_STATX_MNT_ID_UNIQUE | MNTX_STATX_MNT_ID
							: MNTX_STATX_MNT_ID;

	if (sys_statx(dfd, path, atflags, want, &stx) < 0)
		return -1;
	if (stx.stx_mask & MNTX_STATX_MNT_ID_UNIQUE) {
		w->id = stx.stx_mnt_id;
	} else if (stx.stx_mask & MNTX_STATX_MNT_ID) {
		w->id = stx.stx_mnt_id;	/* before 6.8: the old ID, as mountinfo has it */
	} else {
		errno = EOPNOTSUPP;
		return -1;
	}
	/* STATX_ATTR_MOUNT_ROOT is 5.8, older than every call these tools make;
	 * without it, let the kernel judge */
	w->root = !(stx.stx_attributes_mask & MNTX_STATX_ATTR_MOUNT_ROOT) ||
		  (stx.stx_attributes & MNTX_STATX_ATTR_MOUNT_ROOT);
	return 0;
}

bool mountop_kinds_differ(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && !S_ISDIR(sa.st_mode) != !S_ISDIR(sb.st_mode);
}

int mountop_attr_check(const struct mntx_mount_attr *a, const char *opt)
{
	if (!feature_has(FEAT_MOUNT_SETATTR)) {
		diag_err(0, "%s needs %s", opt, feature_needs(FEAT_MOUNT_SETATTR));
		return -1;
	}
	if (((a->attr_set | a->attr_clr) & MNTX_MOUNT_ATTR_NOSYMFOLLOW) &&
	    !feature_has(FEAT_MOUNT_ATTR_NOSYMFOLLOW)) {
		diag_err(0, "%s nosymfollow needs %s", opt, feature_needs(FEAT_MOUNT_ATTR_NOSYMFOLLOW));
		return -1;
	}
	return 0;
}
