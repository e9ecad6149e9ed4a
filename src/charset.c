// SPDX-License-Identifier: GPL-2.0-or-later
/* charset.c - the locale's character set, loaded when first needed; see
 * charset.h. */
#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include "charset.h"

static pthread_once_t loaded = PTHREAD_ONCE_INIT;

static void load(void)
{
	int saved = errno;	/* a message being built may be about it */

	/* The character set alone: messages, numbers and times stay those
	 * of the C locale (the other eleven categories would cost each start
	 * some thirty system calls). */
	setlocale(LC_CTYPE, "");
	errno = saved;
}

void charset_load(void)
{
	pthread_once(&loaded, load);
}
