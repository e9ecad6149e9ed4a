/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mountop.h - what the tools that change mounts share: finding the mount
 * at a path, and printing the records (lsmnt's schema) of the mounts they
 * made, changed or removed.
 *
 * A tool keeps one struct mountop (its output goes to opt_output()): it settles
 * the default columns, opens the mount namespace and turns a mount ID into
 * a printed record.  Nothing here prints a message; errors come back as -1
 * with errno for the tool to word.
 */
#ifndef MNTX_MOUNTOP_H
#define MNTX_MOUNTOP_H

#include <stdbool.h>
#include <stdint.h>
#include "mountrec.h"
#include "mounts.h"
#include "out.h"

struct mountop {
	struct out_ctx *out;
	struct mnt_ns *ns;
	struct mount_text text;
	uint64_t mask;		/* statmount groups the selected columns need */
};

/**
 * mountop_init() - an output context for mount records ("mounts" in JSON).
 * Return: 0, or -1 with errno (ENOMEM).
 */
int mountop_init(struct mountop *m);

/**
 * mountop_begin() - settle the columns and open our mount namespace.
 *
 * Without -o a table shows mount_table_columns() and JSON every key, as
 * statmount does.  The namespace is read through listmount/statmount, or
 * /proc/self/mountinfo on kernels without them (reread for every record,
 * since a mount tool changes it between records).  Later calls do nothing.
 * Return: 0, or -1 with errno.
 */
int mountop_begin(struct mountop *m);

/**
 * mountop_stat() - read mount @id now, with what the columns need.
 * @extra: statmount groups wanted besides those (MNTX_STATMOUNT_*)
 * @mnt:   receives the mount, valid until the next call on @m
 * Return: 0, or -1 with errno (ENOENT: no such mount).
 */
int mountop_stat(struct mountop *m, uint64_t id, uint64_t extra, const struct mntx_mount **mnt);

/**
 * mountop_print() - render mount @mnt as one record.
 * Return: 0, or -1 with errno (stdout failed, ENOMEM).
 */
int mountop_print(struct mountop *m, const struct mntx_mount *mnt);

/** mountop_show() - mountop_stat() then mountop_print(). Return: 0 or -1 with errno. */
int mountop_show(struct mountop *m, uint64_t id);

/**
 * mountop_end() - close the output (the JSON document, the table).
 * Return: 0, or -1 when stdout failed.
 */
int mountop_end(struct mountop *m);

void mountop_free(struct mountop *m);

/** mountop_id() - the ID to find @mnt by again: unique, else the old one. */
uint64_t mountop_id(const struct mntx_mount *mnt);

/**
 * mountop_dup() - a copy of @mnt that outlives the next call: one block,
 * strings included, to be released with free().
 * Return: the copy, or NULL with errno (ENOMEM).
 */
struct mntx_mount *mountop_dup(const struct mntx_mount *mnt);

/** Where a path lands: the mount that holds it. */
struct mount_where {
	uint64_t id;		/* unique ID (6.8), else the old mountinfo ID */
	bool root;		/* the path is the root of that mount */
};

/**
 * mountop_at() - the mount that holds a path, and whether the path is its root.
 * @dfd:     directory fd for a relative @path, or AT_FDCWD
 * @path:    the path; "" with AT_EMPTY_PATH in @atflags names @dfd itself
 * @atflags: AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH
 * Return: 0, or -1 with errno.
 */
int mountop_at(int dfd, const char *path, int atflags, struct mount_where *w);

/**
 * mountop_kinds_differ() - true when one path is a directory and the other
 * is not (a mount goes only onto its own kind: the kernel says EINVAL or
 * ENOTDIR).  False when either cannot be looked at.
 */
bool mountop_kinds_differ(const char *a, const char *b);

struct mntx_mount_attr;

/**
 * mountop_attr_check() - whether the kernel can apply attribute change @a:
 * mount_setattr(2) (Linux 5.12), and nosymfollow (5.14) when @a names it.
 * @opt: the option that asked for it, for the message ("--attr").
 * Return: 0, or -1 with "OPT needs Linux X (NAME)" printed.
 */
int mountop_attr_check(const struct mntx_mount_attr *a, const char *opt);

#endif
