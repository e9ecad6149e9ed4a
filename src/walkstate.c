// SPDX-License-Identifier: GPL-2.0-or-later
/* walkstate.c - the resume state of a walk: text, checked, saved atomically; see walkstate.h. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "walkstate.h"

static uint64_t fnv1a(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

/* ---- parsing --------------------------------------------------------------- */

struct cursor {
	const char *p, *end;	/* the rest of the text */
	const char *line;	/* the current line's fields, without its newline */
	size_t len;
	const char *why;
	char *arena;		/* decoded strings go here */
	size_t used;
};

static int fail(struct cursor *c, const char *why)
{
	if (!c->why)
		c->why = why;
	errno = EINVAL;
	return -1;
}

/* The next line, which must start with "KEY " (or be exactly KEY). */
static int next_line(struct cursor *c, const char *key)
{
	const char *nl;
	size_t kl = strlen(key);

	if (c->p >= c->end)
		return fail(c, "truncated");
	nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	if (!nl)
		return fail(c, "truncated (no final newline)");
	if ((size_t)(nl - c->p) < kl || memcmp(c->p, key, kl) ||
	    (c->p + kl != nl && c->p[kl] != ' '))
		return fail(c, "unexpected line");
	c->line = c->p + kl + (c->p + kl != nl);
	c->len = (size_t)(nl - c->line);
	if (c->p + kl == nl)
		c->line = nl, c->len = 0;
	c->p = nl + 1;
	return 0;
}

/* The next space-separated field of the current line. */
static int field(struct cursor *c, const char **f, size_t *len)
{
	const char *sp;

	if (!c->len)
		return fail(c, "missing field");
	sp = memchr(c->line, ' ', c->len);
	*f = c->line;
	*len = sp ? (size_t)(sp - c->line) : c->len;
	if (!*len)
		return fail(c, "empty field");
	c->line += *len + (sp != NULL);
	c->len -= *len + (sp != NULL);
	if (sp && !c->len)
		return fail(c, "trailing space");
	return 0;
}

static int line_done(struct cursor *c)
{
	return c->len ? fail(c, "extra fields") : 0;
}

static int number(struct cursor *c, uint64_t max, uint64_t *v)
{
	const char *f;
	size_t len;

	if (field(c, &f, &len) < 0)
		return -1;
	if (len > 20 || (len > 1 && f[0] == '0'))
		return fail(c, "bad number");
	*v = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned char)f[i] - '0';

		if (d > 9)
			return fail(c, "bad number");
		if (*v > (UINT64_MAX - d) / 10)
			return fail(c, "number out of range");
		*v = *v * 10 + d;
	}
	return *v > max ? fail(c, "number out of range") : 0;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')	/* lower case only: one text per state */
		return ch - 'a' + 10;
	return -1;
}

/* A hex field ("-" for none when @dash) decoded into the arena. */
static int hexstr(struct cursor *c, bool dash, const char **out, size_t *outlen)
{
	const char *f;
	size_t len;
	char *dst;

	if (field(c, &f, &len) < 0)
		return -1;
	if (dash && len == 1 && f[0] == '-') {
		*out = NULL;
		*outlen = 0;
		return 0;
	}
	if (len % 2)
		return fail(c, "bad hex string");
	dst = c->arena + c->used;
	for (size_t i = 0; i < len; i += 2) {
		int hi = hexval(f[i]), lo = hexval(f[i + 1]);

		if (hi < 0 || lo < 0)
			return fail(c, "bad hex string");
		dst[i / 2] = (char)(hi << 4 | lo);
	}
	dst[len / 2] = '\0';
	if (memchr(dst, '\0', len / 2))
		return fail(c, "NUL byte in a string");
	c->used += len / 2 + 1;
	*out = dst;
	*outlen = len / 2;
	return 0;
}

static int devnum(struct cursor *c, uint32_t *maj, uint32_t *min)
{
	const char *f;
	size_t len;
	const char *colon;
	uint64_t a = 0, b = 0;

	if (field(c, &f, &len) < 0)
		return -1;
	colon = memchr(f, ':', len);
	if (!colon || colon == f || colon + 1 == f + len)
		return fail(c, "bad device number");
	for (const char *p = f; p < f + len; p++) {
		uint64_t *v = p < colon ? &a : &b;

		if (p == colon)
			continue;
		if (*p < '0' || *p > '9' || *v > UINT32_MAX / 10)
			return fail(c, "bad device number");
		*v = *v * 10 + (uint64_t)(*p - '0');
		if (*v > UINT32_MAX)
			return fail(c, "bad device number");
	}
	*maj = (uint32_t)a, *min = (uint32_t)b;
	return 0;
}

