// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the JSON renderings of out.h, driven through out_new(),
 * rec_*() and out_emit() with stdout captured: odd strings (invalid UTF-8,
 * control bytes, NUL, quotes) give valid UTF-8 JSON with KEY_b64 holding
 * the exact bytes, integers are exact at 64 bits, unset fields are null,
 * -o picks the keys, and the document, tree and JSON Lines forms parse.
 *
 * `json emit` only prints the odd records as JSON Lines, for
 * tests/unit.bats to feed to jq (a stricter parser than cJSON).
 */
#include <cJSON.h>
#include "out.h"
#include "diag.h"
#include "unit.h"

enum { C_S, C_U, C_I, C_B, C_L, C_X, C_SZ, C_T, C__N };
static const struct mntx_col cols[C__N] = {
	[C_S] = { "s", "S", COL_STR, COLF_DEFAULT, 0, "a string" },
	[C_U] = { "u", "U", COL_U64, COLF_DEFAULT, 0, "an unsigned number" },
	[C_I] = { "i", "I", COL_S64, COLF_DEFAULT, 0, "a signed number" },
	[C_B] = { "b", "B", COL_BOOL, COLF_DEFAULT, 0, "a boolean" },
	[C_L] = { "l", "L", COL_LIST, COLF_DEFAULT, 0, "a list" },
	[C_X] = { "x", "X", COL_HEX, 0, 0, "a hex number" },
	[C_SZ] = { "size", "SIZE", COL_SIZE, 0, 0, "a size" },
	[C_T] = { "t_ns", "TIME", COL_TIME, 0, 0, "a time" },
};

/* Odd strings, with their length (some hold NUL bytes). */
struct odd {
	const char *s;
	size_t len;
	bool utf8;	/* valid UTF-8 without NUL: no s_b64 */
};
#define O(lit, ok) { lit, sizeof(lit) - 1, ok }
static const struct odd odds[] = {
	O("plain", true),
	O("", true),
	O("/mnt/a b", true),
	O("tab\there", true),
	O("new\nline", true),
	O("cr\rbs\\quote\"slash/", true),
	O("\x01\x02\x1f\x7f", true),
	O("\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", true),
	O("\xe2\x80\xa8\xe2\x80\xa9", true),	/* U+2028, U+2029 */
	O("/mnt/\xff\xfe", false),
	O("\x80", false),
	O("\xc3\x28", false),
	O("\xed\xa0\x80", false),		/* a surrogate */
	O("\xc0\xaf", false),			/* overlong '/' */
	O("cut \xe2\x82", false),
	O("nul\0inside", false),		/* NUL: not a C string; b64 keeps it */
	O("\xf4\x90\x80\x80", false),
};
#define NODDS (sizeof(odds) / sizeof(odds[0]))

/* Run @fn with stdout captured; return what it printed. */
static char *capture(void (*fn)(void *), void *arg, size_t *len)
{
	struct unit_capture c;
	char *text;

	unit_capture(&c, &stdout);
	fn(arg);
	text = unit_release(&c);
	*len = c.len;
	CHECK_U64(strlen(text), *len);	/* no NUL byte in the output */
	return text;
}

