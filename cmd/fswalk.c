// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fswalk (walk) - a secure, resumable walk of one filesystem: paths, or
 * file records (statx's schema plus the path) as lines or JSON Lines.
 *
 * The walk itself is src/walk.c; this file turns options into a walk,
 * entries into records, and ticks of a 100 ms timer into progress lines,
 * flushes and checkpoints (src/walkstate.c) written between two entries,
 * where the position is exact.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <libutil.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "diag.h"
#include "filerec.h"
#include "mounts.h"
#include "sys.h"
#include "tools.h"
#include "walk.h"
#include "walkstate.h"

enum {
	OPT_INCLUDE_MOUNTPOINTS = OPT_TOOL, OPT_INCLUDE_SYMLINKS, OPT_EXCLUDE, OPT_FS,
	OPT_BTIME_CUTOFF, OPT_PROGRESS, OPT_NO_PROGRESS, OPT_RESUME, OPT_STATE,
	OPT_CHECKPOINT, OPT_THREADS,
};

static const struct mntx_opt options[] = {
	{ 'J', "json", no_argument, NULL, "JSON Lines: one file record per line (all fields unless -o)" },
	OPT_ENTRY_JSON_LINES,
	{ 'o', "output", required_argument, "LIST", "the fields to print, tab-separated (+LIST appends to path)",
	  OPT_C_COLUMNS },
	OPT_ENTRY_OUTPUT_ALL,
	OPT_ENTRY_BYTES,
	OPT_ENTRY_LIST_COLUMNS,
	{ '0', "null", no_argument, NULL, "raw paths (or fields), each ended by a NUL byte, for xargs -0" },
	{ OPT_INCLUDE_MOUNTPOINTS, "include-mountpoints", no_argument, NULL,
	  "list mount points below PATH (never entered)" },
	{ OPT_INCLUDE_SYMLINKS, "include-symlinks", no_argument, NULL,
	  "list symlinks, with their target (never followed)" },
	{ OPT_EXCLUDE, "exclude", required_argument, "NAME", "leave out entries (and subtrees) whose name matches this glob; repeatable" },
	{ OPT_FS, "fs", required_argument, "SOURCE", "refuse unless PATH's mount has this source (tank/data, /dev/sdb1)" },
	{ OPT_BTIME_CUTOFF, "btime-cutoff", required_argument, "TIME",
	  "leave out non-directories born after TIME (seconds, @SECONDS or ISO 8601)" },
	{ OPT_PROGRESS, "progress", no_argument, NULL, "show progress on stderr (default when only stderr is a terminal)" },
	{ OPT_NO_PROGRESS, "no-progress", no_argument, NULL, "do not show progress" },
	{ 'q', "quiet", no_argument, NULL, "no summary line at the end" },
	{ OPT_RESUME, "resume", no_argument, NULL, "continue a saved walk of PATH, or start one that can be continued" },
	{ OPT_STATE, "state", required_argument, "FILE", "keep the resume state in FILE (implies --resume)", OPT_C_FILE },
	{ OPT_CHECKPOINT, "checkpoint", required_argument, "SECONDS", "save the state this often (default 5; fractions allowed)" },
	{ 'w', "write", required_argument, "FILE", "write the records to FILE, exactly once across resumes", OPT_C_FILE },
	{ OPT_THREADS, "threads", required_argument, "N", "N threads: N-1 read the directories ahead (default: CPUs, at most 4)" },
	{ 0 }
};

static int run(int argc, char **argv);

const struct mntx_tooldef fswalk_tool = {
	.name = "fswalk",
	.usage = "[options] PATH",
	.about = "Walk one filesystem from PATH, depth first in readdir order, and print every\n"
		 "entry: its path, or the fields of its file record.  Symlinks are never followed,\n"
		 "mount points never entered, devices and FIFOs never opened.  With --resume the\n"
		 "walk saves its position and continues where it stopped after a crash.",
	.opts = options,
	.cols = file_cols,
	.ncols = FC__COUNT,
	.operands = OPT_C_DIR,
	.run = run,
};

/* ---- the state of one run ------------------------------------------------------ */

struct fswalk {
	struct out_ctx *o;
	struct file_text text;
	bool want_link, want_size, progress, quiet;
	bool have_cutoff;
	int64_t cutoff_ns;
	/* counters; kept in the resume state */
	uint64_t entries, dirs, bytes, errors;
	bool stdout_failed, state_failed;
	/* resume */
	const char *state_file;	/* NULL: no checkpoints */
	struct walkstate ident;	/* identity of the walk, filled once */
	bool wfile;		/* records go to -w FILE (dup'ed onto stdout) */
	double interval;
	struct timespec start, next_ckpt, last_progress;
	char linkbuf[PATH_MAX];
};

static volatile sig_atomic_t poll_flag, signo_flag;

static void on_alarm(int sig)
{
	(void)sig;
	poll_flag = 1;
}

static void on_stop_signal(int sig)
{
	signo_flag = sig;
	poll_flag = 1;
}

static double since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* A path as tables show it, for messages: a name cannot forge a line. */
static char *shown(const char *s, size_t len)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		return NULL;
	out_put_escaped(f, s, len);
	fclose(f);
	return buf;
}