static int parse_header(struct cursor *c, struct walkstate *st)
{
	uint64_t v;
	size_t len;

	if (next_line(c, WALKSTATE_MAGIC) < 0)
		return fail(c, "not a mntx walk state");
	if (number(c, UINT32_MAX, &v) < 0 || line_done(c) < 0)
		return -1;
	if (v != WALKSTATE_VERSION)
		return fail(c, "unsupported version");
	if (next_line(c, "path") < 0 || hexstr(c, false, &st->path, &st->pathlen) < 0 ||
	    line_done(c) < 0)
		return -1;
	if (st->pathlen == 0 || st->path[0] != '/')
		return fail(c, "the path is not absolute");
	if (next_line(c, "source") < 0 || hexstr(c, true, &st->source, &len) < 0 ||
	    line_done(c) < 0)
		return -1;
	if (next_line(c, "fstype") < 0 || hexstr(c, true, &st->fstype, &len) < 0 ||
	    line_done(c) < 0)
		return -1;
	if (next_line(c, "root") < 0 || devnum(c, &st->dev_major, &st->dev_minor) < 0 ||
	    number(c, UINT64_MAX, &st->ino) < 0 || line_done(c) < 0)
		return -1;
	if (next_line(c, "output") < 0)
		return -1;
	if (c->len == 1 && c->line[0] == '-') {
		st->has_output = false;
		c->len = 0;
	} else {
		st->has_output = true;
		if (devnum(c, &st->out_major, &st->out_minor) < 0 ||
		    number(c, UINT64_MAX, &st->out_ino) < 0 ||
		    number(c, INT64_MAX, &st->out_len) < 0)
			return -1;
	}
	if (line_done(c) < 0)
		return -1;
	if (next_line(c, "counts") < 0 || number(c, UINT64_MAX, &st->entries) < 0 ||
	    number(c, UINT64_MAX, &st->dirs) < 0 || number(c, UINT64_MAX, &st->bytes) < 0 ||
	    number(c, UINT64_MAX, &st->errors) < 0 || line_done(c) < 0)
		return -1;
	return 0;
}

static int parse_levels(struct cursor *c, struct walkstate *st)
{
	uint64_t n;

	if (next_line(c, "levels") < 0 || number(c, WALKSTATE_MAX_LEVELS, &n) < 0 ||
	    line_done(c) < 0)
		return -1;
	/* each level line takes at least 12 bytes: refuse before allocating */
	if (n * 12 > (uint64_t)(c->end - c->p))
		return fail(c, "truncated");
	st->lvbuf = calloc(n ? n : 1, sizeof(*st->lvbuf));
	if (!st->lvbuf)
		return -1;
	for (uint64_t i = 0; i < n; i++) {
		struct walk_pos_level *l = &st->lvbuf[i];

		if (next_line(c, "level") < 0 || number(c, UINT64_MAX, &l->ino) < 0 ||
		    number(c, INT64_MAX, &l->cookie) < 0 || number(c, INT64_MAX, &l->entry) < 0 ||
		    hexstr(c, true, &l->name, &l->namelen) < 0 || line_done(c) < 0)
			return -1;
		if (i == 0 && l->name)
			return fail(c, "the first level is not the start directory");
		if (i == 0) {
			l->name = "";
			if (l->ino != st->ino)
				return fail(c, "the first level is not the start directory");
			continue;
		}
		if (!l->name || l->namelen > 255 || memchr(l->name, '/', l->namelen) ||
		    !strcmp(l->name, ".") || !strcmp(l->name, ".."))
			return fail(c, "bad directory name");
	}
	st->pos.n = n;
	st->pos.lv = st->lvbuf;
	return 0;
}

int walkstate_parse(const char *buf, size_t len, struct walkstate *st, const char **why)
{
	struct cursor c = { .p = buf, .end = buf + len };
	const char *endline, *f;
	size_t flen;
	uint64_t sum = 0;

	memset(st, 0, sizeof(*st));
	*why = NULL;
	if (len < sizeof(WALKSTATE_MAGIC) || memcmp(buf, WALKSTATE_MAGIC " ", sizeof(WALKSTATE_MAGIC))) {
		*why = "not a mntx walk state";
		errno = EINVAL;
		return -1;
	}
	/* the checksum line first: it tells truncation from corruption */
	if (len < 4 || buf[len - 1] != '\n') {
		*why = len ? "truncated" : "empty";
		errno = EINVAL;
		return -1;
	}
	endline = len >= 2 ? memrchr(buf, '\n', len - 1) : NULL;
	endline = endline ? endline + 1 : buf;
	c.arena = st->arena = malloc(len + 1);
	if (!st->arena)
		return -1;
	{
		struct cursor e = { .p = endline, .end = buf + len };

		if (next_line(&e, "end") < 0 || field(&e, &f, &flen) < 0 || flen != 16 ||
		    line_done(&e) < 0) {
			*why = "truncated (no end line)";
			goto bad;
		}
		for (size_t i = 0; i < 16; i++) {
			int h = hexval(f[i]);

			if (h < 0) {
				*why = "bad checksum";
				goto bad;
			}
			sum = sum << 4 | (uint64_t)h;
		}
		if (sum != fnv1a(buf, (size_t)(endline - buf))) {
			*why = "checksum mismatch (corrupt)";
			goto bad;
		}
	}
	c.end = endline;
	if (parse_header(&c, st) < 0 || parse_levels(&c, st) < 0)
		goto fail;
	if (c.p != c.end) {
		fail(&c, "extra lines");
		goto fail;
	}
	return 0;
fail:
	if (errno == ENOMEM && !c.why) {
		walkstate_free(st);
		return -1;
	}
	*why = c.why ? c.why : "invalid";
bad:
	walkstate_free(st);
	errno = EINVAL;
	return -1;
}

