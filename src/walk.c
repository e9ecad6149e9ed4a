// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * walk.c - a secure depth-first walk of one filesystem; see walk.h.
 *
 * The directory stack holds one level per directory being read.  A level
 * keeps its readdir cookie (the d_off after the last entry handled), so a
 * level whose fd was closed, or whose buffer was dropped, is reopened and
 * seeked back exactly there; the same cookies make the position that a
 * resume starts from.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include "charset.h"
#include "sys.h"
#include "walk.h"

#define BUF_SIZE (32 * 1024)	/* getdents64 buffer of one level */
#define KEEP_BUF_DEPTH 16	/* ancestors below this keep their unread entries */
#define FD_WINDOW 1024		/* the deepest levels keep their fds open (within half the budget) ... */
#define FD_STRIDE 64		/* ... and every 64th, to reopen the others from */

struct dirent64_k {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

struct level {
	int fd;			/* -1: closed, reopen from an ancestor */
	uint64_t ino;
	uint64_t cookie;	/* d_off after the last entry handled */
	uint64_t entry;		/* the parent's cookie before this directory's entry */
	size_t nameoff, pathlen;	/* this directory's name is path[nameoff, pathlen) */
	char *buf;		/* getdents64 bytes; NULL: none kept */
	size_t len, pos;
	bool eof, seek;		/* seek: lseek to cookie before reading */
	uint64_t serial;	/* which directory this is, for prefetch jobs */
	size_t ahead;		/* buf offset up to which subdirectories were handed to workers */
	size_t ord;		/* entries of buf taken so far */
	struct pf_result *pres;	/* statx results a worker got for buf's entries, or NULL */
	size_t npres;
};

/* ---- prefetch: worker threads read upcoming directories ----------------------
 *
 * With threads, the subdirectories that come next in the directory being
 * read are handed to workers, which open them (beneath the parent, the same
 * way), read their first buffer of entries and statx those.  The walk takes
 * the result when it reaches the entry, so the order of entries and every
 * check are unchanged; whatever a worker could not do, the walk does itself.
 */
/* A worker's statx of one entry, without the reply's spare words (192
 * of its 256 bytes): a job holds one per entry of a directory buffer. */
#define PF_STX_SIZE offsetof(struct mntx_statx, __spare3)
struct pf_result {
	unsigned char stx[PF_STX_SIZE];
	int err;		/* 0: stx is valid; otherwise the walk does the statx */
};

struct pf_job {
	uint64_t serial, d_off;	/* the parent level and the entry's cookie */
	char name[256];
	int pfd;		/* a dup of the parent's fd, closed by the worker */
	int state;		/* PF_QUEUED, PF_RUNNING, PF_DONE */
	int fd, err;		/* the directory opened, or why not */
	struct mntx_statx stx;	/* the directory's */
	char *buf;		/* its first getdents64 buffer */
	size_t len;
	bool eof;
	struct pf_result *res;	/* one per entry of buf, in order */
	size_t nres;
	struct pf_job *next;
};

enum { PF_QUEUED, PF_RUNNING, PF_DONE };

struct pf_pool {
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	pthread_t *th;
	unsigned int nth, want, inflight, max;
	bool spawned;
	struct pf_job *head;	/* every job not taken back yet, oldest first */
	bool stop;
	unsigned int mask, flags;
};

struct walk {
	struct walk_opts o;
	int rootfd;
	bool root_is_dir;
	struct mntx_statx rootstx;
	char *path;
	size_t pathcap;
	struct level *lv;
	struct walk_pos_level *pos;	/* walk_position()'s array */
	size_t lvcap;
	size_t depth;		/* the level being read */
	size_t failed;		/* reopen(): the level that could not be reopened */
	unsigned int nopen, max_fds;
	size_t window;		/* the deepest levels that keep their fd */
	uint64_t serials;
	struct pf_pool *pf;	/* NULL without threads */
	struct mntx_statx stx;
};

static const struct mntx_open_how subdir_how = {
	.flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC,
	.resolve = MNTX_RESOLVE_BENEATH | MNTX_RESOLVE_NO_SYMLINKS |
		   MNTX_RESOLVE_NO_XDEV | MNTX_RESOLVE_NO_MAGICLINKS,
};

/* ---- small helpers ------------------------------------------------------- */

static int path_reserve(struct walk *w, size_t need)
{
	char *p;
	size_t cap = w->pathcap ? w->pathcap : 256;

	if (need <= w->pathcap)
		return 0;
	while (cap < need)
		cap *= 2;
	p = realloc(w->path, cap);
	if (!p)
		return -1;
	w->path = p;
	w->pathcap = cap;
	return 0;
}

/* Append "/name" to the path of level @d; returns the name's offset. */
static ssize_t path_append(struct walk *w, size_t baselen, const char *name, size_t len)
{
	size_t off = baselen;

	if (path_reserve(w, baselen + len + 2) < 0)
		return -1;
	if (baselen && w->path[baselen - 1] != '/')
		w->path[off++] = '/';
	memcpy(w->path + off, name, len);
	w->path[off + len] = '\0';
	return (ssize_t)off;
}

static int levels_reserve(struct walk *w, size_t n)
{
	struct level *lv;
	struct walk_pos_level *pos;
	size_t cap = w->lvcap ? w->lvcap : 64;

	if (n <= w->lvcap)
		return 0;
	while (cap < n)
		cap *= 2;
	lv = reallocarray(w->lv, cap, sizeof(*lv));
	if (!lv)
		return -1;
	w->lv = lv;
	pos = reallocarray(w->pos, cap, sizeof(*pos));
	if (!pos)
		return -1;
	w->pos = pos;
	w->lvcap = cap;
	return 0;
}

static int open_subdir(int dfd, const char *name)
{
	struct mntx_open_how how = subdir_how;
	int fd, tries = 0;

	/* EAGAIN: the kernel saw a rename race; trying again is safe */
	do
		fd = sys_openat2(dfd, name, &how, sizeof(how));
	while (fd < 0 && errno == EAGAIN && ++tries < 8);
	return fd;
}

static int stat_fd(int fd, unsigned int mask, struct mntx_statx *stx)
{
	return sys_statx(fd, "", AT_EMPTY_PATH, mask | MNTX_STATX_INO, stx);
}

static int stat_at(int dfd, const char *name, unsigned int mask, struct mntx_statx *stx)
{
	return sys_statx(dfd, name, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, mask, stx);
}

static mode_t dtype_mode(unsigned char t)
{
	return t == DT_UNKNOWN ? 0 : (mode_t)DTTOIF(t);
}

static void close_level_fd(struct walk *w, struct level *l)
{
	if (l->fd >= 0) {
		close(l->fd);
		l->fd = -1;
		w->nopen--;
	}
}

static void drop_pres(struct level *l)
{
	free(l->pres);
	l->pres = NULL;
	l->npres = 0;
}

static void drop_buf(struct level *l)
{
	if (l->buf && l->pos < l->len)
		l->seek = true;	/* the fd is past entries not handled yet */
	free(l->buf);
	l->buf = NULL;
	l->len = l->pos = l->ahead = l->ord = 0;
	drop_pres(l);
}

static bool excluded(const struct walk *w, const char *name);

/* ---- the prefetch workers ------------------------------------------------------ */

static bool is_dot(const char *n)
{
	return n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2]));
}