/* ---- entries into records ----------------------------------------------------- */

static enum walk_action on_entry(const struct walk_entry *e, void *arg)
{
	struct fswalk *fw = arg;
	struct mntx_rec *r;

	if (e->visit == WALK_ERROR) {
		char *p = shown(e->path, e->pathlen);

		diag_err(e->err, "%s '%s'", e->what, p ? p : "?");
		free(p);
		fw->errors++;
		return WALK_CONTINUE;
	}
	if (fw->have_cutoff && !S_ISDIR(e->type) && e->stx &&
	    (e->stx->stx_mask & MNTX_STATX_BTIME) &&
	    e->stx->stx_btime.tv_sec * 1000000000 + e->stx->stx_btime.tv_nsec > fw->cutoff_ns)
		return WALK_CONTINUE;
	fw->entries++;
	if (S_ISDIR(e->type) && !e->mountpoint)
		fw->dirs++;
	if (e->stx && (e->stx->stx_mask & MNTX_STATX_SIZE))
		fw->bytes += e->stx->stx_size;
	r = out_rec(fw->o);
	rec_strn(r, FC_PATH, e->path, e->pathlen);
	if (e->stx)
		file_fill(fw->o, r, e->stx, &fw->text);
	if (fw->want_link && S_ISLNK(e->type)) {
		ssize_t n = readlinkat(e->dfd, e->name, fw->linkbuf, sizeof(fw->linkbuf));

		if (n >= 0)
			rec_strn(r, FC_LINK_TARGET, fw->linkbuf, (size_t)n);
	}
	if (out_emit(fw->o, e->depth) < 0) {
		fw->stdout_failed = true;
		return WALK_STOP;
	}
	return WALK_CONTINUE;
}

/* ---- ticks: progress, flushes, checkpoints, signals ---------------------------------- */

static void show_progress(struct fswalk *fw, struct walk *w, bool final)
{
	char bytes[8] = "", *dir;
	size_t len;
	const char *p = walk_current_dir(w, &len);
	double t = since(&fw->start);

	if (final) {
		fputs("\r\033[K", stderr);
		return;
	}
	if (fw->want_size)
		humanize_number(bytes, sizeof(bytes), (int64_t)fw->bytes, "", HN_AUTOSCALE,
				HN_B | HN_NOSPACE | HN_DECIMAL);
	/* the end of the directory's path is the part that moves */
	if (len > 50) {
		p += len - 50;
		len = 50;
	}
	dir = shown(p, len);
	fprintf(stderr, "\r\033[K%" PRIu64 " entries %s%s %.0f/s %s%s", fw->entries,
		bytes, *bytes ? "," : "", t > 0 ? (double)fw->entries / t : 0.0,
		p == walk_current_dir(w, &len) ? "" : "...", dir ? dir : "");
	free(dir);
}

/* Write the state: records up to here are out (and on disk, with -w). */
static int checkpoint(struct fswalk *fw, struct walk *w)
{
	struct walkstate st = fw->ident;

	if (out_flush(fw->o) < 0) {
		fw->stdout_failed = true;
		return -1;
	}
	if (fw->wfile) {
		off_t len;

		if (fdatasync(STDOUT_FILENO) < 0 || (len = lseek(STDOUT_FILENO, 0, SEEK_CUR)) < 0) {
			diag_err(errno, "cannot sync the output file");
			fw->state_failed = true;
			return -1;
		}
		st.out_len = (uint64_t)len;
	}
	st.entries = fw->entries, st.dirs = fw->dirs;
	st.bytes = fw->bytes, st.errors = fw->errors;
	walk_position(w, &st.pos);
	if (walkstate_save(fw->state_file, &st) < 0) {
		if (!fw->state_failed)
			diag_err(errno, "cannot save the walk state to '%s'", fw->state_file);
		fw->state_failed = true;
		return -1;
	}
	return 0;
}