void walkstate_free(struct walkstate *st)
{
	free(st->arena);
	free(st->lvbuf);
	memset(st, 0, sizeof(*st));
}

/* ---- writing ------------------------------------------------------------------ */

static void put_hex(FILE *f, const char *s, size_t len)
{
	if (!s) {
		fputc('-', f);
		return;
	}
	for (size_t i = 0; i < len; i++)
		fprintf(f, "%02x", (unsigned char)s[i]);
}

char *walkstate_format(const struct walkstate *st, size_t *len)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		return NULL;
	fprintf(f, "%s %d\npath ", WALKSTATE_MAGIC, WALKSTATE_VERSION);
	put_hex(f, st->path, st->pathlen);
	fputs("\nsource ", f);
	put_hex(f, st->source, st->source ? strlen(st->source) : 0);
	fputs("\nfstype ", f);
	put_hex(f, st->fstype, st->fstype ? strlen(st->fstype) : 0);
	fprintf(f, "\nroot %" PRIu32 ":%" PRIu32 " %" PRIu64 "\n", st->dev_major, st->dev_minor, st->ino);
	if (st->has_output)
		fprintf(f, "output %" PRIu32 ":%" PRIu32 " %" PRIu64 " %" PRIu64 "\n",
			st->out_major, st->out_minor, st->out_ino, st->out_len);
	else
		fputs("output -\n", f);
	fprintf(f, "counts %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 "\nlevels %zu\n",
		st->entries, st->dirs, st->bytes, st->errors, st->pos.n);
	for (size_t i = 0; i < st->pos.n; i++) {
		const struct walk_pos_level *l = &st->pos.lv[i];

		fprintf(f, "level %" PRIu64 " %" PRIu64 " %" PRIu64 " ", l->ino, l->cookie, l->entry);
		put_hex(f, i ? l->name : NULL, l->namelen);
		fputc('\n', f);
	}
	if (fflush(f) != 0) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fprintf(f, "end %016" PRIx64 "\n", fnv1a(buf, size));
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	*len = size;
	return buf;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n, len -= (size_t)n;
	}
	return 0;
}

int walkstate_save(const char *file, const struct walkstate *st)
{
	size_t len;
	char *text = walkstate_format(st, &len), *tmp = NULL, *dircopy = NULL;
	int fd = -1, dfd, rc = -1, err;

	if (!text)
		return -1;
	if (asprintf(&tmp, "%s.%d.tmp", file, (int)getpid()) < 0) {
		tmp = NULL;
		goto out;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || write_all(fd, text, len) < 0 || fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		goto out;
	}
	fd = -1;
	if (rename(tmp, file) < 0)
		goto out;
	free(tmp);
	tmp = NULL;
	/* the rename itself must reach the disk */
	dircopy = strdup(file);
	if (dircopy) {
		dfd = open(dirname(dircopy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	rc = 0;
out:
	err = errno;
	if (fd >= 0)
		close(fd);
	if (tmp)
		unlink(tmp);
	free(tmp);
	free(dircopy);
	free(text);
	errno = err;
	return rc;
}

int walkstate_load(const char *file, struct walkstate *st, const char **why)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC), rc = -1, err;
	struct stat sb;
	char *buf = NULL;
	size_t got = 0;

	*why = NULL;
	memset(st, 0, sizeof(*st));
	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) < 0)
		goto out;
	if (!S_ISREG(sb.st_mode) || sb.st_size > (off_t)WALKSTATE_MAX_SIZE) {
		*why = S_ISREG(sb.st_mode) ? "too large to be a walk state" : "not a regular file";
		errno = EINVAL;
		goto out;
	}
	buf = malloc((size_t)sb.st_size + 1);
	if (!buf)
		goto out;
	while (got < (size_t)sb.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)sb.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	rc = walkstate_parse(buf, got, st, why);
out:
	err = errno;
	close(fd);
	free(buf);
	errno = err;
	return rc;
}