static void pf_free_job(struct pf_job *j)
{
	if (j->pfd >= 0)
		close(j->pfd);
	if (j->fd >= 0)
		close(j->fd);
	free(j->buf);
	free(j->res);
	free(j);
}

static void pf_run(struct pf_pool *p, struct pf_job *j)
{
	struct mntx_statx stx;
	long n;
	size_t count = 0;

	j->fd = open_subdir(j->pfd, j->name);
	j->err = j->fd < 0 ? errno : 0;
	close(j->pfd);
	j->pfd = -1;
	if (j->fd < 0)
		return;
	if (stat_fd(j->fd, p->mask, &j->stx) < 0) {
		j->err = errno;
		close(j->fd);
		j->fd = -1;
		return;
	}
	j->buf = malloc(BUF_SIZE);
	if (!j->buf)
		return;
	n = syscall(SYS_getdents64, j->fd, j->buf, BUF_SIZE);
	if (n <= 0) {
		/* the walk reads again and meets the error itself */
		j->eof = n == 0;
		return;
	}
	j->len = (size_t)n;
	for (size_t off = 0; off < j->len; off += ((struct dirent64_k *)(j->buf + off))->d_reclen)
		count++;
	for (size_t off = 0, k = 0; off < j->len; k++) {
		struct dirent64_k *d = (struct dirent64_k *)(j->buf + off);

		off += d->d_reclen;
		if (is_dot(d->d_name) || d->d_type == DT_DIR ||
		    (d->d_type == DT_LNK && !(p->flags & WALK_SYMLINKS)) ||
		    (!p->mask && d->d_type != DT_UNKNOWN))
			continue;
		/* results only when some entry needs a statx: not for paths
		 * alone on a filesystem that gives the type */
		if (!j->res) {
			if (!(j->res = malloc(count * sizeof(*j->res))))
				return;
			j->nres = count;
			for (size_t i = 0; i < count; i++)
				j->res[i].err = -1;
		}
		if (stat_at(j->fd, d->d_name, p->mask | MNTX_STATX_TYPE, &stx) == 0) {
			memcpy(j->res[k].stx, &stx, PF_STX_SIZE);
			j->res[k].err = 0;
		}
	}
}