static void add_seconds(struct timespec *t, double s)
{
	double whole = floor(s);

	t->tv_sec += (time_t)whole;
	t->tv_nsec += (long)((s - whole) * 1e9);
	if (t->tv_nsec >= 1000000000) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000;
	}
}

static bool passed(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

static enum walk_action on_tick(struct walk *w, void *arg)
{
	struct fswalk *fw = arg;

	poll_flag = 0;
	if (signo_flag) {
		if (fw->state_file)
			checkpoint(fw, w);
		return WALK_STOP;
	}
	if (fw->progress && since(&fw->last_progress) >= 0.1) {
		clock_gettime(CLOCK_MONOTONIC, &fw->last_progress);
		show_progress(fw, w, false);
	}
	if (fw->state_file && passed(&fw->next_ckpt)) {
		checkpoint(fw, w);
		clock_gettime(CLOCK_MONOTONIC, &fw->next_ckpt);
		add_seconds(&fw->next_ckpt, fw->interval);
	} else if (out_flush(fw->o) < 0) {
		/* a pause in records must not hold the last ones back */
		fw->stdout_failed = true;
		return WALK_STOP;
	}
	return fw->stdout_failed ? WALK_STOP : WALK_CONTINUE;
}

static int start_timer(double interval)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	struct itimerval it = { 0 };
	double tick = interval < 0.1 ? interval : 0.1;

	if (tick < 0.001)
		tick = 0.001;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) < 0)
		return -1;
	it.it_interval.tv_sec = (time_t)tick;
	it.it_interval.tv_usec = (suseconds_t)((tick - floor(tick)) * 1e6);
	it.it_value = it.it_interval;
	return setitimer(ITIMER_REAL, &it, NULL);
}

static void stop_timer(void)
{
	struct itimerval it = { 0 };

	setitimer(ITIMER_REAL, &it, NULL);
}

/* ---- option values ----------------------------------------------------------------- */

/* Seconds since the epoch, @SECONDS, or ISO 8601 (a date, a time, a zone). */
static int parse_time(const char *s, int64_t *ns)
{
	static const char *const formats[] = {
		"%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M",
		"%Y-%m-%d",
	};
	const char *num = *s == '@' ? s + 1 : s;
	char *end;

	if (*num == '-' || (*num >= '0' && *num <= '9')) {
		long long v;

		errno = 0;
		v = strtoll(num, &end, 10);
		if (!errno && end != num && !*end && v > -9223372036LL && v < 9223372036LL) {
			*ns = (int64_t)v * 1000000000;
			return 0;
		}
	}
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		struct tm tm = { .tm_isdst = -1 };
		const char *rest = strptime(s, formats[i], &tm);
		time_t t;
		int sign = 0, hh = 0, mm = 0;

		if (!rest)
			continue;
		if (!*rest) {
			t = mktime(&tm);	/* no zone: local time */
		} else if (!strcmp(rest, "Z")) {
			t = timegm(&tm);
		} else if ((rest[0] == '+' || rest[0] == '-') &&
			   (sscanf(rest + 1, "%2d:%2d", &hh, &mm) == 2 ||
			    sscanf(rest + 1, "%2d%2d", &hh, &mm) == 2) &&
			   strlen(rest) <= 6 && hh < 24 && mm < 60) {
			sign = rest[0] == '+' ? 1 : -1;
			t = timegm(&tm) - sign * (hh * 3600 + mm * 60);
		} else {
			continue;
		}
		*ns = (int64_t)t * 1000000000;
		return 0;
	}
	return -1;
}

/* ---- identity of the walk: path, filesystem, start directory ------------------------ */

