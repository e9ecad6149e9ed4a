// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the text helpers of out.h: utf8_valid() against the
 * boundaries of RFC 3629 (overlong forms, surrogates, the end of Unicode,
 * truncated sequences) and base64_encode() against RFC 4648's vectors and
 * a round trip of every byte value.
 */
#include <stdbool.h>
#include "out.h"
#include "unit.h"

struct utf8_case {
	const char *s;
	size_t len;
	bool valid;
};

#define U(lit, v) { lit, sizeof(lit) - 1, v }

static const struct utf8_case utf8_cases[] = {
	U("", true),
	U("plain ascii /mnt/a b", true),
	U("\x7f", true),			/* DEL is ASCII */
	U("a\0b", true),			/* NUL is valid UTF-8 (JSON escapes it) */
	U("\xc3\xa9", true),			/* é */
	U("\xe2\x82\xac", true),		/* € */
	U("\xf0\x9f\x98\x80", true),		/* U+1F600 */
	U("\xc2\x80", true),			/* U+0080, smallest 2-byte */
	U("\xdf\xbf", true),			/* U+07FF */
	U("\xe0\xa0\x80", true),		/* U+0800, smallest 3-byte */
	U("\xed\x9f\xbf", true),		/* U+D7FF, before the surrogates */
	U("\xee\x80\x80", true),		/* U+E000, after them */
	U("\xef\xbf\xbd", true),		/* U+FFFD itself */
	U("\xef\xbf\xbf", true),		/* U+FFFF */
	U("\xf0\x90\x80\x80", true),		/* U+10000, smallest 4-byte */
	U("\xf4\x8f\xbf\xbf", true),		/* U+10FFFF, the last */
	U("\x80", false),			/* a lone continuation byte */
	U("\xbf", false),
	U("a\xff" "b", false),
	U("\xfe", false),
	U("\xc0\x80", false),			/* overlong NUL */
	U("\xc1\xbf", false),			/* overlong 0x7f */
	U("\xe0\x80\x80", false),		/* overlong 3-byte */
	U("\xe0\x9f\xbf", false),		/* overlong U+07FF */
	U("\xf0\x80\x80\x80", false),		/* overlong 4-byte */
	U("\xf0\x8f\xbf\xbf", false),		/* overlong U+FFFF */
	U("\xed\xa0\x80", false),		/* U+D800, a surrogate */
	U("\xed\xbf\xbf", false),		/* U+DFFF */
	U("\xf4\x90\x80\x80", false),		/* U+110000, past the end */
	U("\xf5\x80\x80\x80", false),
	U("\xf8\x88\x80\x80\x80", false),	/* 5-byte forms are gone */
	U("\xc3", false),			/* truncated */
	U("\xe2\x82", false),
	U("\xf0\x9f\x98", false),
	U("\xc3\x28", false),			/* bad continuation */
	U("\xe2\x28\xa1", false),
	U("\xe2\x82\x28", false),
	U("\xf0\x28\x8c\xbc", false),
	U("ok\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", true),
	U("ok\xc3\xa9\xe2\x82\xac\xf0\x9f\x98", false),	/* cut at the end */
};

static void test_utf8(void)
{
	for (size_t i = 0; i < sizeof(utf8_cases) / sizeof(utf8_cases[0]); i++) {
		const struct utf8_case *c = &utf8_cases[i];

		if (!CHECK(utf8_valid(c->s, c->len) == c->valid))
			fprintf(unit_log, "  utf8 case %zu (%zu bytes) should be %s\n", i, c->len,
				c->valid ? "valid" : "invalid");
	}
	/* the length is honoured: a valid sequence cut short is invalid */
	CHECK(utf8_valid("\xc3\xa9", 2));
	CHECK(!utf8_valid("\xc3\xa9", 1));
	CHECK(utf8_valid("\xe2\x82\xac", 0));
	CHECK(!utf8_valid("\xf0\x9f\x98\x80", 3));
	/* bytes after len are not looked at */
	CHECK(utf8_valid("ab\xff", 2));
}

/* A plain decoder, to check the encoder by a round trip. */
static int b64_value(char c)
{
	const char *tab = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(tab, c) : NULL;

	return p ? (int)(p - tab) : -1;
}

static size_t b64_decode(const char *s, unsigned char *out)
{
	size_t n = 0, len = strlen(s);

	for (size_t i = 0; i + 4 <= len; i += 4) {
		int v[4];

		for (int k = 0; k < 4; k++)
			v[k] = s[i + k] == '=' ? 0 : b64_value(s[i + k]);
		if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[3] < 0)
			return (size_t)-1;
		out[n++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (s[i + 2] != '=')
			out[n++] = (unsigned char)(v[1] << 4 | v[2] >> 2);
		if (s[i + 3] != '=')
			out[n++] = (unsigned char)(v[2] << 6 | v[3]);
	}
	return n;
}

static void test_base64(void)
{
	static const char *const vectors[][2] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
		{ "/mnt/a\xff" "b", "L21udC9h/2I=" }, { "\xfb\xff\xbf", "+/+/" },
	};
	unsigned char all[256], back[256];
	char *s;

	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		s = base64_encode(vectors[i][0], strlen(vectors[i][0]));
		CHECK_STR(s, vectors[i][1]);
		free(s);
	}
	/* NUL bytes are data, not an end */
	s = base64_encode("\0\0\0\0", 4);
	CHECK_STR(s, "AAAAAA==");
	free(s);

	/* every byte value, at every length up to 256, round trips */
	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)(255 - i);
	for (size_t len = 0; len <= sizeof(all); len++) {
		size_t n;

		s = base64_encode(all, len);
		if (!CHECK(s))
			continue;
		CHECK_U64(strlen(s), (len + 2) / 3 * 4);
		n = b64_decode(s, back);
		if (!CHECK_U64(n, len) || !CHECK(!memcmp(all, back, len)))
			fprintf(unit_log, "  base64 round trip of %zu bytes: %s\n", len, s);
		free(s);
	}
}

int main(void)
{
	unit_begin();
	test_utf8();
	test_base64();
	return unit_end("text");
}
