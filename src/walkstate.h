/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * walkstate.h - the saved state of a resumable walk: what identifies the
 * filesystem and the start directory, where the walk is, how long its
 * output file was, and its counters so far.
 *
 * The file is text, one item a line, in this order (mntx-fswalk(1) has
 * the same description for users):
 *
 *   mntx-walk-state 2
 *   path HEX                 the start directory, absolute, hex of its bytes
 *   source HEX|-             its mount's source (statmount SB_SOURCE)
 *   fstype HEX|-             its filesystem type
 *   root MAJ:MIN INO         device and inode of the start directory
 *   output MAJ:MIN INO LEN|-   the -w file (device, inode) and its length
 *   counts ENTRIES DIRS BYTES ERRORS
 *   levels N
 *   level INO COOKIE ENTRY HEX|-   N lines: the directory stack, the start
 *                            first ("-"); ENTRY: the parent's cookie before it
 *   end FNV                  FNV-1a 64 (16 hex digits) of every byte before "end"
 *
 * Hex digits are lower case: a state has exactly one text.
 *
 * Numbers are decimal, without sign or leading zeros.  Loading checks every
 * line, every number's range and the checksum, so a truncated, corrupt or
 * foreign file is refused with a reason rather than half-read.
 */
#ifndef MNTX_WALKSTATE_H
#define MNTX_WALKSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "walk.h"

#define WALKSTATE_MAGIC "mntx-walk-state"
#define WALKSTATE_VERSION 2
#define WALKSTATE_MAX_SIZE (256u << 20)	/* a larger file is not ours */
#define WALKSTATE_MAX_LEVELS 1000000u

struct walkstate {
	const char *path;	/* NUL-terminated */
	size_t pathlen;
	const char *source, *fstype;	/* NULL: unknown */
	uint32_t dev_major, dev_minor;
	uint64_t ino;
	bool has_output;	/* -w FILE: its identity and length at the checkpoint */
	uint32_t out_major, out_minor;
	uint64_t out_ino, out_len;
	uint64_t entries, dirs, bytes, errors;
	struct walk_pos pos;	/* levels: names borrowed (saving) or owned (loaded) */
	/* owned by a loaded state */
	char *arena;
	struct walk_pos_level *lvbuf;
};

/**
 * walkstate_parse() - read a state from @len bytes.
 * @why: receives a short reason when the text is refused
 *
 * Return: 0, or -1 with errno EINVAL (and *@why) or ENOMEM.  On success
 * @st owns memory: walkstate_free().
 */
int walkstate_parse(const char *buf, size_t len, struct walkstate *st, const char **why);

/**
 * walkstate_format() - the text of @st.
 * Return: a malloc'd buffer of *@len bytes, or NULL with errno.
 */
char *walkstate_format(const struct walkstate *st, size_t *len);

/**
 * walkstate_save() - write @st to @file atomically: a temporary file beside
 * it is written and fsync'ed, then renamed over it, then the directory is
 * fsync'ed.  A crash leaves the old state or the new one, never a mix.
 * Return: 0, or -1 with errno.
 */
int walkstate_save(const char *file, const struct walkstate *st);

/**
 * walkstate_load() - read and check @file.
 * Return: 0, or -1 with errno: ENOENT when there is none, EINVAL with
 * *@why when it is not a valid state, or what reading failed with.
 */
int walkstate_load(const char *file, struct walkstate *st, const char **why);

/** walkstate_free() - release what a loaded state owns. */
void walkstate_free(struct walkstate *st);

#endif