static char *fd_path(int fd)
{
	char link[64], *buf = malloc(PATH_MAX);
	ssize_t n;

	if (!buf)
		return NULL;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, PATH_MAX - 1);
	if (n <= 0 || buf[0] != '/') {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/*
 * Fill fw->ident from the open start directory: its absolute path, its
 * device and inode, and its mount's source and type.
 * @m: receives the mount (valid until @ns is closed), or NULL when unknown
 */
static int identify(struct fswalk *fw, int rootfd, const char *arg, struct mnt_ns **ns,
		    const struct mntx_mount **m, char **abspath)
{
	struct mntx_statx stx;
	uint64_t id = 0;

	*m = NULL;
	*abspath = fd_path(rootfd);
	if (!*abspath)
		*abspath = realpath(arg, NULL);
	if (!*abspath)
		return -1;
	if (sys_statx(rootfd, "", AT_EMPTY_PATH, MNTX_STATX_INO | MNTX_STATX_MNT_ID_UNIQUE |
		      MNTX_STATX_MNT_ID, &stx) < 0)
		return -1;
	fw->ident.path = *abspath;
	fw->ident.pathlen = strlen(*abspath);
	fw->ident.dev_major = stx.stx_dev_major;
	fw->ident.dev_minor = stx.stx_dev_minor;
	fw->ident.ino = stx.stx_ino;
	if (stx.stx_mask & (MNTX_STATX_MNT_ID_UNIQUE | MNTX_STATX_MNT_ID))
		id = stx.stx_mnt_id;
	if (id && mnt_ns_open(ns, 0, 0, MB_AUTO) == 0 &&
	    mnt_stat(*ns, id, MNTX_STATMOUNT_SB_BASIC | MNTX_STATMOUNT_FS_TYPE |
		     MNTX_STATMOUNT_SB_SOURCE | MNTX_STATMOUNT_MNT_POINT, m) == 0) {
		fw->ident.source = (*m)->source;
		fw->ident.fstype = (*m)->fs_type;
	}
	return 0;
}

static char *default_state_file(const char *abspath)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *dir = NULL, *file = NULL;
	uint64_t h = 0xcbf29ce484222325ull;

	if (xdg && *xdg == '/') {
		if (asprintf(&dir, "%s/mntx", xdg) < 0)
			return NULL;
	} else if (geteuid() == 0) {
		dir = strdup("/var/lib/mntx");
	} else if (home && *home == '/') {
		if (asprintf(&dir, "%s/.local/state/mntx", home) < 0)
			return NULL;
	} else {
		errno = ENOENT;
		return NULL;
	}
	if (!dir)
		return NULL;
	/* mkdir -p, private */
	for (char *p = dir + 1;; p++) {
		if (*p == '/' || !*p) {
			char c = *p;

			*p = '\0';
			if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
				free(dir);
				return NULL;
			}
			*p = c;
			if (!c)
				break;
		}
	}
	for (const char *p = abspath; *p; p++) {
		h ^= (unsigned char)*p;
		h *= 0x100000001b3ull;
	}
	if (asprintf(&file, "%s/walk-%016" PRIx64 ".state", dir, h) < 0)
		file = NULL;
	free(dir);
	return file;
}

static const char *or_unknown(const char *s)
{
	return s ? s : "unknown";
}

/* Refuse a state that is not of this walk, saying what differs. */
static int check_identity(const struct fswalk *fw, const struct walkstate *st, const char *file)
{
	const struct walkstate *now = &fw->ident;

	if (strcmp(st->path, now->path)) {
		diag_err(0, "cannot resume: the state in '%s' is of a walk of '%s', not of '%s'",
			 file, st->path, now->path);
		return -1;
	}
	if (st->dev_major != now->dev_major || st->dev_minor != now->dev_minor || st->ino != now->ino ||
	    (st->source && now->source && strcmp(st->source, now->source)) ||
	    (st->fstype && now->fstype && strcmp(st->fstype, now->fstype))) {
		diag_err(0, "cannot resume: '%s' is not the filesystem the walk started on: it was %s '%s' "
			 "(device %" PRIu32 ":%" PRIu32 ", inode %" PRIu64 "), it is %s '%s' (device %" PRIu32
			 ":%" PRIu32 ", inode %" PRIu64 "); remove '%s' to start again",
			 now->path, or_unknown(st->fstype), or_unknown(st->source), st->dev_major,
			 st->dev_minor, st->ino, or_unknown(now->fstype), or_unknown(now->source),
			 now->dev_major, now->dev_minor, now->ino, file);
		return -1;
	}
	return 0;
}

