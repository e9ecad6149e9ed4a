// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mounts.c - listmount/statmount iteration with the /proc/PID/mountinfo
 * fallback; see mounts.h.
 *
 * listmount returns IDs in batches; each ID is then stat'ed with the one
 * combined mask the caller needs, into a buffer that is reused and doubled
 * on EOVERFLOW (the kernel does not say how much it needs).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "abi.h"
#include "mounts.h"
#include "sys.h"

#define BATCH 512		/* IDs per listmount call */
#define SM_START 32768		/* first statmount buffer size */
#define PF_RECS 128		/* mounts per block the prefetchers hand over */
#define PF_BLOCKS 6		/* blocks in flight */
#define PF_WORKERS 4		/* at most this many prefetch threads */

/* A block of statmount results: each record a copy of the kernel's reply
 * (its ->size bytes), 8-byte aligned, back to back in buf. */
struct pf_block {
	char *buf;
	size_t cap, used;
	size_t nid, n;		/* IDs claimed; replies kept (unmounted ones drop out) */
	size_t off[PF_RECS];
	uint64_t id[PF_RECS];
	int err;		/* errno that ended the listing, or 0 */
	bool last;		/* nothing follows this block */
	enum { PF_FREE, PF_FILLING, PF_READY } state;
};

struct pf_worker {
	pthread_t thread;
	struct mnt_ns *ns;
	struct mntx_statmount *sm;	/* this worker's statmount buffer */
	size_t smsize;
};

/* The prefetchers: threads that run statmount ahead of the caller, one
 * block of IDs each, so that the kernel's work (most of a listing's time)
 * is spread over the CPUs and overlaps the caller's formatting.  Block k
 * lives in blocks[k % PF_BLOCKS]: a worker claims the next block number
 * when its slot is free and takes its IDs from listmount (under the lock,
 * so IDs keep their order), and the caller reads blocks in number order. */
struct prefetch {
	pthread_mutex_t lock;
	pthread_cond_t ready, freed;	/* a block was filled; a slot was freed */
	struct pf_block blocks[PF_BLOCKS];
	uint64_t next_fill, next_read;	/* block numbers */
	bool ended;		/* the last block is claimed: workers stop */
	bool running, stop;
	uint64_t mask;
	struct pf_worker w[PF_WORKERS];
	size_t nw, want;	/* workers started; how many the CPUs warrant */
	/* the consumer's side */
	struct pf_block *cur;
	size_t idx;
	bool done;
};

struct mi_mount {
	struct mntx_mount m;
	bool in_subtree;
};

struct mnt_ns {
	enum mount_backend backend;
	bool fell_back;
	int nsfd;		/* -1: our own namespace */
	uint64_t ns_id;
	pid_t pid;
	/* listmount */
	struct mntx_statmount *sm;
	size_t smsize;
	uint64_t supported;	/* statmount groups this kernel knows */
	struct mntx_mount cur;
	__u64 ids[BATCH];
	size_t nids, pos;
	uint64_t below, last;
	bool reverse, done;
	const uint64_t *given;	/* mnt_list_ids(): the IDs to list */
	size_t ngiven, gpos;
	struct prefetch *pf;	/* from the first listing on: 17 KiB a lookup does not need */
	/* mountinfo */
	char *mi_text, *mi_opts;
	uint64_t mi_ns_id;
	struct mi_mount *mi;
	size_t *mi_by_id;	/* indexes of mi sorted by old_id */
	size_t nmi, mi_pos;
};

static void req_init(const struct mnt_ns *ns, struct mntx_mnt_id_req *req, uint64_t id,
		     uint64_t param)
{
	memset(req, 0, sizeof(*req));
	req->size = ns->ns_id ? MNTX_MNT_ID_REQ_SIZE_VER1 : MNTX_MNT_ID_REQ_SIZE_VER0;
	req->mnt_id = id;
	req->param = param;
	req->mnt_ns_id = ns->ns_id;
	if (ns->nsfd >= 0)
		req->mnt_ns_fd = (__u32)ns->nsfd;
}

/* ---- mountinfo ------------------------------------------------------------ */

