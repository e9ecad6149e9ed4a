// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * walkstate.c - unit test of the resume state: a state written and read back
 * is the same; every truncation, a flipped byte, a foreign file and bad
 * fields are refused with a reason.  Exits non-zero on failure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "walkstate.h"
#include "unit.h"



static const struct walk_pos_level levels[] = {
	{ "", 0, 2, 12345, 0 },
	{ "a dir\nwith newline", 18, 77, 9223372036854775807ull, 12000 },
	{ "bad\xff\xfe", 5, 78, 0, 9223372036854775806ull },
};

static void fill(struct walkstate *st)
{
	memset(st, 0, sizeof(*st));
	st->path = "/srv/data \x01";
	st->pathlen = strlen(st->path);
	st->source = "tank/data";
	st->fstype = "zfs";
	st->dev_major = 0, st->dev_minor = 45, st->ino = 2;
	st->has_output = true;
	st->out_major = 254, st->out_minor = 1, st->out_ino = 99, st->out_len = 1234567;
	st->entries = 10, st->dirs = 3, st->bytes = 18446744073709551615ull, st->errors = 1;
	st->pos.n = 3;
	st->pos.lv = levels;
}

static int parses(const char *text, size_t len, const char **why)
{
	struct walkstate st;
	int rc = walkstate_parse(text, len, &st, why);

	if (rc == 0)
		walkstate_free(&st);
	return rc;
}

static void roundtrip(void)
{
	struct walkstate st, back;
	const char *why;
	size_t len;
	char *text;

	fill(&st);
	text = walkstate_format(&st, &len);
	CHECK(text != NULL);
	if (!text)
		return;
	CHECK(walkstate_parse(text, len, &back, &why) == 0);
	CHECK(back.pathlen == st.pathlen && !memcmp(back.path, st.path, st.pathlen));
	CHECK(!strcmp(back.source, "tank/data") && !strcmp(back.fstype, "zfs"));
	CHECK(back.dev_major == 0 && back.dev_minor == 45 && back.ino == 2);
	CHECK(back.has_output && back.out_major == 254 && back.out_minor == 1);
	CHECK(back.out_ino == 99 && back.out_len == 1234567);
	CHECK(back.entries == 10 && back.dirs == 3 && back.errors == 1);
	CHECK(back.bytes == 18446744073709551615ull);
	CHECK(back.pos.n == 3);
	for (size_t i = 0; i < 3 && back.pos.n == 3; i++) {
		CHECK(back.pos.lv[i].ino == levels[i].ino);
		CHECK(back.pos.lv[i].cookie == levels[i].cookie);
		CHECK(back.pos.lv[i].entry == levels[i].entry);
		CHECK(back.pos.lv[i].namelen == levels[i].namelen);
		CHECK(!memcmp(back.pos.lv[i].name, levels[i].name, levels[i].namelen));
	}
	walkstate_free(&back);

	/* every truncation is refused, with a reason */
	for (size_t cut = 0; cut < len; cut++) {
		why = NULL;
		CHECK(parses(text, cut, &why) < 0 && errno == EINVAL && why);
	}
	/* every flipped byte is refused */
	for (size_t i = 0; i < len; i++) {
		char saved = text[i];

		text[i] ^= 0x20;
		CHECK(parses(text, len, &why) < 0 && why);
		text[i] = saved;
	}
	CHECK(parses(text, len, &why) == 0);
	free(text);
}

static void saved_atomically(void)
{
	char dir[] = "/tmp/walkstate-unit.XXXXXX", file[64];
	struct walkstate st, back;
	const char *why;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(file, sizeof(file), "%s/state", dir);
	fill(&st);
	CHECK(walkstate_save(file, &st) == 0);
	st.entries = 11;
	CHECK(walkstate_save(file, &st) == 0);
	CHECK(walkstate_load(file, &back, &why) == 0);
	CHECK(back.entries == 11);
	walkstate_free(&back);
	unlink(file);
	CHECK(walkstate_load(file, &back, &why) < 0 && errno == ENOENT);
	rmdir(dir);
}

static void refused(void)
{
	static const char *const bad[] = {
		"",
		"hello\n",
		"{\"json\": true}\n",
		"mntx-walk-state 3\nend 0000000000000000\n",
		"mntx-walk-state 2\n",
	};
	const char *why;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		CHECK(parses(bad[i], strlen(bad[i]), &why) < 0 && why);
	}
}

int main(void)
{
	unit_begin();
	roundtrip();
	saved_atomically();
	refused();
	return unit_end("walkstate");
}