/* -w FILE: onto stdout; on resume, cut back to the checkpointed length. */
static int open_output(struct fswalk *fw, const char *file, const struct walkstate *saved)
{
	int fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC | (saved ? 0 : O_TRUNC), 0666);
	struct stat sb;

	if (fd < 0 || fstat(fd, &sb) < 0) {
		diag_err(errno, "cannot open '%s'", file);
		goto fail;
	}
	if (saved) {
		if (major(sb.st_dev) != saved->out_major || minor(sb.st_dev) != saved->out_minor ||
		    sb.st_ino != saved->out_ino) {
			diag_err(0, "cannot resume: '%s' is not the file the walk was writing", file);
			goto fail_usage;
		}
		if ((uint64_t)sb.st_size < saved->out_len) {
			diag_err(0, "cannot resume: '%s' is shorter than at the last checkpoint (%" PRIu64
				 " < %" PRIu64 " bytes)", file, (uint64_t)sb.st_size, saved->out_len);
			goto fail_usage;
		}
		/* records after the checkpoint will come again: drop them */
		if (ftruncate(fd, (off_t)saved->out_len) < 0 ||
		    lseek(fd, (off_t)saved->out_len, SEEK_SET) < 0) {
			diag_err(errno, "cannot truncate '%s'", file);
			goto fail;
		}
	}
	if (fflush(stdout) != 0 || dup2(fd, STDOUT_FILENO) < 0) {
		diag_err(errno, "cannot write to '%s'", file);
		goto fail;
	}
	close(fd);
	fw->wfile = true;
	fw->ident.has_output = true;
	fw->ident.out_major = major(sb.st_dev);
	fw->ident.out_minor = minor(sb.st_dev);
	fw->ident.out_ino = sb.st_ino;
	return 0;
fail_usage:
	close(fd);
	return -2;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

/* ---- main ---------------------------------------------------------------------------- */

struct args {
	bool json, null, custom_cols, symlinks, mountpoints, resume;
	bool progress_set, progress;
	const char *fs, *state, *write, *path;
	const char **exclude;
	size_t nexclude;
	double interval;
	bool have_interval;
	unsigned int threads;
};

static int parse_args(struct fswalk *fw, struct args *a, int argc, char **argv)
{
	struct opt_parser p;
	char *arg, *end;
	int c, rc = MNTX_EXIT_USAGE;

	if (opt_init(&p, &fswalk_tool, argc, argv) < 0) {
		diag_err(errno, "cannot start");
		return MNTX_EXIT_FAIL;
	}
	a->exclude = reallocarray(NULL, (size_t)argc + 1, sizeof(*a->exclude));
	if (!a->exclude) {
		diag_err(errno, "cannot start");
		rc = MNTX_EXIT_FAIL;
		goto done;
	}
	out_select(fw->o, "path");
	opt_output(&p, fw->o);
	while ((c = opt_next(&p, &arg)) >= 0) {
		switch (c) {
		case '0':
			a->null = true;
			break;
		case OPT_INCLUDE_MOUNTPOINTS:
			a->mountpoints = true;
			break;
		case OPT_INCLUDE_SYMLINKS:
			a->symlinks = true;
			break;
		case OPT_EXCLUDE:
			if (!*arg) {
				diag_usage("--exclude needs a name pattern");
				goto done;
			}
			a->exclude[a->nexclude++] = arg;
			break;
		case OPT_FS:
			a->fs = arg;
			break;
		case OPT_BTIME_CUTOFF:
			if (parse_time(arg, &fw->cutoff_ns) < 0) {
				diag_usage("invalid --btime-cutoff time: '%s' (seconds, @SECONDS or ISO 8601 "
					   "such as 2024-05-01T12:00:00Z)", arg);
				goto done;
			}
			fw->have_cutoff = true;
			break;
		case OPT_PROGRESS:
		case OPT_NO_PROGRESS:
			a->progress_set = true;
			a->progress = c == OPT_PROGRESS;
			break;
		case 'q':
			fw->quiet = true;
			break;
		case OPT_RESUME:
			a->resume = true;
			break;
		case OPT_STATE:
			a->state = arg;
			a->resume = true;
			break;
		case OPT_CHECKPOINT:
			errno = 0;
			a->interval = strtod(arg, &end);
			if (errno || end == arg || *end || !(a->interval >= 0.001 && a->interval <= 86400)) {
				diag_usage("invalid --checkpoint interval: '%s' (seconds, 0.001 to 86400)", arg);
				goto done;
			}
			a->have_interval = true;
			break;
		case 'w':
			a->write = arg;
			break;
		case OPT_THREADS: {
			const char *err = NULL;

			a->threads = (unsigned int)strtonum(arg, 1, 64, &err);
			if (err) {
				diag_usage("invalid --threads value: '%s' (1 to 64)", arg);
				goto done;
			}
			break;
		}
		}
	}
	if (c != OPT_END) {
		rc = c == OPT_EXIT ? MNTX_EXIT_OK : MNTX_EXIT_USAGE;
		goto done;
	}
	/* --json is JSON Lines here: a walk is a stream */
	a->json = out_is_json(fw->o);
	a->custom_cols = out_columns_chosen(fw->o);
	if (a->json && a->null) {
		diag_usage("--null and --json exclude each other");
		goto done;
	}
	if (a->have_interval && !a->resume) {
		diag_usage("--checkpoint needs --resume or --state");
		goto done;
	}
	if (optind >= argc) {
		diag_usage("no path given");
		goto done;
	}
	if (argc - optind > 1) {
		if (argv[optind + 1][0] == '-')
			diag_usage("options go before PATH: '%s'", argv[optind + 1]);
		else
			diag_usage("one path at a time: '%s'", argv[optind + 1]);
		goto done;
	}
	a->path = argv[optind];
	if (!a->threads) {
		/* one a CPU, up to 4: past that the walk's own thread, which
		 * writes every record in order, is what limits */
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		a->threads = cpus < 1 ? 1 : cpus > 4 ? 4 : (unsigned int)cpus;
	}
	rc = -1;	/* go on */
done:
	opt_free(&p);
	return rc;
}