void mount_unescape(char *s)
{
	char *w = s;

	/* "\000" stays as it is: no name holds a NUL, and decoding it would
	 * cut the string short */
	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7' && (r[1] != '0' || r[2] != '0' || r[3] != '0')) {
			*w++ = (char)((r[1] - '0') << 6 | (r[2] - '0') << 3 | (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

/* Split off the next space-separated field; NULL when there is none. */
static char *field(char **p)
{
	char *s = *p, *e;

	if (!s || !*s)
		return NULL;
	e = strchr(s, ' ');
	if (e) {
		*e = '\0';
		*p = e + 1;
	} else {
		*p = NULL;
	}
	return s;
}

static int parse_u32(const char *s, uint32_t *v)
{
	char *end;
	unsigned long long x;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end || x > UINT32_MAX)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

static uint64_t vfs_opt_bits(const char *name)
{
	static const struct { const char *name; uint64_t bits; } t[] = {
		{ "ro", MNTX_MOUNT_ATTR_RDONLY }, { "nosuid", MNTX_MOUNT_ATTR_NOSUID },
		{ "nodev", MNTX_MOUNT_ATTR_NODEV }, { "noexec", MNTX_MOUNT_ATTR_NOEXEC },
		{ "noatime", MNTX_MOUNT_ATTR_NOATIME }, { "nodiratime", MNTX_MOUNT_ATTR_NODIRATIME },
		{ "nosymfollow", MNTX_MOUNT_ATTR_NOSYMFOLLOW }, { "idmapped", MNTX_MOUNT_ATTR_IDMAP },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(name, t[i].name))
			return t[i].bits;
	return 0;
}

int mountinfo_parse_line(char *line, struct mntx_mount *m)
{
	char *p = line, *f[6], *opt, *dev, *colon, *fstype, *src, *super;
	bool atime_seen = false;

	memset(m, 0, sizeof(*m));
	for (int i = 0; i < 6; i++)
		if (!(f[i] = field(&p)))
			goto bad;
	if (parse_u32(f[0], &m->old_id) || parse_u32(f[1], &m->old_parent_id))
		goto bad;
	dev = f[2];
	colon = strchr(dev, ':');
	if (!colon)
		goto bad;
	*colon = '\0';
	if (parse_u32(dev, &m->maj) || parse_u32(colon + 1, &m->min))
		goto bad;
	mount_unescape(f[3]);
	mount_unescape(f[4]);
	m->root = f[3];
	m->target = f[4];

	/* VFS options: the mount's attributes */
	for (char *o = f[5], *next; o; o = next) {
		next = strchr(o, ',');
		if (next)
			*next++ = '\0';
		m->attr |= vfs_opt_bits(o);
		if (!strcmp(o, "noatime") || !strcmp(o, "relatime"))
			atime_seen = true;
	}
	if (!atime_seen)
		m->attr |= MNTX_MOUNT_ATTR_STRICTATIME;

	/* optional fields up to "-" */
	m->propagation = 0;
	for (;;) {
		opt = field(&p);
		if (!opt)
			goto bad;
		if (!strcmp(opt, "-"))
			break;
		if (!strncmp(opt, "shared:", 7)) {
			m->propagation |= MNTX_MS_SHARED;
			m->peer_group = strtoull(opt + 7, NULL, 10);
		} else if (!strncmp(opt, "master:", 7)) {
			m->propagation |= MNTX_MS_SLAVE;
			m->master = strtoull(opt + 7, NULL, 10);
		} else if (!strncmp(opt, "propagate_from:", 15)) {
			m->propagate_from = strtoull(opt + 15, NULL, 10);
			m->have |= MH_PROPAGATE_FROM;
		} else if (!strcmp(opt, "unbindable")) {
			m->propagation |= MNTX_MS_UNBINDABLE;
		}
	}
	if (!m->propagation)
		m->propagation = MNTX_MS_PRIVATE;

	fstype = field(&p);
	src = field(&p);
	super = p;	/* the rest: super options may not contain a space */
	if (!fstype || !src || !super)
		goto bad;
	mount_unescape(fstype);
	mount_unescape(src);
	/* "fuse.sshfs" is type fuse, subtype sshfs, as statmount reports it */
	m->fs_type = fstype;
	colon = strchr(fstype, '.');
	if (colon) {
		*colon = '\0';
		m->fs_subtype = colon + 1;
	}
	m->source = src;

	/* super options: ro|rw, the superblock flags, then the fs's own */
	m->mnt_opts = "";
	for (char *o = super, *next; o; o = next) {
		next = strchr(o, ',');
		if (!strcmp(o, "ro") || !strncmp(o, "ro,", 3))
			m->sb_flags |= MNTX_SB_RDONLY;
		else if (!strncmp(o, "sync", 4) && (!o[4] || o[4] == ','))
			m->sb_flags |= MNTX_SB_SYNCHRONOUS;
		else if (!strncmp(o, "dirsync", 7) && (!o[7] || o[7] == ','))
			m->sb_flags |= MNTX_SB_DIRSYNC;
		else if (!strncmp(o, "lazytime", 8) && (!o[8] || o[8] == ','))
			m->sb_flags |= MNTX_SB_LAZYTIME;
		else if (!strncmp(o, "mand", 4) && (!o[4] || o[4] == ','))
			;	/* a superblock flag statmount does not report */
		else if (!(!strncmp(o, "rw", 2) && (!o[2] || o[2] == ','))) {
			m->mnt_opts = o;	/* the rest, untouched */
			break;
		}
		if (next)
			next++;
	}
	m->have |= MH_OLD_ID | MH_ATTR | MH_PROPAGATION | MH_DEV | MH_SB_FLAGS;
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

static int read_all(const char *path, char **text)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 65536, len = 0;
	char *buf = NULL;

	if (fd < 0)
		return -1;
	for (;;) {
		char *nb;
		ssize_t r;

		if (len + 1 >= cap || !buf) {
			nb = realloc(buf, cap *= 2);
			if (!nb)
				goto fail;
			buf = nb;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	buf[len] = '\0';
	close(fd);
	*text = buf;
	return 0;
fail:
	free(buf);
	close(fd);
	return -1;
}

/* Security module options: statmount gives them apart (OPT_SEC_ARRAY);
 * mountinfo writes them among the superblock options. */
static bool lsm_option(const char *o, size_t len)
{
	static const char *const names[] = {
		"context", "fscontext", "defcontext", "rootcontext", "seclabel",
		"smackfsdef", "smackfsfloor", "smackfshat", "smackfsroot", "smackfstransmute",
	};
	size_t key = strcspn(o, "=");

	if (key > len)
		key = len;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == key && !strncmp(o, names[i], key))
			return true;
	return false;
}

/* The superblock options one by one and unescaped, as statmount's
 * OPT_ARRAY and OPT_SEC_ARRAY give them, written to @out: at most
 * strlen(m->mnt_opts) + 1 bytes, the plain options first. */
static void mi_opt_arrays(struct mntx_mount *m, char *out)
{
	struct mount_strs *arr[2] = { &m->opt_array, &m->opt_sec_array };
	char *w = out;

	for (int lsm = 0; lsm < 2; lsm++) {
		char *start = w;
		size_t n = 0;

		for (const char *o = m->mnt_opts; *o;) {
			size_t len = strcspn(o, ",");

			if (len && lsm_option(o, len) == lsm) {
				memcpy(w, o, len);
				w[len] = '\0';
				mount_unescape(w);
				w += strlen(w) + 1;
				n++;
			}
			o += len + (o[len] == ',');
		}
		*arr[lsm] = (struct mount_strs){ start, (size_t)(w - start), n };
	}
}

static int cmp_old_id(const void *a, const void *b, void *mi)
{
	const struct mi_mount *v = mi;
	uint32_t x = v[*(const size_t *)a].m.old_id, y = v[*(const size_t *)b].m.old_id;

	return x < y ? -1 : x > y;
}

static int mountinfo_load(struct mnt_ns *ns)
{
	char path[64];
	size_t n = 0, cap = 0;

	if (ns->pid)
		snprintf(path, sizeof(path), "/proc/%d/mountinfo", (int)ns->pid);
	else
		snprintf(path, sizeof(path), "/proc/self/mountinfo");
	if (read_all(path, &ns->mi_text) < 0)
		return -1;
	/* the option arrays, never longer than the text they come from */
	ns->mi_opts = malloc(strlen(ns->mi_text) + 2);
	if (!ns->mi_opts)
		return -1;
	char *opts = ns->mi_opts;

	for (char *line = ns->mi_text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (n == cap) {
			struct mi_mount *nm = reallocarray(ns->mi, cap = cap ? cap * 2 : 64,
							   sizeof(*nm));
			if (!nm)
				return -1;
			ns->mi = nm;
		}
		if (mountinfo_parse_line(line, &ns->mi[n].m) == 0) {
			mi_opt_arrays(&ns->mi[n].m, opts);
			opts += ns->mi[n].m.opt_array.len + ns->mi[n].m.opt_sec_array.len;
			if (ns->mi_ns_id)
				ns->mi[n].m.ns_id = ns->mi_ns_id, ns->mi[n].m.have |= MH_NS_ID;
			n++;
		}
	}
	ns->nmi = n;
	/* an index by old ID: lookups by ID and parent stay O(log n) */
	ns->mi_by_id = reallocarray(NULL, n ? n : 1, sizeof(*ns->mi_by_id));
	if (!ns->mi_by_id)
		return -1;
	for (size_t i = 0; i < n; i++)
		ns->mi_by_id[i] = i;
	qsort_r(ns->mi_by_id, n, sizeof(*ns->mi_by_id), cmp_old_id, ns->mi);
	return 0;
}

/* ---- namespace --------------------------------------------------------------- */

/* Whether the kernel has listmount(2); *first gets the first mount it
 * lists (0: none). */
static bool have_listmount(struct mnt_ns *ns, __u64 *first)
{
	struct mntx_mnt_id_req req;

	*first = 0;
	req_init(ns, &req, MNTX_LSMT_ROOT, 0);
	if (sys_listmount(&req, first, 1, 0) >= 0)
		return true;
	return errno != ENOSYS;
}

/* statmount into a reused buffer, doubled on EOVERFLOW: the kernel does
 * not say how much it needs. */
static int sm_into(const struct mntx_mnt_id_req *req, struct mntx_statmount **sm, size_t *size)
{
	while (sys_statmount(req, *sm, *size, 0) < 0) {
		void *nb;

		if (errno != EOVERFLOW)
			return -1;
		nb = realloc(*sm, *size * 2);
		if (!nb)
			return -1;
		*sm = nb;
		*size *= 2;
	}
	return 0;
}

static int sm_call(struct mnt_ns *ns, const struct mntx_mnt_id_req *req)
{
	return sm_into(req, &ns->sm, &ns->smsize);
}

/* The statmount groups mountinfo also gives: on a kernel whose statmount
 * lacks them (SB_SOURCE and the option arrays came in 6.13, MNT_OPTS in
 * 6.11) they are taken from mountinfo, matched by old ID. */
#define MI_FILLS (MNTX_STATMOUNT_SB_SOURCE | MNTX_STATMOUNT_MNT_OPTS | MNTX_STATMOUNT_FS_SUBTYPE | \
		  MNTX_STATMOUNT_OPT_ARRAY | MNTX_STATMOUNT_OPT_SEC_ARRAY)

static uint64_t mi_fill_wanted(const struct mnt_ns *ns, uint64_t mask)
{
	return ns->backend == MB_LISTMOUNT ? mask & MI_FILLS & ~ns->supported : 0;
}

/* One mount with @mask into @sm.  Only FUSE has subtypes: a subtype, which
 * costs a string per mount, is asked for only when the type says there can
 * be one. */
static int stat_into(const struct mnt_ns *ns, uint64_t id, uint64_t mask,
		     struct mntx_statmount **sm, size_t *size)
{
	struct mntx_mnt_id_req req;
	uint64_t first;

	if (mi_fill_wanted(ns, mask))
		mask |= MNTX_STATMOUNT_MNT_BASIC;	/* the old ID to match mountinfo by */
	first = (mask & MNTX_STATMOUNT_FS_TYPE) ? mask & ~MNTX_STATMOUNT_FS_SUBTYPE : mask;

	req_init(ns, &req, id, first);
	if (sm_into(&req, sm, size) < 0)
		return -1;
	if (first != mask && ((*sm)->mask & MNTX_STATMOUNT_FS_TYPE) &&
	    !strncmp((*sm)->str + (*sm)->fs_type, "fuse", 4)) {
		req_init(ns, &req, id, mask);
		if (sm_into(&req, sm, size) < 0)
			return -1;
	}
	return 0;
}

/* Which groups this kernel fills: STATMOUNT_SUPPORTED_MASK says so since
 * 6.15, asked alone (older kernels ignore bits they do not know, and no
 * string is formatted); before, a group is known when it came back for
 * mount @root (the string groups of 6.11 and 6.13 travel with MNT_NS_ID
 * and FS_TYPE). */
static void probe_support(struct mnt_ns *ns, __u64 root)
{
	struct mntx_mnt_id_req req;

	ns->supported = 0x3f;	/* 6.8 */
	if (!root)
		return;
	req_init(ns, &req, root, MNTX_STATMOUNT_SUPPORTED_MASK);
	if (sm_call(ns, &req) == 0 && (ns->sm->mask & MNTX_STATMOUNT_SUPPORTED_MASK)) {
		ns->supported = ns->sm->supported_mask;
		return;
	}
	req_init(ns, &req, root, ~0ull >> 49);	/* every group up to 0x4000 */
	if (sm_call(ns, &req) < 0)
		return;
	if (ns->sm->mask & MNTX_STATMOUNT_SUPPORTED_MASK) {
		ns->supported = ns->sm->supported_mask;
		return;
	}
	ns->supported |= ns->sm->mask;
	if (ns->sm->mask & MNTX_STATMOUNT_MNT_NS_ID)
		ns->supported |= MNTX_STATMOUNT_MNT_OPTS;
	if (ns->sm->mask & MNTX_STATMOUNT_SB_SOURCE)
		ns->supported |= MNTX_STATMOUNT_OPT_ARRAY | MNTX_STATMOUNT_OPT_SEC_ARRAY;
}

int mnt_backend_parse(const char *s, enum mount_backend *b)
{
	if (!strcmp(s, "listmount"))
		*b = MB_LISTMOUNT;
	else if (!strcmp(s, "mountinfo"))
		*b = MB_MOUNTINFO;
	else
		return -1;
	return 0;
}

int mnt_ns_open(struct mnt_ns **nsp, pid_t pid, uint64_t ns_id, enum mount_backend backend)
{
	struct mnt_ns *ns = calloc(1, sizeof(*ns));
	__u64 first = 0;
	int saved;

	if (!ns)
		return -1;
	ns->nsfd = -1;
	ns->pid = pid;
	ns->ns_id = ns_id;
	if (pid) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
		ns->nsfd = open(path, O_RDONLY | O_CLOEXEC);
		if (ns->nsfd < 0)
			goto fail;
	}
	if (backend == MB_AUTO) {
		backend = have_listmount(ns, &first) ? MB_LISTMOUNT : MB_MOUNTINFO;
		ns->fell_back = backend == MB_MOUNTINFO;
	} else if (backend == MB_LISTMOUNT && !have_listmount(ns, &first)) {
		errno = ENOSYS;
		goto fail;
	}
	ns->backend = backend;
	if (backend == MB_LISTMOUNT) {
		ns->smsize = SM_START;
		ns->sm = malloc(ns->smsize);
		if (!ns->sm)
			goto fail;
		probe_support(ns, first);
	} else if (ns_id && !pid) {
		errno = EOPNOTSUPP;	/* mountinfo has no namespace IDs to select by */
		goto fail;
	} else {
		/* mountinfo does not say which namespace; the nsfs fd does */
		int fd = ns->nsfd >= 0 ? ns->nsfd : open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
		__u64 nsid;

		if (fd >= 0 && ioctl(fd, MNTX_NS_GET_MNTNS_ID, &nsid) == 0)
			ns->mi_ns_id = nsid;
		if (fd >= 0 && fd != ns->nsfd)
			close(fd);
		if (mountinfo_load(ns) < 0)
			goto fail;
	}
	*nsp = ns;
	return 0;
fail:
	saved = errno;
	mnt_ns_close(ns);
	errno = saved;
	return -1;
}

static void pf_stop(struct mnt_ns *ns);
static void pf_free(struct prefetch *pf);

void mnt_ns_close(struct mnt_ns *ns)
{
	if (!ns)
		return;
	pf_stop(ns);
	if (ns->pf)
		pf_free(ns->pf);
	free(ns->pf);
	if (ns->nsfd >= 0)
		close(ns->nsfd);
	free(ns->sm);
	free(ns->mi);
	free(ns->mi_by_id);
	free(ns->mi_text);
	free(ns->mi_opts);
	free(ns);
}

enum mount_backend mnt_ns_backend(const struct mnt_ns *ns)
{
	return ns->backend;
}

uint64_t mnt_ns_supported(const struct mnt_ns *ns)
{
	return ns->backend == MB_LISTMOUNT ? ns->supported : 0;
}

bool mnt_ns_fell_back(const struct mnt_ns *ns)
{
	return ns->fell_back;
}

/* ---- statmount ------------------------------------------------------------------ */

static struct mount_strs strs(const struct mntx_statmount *sm, __u32 off, __u32 n)
{
	const char *p = sm->str + off, *q = p;

	for (__u32 i = 0; i < n; i++)
		q += strlen(q) + 1;
	return (struct mount_strs){ p, (size_t)(q - p), n };
}

static void from_statmount(const struct mntx_statmount *sm, struct mntx_mount *m)
{
	uint64_t k = sm->mask;

	memset(m, 0, sizeof(*m));
	if (k & MNTX_STATMOUNT_MNT_BASIC) {
		m->have |= MH_ID | MH_OLD_ID | MH_ATTR | MH_PROPAGATION;
		m->id = sm->mnt_id;
		m->parent_id = sm->mnt_parent_id;
		m->old_id = sm->mnt_id_old;
		m->old_parent_id = sm->mnt_parent_id_old;
		m->attr = sm->mnt_attr;
		m->propagation = sm->mnt_propagation;
		m->peer_group = sm->mnt_peer_group;
		m->master = sm->mnt_master;
	}
	if (k & MNTX_STATMOUNT_SB_BASIC) {
		m->have |= MH_DEV | MH_MAGIC | MH_SB_FLAGS;
		m->maj = sm->sb_dev_major;
		m->min = sm->sb_dev_minor;
		m->sb_magic = sm->sb_magic;
		m->sb_flags = sm->sb_flags;
	}
	if (k & MNTX_STATMOUNT_PROPAGATE_FROM) {
		m->have |= MH_PROPAGATE_FROM;
		m->propagate_from = sm->propagate_from;
	}
	if (k & MNTX_STATMOUNT_MNT_NS_ID) {
		m->have |= MH_NS_ID;
		m->ns_id = sm->mnt_ns_id;
	}
	if (k & MNTX_STATMOUNT_FS_TYPE)
		m->fs_type = sm->str + sm->fs_type;
	if (k & MNTX_STATMOUNT_FS_SUBTYPE)
		m->fs_subtype = sm->str + sm->fs_subtype;
	if (k & MNTX_STATMOUNT_MNT_ROOT)
		m->root = sm->str + sm->mnt_root;
	if (k & MNTX_STATMOUNT_MNT_POINT)
		m->target = sm->str + sm->mnt_point;
	if (k & MNTX_STATMOUNT_SB_SOURCE)
		m->source = sm->str + sm->sb_source;
	if (k & MNTX_STATMOUNT_MNT_OPTS)
		m->mnt_opts = sm->str + sm->mnt_opts;
	if (k & MNTX_STATMOUNT_OPT_ARRAY)
		m->opt_array = strs(sm, sm->opt_array, sm->opt_num);
	if (k & MNTX_STATMOUNT_OPT_SEC_ARRAY)
		m->opt_sec_array = strs(sm, sm->opt_sec_array, sm->opt_sec_num);
	if (k & MNTX_STATMOUNT_MNT_UIDMAP)
		m->uid_map = strs(sm, sm->mnt_uidmap, sm->mnt_uidmap_num);
	if (k & MNTX_STATMOUNT_MNT_GIDMAP)
		m->gid_map = strs(sm, sm->mnt_gidmap, sm->mnt_gidmap_num);
}

static const struct mi_mount *mi_find_old(const struct mnt_ns *ns, uint64_t old_id);

/* Fill the groups of @fill in ns->cur from mountinfo, read once: a mount
 * newer than that reading keeps them unknown. */
static void mi_fill(struct mnt_ns *ns, uint64_t fill)
{
	const struct mi_mount *mi;
	struct mntx_mount *c = &ns->cur;

	if (!ns->mi_text && mountinfo_load(ns) < 0) {
		free(ns->mi_text);
		ns->mi_text = strdup("");	/* do not try again */
		ns->nmi = 0;
	}
	if (!(c->have & MH_OLD_ID) || !(mi = mi_find_old(ns, c->old_id)))
		return;
	if (fill & MNTX_STATMOUNT_SB_SOURCE)
		c->source = mi->m.source;
	if (fill & MNTX_STATMOUNT_MNT_OPTS)
		c->mnt_opts = mi->m.mnt_opts;
	if (fill & MNTX_STATMOUNT_FS_SUBTYPE)
		c->fs_subtype = mi->m.fs_subtype;
	if (fill & MNTX_STATMOUNT_OPT_ARRAY)
		c->opt_array = mi->m.opt_array;
	if (fill & MNTX_STATMOUNT_OPT_SEC_ARRAY)
		c->opt_sec_array = mi->m.opt_sec_array;
}

/* ns->cur from a statmount result asked with @mask. */
static void cur_from(struct mnt_ns *ns, const struct mntx_statmount *sm, uint64_t mask)
{
	uint64_t fill = mi_fill_wanted(ns, mask);

	from_statmount(sm, &ns->cur);
	if (fill)
		mi_fill(ns, fill);
	/* The kernel does not flag a string it was asked for but found empty:
	 * those are known to be empty.  (A missing MNT_POINT is different: the
	 * mount is outside our root.) */
	uint64_t empty = mask & ns->supported & ~sm->mask;

	if (empty & MNTX_STATMOUNT_MNT_OPTS)
		ns->cur.mnt_opts = "";
	if (empty & MNTX_STATMOUNT_SB_SOURCE)
		ns->cur.source = "";
	if (empty & MNTX_STATMOUNT_OPT_ARRAY)
		ns->cur.opt_array = (struct mount_strs){ "", 0, 0 };
	if (empty & MNTX_STATMOUNT_OPT_SEC_ARRAY)
		ns->cur.opt_sec_array = (struct mount_strs){ "", 0, 0 };
}

static int do_statmount(struct mnt_ns *ns, uint64_t id, uint64_t mask)
{
	if (stat_into(ns, id, mask, &ns->sm, &ns->smsize) < 0)
		return -1;
	cur_from(ns, ns->sm, mask);
	return 0;
}

/* ---- lookups --------------------------------------------------------------------- */

static const struct mi_mount *mi_find_old(const struct mnt_ns *ns, uint64_t old_id)
{
	size_t lo = 0, hi = ns->nmi;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct mi_mount *c = &ns->mi[ns->mi_by_id[mid]];

		if (c->m.old_id == old_id)
			return c;
		if (c->m.old_id < old_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int mnt_stat(struct mnt_ns *ns, uint64_t id, uint64_t mask, const struct mntx_mount **m)
{
	if (ns->backend == MB_MOUNTINFO) {
		const struct mi_mount *mi = id < MNTX_MNT_UNIQUE_ID_OFFSET ? mi_find_old(ns, id) : NULL;

		if (!mi) {
			errno = ENOENT;
			return -1;
		}
		*m = &mi->m;
		return 0;
	}
	if (id <= MNTX_MNT_UNIQUE_ID_OFFSET) {
		/* an old ID: no syscall takes it, so find it among all mounts */
		const struct mntx_mount *c;
		uint64_t found = 0;
		int r;

		if (mnt_list_begin(ns, 0, false) < 0)
			return -1;
		while ((r = mnt_list_next(ns, MNTX_STATMOUNT_MNT_BASIC, &c)) > 0)
			if (c->old_id == id) {
				found = c->id;
				break;
			}
		if (r < 0)
			return -1;
		if (!found) {
			errno = ENOENT;
			return -1;
		}
		id = found;
	}
	if (do_statmount(ns, id, mask) < 0)
		return -1;
	*m = &ns->cur;
	return 0;
}

int mnt_stat_path(struct mnt_ns *ns, const char *path, uint64_t mask,
		  const struct mntx_mount **m)
{
	struct mntx_statx stx;
	char in_ns[4096];
	uint64_t id;

	if (ns->pid) {
		/* a path in that process's view of the tree */
		if ((size_t)snprintf(in_ns, sizeof(in_ns), "/proc/%d/root/%s", (int)ns->pid,
				     path) >= sizeof(in_ns)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		path = in_ns;
	}
	if (ns->backend == MB_MOUNTINFO) {
		if (sys_statx(AT_FDCWD, path, 0, MNTX_STATX_MNT_ID, &stx) < 0)
			return -1;
		return mnt_stat(ns, stx.stx_mnt_id, mask, m);
	}
	if (sys_mnt_id_of(AT_FDCWD, path, 0, &id) < 0)
		return -1;
	return mnt_stat(ns, id, mask, m);
}

/* ---- listing ------------------------------------------------------------------------ */

static void mi_mark_subtree(struct mnt_ns *ns, uint32_t old_id)
{
	/* mountinfo lists parents before children, but moved mounts break
	 * that; repeat until nothing changes */
	bool changed = true;

	while (changed) {
		changed = false;
		for (size_t i = 0; i < ns->nmi; i++) {
			struct mi_mount *c = &ns->mi[i];
			const struct mi_mount *p;

			if (c->in_subtree || c->m.old_id == c->m.old_parent_id)
				continue;
			p = c->m.old_parent_id == old_id ? NULL : mi_find_old(ns, c->m.old_parent_id);
			if (c->m.old_parent_id == old_id || (p && p->in_subtree)) {
				c->in_subtree = true;
				changed = true;
			}
		}
	}
}

int mnt_list_begin(struct mnt_ns *ns, uint64_t below, bool reverse)
{
	ns->reverse = reverse;
	ns->below = below;
	ns->given = NULL;
	if (ns->backend == MB_MOUNTINFO) {
		for (size_t i = 0; i < ns->nmi; i++)
			ns->mi[i].in_subtree = !below;
		if (below)
			mi_mark_subtree(ns, (uint32_t)below);
		ns->mi_pos = 0;
		return 0;
	}
	pf_stop(ns);
	if (ns->pf) {
		ns->pf->done = false;
		ns->pf->cur = NULL;
	}
	ns->nids = ns->pos = 0;
	ns->last = 0;
	ns->done = false;
	return 0;
}

int mnt_list_ids(struct mnt_ns *ns, const uint64_t *ids, size_t n)
{
	if (mnt_list_begin(ns, 0, false) < 0)
		return -1;
	ns->given = ids;
	ns->ngiven = n;
	ns->gpos = 0;
	return 0;
}

static int next_id(struct mnt_ns *ns, uint64_t *id)
{
	if (ns->given) {
		if (ns->gpos == ns->ngiven)
			return 0;
		*id = ns->given[ns->gpos++];
		return 1;
	}
	if (ns->pos == ns->nids) {
		struct mntx_mnt_id_req req;
		ssize_t n;

		if (ns->done)
			return 0;
		req_init(ns, &req, ns->below ? ns->below : MNTX_LSMT_ROOT, ns->last);
		n = sys_listmount(&req, ns->ids, BATCH,
				  ns->reverse ? MNTX_LISTMOUNT_REVERSE : 0);
		if (n < 0)
			return -1;
		if (n == 0) {
			ns->done = true;
			return 0;
		}
		ns->nids = (size_t)n;
		ns->pos = 0;
		ns->last = ns->ids[n - 1];
	}
	*id = ns->ids[ns->pos++];
	return 1;
}

/* ---- the prefetcher ------------------------------------------------------------------ */

static void pf_free(struct prefetch *pf)
{
	for (size_t i = 0; i < PF_BLOCKS; i++)
		free(pf->blocks[i].buf);
	for (size_t i = 0; i < PF_WORKERS; i++)
		free(pf->w[i].sm);
	memset(pf, 0, sizeof(*pf));
}

/* Append worker @w's current reply for @id to block @b. */
static int pf_append(struct pf_worker *w, struct pf_block *b, uint64_t id)
{
	size_t size = w->sm->size, need = b->used + ((size + 7) & ~(size_t)7);

	if (need > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		char *nb;

		while (cap < need)
			cap *= 2;
		nb = realloc(b->buf, cap);
		if (!nb)
			return -1;
		b->buf = nb;
		b->cap = cap;
	}
	memcpy(b->buf + b->used, w->sm, size);
	b->off[b->n] = b->used;
	b->id[b->n++] = id;	/* n <= the index of the ID being read */
	b->used = need;
	return 0;
}

/* statmount the IDs claimed in block @b, outside the lock. */
static void pf_fill(struct pf_worker *w, struct pf_block *b)
{
	struct prefetch *pf = w->ns->pf;

	b->n = b->used = 0;
	for (size_t i = 0; i < b->nid; i++) {
		uint64_t id = b->id[i];

		if (!w->sm) {
			w->smsize = SM_START;
			if (!(w->sm = malloc(w->smsize)))
				goto fail;
		}
		if (stat_into(w->ns, id, pf->mask, &w->sm, &w->smsize) < 0) {
			if (errno == ENOENT)	/* unmounted since listmount: skip it */
				continue;
			goto fail;
		}
		if (pf_append(w, b, id) < 0)
			goto fail;
	}
	return;
fail:
	b->err = errno;
	b->last = true;
}

static void *pf_work(void *arg)
{
	struct pf_worker *w = arg;
	struct mnt_ns *ns = w->ns;
	struct prefetch *pf = ns->pf;

	pthread_mutex_lock(&pf->lock);
	while (!pf->stop && !pf->ended) {
		struct pf_block *b = &pf->blocks[pf->next_fill % PF_BLOCKS];

		if (b->state != PF_FREE) {
			pthread_cond_wait(&pf->freed, &pf->lock);
			continue;
		}
		pf->next_fill++;
		b->state = PF_FILLING;
		b->nid = 0;
		b->err = 0;
		b->last = false;
		while (b->nid < PF_RECS) {
			int r = next_id(ns, &b->id[b->nid]);

			if (r <= 0) {
				b->err = r < 0 ? errno : 0;
				b->last = pf->ended = true;
				break;
			}
			b->nid++;
		}
		pthread_mutex_unlock(&pf->lock);
		pf_fill(w, b);
		pthread_mutex_lock(&pf->lock);
		pf->ended |= b->last;
		b->state = PF_READY;
		pthread_cond_broadcast(&pf->ready);
	}
	pthread_mutex_unlock(&pf->lock);
	return NULL;
}

/* Start one more worker; 0, or an errno value. */
static int pf_spawn(struct mnt_ns *ns)
{
	struct prefetch *pf = ns->pf;
	struct pf_worker *w = &pf->w[pf->nw];
	int e;

	w->ns = ns;
	if ((e = pthread_create(&w->thread, NULL, pf_work, w)) == 0)
		pf->nw++;
	return e;
}

static int pf_start(struct mnt_ns *ns, uint64_t mask)
{
	struct prefetch *pf = ns->pf;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int e;

	pf->mask = mask;
	pf->next_fill = pf->next_read = 0;
	for (size_t i = 0; i < PF_BLOCKS; i++)
		pf->blocks[i].state = PF_FREE;
	pf->ended = pf->stop = pf->done = false;
	pf->cur = NULL;
	pf->idx = 0;
	pf->nw = 0;
	pf->want = cpus < 1 ? 1 : cpus > PF_WORKERS ? PF_WORKERS : (size_t)cpus;
	if ((e = pthread_mutex_init(&pf->lock, NULL)) != 0) {
		errno = e;
		return -1;
	}
	pthread_cond_init(&pf->ready, NULL);
	pthread_cond_init(&pf->freed, NULL);
	pf->running = true;
	/* one worker for now: more when the first block shows a long listing */
	if ((e = pf_spawn(ns)) != 0) {
		pf_stop(ns);
		errno = e;
		return -1;
	}
	return 0;
}

static void pf_stop(struct mnt_ns *ns)
{
	struct prefetch *pf = ns->pf;

	if (!pf || !pf->running)
		return;
	pthread_mutex_lock(&pf->lock);
	pf->stop = true;
	pthread_cond_broadcast(&pf->freed);
	pthread_mutex_unlock(&pf->lock);
	for (size_t i = 0; i < pf->nw; i++)
		pthread_join(pf->w[i].thread, NULL);
	pf->nw = 0;
	pthread_cond_destroy(&pf->ready);
	pthread_cond_destroy(&pf->freed);
	pthread_mutex_destroy(&pf->lock);
	pf->running = false;
}

/* The next prefetched mount: as mnt_list_next(). */
static int pf_next(struct mnt_ns *ns, uint64_t mask, const struct mntx_mount **m)
{
	struct prefetch *pf = ns->pf;

	if (!pf && !(pf = ns->pf = calloc(1, sizeof(*pf))))
		return -1;
	if (!pf->running && !pf->done && pf_start(ns, mask) < 0)
		return -1;
	for (;;) {
		struct pf_block *b = pf->cur;

		if (b && pf->idx < b->n) {
			const struct mntx_statmount *sm = (const void *)(b->buf + b->off[pf->idx]);
			uint64_t id = b->id[pf->idx++];

			if (mask != pf->mask) {
				/* a caller that changed its mask mid-listing */
				if (do_statmount(ns, id, mask) < 0) {
					if (errno == ENOENT)
						continue;
					return -1;
				}
			} else {
				cur_from(ns, sm, mask);
			}
			*m = &ns->cur;
			return 1;
		}
		if (pf->done)
			return 0;
		if (b) {
			/* the caller is done with this block's last record */
			int err = b->err;
			bool last = b->last;

			pthread_mutex_lock(&pf->lock);
			b->state = PF_FREE;
			pf->next_read++;
			pthread_cond_broadcast(&pf->freed);
			pthread_mutex_unlock(&pf->lock);
			pf->cur = NULL;
			if (last) {
				pf_stop(ns);
				pf->done = true;
				if (err) {
					errno = err;
					return -1;
				}
				return 0;
			}
		}
		b = &pf->blocks[pf->next_read % PF_BLOCKS];
		pthread_mutex_lock(&pf->lock);
		while (b->state != PF_READY)
			pthread_cond_wait(&pf->ready, &pf->lock);
		pthread_mutex_unlock(&pf->lock);
		/* a full first block: a long listing, worth the other CPUs */
		while (pf->next_read == 0 && !b->last && pf->nw < pf->want)
			if (pf_spawn(ns) != 0)
				break;
		pf->cur = b;
		pf->idx = 0;
	}
}

int mnt_list_next(struct mnt_ns *ns, uint64_t mask, const struct mntx_mount **m)
{
	if (ns->backend == MB_MOUNTINFO && ns->given) {
		while (ns->gpos < ns->ngiven) {
			const struct mi_mount *mi = mi_find_old(ns, ns->given[ns->gpos++]);

			if (mi) {
				*m = &mi->m;
				return 1;
			}
		}
		return 0;
	}
	if (ns->backend == MB_MOUNTINFO) {
		while (ns->mi_pos < ns->nmi) {
			size_t i = ns->reverse ? ns->nmi - 1 - ns->mi_pos : ns->mi_pos;

			ns->mi_pos++;
			if (ns->mi[i].in_subtree) {
				*m = &ns->mi[i].m;
				return 1;
			}
		}
		return 0;
	}
	return pf_next(ns, mask, m);
}