/* Run queued job @j, with @p->mu held on entry and on return. */
static void pf_do(struct pf_pool *p, struct pf_job *j)
{
	j->state = PF_RUNNING;
	pthread_mutex_unlock(&p->mu);
	pf_run(p, j);
	pthread_mutex_lock(&p->mu);
	j->state = PF_DONE;
	pthread_cond_broadcast(&p->done);
}

static void *pf_worker(void *arg)
{
	struct pf_pool *p = arg;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct pf_job *j = NULL;

		/* the furthest job first: the walk does the nearest ones itself
		 * when it gets there first, and neither waits for the other */
		for (struct pf_job *k = p->head; k; k = k->next)
			if (k->state == PF_QUEUED)
				j = k;
		if (p->stop)
			break;
		if (!j) {
			pthread_cond_wait(&p->work, &p->mu);
			continue;
		}
		pf_do(p, j);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static int pf_start(struct walk *w, unsigned int n)
{
	struct pf_pool *p = calloc(1, sizeof(*p));

	if (!p)
		return -1;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	p->mask = w->o.statx_mask;
	p->flags = w->o.flags;
	/* every worker busy and three more queued: each job may hold a buffer
	 * of entries and their statx results, a few hundred KiB */
	p->max = n + 3;
	p->th = calloc(n, sizeof(*p->th));
	w->pf = p;
	if (!p->th)
		return -1;
	p->want = n;
	return 0;
}

/* The workers start with the first job: a walk that never finds two
 * subdirectories to read ahead (a flat directory) stays one thread, and
 * pays nothing for what a second thread costs every system call.  A
 * worker that cannot start leaves its jobs to the walk. */
static void pf_spawn(struct pf_pool *p)
{
	sigset_t all, old;

	p->spawned = true;
	/* signals are for the walking thread, where the caller's handlers run */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (; p->nth < p->want; p->nth++)
		if (pthread_create(&p->th[p->nth], NULL, pf_worker, p) != 0)
			break;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void pf_stop(struct walk *w)
{
	struct pf_pool *p = w->pf;

	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (unsigned int i = 0; i < p->nth; i++)
		pthread_join(p->th[i], NULL);
	while (p->head) {
		struct pf_job *j = p->head;

		p->head = j->next;
		pf_free_job(j);
	}
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	free(p->th);
	free(p);
	w->pf = NULL;
}

/*
 * Hand the next subdirectories of level @l to the workers, while there is
 * room.  @descend: the entry just taken is a directory the walk enters
 * first; otherwise the walk goes straight on to the next entry, and a
 * worker could not be done with it sooner than the walk itself.
 */
static void pf_submit(struct walk *w, struct level *l, bool descend)
{
	struct pf_pool *p = w->pf;
	struct pf_job **tail;
	size_t next = l->pos;
	bool added = false;

	while (!descend && next < l->len && is_dot(((struct dirent64_k *)(l->buf + next))->d_name))
		next += ((struct dirent64_k *)(l->buf + next))->d_reclen;
	if (l->ahead < l->pos)
		l->ahead = l->pos;
	pthread_mutex_lock(&p->mu);
	for (tail = &p->head; *tail; tail = &(*tail)->next)
		;
	while (p->inflight < p->max && l->ahead < l->len) {
		struct dirent64_k *d = (struct dirent64_k *)(l->buf + l->ahead);
		size_t len = strlen(d->d_name);
		struct pf_job *j;

		l->ahead += d->d_reclen;
		if (d->d_type != DT_DIR || is_dot(d->d_name) || len >= sizeof(j->name) ||
		    (!descend && (char *)d == l->buf + next) ||
		    (w->o.nexclude && excluded(w, d->d_name)))
			continue;
		j = calloc(1, sizeof(*j));
		if (!j)
			break;
		j->pfd = fcntl(l->fd, F_DUPFD_CLOEXEC, 0);
		if (j->pfd < 0) {
			free(j);
			break;
		}
		j->fd = -1;
		j->serial = l->serial;
		j->d_off = (uint64_t)d->d_off;
		memcpy(j->name, d->d_name, len + 1);
		*tail = j;
		tail = &j->next;
		p->inflight++;
		added = true;
	}
	if (added)	/* a wake-up per directory would cost more than it saves */
		pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	if (added && !p->spawned)
		pf_spawn(p);
}

/*
 * Take back the job of entry @d_off of level @serial, waiting for it if a
 * worker is on it (and doing queued jobs meanwhile); one still queued is
 * dropped (the walk is faster doing it now than waiting).  Return: the
 * job done, or NULL.
 */
static struct pf_job *pf_take(struct walk *w, uint64_t serial, uint64_t d_off)
{
	struct pf_pool *p = w->pf;
	struct pf_job **jp, *j;

	pthread_mutex_lock(&p->mu);
	for (jp = &p->head; *jp; jp = &(*jp)->next)
		if ((*jp)->serial == serial && (*jp)->d_off == d_off)
			break;
	j = *jp;
	while (j && j->state == PF_RUNNING) {
		/* rather than wait for the worker, do a job still queued */
		struct pf_job *k = j->next;

		while (k && k->state != PF_QUEUED)
			k = k->next;
		if (!k) {
			pthread_cond_wait(&p->done, &p->mu);
			continue;
		}
		pf_do(p, k);
	}
	if (j) {
		*jp = j->next;
		p->inflight--;
	}
	pthread_mutex_unlock(&p->mu);
	if (j && j->state == PF_QUEUED) {
		pf_free_job(j);
		j = NULL;
	}
	return j;
}

/* Forget the jobs of a directory the walk is leaving. */
static void pf_forget(struct walk *w, uint64_t serial)
{
	struct pf_pool *p = w->pf;
	struct pf_job **jp = &p->head, *gone = NULL;

	pthread_mutex_lock(&p->mu);
	while (*jp) {
		struct pf_job *j = *jp;

		if (j->serial != serial) {
			jp = &j->next;
			continue;
		}
		if (j->state == PF_RUNNING) {
			pthread_cond_wait(&p->done, &p->mu);
			jp = &p->head;	/* the list may have changed meanwhile */
			continue;
		}
		*jp = j->next;
		p->inflight--;
		j->next = gone;
		gone = j;
	}
	pthread_mutex_unlock(&p->mu);
	while (gone) {
		struct pf_job *j = gone;

		gone = j->next;
		pf_free_job(j);
	}
}

/* ---- reporting ------------------------------------------------------------ */

static enum walk_action report_error(struct walk *w, size_t pathlen, int err, const char *what)
{
	struct walk_entry e = {
		.visit = WALK_ERROR, .path = w->path, .pathlen = pathlen,
		.depth = (int)w->depth, .dfd = -1, .err = err, .what = what,
	};
	char save = w->path[pathlen];
	enum walk_action a;

	w->path[pathlen] = '\0';
	e.name = w->path, e.namelen = pathlen;
	a = w->o.fn(&e, w->o.arg);
	w->path[pathlen] = save;
	return a == WALK_STOP ? WALK_STOP : WALK_CONTINUE;
}

/* ---- the directory stack ---------------------------------------------------- */

/* Push an opened directory as the new deepest level. */
static int push(struct walk *w, int fd, uint64_t ino, size_t nameoff, size_t pathlen,
		uint64_t cookie, uint64_t entry)
{
	struct level *l;
	size_t d = w->depth + 1;

	if (levels_reserve(w, d + 1) < 0)
		return -1;
	if (w->depth >= KEEP_BUF_DEPTH)
		drop_buf(&w->lv[w->depth]);
	/* keep fds open for the deepest levels and every FD_STRIDE-th one */
	if (d > w->window) {
		size_t old = d - w->window;

		if (old % FD_STRIDE || w->nopen >= w->max_fds)
			close_level_fd(w, &w->lv[old]);
	}
	l = &w->lv[d];
	*l = (struct level){ .fd = fd, .ino = ino, .cookie = cookie, .entry = entry, .nameoff = nameoff,
			     .pathlen = pathlen, .seek = cookie != 0, .serial = ++w->serials };
	w->nopen++;
	w->depth = d;
	return 0;
}

static void pop(struct walk *w)
{
	struct level *l = &w->lv[w->depth];

	if (w->pf)
		pf_forget(w, l->serial);
	close_level_fd(w, l);
	free(l->buf);
	l->buf = NULL;
	drop_pres(l);
	w->depth--;
	w->path[w->lv[w->depth].pathlen] = '\0';
}

/*
 * Reopen level @d from the nearest open ancestor, one component at a time,
 * each checked against the inode it had: a directory renamed or replaced
 * meanwhile is not taken for the one we were in.  Levels on the way keep
 * their fd, evenly spaced, within half of the fds still free, so that the
 * next reopen starts close by without running out of fds.
 */
static int reopen(struct walk *w, size_t d)
{
	size_t a = d, step;
	unsigned int avail;
	int dfd, spare = -1;

	while (w->lv[a].fd < 0)
		a--;
	avail = w->max_fds > w->nopen ? w->max_fds - w->nopen : 0;
	step = (d - a) / (avail / 2 + 1) + 1;
	dfd = w->lv[a].fd;
	for (size_t i = a + 1; i <= d; i++) {
		struct level *l = &w->lv[i];
		char save = w->path[l->pathlen];
		int fd;

		w->path[l->pathlen] = '\0';
		fd = open_subdir(dfd, w->path + l->nameoff);
		w->path[l->pathlen] = save;
		if (spare >= 0)
			close(spare);
		spare = -1;
		if (fd >= 0 && stat_fd(fd, 0, &w->stx) < 0) {
			close(fd);
			fd = -1;
		}
		if (fd >= 0 && w->stx.stx_ino != l->ino) {
			close(fd);
			fd = -1;
			errno = ESTALE;
		}
		if (fd < 0) {
			w->failed = i;
			return -1;
		}
		dfd = fd;
		if (i != d && ((i - a) % step || w->nopen + 2 >= w->max_fds)) {
			spare = fd;	/* only a step on the way */
			continue;
		}
		l->fd = fd;
		w->nopen++;
		if (w->pf)
			pf_forget(w, l->serial);	/* its entries will be read again */
		drop_buf(l);
		l->seek = true;
	}
	return 0;
}

/*
 * The next raw entry of the deepest level.
 * Return: 1 with *@out, 0 at the end of the directory, -1 with errno.
 */
static int next_dirent(struct walk *w, struct dirent64_k **out)
{
	struct level *l = &w->lv[w->depth];
	long n;

	for (;;) {
		if (l->buf && l->pos < l->len) {
			*out = (struct dirent64_k *)(l->buf + l->pos);
			l->pos += (*out)->d_reclen;
			l->ord++;
			/* (deeper, the buffer may be dropped and read again) */
			if (w->pf && l->ahead < l->len && l->fd >= 0 && w->depth < KEEP_BUF_DEPTH)
				pf_submit(w, l, (*out)->d_type == DT_DIR && !is_dot((*out)->d_name));
			return 1;
		}
		if (l->eof)
			return 0;
		if (l->fd < 0 && reopen(w, w->depth) < 0)
			return -1;
		if (!l->buf && !(l->buf = malloc(BUF_SIZE)))
			return -1;
		if (l->seek) {
			if (lseek(l->fd, (off_t)l->cookie, SEEK_SET) < 0)
				return -1;
			l->seek = false;
		}
		drop_pres(l);
		n = syscall(SYS_getdents64, l->fd, l->buf, BUF_SIZE);
		if (n < 0)
			return -1;
		l->len = (size_t)n, l->pos = l->ahead = l->ord = 0;
		if (n == 0) {
			l->eof = true;
			free(l->buf);
			l->buf = NULL;
			return 0;
		}
	}
}

static bool excluded(const struct walk *w, const char *name)
{
	for (size_t i = 0; i < w->o.nexclude; i++)
		if (!fnmatch(w->o.exclude[i], name, FNM_PERIOD))
			return true;
	return false;
}

/* ---- one entry ------------------------------------------------------------------- */

#define IS_DIR 16	/* handle_other(): a directory after all, not a walk_action */

static enum walk_action visit(struct walk *w, struct walk_entry *e)
{
	return w->o.fn(e, w->o.arg);
}

/*
 * A directory entry: open it beneath its parent (which also says whether
 * it is a mount point or has become something else), report it, enter it.
 * Return: the callback's answer; -1 with errno on ENOMEM.
 */
static int handle_dir(struct walk *w, struct walk_entry *e, uint64_t d_off, bool *retype)
{
	struct level *l = &w->lv[w->depth];
	unsigned int mask = w->o.statx_mask;
	struct pf_job *job = w->pf ? pf_take(w, l->serial, d_off) : NULL;
	uint64_t entry;
	int fd, err;
	enum walk_action a;

	if (job && job->fd >= 0) {
		/* a worker opened it, beneath the same parent, and read ahead */
		fd = job->fd;
		job->fd = -1;
		w->stx = job->stx;
		goto opened;
	}
	if (job) {
		pf_free_job(job);	/* it failed: do it again, and say why */
		job = NULL;
	}
	fd = open_subdir(l->fd, e->name);
	err = errno;

	if (fd < 0 && (err == ELOOP || err == ENOTDIR)) {
		/* it is no longer a directory (a symlink swapped in): look again */
		*retype = true;
		return WALK_CONTINUE;
	}
	if (fd < 0 && err == EXDEV) {
		if (!(w->o.flags & WALK_MOUNTPOINTS))
			return WALK_CONTINUE;
		e->mountpoint = true;
		if (mask && stat_at(l->fd, e->name, mask, &w->stx) == 0)
			e->stx = &w->stx;
		a = visit(w, e);
		return a == WALK_STOP ? WALK_STOP : WALK_CONTINUE;
	}
	if (fd < 0) {
		/* unreadable (EACCES): still listed, as find does, then the error */
		if (err == EACCES) {
			if (mask && stat_at(l->fd, e->name, mask, &w->stx) == 0)
				e->stx = &w->stx;
			if (visit(w, e) == WALK_STOP)
				return WALK_STOP;
		}
		return report_error(w, e->pathlen, err,
				    err == ENOENT ? "vanished while walking" : "cannot open directory");
	}
	if (stat_fd(fd, mask, &w->stx) < 0) {
		err = errno;
		close(fd);
		return report_error(w, e->pathlen, err, "cannot stat");
	}
opened:
	if (mask)
		e->stx = &w->stx;
	a = visit(w, e);
	if (a != WALK_CONTINUE) {
		close(fd);
		if (job)
			pf_free_job(job);
		return a;
	}
	entry = l->cookie;
	l->cookie = (uint64_t)d_off;
	if (push(w, fd, w->stx.stx_ino, (size_t)(e->name - w->path), e->pathlen, 0, entry) < 0) {
		close(fd);
		if (job)
			pf_free_job(job);
		return -1;
	}
	if (job) {
		struct level *n = &w->lv[w->depth];

		n->buf = job->buf, n->len = job->len, n->eof = job->eof;
		n->pres = job->res, n->npres = job->nres;
		job->buf = NULL, job->res = NULL;
		pf_free_job(job);
	}
	return WALK_CONTINUE;
}

/* Everything but a directory: statx relative to the parent, never opened. */
static int handle_other(struct walk *w, struct walk_entry *e)
{
	struct level *l = &w->lv[w->depth];
	unsigned int mask = w->o.statx_mask;

	if (S_ISLNK(e->type) && !(w->o.flags & WALK_SYMLINKS))
		return WALK_CONTINUE;
	if (mask || !e->type) {
		size_t k = l->ord - 1;

		if (l->pres && k < l->npres && l->pres[k].err == 0) {
			/* a worker asked already */
			memcpy(&w->stx, l->pres[k].stx, PF_STX_SIZE);
			memset((char *)&w->stx + PF_STX_SIZE, 0, sizeof(w->stx) - PF_STX_SIZE);
		}
		else if (stat_at(l->fd, e->name, mask | MNTX_STATX_TYPE, &w->stx) < 0)
			return report_error(w, e->pathlen, errno,
					    errno == ENOENT ? "vanished while walking" : "cannot stat");
		e->stx = mask ? &w->stx : NULL;
		e->type = w->stx.stx_mode & S_IFMT;
		if (S_ISDIR(e->type))
			return IS_DIR;	/* it was (or became) a directory */
		if (S_ISLNK(e->type) && !(w->o.flags & WALK_SYMLINKS))
			return WALK_CONTINUE;
		/* a file bind-mounted over another: a mount point too */
		if ((w->stx.stx_attributes_mask & MNTX_STATX_ATTR_MOUNT_ROOT) &&
		    (w->stx.stx_attributes & MNTX_STATX_ATTR_MOUNT_ROOT)) {
			if (!(w->o.flags & WALK_MOUNTPOINTS))
				return WALK_CONTINUE;
			e->mountpoint = true;
		}
	}
	return visit(w, e) == WALK_STOP ? WALK_STOP : WALK_CONTINUE;
}

static int handle_entry(struct walk *w, const struct dirent64_k *d, uint64_t d_off)
{
	struct level *l = &w->lv[w->depth];
	size_t len = strlen(d->d_name);
	ssize_t off = path_append(w, l->pathlen, d->d_name, len);
	struct walk_entry e;
	bool retype = false;
	int rc;

	if (off < 0)
		return -1;
	e = (struct walk_entry){
		.visit = WALK_ENTRY, .path = w->path, .pathlen = (size_t)off + len,
		.name = w->path + off, .namelen = len, .depth = (int)w->depth + 1,
		.dfd = l->fd, .type = dtype_mode(d->d_type),
	};
	if (S_ISDIR(e.type)) {
		rc = handle_dir(w, &e, d_off, &retype);
		if (!retype)
			return rc;
		e.type = 0;
	}
	rc = handle_other(w, &e);
	if (rc == IS_DIR && !retype) {
		e.stx = NULL;
		rc = handle_dir(w, &e, d_off, &retype);
		if (retype)	/* flipping between kinds under us: give up on it */
			rc = report_error(w, e.pathlen, ESTALE, "changed while walking");
	} else if (rc == IS_DIR) {
		rc = report_error(w, e.pathlen, ESTALE, "changed while walking");
	}
	return rc;
}

/* ---- the walk -------------------------------------------------------------------- */

int walk_open(struct walk **wp, const char *path, const struct walk_opts *opts)
{
	struct walk *w = calloc(1, sizeof(*w));
	struct rlimit rl;
	size_t len = strlen(path);

	if (!w)
		return -1;
	w->o = *opts;
	if (opts->nexclude)
		charset_load();	/* fnmatch() matches characters of the locale */
	w->max_fds = opts->max_fds;
	if (!w->max_fds) {
		/* half of what is left to us, leaving room for the caller */
		w->max_fds = 256;
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
			w->max_fds = rl.rlim_cur > 80 ? (unsigned int)(rl.rlim_cur - 32) / 2
							 : (unsigned int)rl.rlim_cur / 2;
		if (w->max_fds < 3)
			w->max_fds = 3;
		if (w->max_fds > 4096)
			w->max_fds = 4096;
	}
	w->window = w->max_fds / 2 < FD_WINDOW ? w->max_fds / 2 : FD_WINDOW;
	if (w->window < 2)
		w->window = 2;
	w->rootfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	w->root_is_dir = w->rootfd >= 0;
	if (w->rootfd < 0 && errno == ENOTDIR)
		w->rootfd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (w->rootfd < 0 || stat_fd(w->rootfd, opts->statx_mask | MNTX_STATX_TYPE, &w->rootstx) < 0 ||
	    path_reserve(w, len + 2) < 0 || levels_reserve(w, 1) < 0) {
		walk_close(w);
		return -1;
	}
	memcpy(w->path, path, len + 1);
	w->lv[0] = (struct level){ .fd = w->rootfd, .ino = w->rootstx.stx_ino, .pathlen = len,
				   .serial = ++w->serials };
	w->nopen = 1;
	if (opts->threads > 1 && w->root_is_dir && pf_start(w, opts->threads - 1) < 0) {
		walk_close(w);
		return -1;
	}
	*wp = w;
	return 0;
}

int walk_root_fd(const struct walk *w)
{
	return w->rootfd;
}

static int report_root(struct walk *w)
{
	struct walk_entry e = {
		.visit = WALK_ENTRY, .path = w->path, .pathlen = w->lv[0].pathlen,
		.name = w->path, .namelen = w->lv[0].pathlen, .dfd = AT_FDCWD,
		.type = w->rootstx.stx_mode & S_IFMT,
		.stx = w->o.statx_mask ? &w->rootstx : NULL,
	};

	return w->o.fn(&e, w->o.arg);
}

/* Go back down to where @resume was, skipping what changed since. */
static int descend_to(struct walk *w, const struct walk_pos *resume)
{
	if (resume->lv[0].ino != w->lv[0].ino) {
		errno = ESTALE;
		return -1;
	}
	w->lv[0].cookie = resume->lv[0].cookie;
	w->lv[0].seek = true;
	for (size_t i = 1; i < resume->n; i++) {
		const struct walk_pos_level *p = &resume->lv[i];
		struct level *l = &w->lv[w->depth];
		ssize_t off = path_append(w, l->pathlen, p->name, p->namelen);
		int fd;

		if (off < 0)
			return -1;
		fd = memchr(p->name, '/', p->namelen) ? (errno = EINVAL, -1)
						       : open_subdir(l->fd, w->path + off);
		if (fd >= 0 && (stat_fd(fd, 0, &w->stx) < 0 || w->stx.stx_ino != p->ino)) {
			close(fd);
			fd = -1;
			errno = ESTALE;
		}
		if (fd < 0) {
			int err = errno == ELOOP || errno == ENOTDIR ? ESTALE : errno;

			/* gone or replaced: go on after it, in its parent.  A
			 * directory that is gone is read again from where its
			 * entry was: where cookies are positions (tmpfs before
			 * Linux 6.6), removing it moved the next entry there. */
			if (report_error(w, (size_t)off + p->namelen, err,
					 "skipped (changed since the checkpoint)") == WALK_STOP)
				return 1;
			if (err == ENOENT) {
				l->cookie = p->entry;
				l->seek = true;
			}
			w->path[l->pathlen] = '\0';
			return 0;
		}
		if (push(w, fd, p->ino, (size_t)off, (size_t)off + p->namelen, p->cookie, p->entry) < 0) {
			close(fd);
			return -1;
		}
	}
	return 0;
}

int walk_run(struct walk *w, const struct walk_pos *resume)
{
	int rc;

	if (!resume || !resume->n) {
		rc = report_root(w);
		if (rc != WALK_CONTINUE || !w->root_is_dir)
			return rc == WALK_STOP ? 1 : 0;
	} else if (w->root_is_dir) {
		rc = descend_to(w, resume);
		if (rc)
			return rc;
	} else {
		return 0;
	}
	for (;;) {
		struct dirent64_k *d;

		if (w->o.poll && *w->o.poll && w->o.tick && w->o.tick(w, w->o.arg) == WALK_STOP)
			return 1;
		w->failed = 0;
		rc = next_dirent(w, &d);
		if (rc < 0) {
			int err = errno;
			size_t bad = w->failed ? w->failed : w->depth;

			if (err == ENOMEM)
				return -1;
			/* give up on this directory; if an ancestor that had to be
			 * reopened is gone, on everything below it too */
			while (w->depth > bad)
				pop(w);
			rc = report_error(w, w->lv[w->depth].pathlen, err,
					  err == ESTALE || err == ENOENT ? "changed while walking"
									 : "cannot read directory");
			if (rc == WALK_STOP)
				return 1;
			rc = 0;
		}
		if (rc == 0) {
			if (w->depth == 0)
				return 0;
			pop(w);
			continue;
		}
		if (d->d_name[0] == '.' && (!d->d_name[1] || (d->d_name[1] == '.' && !d->d_name[2]))) {
			w->lv[w->depth].cookie = (uint64_t)d->d_off;
			continue;
		}
		if (w->o.nexclude && excluded(w, d->d_name)) {
			w->lv[w->depth].cookie = (uint64_t)d->d_off;
			continue;
		}
		{
			size_t depth = w->depth;
			uint64_t d_off = (uint64_t)d->d_off;

			/* entering a directory may free the buffer d points into */
			rc = handle_entry(w, d, d_off);
			if (rc < 0)
				return -1;
			if (rc == WALK_STOP)
				return 1;
			/* done with it (a directory entered has set this already) */
			w->lv[depth].cookie = d_off;
			w->path[w->lv[w->depth].pathlen] = '\0';
		}
	}
}

void walk_position(struct walk *w, struct walk_pos *pos)
{
	for (size_t i = 0; i <= w->depth; i++) {
		const struct level *l = &w->lv[i];

		w->pos[i] = (struct walk_pos_level){
			.name = i ? w->path + l->nameoff : "",
			.namelen = i ? l->pathlen - l->nameoff : 0,
			.ino = l->ino, .cookie = l->cookie, .entry = l->entry,
		};
	}
	pos->n = w->depth + 1;
	pos->lv = w->pos;
}

const char *walk_current_dir(const struct walk *w, size_t *len)
{
	*len = w->lv[w->depth].pathlen;
	return w->path;
}

void walk_close(struct walk *w)
{
	if (!w)
		return;
	pf_stop(w);
	for (size_t i = 1; i <= w->depth && w->lv; i++) {
		if (w->lv[i].fd >= 0)
			close(w->lv[i].fd);
		free(w->lv[i].buf);
		free(w->lv[i].pres);
	}
	if (w->lv) {
		free(w->lv[0].buf);
		free(w->lv[0].pres);
	}
	if (w->rootfd >= 0)
		close(w->rootfd);
	free(w->lv);
	free(w->pos);
	free(w->path);
	free(w);
}