static void emit_odds(void *arg)
{
	enum out_format fmt = *(enum out_format *)arg;
	struct out_ctx *o = out_new(cols, C__N, "things");

	if (!CHECK(o))
		return;
	out_set_format(o, fmt);
	out_select_all(o);
	CHECK(out_begin(o) == 0);
	for (size_t i = 0; i < NODDS; i++) {
		struct mntx_rec *r = out_rec(o);
		char list[64];
		size_t ll = 0;

		rec_strn(r, C_S, odds[i].s, odds[i].len);
		/* the list: "a", the odd string if it has no NUL, "" */
		memcpy(list, "a", 2), ll = 2;
		if (!memchr(odds[i].s, '\0', odds[i].len)) {
			memcpy(list + ll, odds[i].s, odds[i].len + 1);
			ll += odds[i].len + 1;
		}
		list[ll++] = '\0';
		rec_list(r, C_L, list, ll, memchr(odds[i].s, '\0', odds[i].len) ? 2 : 3);
		rec_u64(r, C_U, i == 0 ? UINT64_MAX : i);
		rec_s64(r, C_I, i == 0 ? INT64_MIN : -(int64_t)i);
		if (i % 2)
			rec_bool(r, C_B, i % 4 == 1);
		rec_u64(r, C_X, 0xdeadbeefcafef00dull);
		rec_u64(r, C_SZ, 9007199254740993ull);	/* 2^53 + 1: not a double */
		rec_s64(r, C_T, -1);
		CHECK(out_emit(o, 0) == 0);
	}
	CHECK(out_end(o) == 0);
	CHECK_U64(out_count(o), NODDS);
	out_free(o);
}

static const char *str_of(const cJSON *obj, const char *key)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(j) ? j->valuestring : NULL;
}

/* The value the JSON should carry for odd string @d: itself, or repaired. */
static void check_odd(const cJSON *rec, const struct odd *d)
{
	const char *s = str_of(rec, "s"), *b64 = str_of(rec, "s_b64");
	char *want_b64 = base64_encode(d->s, d->len);

	if (!CHECK(s)) {
		free(want_b64);
		return;
	}
	CHECK(utf8_valid(s, strlen(s)));
	if (d->utf8) {
		CHECK(strlen(s) == d->len && !memcmp(s, d->s, d->len));
		CHECK(!cJSON_HasObjectItem(rec, "s_b64"));
	} else {
		/* every bad byte is one U+FFFD; the b64 key has the raw bytes */
		CHECK(strstr(s, "\xef\xbf\xbd"));
		CHECK_STR(b64, want_b64);
	}
	free(want_b64);
}

static void check_record(const cJSON *rec, size_t i)
{
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(rec, "l");
	const cJSON *lb = cJSON_GetObjectItemCaseSensitive(rec, "l_b64");
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(rec, "b");
	bool nul = memchr(odds[i].s, '\0', odds[i].len) != NULL;

	check_odd(rec, &odds[i]);
	/* lists: an array of strings; l_b64 only when an item is not UTF-8 */
	if (CHECK(cJSON_IsArray(l))) {
		CHECK_U64((uint64_t)cJSON_GetArraySize(l), nul ? 2 : 3);
		CHECK_STR(cJSON_GetArrayItem(l, 0)->valuestring, "a");
		CHECK_STR(cJSON_GetArrayItem(l, nul ? 1 : 2)->valuestring, "");
	}
	if (odds[i].utf8 || nul) {
		CHECK(!lb);
	} else if (CHECK(cJSON_IsArray(lb))) {
		char *want = base64_encode(odds[i].s, odds[i].len);

		CHECK_STR(cJSON_GetArrayItem(lb, 0)->valuestring, "YQ==");
		CHECK_STR(cJSON_GetArrayItem(lb, 1)->valuestring, want);
		CHECK_STR(cJSON_GetArrayItem(lb, 2)->valuestring, "");
		free(want);
	}
	/* unset is null, never false or 0 */
	if (i % 2)
		CHECK(i % 4 == 1 ? cJSON_IsTrue(b) : cJSON_IsFalse(b));
	else
		CHECK(cJSON_IsNull(b));
	CHECK(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(rec, "x")));
	CHECK(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(rec, "size")));
	CHECK(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(rec, "t_ns")));
}

/* The integers, exact: read from the text, not through a double. */
static void check_integers(const char *text)
{
	CHECK(strstr(text, "18446744073709551615"));
	CHECK(strstr(text, "-9223372036854775808"));
	CHECK(strstr(text, "16045690984503111693"));	/* 0xdeadbeefcafef00d */
	CHECK(strstr(text, "9007199254740993"));
	CHECK(!strstr(text, "e+"));			/* no exponent form */
}

