// SPDX-License-Identifier: GPL-2.0-or-later
/* fsctx.c - filesystem context options and messages; see fsctx.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "abi.h"
#include "fsctx.h"
#include "sys.h"

/* The kernel formats messages into a page at most; start well below. */
#define MSG_START 4096
#define MSG_MAX (64 * 1024)
/* The ring holds 8; a bound keeps a misbehaving fd from looping forever. */
#define DRAIN_MAX 64

/* Split "e tmpfs: text\n" into its level and its text, into @m. */
static int parse_msg(const char *buf, size_t len, struct fsctx_msg *m)
{
	while (len && buf[len - 1] == '\n')
		len--;
	m->level = FSCTX_UNKNOWN;
	if (len >= 2 && buf[1] == ' ' && buf[0] && strchr("ewi", buf[0])) {
		m->level = (enum fsctx_level)buf[0];
		buf += 2;
		len -= 2;
	}
	m->text = strndup(buf, len);
	return m->text ? 0 : -1;
}

/* One read: 1 with a message in @m, 0 when the queue is empty, -1 with errno. */
static int read_one(int fd, char **buf, size_t *cap, struct fsctx_msg *m)
{
	for (;;) {
		ssize_t r = read(fd, *buf, *cap);

		if (r >= 0)
			return parse_msg(*buf, (size_t)r, m) < 0 ? -1 : 1;
		if (errno == ENODATA)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno != EMSGSIZE || *cap >= MSG_MAX)
			return -1;
		char *nb = realloc(*buf, *cap * 2);

		if (!nb)
			return -1;
		*buf = nb;
		*cap *= 2;
	}
}

int fsctx_drain(int fd, struct fsctx_log *log)
{
	size_t cap = MSG_START;
	char *buf = malloc(cap);
	int added = 0, r = 0;

	if (!buf)
		return -1;
	while (added < DRAIN_MAX) {
		struct fsctx_msg m;
		struct fsctx_msg *nv;

		r = read_one(fd, &buf, &cap, &m);
		if (r <= 0)
			break;
		nv = reallocarray(log->msgs, log->n + 1, sizeof(*nv));
		if (!nv) {
			free(m.text);
			r = -1;
			break;
		}
		log->msgs = nv;
		log->msgs[log->n++] = m;
		added++;
	}
	free(buf);
	return r < 0 ? -1 : added;
}

bool fsctx_has(const struct fsctx_log *log, enum fsctx_level level)
{
	for (size_t i = 0; i < log->n; i++)
		if (log->msgs[i].level == level)
			return true;
	return false;
}

void fsctx_log_clear(struct fsctx_log *log)
{
	for (size_t i = 0; i < log->n; i++)
		free(log->msgs[i].text);
	free(log->msgs);
	log->msgs = NULL;
	log->n = 0;
}

int fsctx_set(int fd, const char *key, const char *value)
{
	if (value)
		return sys_fsconfig(fd, MNTX_FSCONFIG_SET_STRING, key, value, 0);
	return sys_fsconfig(fd, MNTX_FSCONFIG_SET_FLAG, key, NULL, 0);
}

int fsctx_type_needs_dev(const char *fstype)
{
	size_t len = strcspn(fstype, "."), cap = 0;
	char *line = NULL;
	ssize_t n;
	int r = 0, e;
	FILE *f = fopen("/proc/filesystems", "re");

	if (!f)
		return -1;
	/* "nodev\ttmpfs\n" or "\text4\n" */
	errno = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		char *tab = strchr(line, '\t');

		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (!tab || strlen(tab + 1) != len || strncmp(tab + 1, fstype, len))
			continue;
		r = strncmp(line, "nodev", 5) != 0;
		break;
	}
	e = errno;
	if (n < 0 && ferror(f))
		r = -1;
	free(line);
	fclose(f);
	errno = e;
	return r;
}
