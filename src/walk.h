/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * walk.h - the walker under fswalk: a depth-first walk of one filesystem
 * that cannot be led outside its start directory.
 *
 * The start directory is opened once.  Every subdirectory is opened
 * relative to its parent's fd with openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS) and
 * O_DIRECTORY|O_NOFOLLOW; every other entry is only looked at with statx
 * relative to its parent's fd and AT_SYMLINK_NOFOLLOW, never opened.  So a
 * symlink swapped in during the walk, a FIFO without a writer or a mount
 * point cannot take it elsewhere or hang it.
 *
 * Entries come in readdir order, each directory before its contents, and
 * memory does not grow with the size of a directory.  Only some ancestors
 * keep their fd open; the others are reopened from the nearest open one
 * (one component at a time, checking the inode), so any depth walks within
 * a small fd budget.
 *
 * The walk reports through a callback in the spirit of bfs's bftw: each
 * entry, and each error (a directory that cannot be read, an entry that
 * vanished), is passed to it, and it answers continue, prune or stop.
 * Errors never end the walk by themselves.  The position (for each level
 * of the directory stack: name, inode, readdir cookie) can be read between
 * entries, and a walk can start again from such a position.
 *
 * This module never prints and never exits.
 */
#ifndef MNTX_WALK_H
#define MNTX_WALK_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "abi.h"

/** What the callback answers. */
enum walk_action {
	WALK_CONTINUE = 0,	/* go on (into the directory, if it is one) */
	WALK_PRUNE,		/* do not enter this directory */
	WALK_STOP,		/* end the walk now: walk_run() returns 1 */
};

enum walk_visit {
	WALK_ENTRY,		/* an entry of the tree (the start directory first) */
	WALK_ERROR,		/* something could not be read: .err and .what say why */
};

enum walk_flags {
	WALK_SYMLINKS = 1 << 0,	/* report symlinks (never followed); default: left out */
	WALK_MOUNTPOINTS = 1 << 1,	/* report mount points (never entered); default: left out */
};

/** One entry, valid during the callback only. */
struct walk_entry {
	enum walk_visit visit;
	const char *path;	/* the start path, '/', the names below it; NUL-terminated */
	size_t pathlen;
	const char *name;	/* the last component (the whole path for the start) */
	size_t namelen;
	int depth;		/* 0 for the start directory */
	int dfd;		/* the parent directory's fd (AT_FDCWD for the start) */
	mode_t type;		/* S_IFMT bits from readdir or statx; 0 when unknown */
	const struct mntx_statx *stx;	/* NULL unless a statx mask was asked for */
	bool mountpoint;	/* a mount point (listed with WALK_MOUNTPOINTS, never entered) */
	int err;		/* WALK_ERROR: the errno */
	const char *what;	/* WALK_ERROR: what failed, "cannot open directory" ... */
};

struct walk;

typedef enum walk_action (*walk_fn)(const struct walk_entry *e, void *arg);
typedef enum walk_action (*walk_tick_fn)(struct walk *w, void *arg);

struct walk_opts {
	unsigned int flags;	/* enum walk_flags */
	unsigned int statx_mask;	/* STATX_* wanted for every entry; 0: none (readdir's type) */
	const char *const *exclude;	/* fnmatch(3) globs on names: prune the entry and its subtree */
	size_t nexclude;
	walk_fn fn;		/* called for every entry and error */
	void *arg;
	/*
	 * When *poll is non-zero, tick is called between two entries, where
	 * walk_position() is exact (a signal handler or timer sets it; tick
	 * clears it).  Its WALK_STOP ends the walk.
	 */
	const volatile sig_atomic_t *poll;
	walk_tick_fn tick;
	unsigned int max_fds;	/* directory fds to keep open; 0: from RLIMIT_NOFILE */
	/*
	 * Threads in all (0 or 1: the caller's alone).  The others open, read
	 * and statx the subdirectories that come next, ahead of the walk; the
	 * order of entries and what is reported stay exactly the same.
	 */
	unsigned int threads;
};

/** One level of a position: a directory of the stack and where its reading is. */
struct walk_pos_level {
	const char *name;	/* "" for the start directory; never '/', '.' or '..' */
	size_t namelen;
	uint64_t ino;		/* the directory's inode */
	uint64_t cookie;	/* readdir cookie (d_off) after the last entry done; 0: start */
	uint64_t entry;		/* the parent's cookie before this directory's entry: read
				 * from there, the parent gives this directory next (0: start) */
};

/**
 * struct walk_pos - where a walk is.  n == 0: nothing done yet.  Otherwise
 * levels 0..n-1 are the start directory and the directories being walked
 * below it, each one's record already reported; the walk goes on with the
 * entries of level n-1 after its cookie, then those of level n-2 after its
 * cookie, and so on.
 */
struct walk_pos {
	size_t n;
	const struct walk_pos_level *lv;
};

/**
 * walk_open() - open the start of a walk.
 * @path: the start directory (symlinks in it are followed, once); a path
 *        that is not a directory is walked as a single entry
 * @opts: copied; the exclude array must outlive the walk
 *
 * Return: 0 with *@w set, or -1 with errno (the start cannot be opened).
 */
int walk_open(struct walk **w, const char *path, const struct walk_opts *opts);

/** walk_root_fd() - the start directory's fd (O_PATH for a non-directory). */
int walk_root_fd(const struct walk *w);

/**
 * walk_run() - walk, from the start or from @resume (NULL: the start).
 * A directory of @resume that is gone or is another one now (inode) is
 * reported as an error and skipped: the walk goes on after it.
 *
 * Return: 0 when the walk is complete, 1 when the callback or the tick
 * stopped it, -1 with errno on a failure that ends it (ENOMEM).
 */
int walk_run(struct walk *w, const struct walk_pos *resume);

/**
 * walk_position() - the position now: exact between entries (in the tick),
 * and in the callback it is the position before the entry.  The names stay
 * valid until the walk goes on.
 */
void walk_position(struct walk *w, struct walk_pos *pos);

/** walk_current_dir() - the directory being read now (not NUL-terminated). */
const char *walk_current_dir(const struct walk *w, size_t *len);

void walk_close(struct walk *w);

#endif
