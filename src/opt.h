/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * opt.h - one option table per tool.
 *
 * The table drives getopt_long, writes the Options part of --help and gives
 * the completion scripts their words, so that the three never disagree.
 * -h/--help and -V/--version are added to every tool by this module.
 */
#ifndef MNTX_OPT_H
#define MNTX_OPT_H

#include <getopt.h>
#include <stdio.h>
#include <stddef.h>

struct mntx_col;
struct out_ctx;
struct flag_table;

/** What a shell should offer for an option's argument or a tool's operands. */
enum opt_compl {
	OPT_C_NONE = 0,
	OPT_C_FILE,		/* a path */
	OPT_C_DIR,		/* a directory */
	OPT_C_COLUMNS,		/* a comma list of the tool's column names */
	OPT_C_FSTYPE,		/* a comma list of filesystem types (/proc/filesystems) */
	OPT_C_WORDS,		/* one of .words */
	OPT_C_LIST,		/* a comma list of .words */
	OPT_C_PID,		/* a process ID */
	OPT_C_MOUNT,		/* a mount point */
};

struct mntx_opt {
	int val;		/* short option letter, or an id >= 256 for long-only */
	const char *name;	/* long name, without dashes */
	int has_arg;		/* no_argument, required_argument, optional_argument */
	const char *arg;	/* argument name shown in --help: "LIST" */
	const char *help;	/* one line for --help */
	enum opt_compl compl;	/* completion of the argument */
	const char *words;	/* space-separated words for OPT_C_WORDS/OPT_C_LIST */
	const struct flag_table *flags;	/* or the names of a flag table */
};

/* Long-only option ids start here; tools number theirs from OPT_TOOL. */
enum {
	OPT_OUTPUT_ALL = 256,
	OPT_JSON_LINES,
	OPT_TOOL = 300,
};

/* The output options shared by every tool that prints records. */
#define OPT_ENTRY_JSON { 'J', "json", no_argument, NULL, "use JSON output format" }
#define OPT_ENTRY_JSON_LINES { OPT_JSON_LINES, "json-lines", no_argument, NULL, \
	"use JSON Lines output format (one object per line)" }
#define OPT_ENTRY_OUTPUT { 'o', "output", required_argument, "LIST", \
	"the columns to print (+LIST appends to the defaults)", OPT_C_COLUMNS }
#define OPT_ENTRY_OUTPUT_ALL { OPT_OUTPUT_ALL, "output-all", no_argument, NULL, "print all columns" }
#define OPT_ENTRY_NOHEADINGS { 'n', "noheadings", no_argument, NULL, "do not print a header line" }
#define OPT_ENTRY_RAW { 'r', "raw", no_argument, NULL, "use the raw output format" }
#define OPT_ENTRY_BYTES { 'b', "bytes", no_argument, NULL, "print sizes in bytes, not in a human-readable form" }
#define OPT_ENTRY_LIST_COLUMNS { 'H', "list-columns", no_argument, NULL, "list the available columns" }
#define OPT_ENTRIES_OUTPUT OPT_ENTRY_JSON, OPT_ENTRY_JSON_LINES, OPT_ENTRY_OUTPUT, \
	OPT_ENTRY_OUTPUT_ALL, OPT_ENTRY_NOHEADINGS, OPT_ENTRY_RAW, OPT_ENTRY_BYTES, \
	OPT_ENTRY_LIST_COLUMNS

/** A tool: its synopsis, options, columns and entry point. */
struct mntx_tooldef {
	const char *name;	/* canonical name */
	const char *usage;	/* synopsis after the name; lines separated by \n */
	const char *about;	/* what it does, one short paragraph */
	const struct mntx_opt *opts;	/* ends with a zeroed entry */
	const struct mntx_col *cols;	/* output columns, or NULL */
	size_t ncols;
	enum opt_compl operands;	/* completion of the operands */
	const char *operand_words;	/* space-separated words offered for the first
					 * operand (subcommands), or NULL; .operands
					 * completes the later ones */
	int (*run)(int argc, char **argv);
};

/** A row of the command table: a tool's name (or alias) and its definition. */
struct mntx_cmd {
	const char *name;
	const struct mntx_tooldef *def;
	const char *summary;	/* NULL for an alias */
};

/**
 * opt_completion() - a completion script for @shell ("bash", "zsh", "fish")
 * made from the command table and every tool's option table, on @f.
 * Return: 0, or -1 for an unknown shell.
 */
int opt_completion(const char *shell, const struct mntx_cmd *cmds, size_t n, FILE *f);

/* What opt_next() returns besides an option value. */
enum {
	OPT_END = -1,	/* operands start at optind */
	OPT_EXIT = -2,	/* --help or --version was printed: return MNTX_EXIT_OK */
	OPT_ERROR = -3,	/* a usage error was printed: return MNTX_EXIT_USAGE */
};

struct opt_parser {
	const struct mntx_tooldef *def;
	int argc;
	char **argv;
	char shortopts[128];
	struct option *longopts;
	struct out_ctx *out;	/* see opt_output() */
};

/**
 * opt_init() - prepare to parse a tool's arguments.
 * Return: 0, or -1 with errno (ENOMEM).
 */
int opt_init(struct opt_parser *p, const struct mntx_tooldef *def, int argc, char **argv);

/**
 * opt_output() - the tool prints records through @o: opt_next() then
 * handles the shared output options (OPT_ENTRIES_OUTPUT) itself, and
 * after the last option answers -H/--list-columns by printing the columns
 * and returning OPT_EXIT.
 */
void opt_output(struct opt_parser *p, struct out_ctx *o);

/**
 * opt_next() - the next option of the tool's own.
 * @arg: receives the option's argument or NULL
 *
 * Handles --help, --version, unknown options and, after opt_output(), the
 * output options itself.  Tools loop `while ((c = opt_next(...)) >= 0)`
 * and then return MNTX_EXIT_OK for OPT_EXIT and MNTX_EXIT_USAGE for
 * OPT_ERROR.
 * Return: the option's val, or OPT_END, OPT_EXIT or OPT_ERROR.
 */
int opt_next(struct opt_parser *p, char **arg);

void opt_free(struct opt_parser *p);

/** opt_help() - the full --help text of a tool, on @f. */
void opt_help(const struct mntx_tooldef *def, FILE *f);

/** opt_name() - "-o/--output" style name of option @val, for messages. */
const char *opt_name(const struct mntx_tooldef *def, int val);

#endif
