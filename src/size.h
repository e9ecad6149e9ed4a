/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * size.h - sizes given by the user: "4096", "64k", "1G", "2MiB".
 *
 * Strict on purpose: libbsd's expand_number() takes "-1" (as 2^64-1),
 * leading spaces, octal and hex, and ignores junk after the unit, none of
 * which should slip into an offset or a size limit.
 */
#ifndef MNTX_SIZE_H
#define MNTX_SIZE_H

#include <stdint.h>

/**
 * size_parse() - a decimal number of bytes with an optional binary unit.
 * @s:   the text: DIGITS, then optionally one of k m g t p e (any case,
 *       powers of 1024), then optionally "iB" after the unit ("4KiB")
 * @out: receives the number of bytes (untouched on failure)
 *
 * Nothing else is accepted: no sign, no spaces, no "KB", no hex.
 * Return: 0, or -1 with errno EINVAL (not a size) or ERANGE (past 2^64-1).
 */
int size_parse(const char *s, uint64_t *out);

#endif
