/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * flags.h - one table per flag family, read both ways: a comma list of
 * names into bits (with conflicts refused), and bits into a list of names.
 */
#ifndef MNTX_FLAGS_H
#define MNTX_FLAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum flag_dir {
	FN_IN = 1 << 0,		/* accepted in a list given by the user */
	FN_OUT = 1 << 1,	/* printed for bits that are set */
	FN_BOTH = FN_IN | FN_OUT,
};

struct flag_name {
	const char *name;
	uint64_t set;		/* bits this name sets */
	uint64_t clr;		/* bits this name clears (rw clears ro) */
	uint64_t group;		/* bits it decides: two names of one group conflict;
				   printed when (value & group) == set */
	unsigned int dir;	/* enum flag_dir */
	const char *help;
};

struct flag_table {
	const char *what;	/* "mount attribute", for messages */
	const struct flag_name *names;
	size_t n;
	bool single;		/* exactly one name (propagation types) */
};

extern const struct flag_table flags_mount_attr;	/* MOUNT_ATTR_* */
extern const struct flag_table flags_propagation;	/* MS_SHARED ... */
extern const struct flag_table flags_sb;		/* statmount sb_flags */
extern const struct flag_table flags_statmount;		/* STATMOUNT_* groups */
extern const struct flag_table flags_statx_mask;	/* STATX_* request bits */
extern const struct flag_table flags_statx_attr;	/* STATX_ATTR_* */
extern const struct flag_table flags_resolve;		/* RESOLVE_* (openat2) */
extern const struct flag_table flags_open;		/* O_* open flags */

/**
 * flags_parse() - a comma list of names into bits.
 * @t:    the table
 * @list: "ro,nosuid"; empty items are ignored
 * @set:  receives the OR of the names' set bits (added to what it holds)
 * @clr:  receives the OR of their clear bits, or NULL
 *
 * An unknown name, two names of one group (ro,rw; noatime,strictatime) or,
 * in a single-name table, more than one name is a usage error, printed
 * with the valid names.
 * Return: 0, or -1 after printing the usage error.
 */
int flags_parse(const struct flag_table *t, const char *list, uint64_t *set, uint64_t *clr);

/**
 * flags_parse_clear() - a comma list of names whose bits to clear.
 * @t:       the table
 * @list:    "nosuid,noatime"; only names that set bits can be cleared ("ro",
 *           not "rw" or "relatime"); a name clears its whole group, so an
 *           atime mode clears MOUNT_ATTR__ATIME, which the kernel reads as a
 *           return to relatime
 * @against: the list given to flags_parse() for setting, or NULL: a name in
 *           both that decides the same bits is a conflict ("ro" and "ro",
 *           "noatime" and "strictatime")
 * @clr:     receives the bits to clear (added to what it holds)
 *
 * Unknown names, names that cannot be cleared and conflicts are usage
 * errors, printed with the valid names.
 * Return: 0, or -1 after printing the usage error.
 */
int flags_parse_clear(const struct flag_table *t, const char *list, const char *against,
		      uint64_t *clr);

/**
 * flags_names() - the names of the bits set in @v, NUL-separated.
 * @buf:  receives "ro\0nosuid\0"; never overflows
 * @n:    receives the number of names
 * Return: the bytes used in @buf.
 */
size_t flags_names(const struct flag_table *t, uint64_t v, char *buf, size_t size, size_t *n);

/** flags_lookup() - the entry called @name, or NULL. */
const struct flag_name *flags_lookup(const struct flag_table *t, const char *name, size_t len);

#endif
