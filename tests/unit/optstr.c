// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test of src/optstr.c: mount(8)-style option strings.  Each case is
 * an input and the items expected, written "key" or "key=value" one per
 * element (a value of "" shows as "key="), or an errno and error offset.
 * Exits non-zero when any case fails.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "optstr.h"

struct tcase {
	const char *in;
	const char *want[8];	/* NULL-terminated */
	int err;		/* expected errno, 0 for success */
	size_t pos;		/* expected error offset */
};

static const struct tcase cases[] = {
	{ "", { NULL } },
	{ ",,,", { NULL } },
	{ "noswap", { "noswap", NULL } },
	{ "size=1m", { "size=1m", NULL } },
	{ "size=1m,mode=700,noswap", { "size=1m", "mode=700", "noswap", NULL } },
	{ ",size=1m,,inode64,", { "size=1m", "inode64", NULL } },
	{ "size=50%", { "size=50%", NULL } },
	{ "key=", { "key=", NULL } },
	{ "a=b=c", { "a=b=c", NULL } },
	{ "mpol=\"bind:0,1\"", { "mpol=bind:0,1", NULL } },
	{ "size=1m,mpol=\"bind:0-1\"", { "size=1m", "mpol=bind:0-1", NULL } },
	{ "\"a,b\"=c,d", { "a,b=c", "d", NULL } },
	{ "x=\"a=b\"", { "x=a=b", NULL } },
	{ "x=pre\"a,b\"post,y", { "x=prea,bpost", "y", NULL } },
	{ "context=\"system_u:object_r:tmp_t:s0:c127,c456\",noexec",
	  { "context=system_u:object_r:tmp_t:s0:c127,c456", "noexec", NULL } },
	{ "source=my source", { "source=my source", NULL } },
	{ "x=\"\"", { "x=", NULL } },
	{ "x=\"", { NULL }, EINVAL, 2 },
	{ "a,b=\"c,d", { NULL }, EINVAL, 4 },
	{ "a=\"b\",c=\"", { NULL }, EINVAL, 8 },
	{ "=x", { NULL }, EINVAL, 0 },
	{ "a,=x", { NULL }, EINVAL, 2 },
	{ "\"\"", { NULL }, EINVAL, 0 },
	{ "\"\"=v", { NULL }, EINVAL, 0 },
};

/* "key" or "key=value" of an item, into @buf. */
static const char *show(const struct optstr_item *it, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", it->key, it->value ? "=" : "", it->value ? it->value : "");
	return buf;
}

static int check(const struct tcase *t)
{
	struct optstr l = { 0 };
	size_t pos = (size_t)-1, n = 0;
	char buf[256];
	int r = optstr_parse(&l, t->in, &pos), fails = 0;

	if (t->err) {
		if (r != -1 || errno != t->err || pos != t->pos || l.n != 0) {
			fprintf(stderr, "FAIL '%s': want errno %d at %zu, got r=%d errno=%d pos=%zu n=%zu\n",
				t->in, t->err, t->pos, r, errno, pos, l.n);
			fails++;
		}
		optstr_free(&l);
		return fails;
	}
	while (t->want[n])
		n++;
	if (r != 0 || l.n != n) {
		fprintf(stderr, "FAIL '%s': want %zu items, got r=%d n=%zu\n", t->in, n, r, l.n);
		fails++;
	} else {
		for (size_t i = 0; i < n; i++)
			if (strcmp(show(&l.items[i], buf, sizeof(buf)), t->want[i])) {
				fprintf(stderr, "FAIL '%s': item %zu: want '%s', got '%s'\n",
					t->in, i, t->want[i], buf);
				fails++;
			}
	}
	optstr_free(&l);
	return fails;
}

/* Several -o options append; a bad one leaves the list as it was. */
static int check_append(void)
{
	struct optstr l = { 0 };
	char buf[256];
	int fails = 0;

	if (optstr_parse(&l, "size=1m,noswap", NULL) || optstr_parse(&l, "mode=700", NULL))
		fails++;
	if (optstr_parse(&l, "uid=0,gid=\"", NULL) != -1 || errno != EINVAL)
		fails++;
	if (l.n != 3 || strcmp(show(&l.items[2], buf, sizeof(buf)), "mode=700"))
		fails++;
	if (optstr_parse(&l, "", NULL) || l.n != 3)
		fails++;
	if (fails)
		fprintf(stderr, "FAIL appending: n=%zu\n", l.n);
	optstr_free(&l);
	if (l.n || l.items)
		fails++;
	return fails;
}

int main(void)
{
	int fails = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		fails += check(&cases[i]);
	fails += check_append();
	printf("optstr: %zu cases, %d failures\n", sizeof(cases) / sizeof(cases[0]) + 1, fails);
	return fails ? 1 : 0;
}
