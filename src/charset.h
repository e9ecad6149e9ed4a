/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * charset.h - the locale's character set, loaded the first time it is
 * needed.
 *
 * Loading it (setlocale(LC_CTYPE, "")) reads locale.alias and maps the
 * LC_CTYPE file: about 0.1 ms, a tenth of the start of a process, which
 * `lsmnt PATH` and a script calling mntx in a loop pay for nothing when
 * every byte they print is ASCII.  So the C locale holds until something
 * has to classify a byte above 0x7f, decode a multibyte character, ask
 * the codeset, or hand text to libsmartcols, libbsd's vis or fnmatch:
 * each such place calls charset_load() first.  ASCII is classified alike
 * in every locale.
 */
#ifndef MNTX_CHARSET_H
#define MNTX_CHARSET_H

/** charset_load() - set LC_CTYPE from the environment, once; thread-safe,
 * errno kept (it may be called while a message about errno is built). */
void charset_load(void);

#endif
