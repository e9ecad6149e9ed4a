// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * out.c - records rendered as tables (libsmartcols), a vertical listing,
 * a JSON document or JSON Lines; see out.h.
 *
 * Streaming renderings (raw, JSON, JSON Lines, the JSON tree too) write
 * each record as it is emitted, so memory does not grow with the number of
 * records.  An aligned table holds its rows until out_end(): as
 * libsmartcols lines when it goes to a terminal (libsmartcols fits it to
 * the terminal's width), packed when it does not (pack_print() writes
 * libsmartcols' layout).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libutil.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>
#include <libsmartcols.h>
#include "charset.h"
#include "diag.h"
#include "opt.h"
#include "out.h"

#define MAX_DEPTH 4096
#define TREE_STEP 1024	/* a packed tree's depths grow by this many rows */
#define TREE_LAST (1u << 31)	/* a packed tree row with no sibling after it */

/* A growing buffer: a streamed record is built here, then written at once. */
struct sbuf {
	char *p;
	size_t len, cap;
	size_t mark;		/* where the record being written starts */
	bool failed;		/* out of memory: the record is lost */
};

struct out_ctx {
	const struct mntx_col *cols;
	size_t ncols;
	const char *plural;
	enum out_format fmt;
	bool tree, noheadings, bytes, list_columns;
	bool chosen;		/* -o or --output-all was given */
	bool all;		/* --output-all: every column, none named */
	size_t *sel, nsel;
	bool plus;		/* the last -o was a '+LIST': sel[plus_from..nsel) is the user's */
	size_t plus_from;
	struct mntx_val *vals;
	struct mntx_rec rec;
	size_t count;
	bool begun;
	struct timespec flushed;	/* streaming: when stdout was last flushed */
	struct sbuf sb;		/* streaming: the record being written */
	char **jkeys;		/* JSON Lines: "key": of each column */
	size_t *jkeylens;
	/* tables */
	struct libscols_table *tb;
	struct libscols_line **lines;	/* the last line of each depth, for trees */
	/* A table that does not go to a terminal is packed: its rows are kept
	 * as escaped, NUL-terminated cell texts back to back (about 40 bytes a
	 * mount, where a libsmartcols line takes 400) and printed at out_end()
	 * by pack_print(). */
	size_t *widths;		/* the widest cell of each column; NULL: not packed */
	struct sbuf rows;
	/* a packed tree: each row's depth, and TREE_LAST when no sibling
	 * follows it */
	uint32_t *tree_rows;
	size_t tree_col;	/* the column that draws the tree; nsel: none */
	int jdepth;		/* JSON tree: depth of the record still open */
};

/* ---- text helpers ------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at s (at most len bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and values past U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

bool utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq(p + i, len - i);

		if (!n)
			return false;
		i += n;
	}
	return true;
}

/* A NUL-terminated copy with every invalid byte replaced by U+FFFD. */
static char *utf8_repair(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out = malloc(len * 3 + 1), *q = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq(p + i, len - i);

		if (n && p[i]) {
			memcpy(q, p + i, n);
			q += n;
			i += n;
		} else {
			memcpy(q, "\xef\xbf\xbd", 3);
			q += 3;
			i++;
		}
	}
	*q = '\0';
	return out;
}

char *base64_encode(const void *data, size_t len)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = data;
	char *out = malloc((len + 2) / 3 * 4 + 1), *q = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;

		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		*q++ = tab[v >> 18 & 63];
		*q++ = tab[v >> 12 & 63];
		*q++ = i + 1 < len ? tab[v >> 6 & 63] : '=';
		*q++ = i + 2 < len ? tab[v & 63] : '=';
	}
	*q = '\0';
	return out;
}

/* ---- the record buffer of streamed renderings -------------------------------- */

