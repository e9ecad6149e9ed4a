/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * optstr.h - filesystem option strings as mount(8) takes them after -o:
 * "size=1m,mode=700,noswap,mpol=\"bind:0,1\"".
 *
 * Items are separated by commas.  Double quotes may enclose any part of an
 * item; a comma between them belongs to the item, and the quotes
 * themselves are removed (the kernel takes the bare value through
 * fsconfig(2)).  An item is either KEY (a flag: FSCONFIG_SET_FLAG) or
 * KEY=VALUE (FSCONFIG_SET_STRING; VALUE may be empty and may hold further
 * '=' signs).  Empty items are skipped.  Nothing is escaped with
 * backslashes, as in mount(8).
 */
#ifndef MNTX_OPTSTR_H
#define MNTX_OPTSTR_H

#include <stddef.h>

/** One option: @value is NULL for a flag ("noswap"). */
struct optstr_item {
	char *key;
	char *value;
};

/** A list of options, in the order given; zero-initialise before use. */
struct optstr {
	struct optstr_item *items;
	size_t n;
};

/**
 * optstr_parse() - append the options of @s to @l.
 * @l:      the list (may already hold items from an earlier -o)
 * @s:      the option string
 * @errpos: receives the byte offset in @s of a syntax error, or NULL
 *
 * Nothing is appended when @s is invalid.
 * Return: 0, or -1 with errno: EINVAL for an unterminated quote (@errpos:
 * the opening quote) or an item without a key ("=x"; @errpos: its start),
 * ENOMEM.
 */
int optstr_parse(struct optstr *l, const char *s, size_t *errpos);

/** optstr_free() - free every item of @l and empty it. */
void optstr_free(struct optstr *l);

#endif
