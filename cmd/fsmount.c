// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fsmount, fsmount-tmpfs - mount a filesystem with the new mount API, or
 * reconfigure a mounted one.
 *
 *   fsopen -> [loop device for an image file] -> fsconfig source
 *          -> fsconfig per option -> FSCONFIG_CMD_CREATE[_EXCL]
 *          -> fsmount(attributes) -> [mount_setattr(propagation)]
 *          -> move_mount onto TARGET [beneath the top mount]
 *   fspick -> fsconfig per option -> FSCONFIG_CMD_RECONFIGURE
 *
 * Every step works on fds: TARGET is opened once and checked to be a
 * directory, and the new mount is attached to that very directory and then
 * read back through its own fd, so a path swapped in between cannot
 * redirect either.  The mount is only attached once everything else
 * succeeded, so a failure leaves nothing mounted.  The kernel's own
 * messages are read from the context after every call (src/fsctx.h) and
 * shown in place of the bare errno.  An image file given as the source of
 * a block filesystem is attached to an autoclear loop device, which the
 * mount alone holds once it is made: a failure, or the unmount, frees it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#define LIBBSD_NETBSD_VIS 1	/* the strnvis() prototype; we use stravis() */
#include <vis.h>
#include "abi.h"
#include "charset.h"
#include "diag.h"
#include "feature.h"
#include "flags.h"
#include "fsctx.h"
#include "loop.h"
#include "mountop.h"
#include "optstr.h"
#include "sys.h"
#include "tools.h"

enum {
	OPT_ATTR = OPT_TOOL, OPT_PROPAGATION, OPT_EXCLUSIVE, OPT_BENEATH,
	OPT_SOURCE, OPT_RECONFIGURE, OPT_COLUMNS,
};

/* -o is mount(8)'s options here, so the column list is --output alone. */
#define OPT_ENTRIES_FSMOUNT_OUTPUT OPT_ENTRY_JSON, OPT_ENTRY_JSON_LINES, \
	{ OPT_COLUMNS, "output", required_argument, "LIST", \
	  "the columns to print (+LIST appends to the defaults)", OPT_C_COLUMNS }, \
	OPT_ENTRY_OUTPUT_ALL, OPT_ENTRY_NOHEADINGS, OPT_ENTRY_RAW, OPT_ENTRY_BYTES, \
	OPT_ENTRY_LIST_COLUMNS

#define OPT_ENTRY_ATTR { OPT_ATTR, "attr", required_argument, "LIST", \
	"mount attributes (ro,nosuid,nodev,noexec,noatime,...)", OPT_C_LIST, NULL, &flags_mount_attr }
#define OPT_ENTRY_PROPAGATION { OPT_PROPAGATION, "propagation", required_argument, "TYPE", \
	"private, shared, slave or unbindable", OPT_C_WORDS, NULL, &flags_propagation }
#define OPT_ENTRY_EXCLUSIVE { OPT_EXCLUSIVE, "exclusive", no_argument, NULL, \
	"fail rather than reuse an existing superblock (CMD_CREATE_EXCL)" }
#define OPT_ENTRY_BENEATH { OPT_BENEATH, "beneath", no_argument, NULL, \
	"mount beneath the top mount at TARGET (atomic replace)" }

static const struct mntx_opt tmpfs_options[] = {
	{ 'o', "options", required_argument, "LIST", "tmpfs options: size=,nr_inodes=,mode=,uid=,gid=,huge=,...",
	  OPT_C_LIST, "size= nr_blocks= nr_inodes= mode= uid= gid= huge= mpol= noswap inode32 inode64 ro rw" },
	{ OPT_SOURCE, "source", required_argument, "NAME", "the source name shown for the mount (default: tmpfs)" },
	OPT_ENTRY_ATTR, OPT_ENTRY_PROPAGATION, OPT_ENTRY_EXCLUSIVE, OPT_ENTRY_BENEATH,
	OPT_ENTRIES_FSMOUNT_OUTPUT,
	{ 0 }
};

