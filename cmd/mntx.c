// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mntx - tools for the Linux mount and file API, in one program.
 *
 * A tour of the modules:
 *   cmd/mntx.c      this file: the command table and the dispatch
 *   cmd/TOOL.c      one file per tool: its options, columns and work
 *   src/abi.h       the kernel ABI as of 6.18; src/sys.c the syscall wrappers
 *   src/diag.c      messages and exit codes
 *   src/opt.c       option tables into getopt_long and --help;
 *   src/complete.c  ... and into bash/zsh/fish completion scripts
 *   src/out.c       the record model: tables, JSON, JSON Lines
 *   src/flags.c     flag names both ways (MOUNT_ATTR_*, propagation, ...)
 *   src/mounts.c    listmount/statmount iteration, the mountinfo fallback
 *   src/mountrec.c  the mount record shared by every mount tool
 *   src/optstr.c    mount(8)-style option strings (-o size=1m,mpol="bind:0,1")
 *   src/fsctx.c     filesystem contexts: fsconfig options, the kernel's messages
 *   src/loop.c      loop devices: attach, detach, state, resize
 *   src/size.c      sizes given by the user (64k, 1G)
 *   src/filerec.c   the file record shared by statx, openat2, fh-open, fswalk
 *   src/fhandle.c   file handles as strings, and back to open files
 *   src/mountop.c   what the tools that change mounts share: path to mount, records
 *   src/idmap.c     idmappings (X-mount.idmap syntax) and their user namespaces
 *   src/feature.c   what the running kernel offers, probed (mntx --features)
 *   src/walk.c      the secure walker under fswalk; src/walkstate.c its resume state
 *
 * Called as `mntx TOOL ARGS...` or through a link named after the tool.
 */
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "diag.h"
#include "tools.h"

/* The command table, sorted by name; the only list of tools. */
static const struct mntx_cmd commands[] = {
	{ "bind", &bind_tool, "bind mount, with attributes or an idmapping (open_tree)" },
	{ "fh-encode", &fh_encode_tool, "print file handles as strings fh-open reads" },
	{ "fh-open", &fh_open_tool, "open files by handle: path, record or content" },
	{ "fsmount", &fsmount_tool, "mount a filesystem (fsopen/fsmount), or reconfigure one" },
	{ "fsmount-tmpfs", &fsmount_tmpfs_tool, "mount a new tmpfs (fsopen/fsmount)" },
	{ "fswalk", &fswalk_tool, "walk one filesystem securely, resumably" },
	{ "loop", &loop_tool, "list, attach, detach and resize loop devices" },
	{ "lsmnt", &lsmnt_tool, "list mounts (listmount/statmount)" },
	{ "mountattr", &mountattr_tool, "change mount attributes and propagation (mount_setattr)" },
	{ "move-mount", &move_mount_tool, "move a mount, beneath another or into a peer group" },
	{ "openat2", &openat2_tool, "open a path under RESOLVE_* rules, say why not" },
	{ "statmount", &statmount_tool, "show one mount in full" },
	{ "statx", &statx_tool, "show every field statx(2) gives for files" },
	{ "umount", &umount_tool, "unmount, a whole subtree deepest first with -R" },
	{ "walk", &fswalk_tool, NULL },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct mntx_cmd *find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* Edit distance, to suggest the tool that was meant. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64];

	if (lb >= sizeof(row) / sizeof(row[0]))
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

static int unknown(const char *name)
{
	const char *best = NULL;
	size_t bestd = 3;	/* suggest only close names */

	for (size_t i = 0; i < NCOMMANDS; i++) {
		size_t d = distance(name, commands[i].name);

		if (d < bestd)
			bestd = d, best = commands[i].name;
	}
	if (best)
		fprintf(stderr, "mntx: '%s' is not a mntx tool; did you mean '%s'?\n", name, best);
	else
		fprintf(stderr, "mntx: '%s' is not a mntx tool; see 'mntx --list'\n", name);
	return MNTX_EXIT_UNKNOWN;
}

static void help(void)
{
	printf("Usage:\n mntx TOOL [ARGS...]\n TOOL [ARGS...]   (through a link named after the tool)\n"
	       " mntx --list | --features [options] | --help | --version | --completion=bash|zsh|fish\n\n"
	       "Tools for the Linux mount and file API.\n\nTools:\n");
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (commands[i].summary)
			printf("  %-14s %s\n", commands[i].name, commands[i].summary);
		else
			printf("  %-14s alias of %s\n", commands[i].name, commands[i].def->name);
	}
	printf("\nRun 'mntx TOOL --help' for a tool's options; see mntx(1).\n");
}

static int run(const struct mntx_cmd *c, int argc, char **argv)
{
	diag_set_prog(c->name);
	return diag_close_stdout(c->def->run(argc, argv));
}

static int mntx_main(int argc, char **argv)
{
	const char *arg = argc > 1 ? argv[1] : NULL;
	const struct mntx_cmd *c;

	diag_set_prog("mntx");
	if (!arg || !strcmp(arg, "-h") || !strcmp(arg, "--help")) {
		help();
		return diag_close_stdout(arg ? MNTX_EXIT_OK : MNTX_EXIT_USAGE);
	}
	if (!strcmp(arg, "-V") || !strcmp(arg, "--version")) {
		printf("mntx %s\n", MNTX_VERSION);
		return diag_close_stdout(MNTX_EXIT_OK);
	}
	if (!strcmp(arg, "--list")) {
		for (size_t i = 0; i < NCOMMANDS; i++)
			puts(commands[i].name);
		return diag_close_stdout(MNTX_EXIT_OK);
	}
	if (!strcmp(arg, "--features")) {
		diag_set_prog("mntx");
		return diag_close_stdout(features_tool.run(argc - 1, argv + 1));
	}
	if (!strncmp(arg, "--completion=", 13)) {
		if (opt_completion(arg + 13, commands, NCOMMANDS, stdout) < 0)
			return diag_usage("unknown shell '%s' (bash, zsh or fish)", arg + 13);
		return diag_close_stdout(MNTX_EXIT_OK);
	}
	if (arg[0] == '-')
		return diag_usage("unrecognized option '%s'", arg);
	c = find(arg);
	if (!c)
		return unknown(arg);
	return run(c, argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
	const struct mntx_cmd *c;
	char *base;

	/* A tool that changes mounts must not lend its caller's powers. */
	if (getuid() != geteuid() || getgid() != getegid()) {
		fputs("mntx: refusing to run set-user-ID or set-group-ID\n", stderr);
		return MNTX_EXIT_FAIL;
	}
	/* No setlocale() here: the character set is loaded the first time a
	 * byte needs it (charset.h). */
	/* `| head` ends us quietly even when the parent ignored SIGPIPE */
	signal(SIGPIPE, SIG_DFL);
	if (argc < 1 || !argv[0])
		return MNTX_EXIT_USAGE;
	base = basename(argv[0]);
	c = find(base);
	if (c) {
		argv[0] = base;	/* getopt's messages name the tool, not its path */
		return run(c, argc, argv);
	}
	return mntx_main(argc, argv);
}