static bool sb_grow(struct sbuf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 1024;
	char *p;

	while (cap < b->len + more)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->failed = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

static inline void sb_write(struct sbuf *b, const void *s, size_t n)
{
	if (!n)
		return;	/* an empty cell, before the buffer exists */
	if (b->len + n > b->cap && !sb_grow(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static inline void sb_putc(struct sbuf *b, char c)
{
	if (b->len + 1 > b->cap && !sb_grow(b, 1))
		return;
	b->p[b->len++] = c;
}

static inline void sb_puts(struct sbuf *b, const char *s)
{
	sb_write(b, s, strlen(s));
}

/* ---- escaping for text output ------------------------------------------ */

static void put_hex_byte(struct sbuf *f, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	sb_putc(f, '\\');
	sb_putc(f, 'x');
	sb_putc(f, hex[c >> 4]);
	sb_putc(f, hex[c & 15]);
}

/*
 * As libsmartcols shows a cell in a table (mbs_safe_encode_to_buffer()):
 * what the locale can print as is, but a backslash before 'x' (so the
 * output stays unambiguous); control bytes, bytes that are not a valid
 * character of the locale's encoding unless isprint() says otherwise, and
 * each byte of a character iswprint() rejects as \xNN.
 */
static void sb_put_escaped(struct sbuf *f, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	const char *run = s;

	for (size_t i = 0; i < len;) {
		unsigned char c = p[i];
		size_t n = 1;

		if (c >= 0x20 && c < 0x7f && !(c == '\\' && i + 1 < len && p[i + 1] == 'x')) {
			i++;
			continue;
		}
		if (c >= 0x80)
			charset_load();
		if (c >= 0x80 && !iscntrl(c)) {
			mbstate_t st;
			wchar_t wc;

			memset(&st, 0, sizeof(st));
			n = mbrtowc(&wc, s + i, len - i < MB_CUR_MAX ? len - i : MB_CUR_MAX, &st);
			if (n == 0 || n == (size_t)-1 || n == (size_t)-2) {
				n = 1;
				if (isprint(c)) {
					i++;
					continue;
				}
			} else if (iswprint((wint_t)wc)) {
				i += n;
				continue;
			}
		}
		sb_write(f, run, (size_t)(s + i - run));
		for (size_t k = 0; k < n; k++)
			put_hex_byte(f, p[i + k]);
		i += n;
		run = s + i;
	}
	sb_write(f, run, (size_t)(s + len - run));
}

/* As libsmartcols shows a cell in a raw table (fputs_nonblank()): blanks
 * and backslashes too as \xNN, and every byte isprint() rejects. */
static void sb_put_raw(struct sbuf *f, const char *s, size_t len)
{
	const char *run = s;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80)
			charset_load();
		if (isprint(c) && !isblank(c) && !iscntrl(c) && c != '\\')
			continue;
		sb_write(f, run, (size_t)(s + i - run));
		put_hex_byte(f, c);
		run = s + i + 1;
	}
	sb_write(f, run, (size_t)(s + len - run));
}

/* The cells text escaped by sb_put_escaped() takes on a terminal: one a
 * byte of ASCII, wcwidth() for the rest (printable characters only). */
static size_t shown_width(const char *s, size_t len)
{
	mbstate_t st;
	size_t w = 0;

	memset(&st, 0, sizeof(st));
	for (size_t i = 0; i < len;) {
		wchar_t wc;
		size_t n;
		int cw;

		if ((unsigned char)s[i] < 0x80) {
			w++, i++;
			continue;
		}
		n = mbrtowc(&wc, s + i, len - i, &st);
		if (n == 0 || n > len - i) {	/* not from sb_put_escaped() */
			memset(&st, 0, sizeof(st));
			w++, i++;
			continue;
		}
		cw = wcwidth(wc);
		w += cw > 0 ? (size_t)cw : 0;
		i += n;
	}
	return w;
}

void out_put_escaped(FILE *f, const char *s, size_t len)
{
	struct sbuf b = { 0 };

	sb_put_escaped(&b, s, len);
	if (b.len)
		fwrite(b.p, 1, b.len, f);
	free(b.p);
}

/* ---- context and options ----------------------------------------------- */

struct out_ctx *out_new(const struct mntx_col *cols, size_t ncols, const char *plural)
{
	struct out_ctx *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->cols = cols;
	o->ncols = ncols;
	o->plural = plural;
	o->sel = reallocarray(NULL, ncols ? ncols : 1, sizeof(*o->sel));
	o->vals = calloc(ncols ? ncols : 1, sizeof(*o->vals));
	if (!o->sel || !o->vals) {
		out_free(o);
		return NULL;
	}
	for (size_t i = 0; i < ncols; i++)
		if (cols[i].flags & COLF_DEFAULT)
			o->sel[o->nsel++] = i;
	o->rec.v = o->vals;
	o->rec.n = ncols;
	return o;
}

void out_free(struct out_ctx *o)
{
	if (!o)
		return;
	if (o->tb)
		scols_unref_table(o->tb);
	free(o->lines);
	free(o->widths);
	free(o->rows.p);
	free(o->tree_rows);
	free(o->sel);
	free(o->vals);
	free(o->sb.p);
	for (size_t i = 0; o->jkeys && i < o->ncols; i++)
		free(o->jkeys[i]);
	free(o->jkeys);
	free(o->jkeylens);
	free(o);
}

void out_set_format(struct out_ctx *o, enum out_format f)
{
	o->fmt = f;
}

enum out_format out_format(const struct out_ctx *o)
{
	return o->fmt;
}

bool out_is_json(const struct out_ctx *o)
{
	return o->fmt == OUT_JSON || o->fmt == OUT_JSON_LINES;
}

void out_set_tree(struct out_ctx *o, bool tree)
{
	o->tree = tree;
}

bool out_columns_chosen(const struct out_ctx *o)
{
	return o->chosen;
}

bool out_user_chose(const struct out_ctx *o, size_t idx)
{
	if (!o->chosen || (o->all && !o->plus))
		return false;
	for (size_t i = o->plus ? o->plus_from : 0; i < o->nsel; i++)
		if (o->sel[i] == idx)
			return true;
	return false;
}

bool out_wants_columns_list(const struct out_ctx *o)
{
	return o->list_columns;
}

int out_option(struct out_ctx *o, int c, const char *arg)
{
	switch (c) {
	case 'J':
		o->fmt = OUT_JSON;
		return 1;
	case OPT_JSON_LINES:
		o->fmt = OUT_JSON_LINES;
		return 1;
	case 'r':
		o->fmt = OUT_RAW;
		return 1;
	case 'n':
		o->noheadings = true;
		return 1;
	case 'b':
		o->bytes = true;
		return 1;
	case 'H':
		o->list_columns = true;
		return 1;
	case 'o':
		o->chosen = true;
		o->all = o->all && *arg == '+';
		return out_select(o, arg) < 0 ? -1 : 1;
	case OPT_OUTPUT_ALL:
		o->chosen = o->all = true;
		out_select_all(o);
		return 1;
	}
	return 0;
}

static ssize_t find_col(const struct out_ctx *o, const char *name, size_t len)
{
	for (size_t i = 0; i < o->ncols; i++) {
		const struct mntx_col *c = &o->cols[i];

		if ((strlen(c->header) == len && !strncasecmp(c->header, name, len)) ||
		    (strlen(c->key) == len && !strncmp(c->key, name, len)))
			return (ssize_t)i;
	}
	return -1;
}

int out_select(struct out_ctx *o, const char *list)
{
	size_t n = 0;

	if (*list == '+') {
		list++, n = o->nsel;
		if (!o->plus)
			o->plus = true, o->plus_from = n;
	} else {
		o->plus = false;
	}
	while (*list) {
		size_t len = strcspn(list, ",");
		ssize_t idx = find_col(o, list, len);

		if (len) {
			if (idx < 0) {
				diag_usage("unknown column: '%.*s' (see --list-columns)", (int)len, list);
				return -1;
			}
			if (n >= o->ncols) {
				diag_usage("too many columns: '%s'", list);
				return -1;
			}
			o->sel[n++] = (size_t)idx;
		}
		list += len + (list[len] == ',');
	}
	if (!n) {
		diag_usage("no columns given");
		return -1;
	}
	o->nsel = n;
	return 0;
}

int out_json_defaults(struct out_ctx *o, const char *list)
{
	size_t nextra = 0, n;
	size_t *extra;

	if (!out_is_json(o) || (o->chosen && !o->plus))
		return 0;
	extra = malloc((o->ncols + 1) * sizeof(*extra));
	if (!extra)
		return -1;
	for (size_t i = o->plus_from; o->plus && i < o->nsel; i++)
		extra[nextra++] = o->sel[i];
	if (out_select(o, list) < 0) {
		free(extra);
		return -1;
	}
	n = o->nsel;
	/* the user's columns follow JSON's defaults */
	o->plus = nextra > 0, o->plus_from = n;
	for (size_t i = 0; i < nextra; i++) {
		bool dup = false;

		for (size_t j = 0; j < n && !dup; j++)
			dup = o->sel[j] == extra[i];
		if (!dup)
			o->sel[n++] = extra[i];
	}
	o->nsel = n;
	free(extra);
	return 0;
}

void out_select_all(struct out_ctx *o)
{
	for (size_t i = 0; i < o->ncols; i++)
		o->sel[i] = i;
	o->nsel = o->ncols;
}

void out_layout_full(struct out_ctx *o, size_t n, const char *table_cols)
{
	if (o->chosen)
		return;
	if (n == 1 && o->fmt == OUT_TABLE)
		o->fmt = OUT_VERTICAL;
	if (o->fmt != OUT_TABLE)
		out_select_all(o);
	else if (table_cols)
		out_select(o, table_cols);	/* the tool's own names: cannot fail */
}

bool out_needs(const struct out_ctx *o, size_t idx)
{
	for (size_t i = 0; i < o->nsel; i++)
		if (o->sel[i] == idx)
			return true;
	return false;
}

size_t out_count(const struct out_ctx *o)
{
	return o->count;
}

/* ---- records ------------------------------------------------------------ */

struct mntx_rec *out_rec(struct out_ctx *o)
{
	memset(o->vals, 0, o->ncols * sizeof(*o->vals));
	return &o->rec;
}

void rec_strn(struct mntx_rec *r, size_t idx, const char *s, size_t len)
{
	if (!s)
		return;
	r->v[idx] = (struct mntx_val){ .set = true, .len = len, .str = s };
}

void rec_str(struct mntx_rec *r, size_t idx, const char *s)
{
	if (s)
		rec_strn(r, idx, s, strlen(s));
}

void rec_u64(struct mntx_rec *r, size_t idx, uint64_t v)
{
	r->v[idx] = (struct mntx_val){ .set = true, .u = v };
}

void rec_s64(struct mntx_rec *r, size_t idx, int64_t v)
{
	r->v[idx] = (struct mntx_val){ .set = true, .s = v };
}

void rec_bool(struct mntx_rec *r, size_t idx, bool v)
{
	r->v[idx] = (struct mntx_val){ .set = true, .b = v };
}

void rec_list(struct mntx_rec *r, size_t idx, const char *buf, size_t len, size_t n)
{
	r->v[idx] = (struct mntx_val){ .set = true, .len = len, .n = n, .str = buf };
}

/* ---- text rendering of one value ---------------------------------------- */

/* The table text of a value, malloc'd (libsmartcols takes it over). */
static char *val_text(const struct out_ctx *o, const struct mntx_col *c,
		      const struct mntx_val *v)
{
	char *s = NULL, buf[64];
	int r = 0;

	if (!v->set)
		return strdup("");
	switch (c->type) {
	case COL_STR:
		return strndup(v->str, v->len);
	case COL_U64:
		r = asprintf(&s, "%" PRIu64, v->u);
		break;
	case COL_S64:
		r = asprintf(&s, "%" PRId64, v->s);
		break;
	case COL_HEX:
		r = asprintf(&s, "0x%" PRIx64, v->u);
		break;
	case COL_OCT:
		r = asprintf(&s, "%04" PRIo64, v->u);
		break;
	case COL_SIZE:
		if (o->bytes || humanize_number(buf, 6, (int64_t)v->u, "", HN_AUTOSCALE,
						HN_B | HN_NOSPACE | HN_DECIMAL) < 0)
			r = asprintf(&s, "%" PRIu64, v->u);
		else
			s = strdup(buf);
		break;
	case COL_BOOL:
		return strdup(v->b ? "1" : "0");
	case COL_TIME: {
		time_t t = (time_t)(v->s / 1000000000);
		long ns = (long)(v->s % 1000000000);
		struct tm tm;

		if (ns < 0)
			ns += 1000000000, t--;
		if (!localtime_r(&t, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm))
			r = asprintf(&s, "@%" PRId64, v->s);
		else {
			char zone[8];

			strftime(zone, sizeof(zone), "%z", &tm);
			r = asprintf(&s, "%s.%09ld %s", buf, ns, zone);
		}
		break;
	}
	case COL_LIST:
		s = malloc(v->len + 1);
		if (s) {
			/* NUL-separated items become comma-separated */
			memcpy(s, v->str, v->len);
			for (size_t i = 0; i + 1 < v->len; i++)
				if (!s[i])
					s[i] = ',';
			s[v->len ? v->len - 1 : 0] = '\0';
		}
		break;
	}
	if (r < 0)
		return NULL;
	return s;
}

/* A value's text as a table shows it: a string's own bytes (up to a NUL,
 * as libsmartcols would take them), else val_text()'s, left in *owned. */
static const char *val_str(const struct out_ctx *o, const struct mntx_col *c,
			   const struct mntx_val *v, size_t *len, char **owned)
{
	*owned = NULL;
	if (!v->set) {
		*len = 0;
		return "";
	}
	if (c->type == COL_STR) {
		*len = strnlen(v->str, v->len);
		return v->str;
	}
	if (!(*owned = val_text(o, c, v)))
		return NULL;
	*len = strlen(*owned);
	return *owned;
}

/* ---- streaming renderings: JSON Lines, lines, NUL ------------------------ */

/* Two digits a division: a file record is mostly 19-digit times. */
static void put_u64(struct sbuf *f, uint64_t v)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	char b[20], *p = b + sizeof(b);

	while (v >= 100) {
		p -= 2;
		memcpy(p, pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, pairs + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	sb_write(f, p, (size_t)(b + sizeof(b) - p));
}

static void put_s64(struct sbuf *f, int64_t v)
{
	if (v < 0) {
		sb_putc(f, '-');
		put_u64(f, (uint64_t)0 - (uint64_t)v);
	} else {
		put_u64(f, (uint64_t)v);
	}
}

/* A JSON string of bytes already valid UTF-8, with the escapes JSON requires. */
static void json_put_utf8(struct sbuf *f, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;

	sb_putc(f, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc = 0;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		sb_write(f, run, (size_t)(s + i - run));
		run = s + i + 1;
		switch (c) {
		case '"': esc = '"'; break;
		case '\\': esc = '\\'; break;
		case '\b': esc = 'b'; break;
		case '\f': esc = 'f'; break;
		case '\n': esc = 'n'; break;
		case '\r': esc = 'r'; break;
		case '\t': esc = 't'; break;
		}
		sb_putc(f, '\\');
		if (esc) {
			sb_putc(f, esc);
		} else {
			sb_puts(f, "u00");
			sb_putc(f, hex[c >> 4]);
			sb_putc(f, hex[c & 15]);
		}
	}
	sb_write(f, run, (size_t)(s + len - run));
	sb_putc(f, '"');
}

/* A JSON string of any bytes; false when they were not valid UTF-8 (then
 * the caller adds KEY_b64). */
static bool json_put_bytes(struct sbuf *f, const char *s, size_t len)
{
	char *fixed;
	size_t i = 0;

	/* the common case in one pass: printable ASCII, nothing to escape */
	while (i < len && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x80 &&
	       s[i] != '"' && s[i] != '\\')
		i++;
	if (i == len) {
		sb_putc(f, '"');
		sb_write(f, s, len);
		sb_putc(f, '"');
		return true;
	}
	if (utf8_valid(s, len) && !memchr(s, '\0', len)) {
		json_put_utf8(f, s, len);
		return true;
	}
	fixed = utf8_repair(s, len);
	json_put_utf8(f, fixed ? fixed : "", fixed ? strlen(fixed) : 0);
	free(fixed);
	return false;
}

static void json_put_b64(struct sbuf *f, const char *s, size_t len)
{
	char *b = base64_encode(s, len);

	json_put_utf8(f, b ? b : "", b ? strlen(b) : 0);
	free(b);
}

/* "key": of every column, made once: a walk writes them millions of times */
static int json_keys(struct out_ctx *o)
{
	o->jkeys = calloc(o->ncols, sizeof(*o->jkeys));
	o->jkeylens = calloc(o->ncols, sizeof(*o->jkeylens));
	if (!o->jkeys || !o->jkeylens)
		return -1;
	for (size_t i = 0; i < o->ncols; i++) {
		int n = asprintf(&o->jkeys[i], "\"%s\":", o->cols[i].key);

		if (n < 0) {
			o->jkeys[i] = NULL;
			return -1;
		}
		o->jkeylens[i] = (size_t)n;
	}
	return 0;
}

static void json_put_key(struct sbuf *f, const char *key, const char *suffix)
{
	sb_putc(f, '"');
	sb_puts(f, key);
	sb_puts(f, suffix);
	sb_puts(f, "\":");
}

static void json_put_list(struct sbuf *f, const struct mntx_col *c, const struct mntx_val *v)
{
	const char *end = v->str + v->len;
	bool bad = false;

	sb_putc(f, '[');
	for (const char *p = v->str; p < end; p += strlen(p) + 1) {
		if (p != v->str)
			sb_putc(f, ',');
		bad |= !json_put_bytes(f, p, strlen(p));
	}
	sb_putc(f, ']');
	if (!bad)
		return;
	sb_putc(f, ',');
	json_put_key(f, c->key, "_b64");
	sb_putc(f, '[');
	for (const char *p = v->str; p < end; p += strlen(p) + 1) {
		if (p != v->str)
			sb_putc(f, ',');
		json_put_b64(f, p, strlen(p));
	}
	sb_putc(f, ']');
}

/* Hand the record to stdio in one piece. */
#define SB_BATCH 65536	/* bytes of whole records handed to stdio at once */

/* Hand the whole records held to stdio. */
static void sb_drain(struct out_ctx *o)
{
	if (o->sb.len)
		fwrite_unlocked(o->sb.p, 1, o->sb.len, stdout);
	o->sb.len = o->sb.mark = 0;
}

/* The record begun at sb.mark is complete: keep it, and pass the records
 * on to stdio once they fill a batch (one copy for many records, not one
 * per record).  A record that ran out of memory is dropped. */
static int sb_flush(struct out_ctx *o)
{
	struct sbuf *b = &o->sb;

	if (b->failed) {
		b->len = b->mark;
		b->failed = false;
		errno = ENOMEM;
		return -1;
	}
	b->mark = b->len;
	if (b->len >= SB_BATCH)
		sb_drain(o);
	return 0;
}
/* One compact object, written straight into stdio's buffer: a walk emits
 * millions.  Every JSON rendering uses it; the tree leaves the closing
 * brace to the next record, which may open "children" first. */
static int json_put_fields(struct out_ctx *o)
{
	struct sbuf *f = &o->sb;

	if (!o->jkeys && json_keys(o) < 0)
		return -1;

	sb_putc(f, '{');
	for (size_t i = 0; i < o->nsel; i++) {
		const struct mntx_col *c = &o->cols[o->sel[i]];
		const struct mntx_val *v = &o->vals[o->sel[i]];

		if (i)
			sb_putc(f, ',');
		sb_write(f, o->jkeys[o->sel[i]], o->jkeylens[o->sel[i]]);
		if (!v->set) {
			sb_puts(f, "null");
			continue;
		}
		switch (c->type) {
		case COL_STR:
			if (!json_put_bytes(f, v->str, v->len)) {
				sb_putc(f, ',');
				json_put_key(f, c->key, "_b64");
				json_put_b64(f, v->str, v->len);
			}
			break;
		case COL_U64:
		case COL_HEX:
		case COL_OCT:
		case COL_SIZE:
			put_u64(f, v->u);
			break;
		case COL_S64:
		case COL_TIME:
			put_s64(f, v->s);
			break;
		case COL_BOOL:
			sb_puts(f, v->b ? "true" : "false");
			break;
		case COL_LIST:
			json_put_list(f, c, v);
			break;
		}
	}
	return 0;
}

static int json_put_record(struct out_ctx *o)
{
	if (json_put_fields(o) < 0)
		return -1;
	sb_putc(&o->sb, '}');
	return 0;
}

/* JSON Lines: one object a line. */
static int emit_json_line(struct out_ctx *o)
{
	if (json_put_record(o) < 0)
		return -1;
	sb_putc(&o->sb, '\n');
	return sb_flush(o);
}

/* A record a line, streamed: fields tab-separated and escaped (OUT_LINES);
 * space-separated and escaped as a libsmartcols raw table, the heading
 * before the first (OUT_RAW, flat); or each field NUL-terminated and as is
 * (OUT_NUL). */
static int emit_lines(struct out_ctx *o)
{
	struct sbuf *f = &o->sb;
	bool nul = o->fmt == OUT_NUL, raw = o->fmt == OUT_RAW;

	for (size_t i = 0; raw && !o->count && !o->noheadings && i < o->nsel; i++) {
		const char *h = o->cols[o->sel[i]].header;

		sb_put_raw(f, h, strlen(h));
		sb_putc(f, i + 1 < o->nsel ? ' ' : '\n');
	}
	for (size_t i = 0; i < o->nsel; i++) {
		const struct mntx_col *c = &o->cols[o->sel[i]];
		const struct mntx_val *v = &o->vals[o->sel[i]];
		char *owned;
		size_t len;
		const char *text = val_str(o, c, v, &len, &owned);

		if (!text)
			return -1;
		if (i && !nul)
			sb_putc(f, raw ? ' ' : '\t');
		if (nul)	/* every byte, a NUL in a string too */
			sb_write(f, text, v->set && c->type == COL_STR ? v->len : len);
		else if (raw)
			sb_put_raw(f, text, len);
		else
			sb_put_escaped(f, text, len);
		free(owned);
		if (nul)
			sb_putc(f, '\0');
	}
	if (!nul)
		sb_putc(f, '\n');
	return sb_flush(o);
}

int out_flush(struct out_ctx *o)
{
	clock_gettime(CLOCK_MONOTONIC_COARSE, &o->flushed);
	sb_drain(o);
	fflush(stdout);
	return diag_stdout_broken() ? -1 : 0;
}

/* Streams are flushed when a record comes a second or more after the last
 * flush: a reader of a pipe sees progress, and a fast walk does not pay a
 * write(2) per record. */
static void stream_maybe_flush(struct out_ctx *o)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	if (now.tv_sec > o->flushed.tv_sec + 1 ||
	    (now.tv_sec == o->flushed.tv_sec + 1 && now.tv_nsec >= o->flushed.tv_nsec))
		out_flush(o);
}

/* ---- begin, emit, end ----------------------------------------------------- */

/* A libsmartcols table with the columns of @o. */
static struct libscols_table *table_new(struct out_ctx *o)
{
	struct libscols_table *tb;

	charset_load();		/* libsmartcols measures and escapes by it */
	if (!(tb = scols_new_table()))
		return NULL;
	if (o->fmt == OUT_RAW)
		scols_table_enable_raw(tb, 1);
	if (o->noheadings || o->fmt == OUT_VERTICAL)
		scols_table_enable_noheadings(tb, 1);
	if (o->fmt == OUT_VERTICAL) {
		/* two columns, FIELD and VALUE, one line per selected field */
		if (!scols_table_new_column(tb, "FIELD", 0, 0) ||
		    !scols_table_new_column(tb, "VALUE", 0, 0))
			goto fail;
		return tb;
	}
	for (size_t i = 0; i < o->nsel; i++) {
		const struct mntx_col *c = &o->cols[o->sel[i]];
		int fl = 0;

		if (c->flags & COLF_RIGHT)
			fl |= SCOLS_FL_RIGHT;
		if (c->flags & COLF_TRUNC)
			fl |= SCOLS_FL_TRUNC;
		if (c->flags & COLF_WRAP)
			fl |= SCOLS_FL_WRAP;
		if (o->tree && (c->flags & COLF_TREE))
			fl |= SCOLS_FL_TREE;
		if (!scols_table_new_column(tb, c->header, c->whint, fl))
			goto fail;
	}
	return tb;
fail:
	scols_unref_table(tb);
	return NULL;
}

static int table_begin(struct out_ctx *o)
{
	/* To a terminal libsmartcols prints the table: it fits the columns
	 * to the terminal's width, which needs every row at hand.  Anywhere
	 * else nothing is narrowed, and mntx prints the table itself, as
	 * libsmartcols would (pack_print()): libsmartcols decodes every
	 * character of every cell twice (mbrtowc, iswprint, wcwidth), to size
	 * the columns and to print them, and writes padding a space at a time,
	 * which made most of the time of a big table.  A flat raw table
	 * streams (emit_lines()). */
	if (o->fmt == OUT_RAW && !o->tree)
		return 0;
	o->tree_col = o->nsel;
	for (size_t i = 0; o->tree && i < o->nsel && o->tree_col == o->nsel; i++)
		if (o->cols[o->sel[i]].flags & COLF_TREE)
			o->tree_col = i;
	if (o->fmt != OUT_RAW && !isatty(STDOUT_FILENO) && o->nsel)	/* vertical: 2 */
		return (o->widths = calloc(o->nsel > 2 ? o->nsel : 2, sizeof(*o->widths))) ? 0 : -1;
	if (!(o->tb = table_new(o)))
		return -1;
	if (o->tree) {
		o->lines = calloc(MAX_DEPTH, sizeof(*o->lines));
		if (!o->lines)
			return -1;
	}
	return 0;
}

/* Append a cell, escaped, to the packed table: column @i, @extra cells
 * of tree branches before it. */
static int pack_cell(struct out_ctx *o, size_t i, const char *text, size_t len, size_t extra)
{
	size_t start = o->rows.len, w;

	sb_put_escaped(&o->rows, text, len);
	sb_putc(&o->rows, '\0');
	if (o->rows.failed) {
		errno = ENOMEM;
		return -1;
	}
	w = shown_width(o->rows.p + start, o->rows.len - start - 1) + extra;
	if (w > o->widths[i])
		o->widths[i] = w;
	return 0;
}

/* Append a record to the packed table: a row (@depth for a tree), or in a
 * vertical listing a row "key:" "value" for each field. */
static int pack_row(struct out_ctx *o, int depth)
{
	bool vertical = o->fmt == OUT_VERTICAL;

	if (o->tree) {
		uint32_t *tr = o->tree_rows;
		int prev = o->count ? (int)(tr[o->count - 1] & ~TREE_LAST) : -1;

		if (o->count % TREE_STEP == 0 &&
		    !(tr = reallocarray(tr, o->count + TREE_STEP, sizeof(*tr))))
			return -1;
		o->tree_rows = tr;
		/* a row deeper than one below the last has no parent shown */
		depth = depth < 0 ? 0 : depth > prev + 1 ? prev + 1 : depth;
		tr[o->count] = (uint32_t)depth;
	}
	for (size_t i = 0; i < o->nsel; i++) {
		const struct mntx_col *c = &o->cols[o->sel[i]];
		char *owned;
		size_t len;
		const char *text = val_str(o, c, &o->vals[o->sel[i]], &len, &owned);
		int rc;

		if (!text)
			return -1;
		if (vertical) {
			char key[128];

			snprintf(key, sizeof(key), "%s:", c->key);
			rc = pack_cell(o, 0, key, strlen(key), 0);
			rc = rc ? rc : pack_cell(o, 1, text, len, 0);
		} else {
			/* the branches: two cells a level */
			rc = pack_cell(o, i, text, len, i == o->tree_col ? 2 * (size_t)depth : 0);
		}
		free(owned);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* The packed tree's TREE_LAST bits, from the end: a row is the last of
 * its parent's children when no later row at its depth comes before one
 * shallower.  Returns room for the ancestors' bits, zeroed. */
static unsigned char *tree_finish(struct out_ctx *o)
{
	size_t max = 0;
	unsigned char *seen;

	for (size_t r = 0; r < o->count; r++)
		max = o->tree_rows[r] > max ? o->tree_rows[r] : max;
	if (!(seen = calloc(max + 2, 1)))
		return NULL;
	for (size_t r = o->count; r-- > 0;) {
		uint32_t d = o->tree_rows[r];

		if (!seen[d])
			o->tree_rows[r] |= TREE_LAST;
		seen[d] = 1;
		seen[d + 1] = 0;	/* deeper rows before this one: other parents */
	}
	memset(seen, 0, max + 2);
	return seen;
}

/* Row @r's branches, drawn as libsmartcols draws them: nothing for a root;
 * for each ancestor below the root "| " when siblings of it follow, else
 * two spaces; then "|-", or "`-" for the last child (box-drawing
 * characters when the locale's charset is UTF-8).  @anc holds the
 * ancestors' TREE_LAST bits and is updated. */
static void put_branches(struct out_ctx *o, size_t r, unsigned char *anc, bool utf8)
{
	static const char *const sym[2][3] = {
		{ "| ", "|-", "`-" },
		{ "\u2502 ", "\u251c\u2500", "\u2514\u2500" },
	};
	uint32_t d = o->tree_rows[r] & ~TREE_LAST;
	bool last = o->tree_rows[r] & TREE_LAST;

	for (uint32_t a = 1; a < d; a++)
		sb_puts(&o->sb, anc[a] ? "  " : sym[utf8][0]);
	if (d)
		sb_puts(&o->sb, sym[utf8][last ? 2 : 1]);
	anc[d] = last;
}

static void sb_pad(struct sbuf *f, size_t n)
{
	static const char spaces[] = "                                ";

	for (; n > sizeof(spaces) - 1; n -= sizeof(spaces) - 1)
		sb_write(f, spaces, sizeof(spaces) - 1);
	sb_write(f, spaces, n);
}

/* Cell @i of a row of @ncols (@text, @len bytes, @w cells wide), as
 * libsmartcols' print_data() prints it where nothing is narrowed: padded
 * with spaces to the column's width and followed by one space, but the
 * last column not padded; a right-aligned column padded before its text,
 * if it has any.  A tree's branches are already written, @w counts them. */
static void put_cell(struct out_ctx *o, size_t i, size_t ncols, const char *text, size_t len,
		     size_t w)
{
	size_t width = o->widths[i];

	if (o->fmt != OUT_VERTICAL && (o->cols[o->sel[i]].flags & COLF_RIGHT) && len) {
		sb_pad(&o->sb, width - w);
		w = width;
	}
	sb_write(&o->sb, text, len);
	if (i + 1 == ncols)
		return;
	sb_pad(&o->sb, width - w);
	sb_putc(&o->sb, ' ');
}

/* The packed table: each column as wide as its widest cell or its heading
 * (counted even when not shown), handed to stdio a batch at a time.  A
 * vertical listing is a table of two columns, FIELD and VALUE, a row a
 * field, without headings. */
static int pack_print(struct out_ctx *o)
{
	static const char *const vheads[] = { "FIELD", "VALUE" };
	bool vertical = o->fmt == OUT_VERTICAL, headings = !vertical && !o->noheadings, utf8 = false;
	size_t ncols = vertical ? 2 : o->nsel, nrows = vertical ? o->count * o->nsel : o->count;
	const char *p = o->rows.p;
	unsigned char *anc = NULL;

	if (!o->count)
		return 0;
	if (o->tree && !(anc = tree_finish(o)))
		return -1;
	if (o->tree) {
		charset_load();
		utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
	}
	for (size_t i = 0; i < ncols; i++) {
		const char *h = vertical ? vheads[i] : o->cols[o->sel[i]].header;
		size_t w = shown_width(h, strlen(h));

		o->widths[i] = w > o->widths[i] ? w : o->widths[i];
		if (headings)
			put_cell(o, i, ncols, h, strlen(h), w);
	}
	if (headings)
		sb_putc(&o->sb, '\n');
	for (size_t r = 0; r < nrows && !o->sb.failed && !ferror(stdout); r++) {
		for (size_t i = 0; i < ncols; i++) {
			size_t len = strlen(p), w = shown_width(p, len);

			if (i == o->tree_col && anc) {
				put_branches(o, r, anc, utf8);
				w += 2 * (o->tree_rows[r] & ~TREE_LAST);
			}
			put_cell(o, i, ncols, p, len, w);
			p += len + 1;
		}
		sb_putc(&o->sb, '\n');
		if (o->sb.len >= SB_BATCH)
			sb_drain(o);
	}
	free(anc);
	if (o->sb.failed) {
		errno = ENOMEM;
		return -1;
	}
	sb_drain(o);
	return 0;
}

int out_begin(struct out_ctx *o)
{
	o->begun = true;
	switch (o->fmt) {
	case OUT_TABLE:
	case OUT_RAW:
	case OUT_VERTICAL:
		clock_gettime(CLOCK_MONOTONIC_COARSE, &o->flushed);
		return table_begin(o);
	case OUT_JSON:
		o->jdepth = -1;
		printf("{\n\t\"%s\": [", o->plural);
		return 0;
	case OUT_JSON_LINES:
	case OUT_LINES:
	case OUT_NUL:
		clock_gettime(CLOCK_MONOTONIC_COARSE, &o->flushed);
		return 0;
	}
	return 0;
}

static int emit_vertical(struct out_ctx *o)
{
	for (size_t i = 0; i < o->nsel; i++) {
		const struct mntx_col *c = &o->cols[o->sel[i]];
		struct libscols_line *ln = scols_table_new_line(o->tb, NULL);
		char *key = NULL, *text = val_text(o, c, &o->vals[o->sel[i]]);

		if (!ln || !text || asprintf(&key, "%s:", c->key) < 0) {
			free(text);
			return -1;
		}
		scols_line_refer_data(ln, 0, key);
		scols_line_refer_data(ln, 1, text);
	}
	return 0;
}

static int emit_table(struct out_ctx *o, int depth)
{
	struct libscols_line *parent = NULL, *ln;

	if (o->widths)
		return pack_row(o, depth);
	if (o->fmt == OUT_RAW && !o->tree)
		return emit_lines(o);
	if (o->tree && depth > 0 && depth < MAX_DEPTH)
		parent = o->lines[depth - 1];
	ln = scols_table_new_line(o->tb, parent);
	if (!ln)
		return -1;
	if (o->tree && depth >= 0 && depth < MAX_DEPTH)
		o->lines[depth] = ln;
	for (size_t i = 0; i < o->nsel; i++) {
		char *text = val_text(o, &o->cols[o->sel[i]], &o->vals[o->sel[i]]);

		if (!text || scols_line_refer_data(ln, i, text) < 0) {
			free(text);
			return -1;
		}
	}
	return 0;
}

/* The flat JSON document: one compact record a line inside the array. */
static int emit_json_doc(struct out_ctx *o)
{
	sb_puts(&o->sb, o->count ? ",\n\t\t" : "\n\t\t");
	if (json_put_record(o) < 0)
		return -1;
	return sb_flush(o);
}

/* Close the open records down to @depth: each one's brace, and the
 * "children" array it opened for the deeper ones. */
static void json_tree_close(struct out_ctx *o, int depth)
{
	for (; o->jdepth >= depth; o->jdepth--)
		sb_puts(&o->sb, o->jdepth > depth ? "}]" : "}");
}

/* The nested JSON tree (--tree -J), streamed like the flat document: a
 * record at depth d is a child of the open record at depth d - 1. */
static int emit_json_tree(struct out_ctx *o, int depth)
{
	struct sbuf *f = &o->sb;

	if (depth > o->jdepth + 1)
		depth = o->jdepth + 1;	/* no open parent: nest under the last one */
	if (depth < 0)
		depth = 0;
	if (depth > o->jdepth && o->jdepth >= 0) {
		sb_puts(f, ",\"children\":[");
	} else {
		json_tree_close(o, depth);
		if (o->count)
			sb_putc(f, ',');
	}
	sb_putc(f, '\n');
	for (int i = 0; i < depth + 2 && i < 64; i++)
		sb_putc(f, '\t');
	o->jdepth = depth;
	if (json_put_fields(o) < 0)
		return -1;
	return sb_flush(o);
}

int out_emit(struct out_ctx *o, int depth)
{
	int rc;

	if (!o->begun && out_begin(o) < 0)
		return -1;
	switch (o->fmt) {
	case OUT_VERTICAL:
		rc = o->widths ? pack_row(o, 0) : emit_vertical(o);
		break;
	case OUT_JSON:
		rc = o->tree ? emit_json_tree(o, depth) : emit_json_doc(o);
		break;
	case OUT_JSON_LINES:
		rc = emit_json_line(o);
		stream_maybe_flush(o);
		break;
	case OUT_LINES:
	case OUT_NUL:
		rc = emit_lines(o);
		stream_maybe_flush(o);
		break;
	default:
		rc = emit_table(o, depth);
		if (o->fmt == OUT_RAW && !o->tree)
			stream_maybe_flush(o);
		break;
	}
	if (rc < 0) {
		errno = errno ? errno : ENOMEM;
		return -1;
	}
	o->count++;
	return diag_stdout_broken() ? -1 : 0;
}

int out_end(struct out_ctx *o)
{
	if (!o->begun && out_begin(o) < 0)
		return -1;
	switch (o->fmt) {
	case OUT_TABLE:
	case OUT_VERTICAL:
		if (o->widths && pack_print(o) < 0)
			return -1;
		if (!o->widths && o->count)
			scols_print_table(o->tb);	/* write errors: below */
		break;
	case OUT_RAW:
		if (o->tree && o->count)
			scols_print_table(o->tb);
		else if (!o->tree)
			out_flush(o);
		break;
	case OUT_JSON:
		if (o->tree) {
			json_tree_close(o, 0);
			if (sb_flush(o) < 0)
				return -1;
		}
		sb_drain(o);
		fputs(o->count ? "\n\t]\n}\n" : "]\n}\n", stdout);
		break;
	case OUT_JSON_LINES:
	case OUT_LINES:
	case OUT_NUL:
		sb_drain(o);
		fflush(stdout);
		break;
	}
	return diag_stdout_broken() ? -1 : 0;
}

/* ---- -H: the columns, as records of their own ------------------------------ */

enum { LC_NAME, LC_KEY, LC_TYPE, LC_DEFAULT, LC_HELP };
static const struct mntx_col list_cols[] = {
	[LC_NAME] = { "name", "NAME", COL_STR, COLF_DEFAULT, 0, "column header" },
	[LC_KEY] = { "key", "KEY", COL_STR, COLF_DEFAULT, 0, "JSON key" },
	[LC_TYPE] = { "type", "TYPE", COL_STR, COLF_DEFAULT, 0, "JSON type" },
	[LC_DEFAULT] = { "default", "DEFAULT", COL_BOOL, 0, 0, "shown by default" },
	[LC_HELP] = { "description", "DESCRIPTION", COL_STR, COLF_DEFAULT, 0, "what it holds" },
};

int out_list_columns(struct out_ctx *o)
{
	static const char *const types[] = {
		[COL_STR] = "string", [COL_U64] = "number", [COL_S64] = "number",
		[COL_HEX] = "number", [COL_OCT] = "number", [COL_SIZE] = "number",
		[COL_BOOL] = "boolean", [COL_TIME] = "number", [COL_LIST] = "array",
	};
	struct out_ctx *l = out_new(list_cols, sizeof(list_cols) / sizeof(list_cols[0]), "columns");
	int rc = 0;

	if (!l)
		return -1;
	l->fmt = o->fmt == OUT_VERTICAL ? OUT_TABLE : o->fmt;
	l->noheadings = o->noheadings;
	for (size_t i = 0; i < o->ncols && rc == 0; i++) {
		struct mntx_rec *r = out_rec(l);

		rec_str(r, LC_NAME, o->cols[i].header);
		rec_str(r, LC_KEY, o->cols[i].key);
		rec_str(r, LC_TYPE, types[o->cols[i].type]);
		rec_bool(r, LC_DEFAULT, o->cols[i].flags & COLF_DEFAULT);
		rec_str(r, LC_HELP, o->cols[i].help);
		rc = out_emit(l, 0);
	}
	if (rc == 0)
		rc = out_end(l);
	out_free(l);
	return rc;
}
