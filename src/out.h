/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * out.h - the record model and its renderings.
 *
 * A tool declares a constant column table and fills typed fields of a
 * record, then emits it; it never looks at the output format.  The same
 * selection of fields is rendered as a table (libsmartcols' layout), a vertical
 * `key: value` listing, one JSON document written record by record, or
 * JSON Lines.  The JSON rules of DESIGN.md live here: valid UTF-8 always
 * (invalid bytes become U+FFFD and the raw bytes go to KEY_b64), exact
 * 64-bit integers, null for a field that was not set.
 */
#ifndef MNTX_OUT_H
#define MNTX_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum col_type {
	COL_STR,	/* bytes, shown escaped in tables; JSON string (+ _b64) */
	COL_U64,	/* decimal */
	COL_S64,	/* signed decimal */
	COL_HEX,	/* a number shown as 0x... in tables */
	COL_OCT,	/* a number shown in octal in tables (modes) */
	COL_SIZE,	/* bytes: human-readable in tables unless --bytes */
	COL_BOOL,	/* true/false */
	COL_TIME,	/* nanoseconds since the epoch: a date in tables */
	COL_LIST,	/* strings: comma-joined in tables, a JSON array */
};

enum col_flags {
	COLF_DEFAULT = 1 << 0,	/* shown without -o */
	COLF_RIGHT = 1 << 1,	/* right-aligned */
	COLF_TRUNC = 1 << 2,	/* may be truncated */
	COLF_TREE = 1 << 3,	/* holds the tree in tree output */
	COLF_WRAP = 1 << 4,	/* may wrap */
};

/** One field of a record. */
struct mntx_col {
	const char *key;	/* JSON key, snake_case */
	const char *header;	/* column header, findmnt's spelling where one exists */
	enum col_type type;
	unsigned int flags;	/* enum col_flags */
	double whint;		/* width hint for libsmartcols (0: none) */
	const char *help;	/* one line for -H and the man page */
};

/** A value of one field; .set false means null. */
struct mntx_val {
	bool set;
	size_t len;		/* COL_STR: bytes; COL_LIST: bytes of NUL-separated items */
	size_t n;		/* COL_LIST: number of items */
	union {
		uint64_t u;
		int64_t s;
		bool b;
		const char *str;	/* borrowed until out_emit() returns */
	};
};

/** A record: one value per column of the table. */
struct mntx_rec {
	struct mntx_val *v;
	size_t n;
};

enum out_format {
	OUT_TABLE,	/* aligned columns */
	OUT_RAW,	/* space-separated, escaped, streamed */
	OUT_VERTICAL,	/* key: value, one field a line */
	OUT_JSON,	/* one document {"PLURAL": [ ... ]} */
	OUT_JSON_LINES,	/* one object per line, flushed at least once a second */
	OUT_LINES,	/* fields tab-separated, escaped as in tables, one record a line, streamed */
	OUT_NUL,	/* fields raw, each followed by a NUL byte (for xargs -0), streamed */
};

struct out_ctx;

/**
 * out_new() - an output context for records of @cols.
 * @plural: the key of the array in JSON ("mounts")
 * Return: the context, or NULL with errno.
 */
struct out_ctx *out_new(const struct mntx_col *cols, size_t ncols, const char *plural);
void out_free(struct out_ctx *o);

/**
 * out_option() - handle one of the shared output options (OPT_ENTRIES_OUTPUT).
 * @c: the option value from opt_next()
 * @arg: its argument
 *
 * Return: 1 when handled, 0 when @c is not an output option, -1 after a
 * usage error was printed (return MNTX_EXIT_USAGE).
 */
int out_option(struct out_ctx *o, int c, const char *arg);

/** out_set_format() - choose the rendering; the default is OUT_TABLE. */
void out_set_format(struct out_ctx *o, enum out_format f);
enum out_format out_format(const struct out_ctx *o);
bool out_is_json(const struct out_ctx *o);
/** out_set_tree() - render a tree: records are then emitted with a depth. */
void out_set_tree(struct out_ctx *o, bool tree);
/** out_columns_chosen() - true when the user picked columns (-o, --output-all). */
bool out_columns_chosen(const struct out_ctx *o);
/**
 * out_user_chose() - true when the user named column @idx (-o, or a
 * '+LIST'), not when it is a default or one of --output-all's.
 */