static void test_json_lines(void)
{
	enum out_format fmt = OUT_JSON_LINES;
	size_t len, n = 0;
	char *text = capture(emit_odds, &fmt, &len);

	CHECK(utf8_valid(text, len));
	check_integers(text);
	for (char *line = text, *nl; *line; line = nl + 1, n++) {
		cJSON *rec;

		nl = strchr(line, '\n');
		if (!CHECK(nl))
			break;
		*nl = '\0';
		/* compact: one object per line, no raw control bytes */
		for (char *p = line; *p; p++)
			CHECK((unsigned char)*p >= 0x20);
		rec = cJSON_Parse(line);
		if (CHECK(cJSON_IsObject(rec)) && n < NODDS)
			check_record(rec, n);
		cJSON_Delete(rec);
	}
	CHECK_U64(n, NODDS);
	free(text);
}

static void test_json_document(void)
{
	enum out_format fmt = OUT_JSON;
	size_t len;
	char *text = capture(emit_odds, &fmt, &len);
	cJSON *doc = cJSON_Parse(text);
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, "things");

	CHECK(utf8_valid(text, len));
	check_integers(text);
	if (CHECK(cJSON_IsArray(arr))) {
		CHECK_U64((uint64_t)cJSON_GetArraySize(arr), NODDS);
		for (size_t i = 0; i < NODDS; i++)
			check_record(cJSON_GetArrayItem(arr, (int)i), i);
	}
	CHECK(cJSON_GetArraySize(doc) == 1);
	cJSON_Delete(doc);
	free(text);
}

static void emit_none(void *arg)
{
	struct out_ctx *o = out_new(cols, C__N, "things");

	out_set_format(o, *(enum out_format *)arg);
	CHECK(out_begin(o) == 0);
	CHECK(out_end(o) == 0);
	out_free(o);
}

static void test_empty(void)
{
	enum out_format fmt = OUT_JSON;
	size_t len;
	char *text = capture(emit_none, &fmt, &len);
	cJSON *doc = cJSON_Parse(text);

	/* nothing matched: still one valid document, with an empty array */
	CHECK(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "things")));
	CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "things")) == 0);
	cJSON_Delete(doc);
	free(text);

	fmt = OUT_JSON_LINES;
	text = capture(emit_none, &fmt, &len);
	CHECK_STR(text, "");
	free(text);
}

/* -o: only the chosen keys, in the chosen order, unset ones as null. */
static void emit_selected(void *arg)
{
	struct out_ctx *o = out_new(cols, C__N, "things");
	struct mntx_rec *r;

	out_set_format(o, OUT_JSON_LINES);
	CHECK(out_select(o, (const char *)arg) == 0);
	r = out_rec(o);
	rec_str(r, C_S, "x");
	rec_u64(r, C_X, 255);
	CHECK(out_emit(o, 0) == 0);
	out_end(o);
	out_free(o);
}

static void test_select(void)
{
	size_t len;
	char *text;
	struct unit_capture c;
	struct out_ctx *o;

	text = capture(emit_selected, "x,S,size", &len);
	CHECK_STR(text, "{\"x\":255,\"s\":\"x\",\"size\":null}\n");
	free(text);
	/* +LIST appends to the default columns; headers match any case */
	text = capture(emit_selected, "+X", &len);
	CHECK_STR(text, "{\"s\":\"x\",\"u\":null,\"i\":null,\"b\":null,\"l\":null,\"x\":255}\n");
	free(text);

	o = out_new(cols, C__N, "things");
	unit_capture(&c, &stderr);
	CHECK(out_select(o, "s,nope") == -1);
	text = unit_release(&c);
	CHECK(!strncmp(text, "unit: unknown column: 'nope'", 28));
	free(text);
	out_free(o);
}

/* Integers at every digit count and every two-digit boundary, each on a
 * line of its own ("-o u"), to compare with printf's. */