static const struct mntx_opt fsmount_options[] = {
	{ 't', "type", required_argument, "TYPE", "the filesystem type", OPT_C_FSTYPE },
	{ OPT_SOURCE, "source", required_argument, "SRC", "the source: a device, an image file (on a loop device), a name", OPT_C_FILE },
	{ 'o', "options", required_argument, "LIST", "filesystem options (key=value,flag,...; quote values with commas)",
	  OPT_C_LIST, "ro rw sync dirsync lazytime" },
	OPT_ENTRY_ATTR, OPT_ENTRY_PROPAGATION, OPT_ENTRY_EXCLUSIVE, OPT_ENTRY_BENEATH,
	{ OPT_RECONFIGURE, "reconfigure", no_argument, NULL, "change the superblock mounted at TARGET (remount)" },
	OPT_ENTRIES_FSMOUNT_OUTPUT,
	{ 0 }
};

static int run_tmpfs(int argc, char **argv);
static int run_fsmount(int argc, char **argv);

const struct mntx_tooldef fsmount_tmpfs_tool = {
	.name = "fsmount-tmpfs",
	.usage = "[options] TARGET",
	.about = "Mount a new tmpfs on the directory TARGET with fsopen(2), fsconfig(2),\n"
		 "fsmount(2) and move_mount(2), and print the new mount.",
	.opts = tmpfs_options,
	.cols = mount_cols,
	.ncols = MC__COUNT,
	.operands = OPT_C_DIR,
	.run = run_tmpfs,
};

const struct mntx_tooldef fsmount_tool = {
	.name = "fsmount",
	.usage = "-t TYPE [--source SRC] [options] TARGET\n--reconfigure -o LIST [options] TARGET",
	.about = "Mount a new filesystem on the directory TARGET with fsopen(2), fsconfig(2),\n"
		 "fsmount(2) and move_mount(2), or change the options of the filesystem\n"
		 "mounted at TARGET (fspick(2)), and print the mount.",
	.opts = fsmount_options,
	.cols = mount_cols,
	.ncols = MC__COUNT,
	.operands = OPT_C_DIR,
	.run = run_fsmount,
};

/* What to do, from the options. */
struct job {
	const char *fstype;
	const char *source;	/* --source as given; NULL: leave it to the filesystem */
	const char *fs_source;	/* what the filesystem is given: resolve_source() */
	struct loop_dev loop;	/* an image's loop device (fd -1: none) */
	bool sb_ro;		/* make the superblock read-only after the options */
	struct optstr opts;
	uint64_t attr;		/* MOUNT_ATTR_* for fsmount */
	uint64_t propagation;	/* MS_* or 0 */
	bool exclusive, beneath, reconfigure, have_attr;
	const char *target;
	int tfd;		/* TARGET, O_PATH */
	int fsfd;		/* the filesystem context */
	int mfd;		/* the new mount */
};

/* ---- messages ------------------------------------------------------------------ */

/* Strings shown in messages, with control bytes escaped so that a name
 * cannot forge a line; a few live at once, freed by shown_free(). */
static char *shown_ring[4];
static unsigned int shown_next;

static const char *shown(const char *s)
{
	char **slot = &shown_ring[shown_next++ % 4];

	free(*slot);
	*slot = NULL;
	charset_load();		/* vis shows what the locale can print */
	if (stravis(slot, s, VIS_CSTYLE | VIS_OCTAL | VIS_TAB | VIS_NL) < 0)
		return s;
	return *slot;
}

static void shown_free(void)
{
	for (size_t i = 0; i < 4; i++) {
		free(shown_ring[i]);
		shown_ring[i] = NULL;
	}
}

/*
 * Show what the kernel logged on the context for step @what.  With @err
 * (the call failed), the errno is shown too unless an error message
 * already says why.  Warnings and notes are shown either way.
 */