static int walk_main(struct fswalk *fw, struct args *a)
{
	struct walk_opts wo = {
		.flags = (a->symlinks ? WALK_SYMLINKS : 0) | (a->mountpoints ? WALK_MOUNTPOINTS : 0),
		.exclude = a->exclude, .nexclude = a->nexclude, .fn = on_entry, .arg = fw,
		.poll = &poll_flag, .tick = on_tick, .threads = a->threads,
	};
	struct walk *w = NULL;
	struct mnt_ns *ns = NULL;
	const struct mntx_mount *m = NULL;
	struct walkstate saved = { 0 };
	bool have_saved = false;
	char *abspath = NULL, *statefile = NULL;
	const char *why;
	int rc = MNTX_EXIT_FAIL, r;
	unsigned int mask = file_mask_for(fw->o);

	/* any field but the path and link target needs a statx; they all come with one */
	for (size_t i = 0; i < FC__COUNT; i++)
		if (i != FC_PATH && i != FC_LINK_TARGET && out_needs(fw->o, i))
			mask |= MNTX_STATX_TYPE;
	if (fw->have_cutoff)
		mask |= MNTX_STATX_BTIME | MNTX_STATX_TYPE;
	wo.statx_mask = mask;
	fw->want_size = mask & MNTX_STATX_SIZE;
	fw->want_link = out_needs(fw->o, FC_LINK_TARGET);

	if (walk_open(&w, a->path, &wo) < 0) {
		char *p = shown(a->path, strlen(a->path));

		diag_err(errno, "cannot open '%s'", p ? p : a->path);
		free(p);
		return MNTX_EXIT_FAIL;
	}
	if ((a->fs || a->resume) && identify(fw, walk_root_fd(w), a->path, &ns, &m, &abspath) < 0) {
		diag_err(errno, "cannot identify '%s'", a->path);
		goto out;
	}
	if (a->fs && (!m || !m->source || strcmp(m->source, a->fs))) {
		diag_err(0, "'%s' is on %s '%s' (mounted on %s), not on '%s': refusing to walk it", abspath,
			 m ? or_unknown(m->fs_type) : "an unknown filesystem", m ? or_unknown(m->source) : "?",
			 m ? or_unknown(m->target) : "?", a->fs);
		goto out;
	}
	if (a->resume) {
		statefile = a->state ? strdup(a->state) : default_state_file(abspath);
		if (!statefile) {
			diag_err(errno, "cannot find a place for the walk state (use --state FILE)");
			goto out;
		}
		fw->state_file = statefile;
		if (walkstate_load(statefile, &saved, &why) == 0) {
			have_saved = true;
		} else if (errno == ENOENT) {
			diag_warn("no saved walk of '%s'; starting a new one (state: %s)", abspath, statefile);
		} else {
			if (why)
				diag_err(0, "cannot resume from '%s': %s; remove it to start again", statefile, why);
			else
				diag_err(errno, "cannot read the walk state '%s'", statefile);
			rc = MNTX_EXIT_USAGE;
			goto out;
		}
		if (have_saved && check_identity(fw, &saved, statefile) < 0) {
			rc = MNTX_EXIT_USAGE;
			goto out;
		}
		if (have_saved && saved.has_output != (a->write != NULL)) {
			diag_err(0, saved.has_output ? "cannot resume: the saved walk wrote to a file; resume it with -w FILE"
						     : "cannot resume: the saved walk wrote to stdout; resume it without -w");
			rc = MNTX_EXIT_USAGE;
			goto out;
		}
	}
	if (a->write) {
		r = open_output(fw, a->write, have_saved ? &saved : NULL);
		if (r < 0) {
			rc = r == -2 ? MNTX_EXIT_USAGE : MNTX_EXIT_FAIL;
			goto out;
		}
	}
	if (have_saved) {
		fw->entries = saved.entries, fw->dirs = saved.dirs;
		fw->bytes = saved.bytes, fw->errors = saved.errors;
	}
	if (a->resume) {
		struct sigaction sa = { .sa_handler = on_stop_signal, .sa_flags = SA_RESTART };

		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		fw->interval = a->have_interval ? a->interval : 5.0;
		clock_gettime(CLOCK_MONOTONIC, &fw->next_ckpt);
		add_seconds(&fw->next_ckpt, fw->interval);
	}
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 64 * 1024);
	if (out_begin(fw->o) < 0 || start_timer(a->resume ? fw->interval : 0.1) < 0) {
		diag_err(errno, "cannot start");
		goto out;
	}
	r = walk_run(w, have_saved ? &saved.pos : NULL);
	stop_timer();
	if (fw->progress)
		show_progress(fw, w, true);
	if (r < 0)
		diag_err(errno, "walk failed");
	if (out_end(fw->o) < 0)
		fw->stdout_failed = true;
	if (signo_flag && !fw->stdout_failed) {
		diag_warn("interrupted; continue with --resume");
		rc = 128 + signo_flag;
		goto out;
	}
	if (r == 0 && fw->state_file && !fw->stdout_failed) {
		/* complete: what was written is the whole walk */
		if (fw->wfile && fsync(STDOUT_FILENO) < 0)
			diag_err(errno, "cannot sync '%s'", a->write);
		if (unlink(fw->state_file) < 0 && errno != ENOENT)
			diag_err(errno, "cannot remove the walk state '%s'", fw->state_file);
	}
	if (!fw->quiet && !fw->stdout_failed) {
		char bytes[16] = "";

		if (fw->want_size) {
			bytes[0] = ' ';
			humanize_number(bytes + 1, 7, (int64_t)fw->bytes, "", HN_AUTOSCALE,
					HN_B | HN_NOSPACE | HN_DECIMAL);
			strcat(bytes, ",");
		}
		diag_warn("%" PRIu64 " entries, %" PRIu64 " directories,%s %" PRIu64 " errors, %.2f s",
			  fw->entries, fw->dirs, bytes, fw->errors, since(&fw->start));
	}
	rc = r < 0 || fw->errors || fw->state_failed ? MNTX_EXIT_FAIL : MNTX_EXIT_OK;
out:
	walk_close(w);
	walkstate_free(&saved);
	mnt_ns_close(ns);
	free(abspath);
	free(statefile);
	return rc;
}

static int run(int argc, char **argv)
{
	struct fswalk fw = { 0 };
	struct args a = { 0 };
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &fw.start);
	fw.last_progress = fw.start;
	fw.o = out_new(file_cols, FC__COUNT, "files");
	if (!fw.o) {
		diag_err(errno, "cannot start");
		return MNTX_EXIT_FAIL;
	}
	rc = parse_args(&fw, &a, argc, argv);
	if (rc < 0) {
		if (a.json) {
			out_set_format(fw.o, OUT_JSON_LINES);
			if (!a.custom_cols)
				out_select_all(fw.o);
		} else {
			out_set_format(fw.o, a.null ? OUT_NUL : OUT_LINES);
		}
		fw.progress = a.progress_set ? a.progress
			      : isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO);
		rc = walk_main(&fw, &a);
	}
	free(a.exclude);
	out_free(fw.o);
	return rc;
}