static const uint64_t numbers[] = {
	0, 1, 9, 10, 11, 42, 99, 100, 101, 199, 999, 1000, 1001, 65535, 99999, 100000,
	4294967295ull, 4294967296ull, 999999999999999999ull, 1000000000000000000ull,
	9999999999999999999ull, 10000000000000000000ull, 18446744073709551614ull, UINT64_MAX,
};
#define NNUMBERS (sizeof(numbers) / sizeof(numbers[0]))

static void emit_numbers(void *arg)
{
	struct out_ctx *o = out_new(cols, C__N, "things");

	(void)arg;
	if (!CHECK(o))
		return;
	out_set_format(o, OUT_JSON_LINES);
	CHECK(out_select(o, "u,i") == 0);
	for (size_t i = 0; i < NNUMBERS; i++) {
		struct mntx_rec *r = out_rec(o);

		rec_u64(r, C_U, numbers[i]);
		rec_s64(r, C_I, (int64_t)(numbers[i] >> 1) * (i % 2 ? -1 : 1));
		CHECK(out_emit(o, 0) == 0);
	}
	CHECK(out_end(o) == 0);
	out_free(o);
}

static void test_numbers(void)
{
	size_t len, off = 0;
	char *text = capture(emit_numbers, NULL, &len), want[80];

	for (size_t i = 0; i < NNUMBERS && text; i++) {
		int n = snprintf(want, sizeof(want), "{\"u\":%" PRIu64 ",\"i\":%" PRId64 "}\n", numbers[i],
				 (int64_t)(numbers[i] >> 1) * (i % 2 ? -1 : 1));

		if (!CHECK(off + (size_t)n <= len && !memcmp(text + off, want, (size_t)n)))
			break;
		off += (size_t)n;
	}
	CHECK_U64(off, len);
	free(text);
}

/* A tree: records at depth > 0 nest under their parent's "children". */
static void emit_tree(void *arg)
{
	static const int depths[] = { 0, 1, 2, 1, 0 };
	struct out_ctx *o = out_new(cols, C__N, "things");

	out_set_format(o, *(enum out_format *)arg);
	out_set_tree(o, true);
	CHECK(out_select(o, "u") == 0);
	CHECK(out_begin(o) == 0);
	for (size_t i = 0; i < sizeof(depths) / sizeof(depths[0]); i++) {
		rec_u64(out_rec(o), C_U, i);
		CHECK(out_emit(o, depths[i]) == 0);
	}
	CHECK(out_end(o) == 0);
	out_free(o);
}

static void test_tree(void)
{
	enum out_format fmt = OUT_JSON;
	size_t len;
	char *text = capture(emit_tree, &fmt, &len);
	cJSON *doc = cJSON_Parse(text), *flat = NULL;
	char *compact;

	if (CHECK(doc)) {
		flat = cJSON_GetObjectItemCaseSensitive(doc, "things");
		compact = cJSON_PrintUnformatted(flat);
		CHECK_STR(compact, "[{\"u\":0,\"children\":[{\"u\":1,\"children\":[{\"u\":2}]},"
			  "{\"u\":3}]},{\"u\":4}]");
		free(compact);
	}
	cJSON_Delete(doc);
	free(text);

	/* JSON Lines stays a stream of flat objects, tree or not */
	fmt = OUT_JSON_LINES;
	text = capture(emit_tree, &fmt, &len);
	CHECK_STR(text, "{\"u\":0}\n{\"u\":1}\n{\"u\":2}\n{\"u\":3}\n{\"u\":4}\n");
	free(text);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "emit")) {
		enum out_format fmt = OUT_JSON_LINES;

		unit_begin();
		emit_odds(&fmt);
		return unit_failures ? 1 : 0;
	}
	unit_begin();
	diag_set_prog("unit");
	test_json_lines();
	test_json_document();
	test_empty();
	test_select();
	test_numbers();
	test_tree();
	return unit_end("json");
}