bool out_user_chose(const struct out_ctx *o, size_t idx);
/** out_wants_columns_list() - true after -H/--list-columns. */
bool out_wants_columns_list(const struct out_ctx *o);

/**
 * out_select() - choose columns from a comma list of headers or keys.
 * A leading '+' appends to the current selection.
 * Return: 0, or -1 after printing a usage error (unknown column).
 */
int out_select(struct out_ctx *o, const char *list);
/**
 * out_json_defaults() - in JSON, the columns @list unless the user chose
 * others; a '+LIST' of the user's is appended to @list (JSON's defaults
 * carry more than a table's: the IDs a script needs).
 * Return: 0, or -1 after a usage error.
 */
int out_json_defaults(struct out_ctx *o, const char *list);
/** out_select_all() - select every column. */
void out_select_all(struct out_ctx *o);
/**
 * out_layout_full() - the default layout of a tool that shows the objects
 * it is given in full (statmount, statx): unless the user chose columns,
 * one object is a vertical key: value listing of every field, several a
 * table of @table_cols (NULL: the default columns), JSON every field.
 * @n: the number of objects to show
 */
void out_layout_full(struct out_ctx *o, size_t n, const char *table_cols);
/** out_needs() - true when column @idx is selected (ask the kernel only for these). */
bool out_needs(const struct out_ctx *o, size_t idx);

/**
 * out_list_columns() - the -H listing: every column with its JSON key,
 * type and meaning, rendered in the context's format.
 * Return: 0, or -1 when stdout failed.
 */
int out_list_columns(struct out_ctx *o);

/** out_begin() - start the output, after the options are settled. Return 0 or -1. */
int out_begin(struct out_ctx *o);

/** out_rec() - the context's record, cleared (every field null). */
struct mntx_rec *out_rec(struct out_ctx *o);

void rec_str(struct mntx_rec *r, size_t idx, const char *s);
void rec_strn(struct mntx_rec *r, size_t idx, const char *s, size_t len);
void rec_u64(struct mntx_rec *r, size_t idx, uint64_t v);
void rec_s64(struct mntx_rec *r, size_t idx, int64_t v);
void rec_bool(struct mntx_rec *r, size_t idx, bool v);
/** rec_list() - @n NUL-terminated strings back to back in @buf (@len bytes). */
void rec_list(struct mntx_rec *r, size_t idx, const char *buf, size_t len, size_t n);

/**
 * out_emit() - render the record.
 * @depth: the record's depth in a tree (0 for a root or flat output)
 *
 * Return: 0, or -1 when stdout failed (stop: nobody reads any more).
 */
int out_emit(struct out_ctx *o, int depth);

/** out_end() - finish the output (print the table, close the document). */
int out_end(struct out_ctx *o);

/**
 * out_flush() - write out what the streaming renderings buffered.  They
 * flush by themselves when a record comes a second or more after the last
 * flush; a long job calls this from its timer so that a pause in records
 * does not hold back the last ones.
 * Return: 0, or -1 when stdout failed.
 */
int out_flush(struct out_ctx *o);

/** out_count() - records emitted so far. */
size_t out_count(const struct out_ctx *o);

/* Text helpers the renderings use, exported for tools and tests. */

/** utf8_valid() - true when @s[0..len) is valid UTF-8. */
bool utf8_valid(const char *s, size_t len);
/** base64_encode() - standard base64 of @len bytes; returns a malloc'd string. */
char *base64_encode(const void *data, size_t len);
/**
 * out_put_escaped() - write @len bytes to @f as tables show them: control
 * bytes, invalid UTF-8 (and, outside a UTF-8 locale, every non-ASCII byte)
 * and a backslash before 'x' become \xNN, so that no name can forge a line
 * or a column.
 */
void out_put_escaped(FILE *f, const char *s, size_t len);

#endif
