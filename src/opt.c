// SPDX-License-Identifier: GPL-2.0-or-later
/* opt.c - option tables into getopt_long, --help and --version; see opt.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "opt.h"
#include "out.h"

static const struct mntx_opt builtin[] = {
	{ 'h', "help", no_argument, NULL, "display this help" },
	{ 'V', "version", no_argument, NULL, "display version" },
	{ 0 }
};

static size_t count(const struct mntx_opt *opts)
{
	size_t n = 0;

	while (opts && opts[n].name)
		n++;
	return n;
}

int opt_init(struct opt_parser *p, const struct mntx_tooldef *def, int argc, char **argv)
{
	size_t n = count(def->opts), k = 0, s = 0;
	const struct mntx_opt *tables[] = { def->opts, builtin };

	memset(p, 0, sizeof(*p));
	p->def = def;
	p->argc = argc;
	p->argv = argv;
	p->longopts = reallocarray(NULL, n + 3, sizeof(*p->longopts));
	if (!p->longopts)
		return -1;
	p->shortopts[s++] = '+';	/* options stop at the first operand */
	for (size_t t = 0; t < 2; t++) {
		for (const struct mntx_opt *o = tables[t]; o && o->name; o++) {
			p->longopts[k++] = (struct option){ o->name, o->has_arg, NULL, o->val };
			if (o->val > 0 && o->val < 256 && s + 3 < sizeof(p->shortopts)) {
				p->shortopts[s++] = (char)o->val;
				if (o->has_arg == required_argument)
					p->shortopts[s++] = ':';
				else if (o->has_arg == optional_argument) {
					p->shortopts[s++] = ':';
					p->shortopts[s++] = ':';
				}
			}
		}
	}
	p->longopts[k] = (struct option){ 0 };
	p->shortopts[s] = '\0';
	optind = 1;
	return 0;
}

void opt_free(struct opt_parser *p)
{
	free(p->longopts);
	p->longopts = NULL;
}

/* The shared output options by long name, as out_option() knows them: a
 * tool may give one another letter (fsmount's -o is mount(8)'s options,
 * its columns are --output alone). */
static int output_option(const struct mntx_tooldef *def, int c)
{
	static const struct { const char *name; int val; } shared[] = {
		{ "json", 'J' }, { "json-lines", OPT_JSON_LINES }, { "output", 'o' },
		{ "output-all", OPT_OUTPUT_ALL }, { "noheadings", 'n' }, { "raw", 'r' },
		{ "bytes", 'b' }, { "list-columns", 'H' },
	};

	for (const struct mntx_opt *o = def->opts; o && o->name; o++) {
		if (o->val != c)
			continue;
		for (size_t i = 0; i < sizeof(shared) / sizeof(shared[0]); i++)
			if (!strcmp(o->name, shared[i].name))
				return shared[i].val;
		return 0;
	}
	return 0;
}

void opt_output(struct opt_parser *p, struct out_ctx *o)
{
	p->out = o;
}

int opt_next(struct opt_parser *p, char **arg)
{
	int c, shared;

again:
	c = getopt_long(p->argc, p->argv, p->shortopts, p->longopts, NULL);
	*arg = optarg;
	switch (c) {
	case -1:
		if (p->out && out_wants_columns_list(p->out)) {
			/* -H answers alone, in the format the other options chose */
			out_list_columns(p->out);
			return OPT_EXIT;
		}
		return OPT_END;
	case 'h':
		opt_help(p->def, stdout);
		return OPT_EXIT;
	case 'V':
		printf("%s from mntx %s\n", p->def->name, MNTX_VERSION);
		return OPT_EXIT;
	case '?':
	case ':':
		/* getopt_long already said what was wrong. */
		fprintf(stderr, "Try '%s --help' for more information.\n", diag_prog());
		return OPT_ERROR;
	default:
		shared = p->out ? output_option(p->def, c) : 0;
		if (!shared)
			return c;
		if (out_option(p->out, shared, optarg) < 0)
			return OPT_ERROR;
		goto again;
	}
}

static void help_line(FILE *f, const struct mntx_opt *o)
{
	char left[64];
	int n;

	if (o->val > 0 && o->val < 256)
		n = snprintf(left, sizeof(left), " -%c, --%s", o->val, o->name);
	else
		n = snprintf(left, sizeof(left), "     --%s", o->name);
	if (o->arg && n > 0 && (size_t)n < sizeof(left))
		snprintf(left + n, sizeof(left) - (size_t)n,
			 o->has_arg == optional_argument ? "[=%s]" : " %s", o->arg);
	if (strlen(left) > 27)
		fprintf(f, "%s\n%29s%s\n", left, "", o->help);
	else
		fprintf(f, "%-29s%s\n", left, o->help);
}

/* The option that picks columns: -o, or --output where -o means something else. */
static const char *columns_option(const struct mntx_tooldef *def)
{
	static char buf[64];

	for (const struct mntx_opt *o = def->opts; o && o->name; o++) {
		if (o->compl != OPT_C_COLUMNS)
			continue;
		if (o->val > 0 && o->val < 256)
			snprintf(buf, sizeof(buf), "-%c", o->val);
		else
			snprintf(buf, sizeof(buf), "--%s", o->name);
		return buf;
	}
	return "-o";
}

void opt_help(const struct mntx_tooldef *def, FILE *f)
{
	const char *u = def->usage;

	fputs("Usage:\n", f);
	while (u && *u) {
		size_t len = strcspn(u, "\n");

		fprintf(f, " %s %.*s\n", def->name, (int)len, u);
		u += len + (u[len] == '\n');
	}
	fprintf(f, "\n%s\n\nOptions:\n", def->about);
	for (const struct mntx_opt *o = def->opts; o && o->name; o++)
		help_line(f, o);
	fputc('\n', f);
	for (const struct mntx_opt *o = builtin; o->name; o++)
		help_line(f, o);
	if (def->cols) {
		fprintf(f, "\nAvailable output columns (%s):\n", columns_option(def));
		for (size_t i = 0; i < def->ncols; i++)
			fprintf(f, " %16s  %s\n", def->cols[i].header, def->cols[i].help);
	}
	/* mntx's own options (mntx --features) are in mntx(1) */
	if (strchr(def->name, ' '))
		fputs("\nFor more details see mntx(1).\n", f);
	else
		fprintf(f, "\nFor more details see mntx-%s(1).\n", def->name);
}

const char *opt_name(const struct mntx_tooldef *def, int val)
{
	static char buf[64];

	for (const struct mntx_opt *o = def->opts; o && o->name; o++) {
		if (o->val != val)
			continue;
		if (val > 0 && val < 256)
			snprintf(buf, sizeof(buf), "-%c/--%s", val, o->name);
		else
			snprintf(buf, sizeof(buf), "--%s", o->name);
		return buf;
	}
	return "?";
}