static void report(struct job *j, int err, const char *what)
{
	struct fsctx_log log = { 0 };
	bool said = false;

	if (j->fsfd >= 0)
		fsctx_drain(j->fsfd, &log);
	for (size_t i = 0; i < log.n; i++) {
		const struct fsctx_msg *m = &log.msgs[i];
		const char *tag = m->level == FSCTX_WARNING ? "warning: " :
				  m->level == FSCTX_INFO ? "note: " : "";

		/* some parsers log the same complaint twice (uid=-5 on 6.18) */
		if (i && m->level == log.msgs[i - 1].level && !strcmp(m->text, log.msgs[i - 1].text))
			continue;
		diag_err(0, "%s: %s%s", what, tag, shown(m->text));
		said |= m->level == FSCTX_ERROR || m->level == FSCTX_UNKNOWN;
	}
	if (err && !said)
		diag_err(err, "%s", what);
	fsctx_log_clear(&log);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static bool is_mount_root(int fd)
{
	struct mntx_statx stx;

	if (sys_statx(fd, "", AT_EMPTY_PATH, 0, &stx) < 0)
		return false;
	return (stx.stx_attributes_mask & MNTX_STATX_ATTR_MOUNT_ROOT) &&
	       (stx.stx_attributes & MNTX_STATX_ATTR_MOUNT_ROOT);
}

/* What this job asks of the kernel beyond the mount API (5.2), checked
 * before anything is made. */
static int check_kernel(const struct job *j)
{
	enum feature f;
	const char *what;

	if (j->exclusive && !feature_has(f = FEAT_FSCONFIG_CREATE_EXCL))
		what = "--exclusive";
	else if (j->beneath && !feature_has(f = FEAT_MOVE_MOUNT_BENEATH))
		what = "--beneath";
	else if (j->propagation && !feature_has(f = FEAT_MOUNT_SETATTR))
		what = "--propagation";
	else if ((j->attr & MNTX_MOUNT_ATTR_NOSYMFOLLOW) && !feature_has(f = FEAT_MOUNT_ATTR_NOSYMFOLLOW))
		what = "nosymfollow";
	else
		return 0;
	diag_err(0, "%s needs %s", what, feature_needs(f));
	return -1;
}

/* ---- the steps ------------------------------------------------------------------ */

/* TARGET, opened once: every later step uses this fd. */
static int open_target(struct job *j, bool need_dir)
{
	struct stat st;

	j->tfd = open(j->target, O_PATH | O_CLOEXEC);
	if (j->tfd < 0) {
		if (errno == ENOENT)
			diag_err(0, "target '%s' does not exist", shown(j->target));
		else
			diag_err(errno, "cannot open target '%s'", shown(j->target));
		return -1;
	}
	if (need_dir && (fstat(j->tfd, &st) < 0 || !S_ISDIR(st.st_mode))) {
		diag_err(0, "target '%s' is not a directory", shown(j->target));
		return -1;
	}
	return 0;
}

static int open_context(struct job *j)
{
	j->fsfd = sys_fsopen(j->fstype, MNTX_FSOPEN_CLOEXEC);
	if (j->fsfd >= 0)
		return 0;
	if (errno == ENOSYS)
		diag_err(0, "this kernel lacks fsopen(2) (Linux 5.2)");
	else if (errno == ENODEV)
		diag_err(0, "unknown filesystem type '%s' (see /proc/filesystems)", shown(j->fstype));
	else
		diag_err(errno, "fsopen %s", shown(j->fstype));
	return -1;
}

/* The last of -o ro and -o rw: 1 for ro, 0 for rw, -1 for neither. */
static int last_ro_rw(const struct job *j)
{
	int r = -1;

	for (size_t i = 0; i < j->opts.n; i++) {
		const struct optstr_item *it = &j->opts.items[i];

		if (!it->value && !strcmp(it->key, "ro"))
			r = 1;
		else if (!it->value && !strcmp(it->key, "rw"))
			r = 0;
	}
	return r;
}

static void loop_failed(const struct job *j, int e)
{
	const char *img = shown(j->source);

	switch (j->loop.step) {
	case LOOP_STEP_FILE:
		diag_err(e, "cannot open image '%s'", img);
		break;
	case LOOP_STEP_CONTROL:
		diag_err(e, "image '%s': cannot open /dev/loop-control", img);
		break;
	case LOOP_STEP_FREE:
		diag_err(e, "image '%s': no free loop device", img);
		break;
	case LOOP_STEP_DEVICE:
		diag_err(e, "image '%s': cannot open %s", img, j->loop.path);
		break;
	case LOOP_STEP_CONFIGURE:
		if (e == EBUSY)
			diag_err(0, "image '%s': every free loop device was taken by others first", img);
		else
			diag_err(e, "cannot attach image '%s' to %s", img, j->loop.path);
		break;
	}
}

/*
 * Attach the image file at --source to a free loop device, as
 * `mount -o loop` does: autoclear, so that the device goes when the
 * filesystem is unmounted, or at once when mounting fails; read-only when
 * the mount is (-o ro, or --attr ro without -o rw).  A file that cannot
 * be written gets a read-only device, and the filesystem is then mounted
 * read-only, unless -o rw asked for a writable one.
 */
static int attach_image(struct job *j)
{
	int rw = last_ro_rw(j);
	bool ro = rw == 1 || (rw == -1 && (j->attr & MNTX_MOUNT_ATTR_RDONLY));

	if (loop_attach_image(j->source, ro, &j->loop) < 0) {
		loop_failed(j, errno);
		return -1;
	}
	if (j->loop.ro && rw == 0) {
		diag_err(0, "image '%s' cannot be written, and -o rw asks for a writable filesystem",
			 shown(j->source));
		loop_dev_close(&j->loop);
		return -1;
	}
	/* a read-only device takes a read-only superblock, or CMD_CREATE fails */
	if (j->loop.ro && rw != 1) {
		j->sb_ro = true;
		if (!(j->attr & MNTX_MOUNT_ATTR_RDONLY))
			diag_warn("note: '%s' is write-protected: mounted read-only", shown(j->source));
		j->attr |= MNTX_MOUNT_ATTR_RDONLY;
	}
	j->fs_source = j->loop.path;
	return 0;
}

/*
 * What the filesystem is given as its source, decided once the context is
 * open (so that its type is known to the kernel) and before anything is set
 * on it: --source as given, or, when it is a regular file and the type
 * mounts block devices, a loop device attached to it.
 * Return: 0, or -1 after saying why.
 */
static int resolve_source(struct job *j)
{
	struct stat st;
	int dev;

	j->fs_source = j->source;
	if (!j->source || stat(j->source, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;	/* a device, a name, or missing: the filesystem says */
	dev = fsctx_type_needs_dev(j->fstype);
	if (dev < 0) {
		diag_err(errno, "cannot read /proc/filesystems");
		return -1;
	}
	return dev ? attach_image(j) : 0;
}

/*
 * Let go of the loop device, once the mount holds it or the mount failed:
 * autoclear frees it when the filesystem is unmounted, or, when nothing
 * holds it (the mount failed, and the context and mount fds are closed
 * first), at once.
 */
static void release_source(struct job *j)
{
	loop_dev_close(&j->loop);
	j->fs_source = NULL;
}

static int set_source(struct job *j)
{
	char *what;
	int r, e;

	if (!j->fs_source)
		return 0;
	r = fsctx_set(j->fsfd, "source", j->fs_source);
	e = errno;
	if (asprintf(&what, "fsconfig source=%s", shown(j->fs_source)) < 0)
		what = NULL;
	report(j, r < 0 ? e : 0, what ? what : "fsconfig source");
	free(what);
	return r;
}

/* Every option, one fsconfig each; all are tried so that every bad one is
 * reported in one run.  Return: 0, or -1 when any failed. */
static int set_options(struct job *j)
{
	int rc = 0;

	for (size_t i = 0; i < j->opts.n; i++) {
		const struct optstr_item *it = &j->opts.items[i];
		char *what;
		int r = fsctx_set(j->fsfd, it->key, it->value), e = errno;

		if (asprintf(&what, "fsconfig %s%s%s", shown(it->key), it->value ? "=" : "",
			     it->value ? shown(it->value) : "") < 0)
			what = NULL;
		report(j, r < 0 ? e : 0, what ? what : "fsconfig");
		free(what);
		if (r < 0)
			rc = -1;
	}
	if (j->sb_ro && rc == 0) {
		rc = fsctx_set(j->fsfd, "ro", NULL);
		report(j, rc < 0 ? errno : 0, "fsconfig ro");
	}
	return rc;
}

static int create(struct job *j)
{
	unsigned int cmd = j->exclusive ? MNTX_FSCONFIG_CMD_CREATE_EXCL : MNTX_FSCONFIG_CMD_CREATE;
	const char *what = j->exclusive ? "fsconfig create (exclusive)" : "fsconfig create";

	if (sys_fsconfig(j->fsfd, cmd, NULL, NULL, 0) < 0) {
		int e = errno;

		if (e == EOPNOTSUPP && j->exclusive) {
			report(j, 0, what);
			diag_err(0, "--exclusive: a filesystem of type '%s' cannot be created exclusively",
				 shown(j->fstype));
		} else {
			report(j, e, what);
		}
		return -1;
	}
	report(j, 0, what);
	return 0;
}

static int make_mount(struct job *j)
{
	j->mfd = sys_fsmount(j->fsfd, MNTX_FSMOUNT_CLOEXEC, (unsigned int)j->attr);
	if (j->mfd < 0) {
		report(j, errno, "fsmount");
		return -1;
	}
	report(j, 0, "fsmount");
	return 0;
}


static int attach(struct job *j)
{
	unsigned int flags = MNTX_MOVE_MOUNT_F_EMPTY_PATH | MNTX_MOVE_MOUNT_T_EMPTY_PATH;

	if (j->beneath)
		flags |= MNTX_MOVE_MOUNT_BENEATH;
	if (sys_move_mount(j->mfd, "", j->tfd, "", flags) == 0)
		return 0;
	if (errno == ENOSYS)
		diag_err(0, "this kernel lacks move_mount(2) (Linux 5.2)");
	else if (errno == EINVAL && j->beneath && !is_mount_root(j->tfd))
		diag_err(0, "--beneath: target '%s' is not a mount point", shown(j->target));
	else
		diag_err(errno, "move_mount onto '%s'", shown(j->target));
	return -1;
}

/*
 * Propagation is set once the mount is attached, as mount(8) does: a mount
 * attached under a shared parent is made shared by the attach itself, which
 * would undo a type set on the detached mount.  On failure the mount is
 * taken off again; one attached beneath another cannot be, without taking
 * the top with it, and is left and reported.
 */
static int set_propagation(struct job *j)
{
	struct mntx_mount_attr a = { .propagation = j->propagation };
	char self[64];

	if (!j->propagation)
		return 0;
	if (sys_mount_setattr(j->mfd, "", AT_EMPTY_PATH, &a, sizeof(a)) == 0)
		return 0;
	diag_err(errno, "mount_setattr (propagation)");
	snprintf(self, sizeof(self), "/proc/self/fd/%d", j->mfd);
	if (j->beneath || umount2(self, MNT_DETACH) < 0)
		diag_err(0, "the new mount is left at '%s'", shown(j->target));
	return -1;
}

/* ---- reconfigure ---------------------------------------------------------------- */

static int pick(struct job *j)
{
	j->fsfd = sys_fspick(j->tfd, "", MNTX_FSPICK_CLOEXEC | MNTX_FSPICK_EMPTY_PATH);
	if (j->fsfd >= 0)
		return 0;
	if (errno == ENOSYS)
		diag_err(0, "this kernel lacks fspick(2) (Linux 5.2)");
	else if (errno == EINVAL && !is_mount_root(j->tfd))
		diag_err(0, "'%s' is not a mount point", shown(j->target));
	else
		diag_err(errno, "fspick '%s'", shown(j->target));
	return -1;
}

static int reconfigure(struct job *j)
{
	if (sys_fsconfig(j->fsfd, MNTX_FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0) < 0) {
		report(j, errno, "fsconfig reconfigure");
		return -1;
	}
	report(j, 0, "fsconfig reconfigure");
	return 0;
}

/* ---- output ----------------------------------------------------------------------- */

/* The record of the mount on @fd, read back by its ID. */
static int print_mount(struct mountop *mo, int fd)
{
	const struct mntx_mount *m;
	struct mount_where w;

	if (mountop_begin(mo) < 0 || mountop_at(fd, "", AT_EMPTY_PATH, &w) < 0 ||
	    mountop_stat(mo, w.id, 0, &m) < 0) {
		diag_err(errno, "mounted, but cannot read the new mount");
		return -1;
	}
	if (mountop_print(mo, m) < 0 || mountop_end(mo) < 0) {
		if (!diag_stdout_broken())
			diag_err(errno, "cannot print the mount");
		return -1;
	}
	return 0;
}

/* ---- main ------------------------------------------------------------------------- */

static int do_create(struct job *j, struct mountop *mo)
{
	int rc = MNTX_EXIT_FAIL;

	if (open_target(j, true) < 0 || open_context(j) < 0 || resolve_source(j) < 0)
		return MNTX_EXIT_FAIL;
	if (set_source(j) < 0 || set_options(j) < 0 || create(j) < 0 ||
	    make_mount(j) < 0 || attach(j) < 0 || set_propagation(j) < 0) {
		/* whatever holds a loop device goes first, so that closing it frees it */
		close_fd(&j->mfd);
		close_fd(&j->fsfd);
	} else {
		rc = print_mount(mo, j->mfd) < 0 ? MNTX_EXIT_FAIL : MNTX_EXIT_OK;
	}
	release_source(j);
	return rc;
}

static int do_reconfigure(struct job *j, struct mountop *mo)
{
	if (open_target(j, false) < 0 || pick(j) < 0)
		return MNTX_EXIT_FAIL;
	if (set_options(j) < 0 || reconfigure(j) < 0)
		return MNTX_EXIT_FAIL;
	return print_mount(mo, j->tfd) < 0 ? MNTX_EXIT_FAIL : MNTX_EXIT_OK;
}

/* The kernel takes at most 255 bytes per key or value (strndup_user). */
#define FSCONFIG_MAX 255

static int add_options(struct job *j, const char *arg)
{
	size_t pos = 0, first = j->opts.n;

	if (optstr_parse(&j->opts, arg, &pos) < 0) {
		if (errno != EINVAL) {
			diag_err(errno, "cannot parse options");
			return MNTX_EXIT_FAIL;
		}
		if (arg[pos] == '"')
			return diag_usage("unterminated quote in options '%s' at byte %zu", shown(arg), pos + 1);
		return diag_usage("option without a name in '%s' at byte %zu", shown(arg), pos + 1);
	}
	for (size_t i = first; i < j->opts.n; i++) {
		const struct optstr_item *it = &j->opts.items[i];

		if (strlen(it->key) > FSCONFIG_MAX)
			return diag_usage("option name '%.32s...' is too long (the kernel takes %d bytes)",
					  shown(it->key), FSCONFIG_MAX);
		if (it->value && strlen(it->value) > FSCONFIG_MAX)
			return diag_usage("value of option '%s' is too long (the kernel takes %d bytes)",
					  shown(it->key), FSCONFIG_MAX);
	}
	return 0;
}

static bool has_source_option(const struct job *j)
{
	for (size_t i = 0; i < j->opts.n; i++)
		if (!strcmp(j->opts.items[i].key, "source"))
			return true;
	return false;
}

/* Options that make no sense with --reconfigure. */
static int check_job(struct job *j)
{
	if (j->reconfigure) {
		if (j->fstype || j->source)
			return diag_usage("--reconfigure takes neither -t/--type nor --source");
		if (j->have_attr || j->propagation)
			return diag_usage("--reconfigure changes the superblock; use mountattr for --attr and --propagation");
		if (j->exclusive || j->beneath)
			return diag_usage("--reconfigure takes neither --exclusive nor --beneath");
		if (!j->opts.n)
			return diag_usage("--reconfigure needs -o/--options");
	} else if (!j->fstype) {
		return diag_usage("no filesystem type given (-t/--type)");
	}
	return 0;
}

static int run(const struct mntx_tooldef *def, int argc, char **argv)
{
	struct job j = { .tfd = -1, .fsfd = -1, .mfd = -1, .loop.fd = -1 };
	struct mountop mo = { 0 };
	struct opt_parser p;
	int c, rc = MNTX_EXIT_USAGE;
	char *arg;

	if (mountop_init(&mo) < 0 || opt_init(&p, def, argc, argv) < 0) {
		diag_err(errno, "cannot start");
		mountop_free(&mo);
		return MNTX_EXIT_FAIL;
	}
	diag_set_cap("CAP_SYS_ADMIN");
	if (def == &fsmount_tmpfs_tool)
		j.fstype = "tmpfs";
	opt_output(&p, mo.out);
	while ((c = opt_next(&p, &arg)) >= 0) {
		switch (c) {
		case 'o': {
			int r = add_options(&j, arg);

			if (r) {
				rc = r;
				goto done;
			}
			break;
		}
		case 't':
			if (!*arg) {
				diag_usage("empty filesystem type");
				goto done;
			}
			j.fstype = arg;
			break;
		case OPT_SOURCE:
			j.source = arg;
			break;
		case OPT_ATTR: {
			uint64_t clr = 0;

			if (flags_parse(&flags_mount_attr, arg, &j.attr, &clr) < 0)
				goto done;
			j.have_attr = true;
			break;
		}
		case OPT_PROPAGATION:
			j.propagation = 0;
			if (flags_parse(&flags_propagation, arg, &j.propagation, NULL) < 0)
				goto done;
			if (!j.propagation) {
				diag_usage("no propagation type given");
				goto done;
			}
			break;
		case OPT_EXCLUSIVE:
			j.exclusive = true;
			break;
		case OPT_BENEATH:
			j.beneath = true;
			break;
		case OPT_RECONFIGURE:
			j.reconfigure = true;
			break;
		}
	}
	if (c != OPT_END) {
		rc = c == OPT_EXIT ? MNTX_EXIT_OK : MNTX_EXIT_USAGE;
		goto done;
	}
	if (optind >= argc) {
		diag_usage("no target given");
		goto done;
	}
	if (argc - optind > 1) {
		diag_usage("one target only; unexpected '%s'", shown(argv[optind + 1]));
		goto done;
	}
	j.target = argv[optind];
	if (def == &fsmount_tmpfs_tool && !j.source && !has_source_option(&j))
		j.source = "tmpfs";	/* as `mount -t tmpfs tmpfs DIR` shows it */
	if (check_job(&j))
		goto done;
	rc = MNTX_EXIT_FAIL;
	if (!j.reconfigure && check_kernel(&j) < 0)
		goto done;
	rc = j.reconfigure ? do_reconfigure(&j, &mo) : do_create(&j, &mo);
done:
	/* an unattached mount vanishes with its fd; an attached one stays */
	close_fd(&j.mfd);
	close_fd(&j.fsfd);
	close_fd(&j.tfd);
	optstr_free(&j.opts);
	opt_free(&p);
	mountop_free(&mo);
	shown_free();
	return rc;
}

static int run_tmpfs(int argc, char **argv)
{
	return run(&fsmount_tmpfs_tool, argc, argv);
}

static int run_fsmount(int argc, char **argv)
{
	return run(&fsmount_tool, argc, argv);
}
