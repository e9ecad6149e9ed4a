// SPDX-License-Identifier: GPL-2.0-or-later
/* feature.c - probes of the running kernel; see feature.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "feature.h"
#include "idmap.h"
#include "mounts.h"
#include "sys.h"

/* An fd number that is never open: the probes that pass a flag check and
 * then look the fd up get EBADF from it. */
#define NOFD INT_MAX

/* The answer to a call with a flag under probe that cannot succeed: the
 * kernel checks its flags first, so EINVAL (or ENOSYS) means the flag is
 * unknown, EPERM that we may not ask, and anything else that the flag
 * passed (EBADF from the fd checked next). */
static enum feature_state flag_answer(long rc)
{
	if (rc >= 0)
		return FEATURE_YES;
	switch (errno) {
	case EINVAL:
	case ENOSYS:
		return FEATURE_NO;
	case EPERM:
		return FEATURE_UNKNOWN;
	default:
		return FEATURE_YES;
	}
}

/* A syscall is there unless it answers ENOSYS. */
static enum feature_state syscall_there(long rc)
{
	return rc < 0 && errno == ENOSYS ? FEATURE_NO : FEATURE_YES;
}

static enum feature_state p_mount_api(void)
{
	return syscall_there(sys_fsopen(NULL, 0));
}

static enum feature_state p_openat2(void)
{
	return syscall_there(sys_openat2(AT_FDCWD, "/", NULL, 0));
}

static enum feature_state p_mount_setattr(void)
{
	return syscall_there(sys_mount_setattr(-1, "", 0, NULL, 0));
}

static enum feature_state p_resolve_cached(void)
{
	struct mntx_open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = MNTX_RESOLVE_CACHED };
	int fd = sys_openat2(AT_FDCWD, "/", &how, sizeof(how));

	if (fd >= 0)
		close(fd);
	return fd >= 0 || errno == EAGAIN ? FEATURE_YES : FEATURE_NO;
}

/* mount_setattr checks the attributes before it looks at the path. */
static enum feature_state p_nosymfollow(void)
{
	struct mntx_mount_attr a = { .attr_set = MNTX_MOUNT_ATTR_NOSYMFOLLOW };

	return flag_answer(sys_mount_setattr(NOFD, "", AT_EMPTY_PATH, &a, sizeof(a)));
}

/* move_mount checks its flags first, then the paths. */
static enum feature_state move_mount_flag(unsigned int flag)
{
	unsigned int f = MNTX_MOVE_MOUNT_F_EMPTY_PATH | MNTX_MOVE_MOUNT_T_EMPTY_PATH | flag;

	return flag_answer(sys_move_mount(NOFD, "", NOFD, "", f));
}

static enum feature_state p_set_group(void)
{
	return move_mount_flag(MNTX_MOVE_MOUNT_SET_GROUP);
}

static enum feature_state p_beneath(void)
{
	return move_mount_flag(MNTX_MOVE_MOUNT_BENEATH);
}

/* Direct I/O limits are reported for block devices by the VFS itself, so
 * any block device tells (a file's filesystem may just not have them). */
static enum feature_state p_dioalign(void)
{
	DIR *d = opendir("/dev");
	struct dirent *e;
	enum feature_state st = FEATURE_UNKNOWN;

	if (!d)
		return st;
	while ((e = readdir(d))) {
		struct mntx_statx stx;

		if (e->d_type != DT_BLK)
			continue;
		memset(&stx, 0, sizeof(stx));
		if (sys_statx(dirfd(d), e->d_name, AT_SYMLINK_NOFOLLOW, MNTX_STATX_DIOALIGN, &stx) < 0)
			continue;
		st = (stx.stx_mask & MNTX_STATX_DIOALIGN) ? FEATURE_YES : FEATURE_NO;
		break;
	}
	closedir(d);
	return st;
}

/* A detached tmpfs, given an idmapping: nothing is attached anywhere, and
 * all of it goes with the fds. */
static enum feature_state p_idmapped_tmpfs(void)
{
	struct idmap map;
	struct mntx_mount_attr a = { .attr_set = MNTX_MOUNT_ATTR_IDMAP };
	enum feature_state st = FEATURE_UNKNOWN;
	int fs = -1, mnt = -1, userns = -1;

	if (!feature_has(FEAT_MOUNT_SETATTR))
		return FEATURE_NO;
	if (idmap_parse("b:0:100000:1", &map, NULL) < 0)
		return st;
	fs = sys_fsopen("tmpfs", MNTX_FSOPEN_CLOEXEC);
	if (fs < 0 || sys_fsconfig(fs, MNTX_FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		goto out;
	mnt = sys_fsmount(fs, MNTX_FSMOUNT_CLOEXEC, 0);
	if (mnt < 0)
		goto out;
	userns = idmap_userns(&map);
	if (userns < 0)
		goto out;
	a.userns_fd = (__u64)userns;
	if (sys_mount_setattr(mnt, "", AT_EMPTY_PATH, &a, sizeof(a)) == 0)
		st = FEATURE_YES;
	else if (errno == EINVAL)
		st = FEATURE_NO;
out:
	if (userns >= 0)
		close(userns);
	if (mnt >= 0)
		close(mnt);
	if (fs >= 0)
		close(fs);
	return st;
}

/* name_to_handle_at checks its flags before anything else; with no room
 * for the handle, a known flag ends in EOVERFLOW. */
static enum feature_state handle_flag(int flag)
{
	struct file_handle fh = { .handle_bytes = 0 };
	int mnt;

	if (name_to_handle_at(AT_FDCWD, "/", &fh, &mnt, flag) == 0 || errno != EINVAL)
		return FEATURE_YES;
	return FEATURE_NO;
}

static enum feature_state p_handle_fid(void)
{
	return handle_flag(MNTX_AT_HANDLE_FID);
}

static enum feature_state p_handle_unique(void)
{
	return handle_flag(MNTX_AT_HANDLE_MNT_ID_UNIQUE);
}

static enum feature_state p_handle_connectable(void)
{
	return handle_flag(MNTX_AT_HANDLE_CONNECTABLE);
}

/* fsconfig checks the command before the fd: an unknown one is EOPNOTSUPP. */
static enum feature_state p_create_excl(void)
{
	if (sys_fsconfig(NOFD, MNTX_FSCONFIG_CMD_CREATE_EXCL, NULL, NULL, 0) == 0)
		return FEATURE_YES;
	return errno == EOPNOTSUPP || errno == ENOSYS ? FEATURE_NO : FEATURE_YES;
}

static enum feature_state p_listmount(void)
{
	return syscall_there(sys_listmount(NULL, NULL, 0, 0));
}

static enum feature_state p_unique_mnt_id(void)
{
	struct mntx_statx stx;

	memset(&stx, 0, sizeof(stx));
	if (sys_statx(AT_FDCWD, "/", 0, MNTX_STATX_MNT_ID_UNIQUE, &stx) < 0)
		return FEATURE_UNKNOWN;
	return (stx.stx_mask & MNTX_STATX_MNT_ID_UNIQUE) ? FEATURE_YES : FEATURE_NO;
}

static enum feature_state p_mntns_id(void)
{
	int fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	__u64 id = 0;
	int rc;

	if (fd < 0)
		return FEATURE_UNKNOWN;
	rc = ioctl(fd, MNTX_NS_GET_MNTNS_ID, &id);
	close(fd);
	return rc == 0 ? FEATURE_YES : FEATURE_NO;
}

/* listmount of the first mount of our namespace, with @flags and with the
 * namespace named by the fd field. */
static enum feature_state listmount_with(unsigned int flags, int nsfd)
{
	struct mntx_mnt_id_req req = { .size = MNTX_MNT_ID_REQ_SIZE_VER0, .mnt_id = MNTX_LSMT_ROOT };
	__u64 id;

	if (!feature_has(FEAT_LISTMOUNT))
		return FEATURE_NO;
	req.mnt_ns_fd = (__u32)nsfd;
	if (sys_listmount(&req, &id, 1, flags) >= 0)
		return FEATURE_YES;
	return errno == EINVAL || errno == EBADF ? FEATURE_NO : FEATURE_UNKNOWN;
}

static enum feature_state p_reverse(void)
{
	return listmount_with(MNTX_LISTMOUNT_REVERSE, 0);
}

static enum feature_state p_ns_fd(void)
{
	int fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	enum feature_state st;

	if (fd < 0)
		return FEATURE_UNKNOWN;
	st = listmount_with(0, fd);
	close(fd);
	return st;
}

/* The statmount groups the kernel fills, as the mount listing found them. */
static enum feature_state statmount_group(uint64_t group)
{
	struct mnt_ns *ns;
	uint64_t have;

	if (!feature_has(FEAT_LISTMOUNT))
		return FEATURE_NO;
	if (mnt_ns_open(&ns, 0, 0, MB_LISTMOUNT) < 0)
		return FEATURE_UNKNOWN;
	have = mnt_ns_supported(ns);
	mnt_ns_close(ns);
	return (have & group) == group ? FEATURE_YES : FEATURE_NO;
}

static enum feature_state p_sm_opts(void)
{
	return statmount_group(MNTX_STATMOUNT_MNT_OPTS);
}

static enum feature_state p_sm_source(void)
{
	return statmount_group(MNTX_STATMOUNT_SB_SOURCE | MNTX_STATMOUNT_FS_SUBTYPE);
}

static enum feature_state p_sm_opt_array(void)
{
	return statmount_group(MNTX_STATMOUNT_OPT_ARRAY | MNTX_STATMOUNT_OPT_SEC_ARRAY);
}

static enum feature_state p_sm_supported(void)
{
	struct mntx_mnt_id_req req = { .size = MNTX_MNT_ID_REQ_SIZE_VER0,
				       .param = MNTX_STATMOUNT_SUPPORTED_MASK };
	struct mntx_mnt_id_req lreq = { .size = MNTX_MNT_ID_REQ_SIZE_VER0, .mnt_id = MNTX_LSMT_ROOT };
	struct mntx_statmount sm;

	if (!feature_has(FEAT_LISTMOUNT))
		return FEATURE_NO;
	if (sys_listmount(&lreq, &req.mnt_id, 1, 0) != 1)
		return FEATURE_UNKNOWN;
	if (sys_statmount(&req, &sm, sizeof(sm), 0) < 0)
		return FEATURE_UNKNOWN;
	return (sm.mask & MNTX_STATMOUNT_SUPPORTED_MASK) ? FEATURE_YES : FEATURE_NO;
}

static enum feature_state p_sm_idmap(void)
{
	return statmount_group(MNTX_STATMOUNT_MNT_UIDMAP | MNTX_STATMOUNT_MNT_GIDMAP);
}

static enum feature_state p_open_tree_attr(void)
{
	return syscall_there(sys_open_tree_attr(-1, NULL, 0, NULL, 0));
}

static const struct {
	struct feature_info info;
	enum feature_state (*probe)(void);
} table[FEAT__COUNT] = {
	[FEAT_MOUNT_API] = { { "mount_api", "5.2", "fsopen, fsmount, move_mount, open_tree",
		"fsmount, fsmount-tmpfs, bind, move-mount", "these tools refuse" }, p_mount_api },
	[FEAT_OPENAT2] = { { "openat2", "5.6", "openat2",
		"openat2, fswalk", "openat2 refuses; fswalk needs it" }, p_openat2 },
	[FEAT_MOUNT_SETATTR] = { { "mount_setattr", "5.12", "mount_setattr",
		"mountattr, bind and fsmount attributes and --propagation, --idmap",
		"attributes, --propagation and --idmap are refused with the version; plain binds work" }, p_mount_setattr },
	[FEAT_RESOLVE_CACHED] = { { "resolve_cached", "5.12", "RESOLVE_CACHED",
		"openat2 --resolve cached", "refused with the version" }, p_resolve_cached },
	[FEAT_MOUNT_ATTR_NOSYMFOLLOW] = { { "mount_attr_nosymfollow", "5.14", "MOUNT_ATTR_NOSYMFOLLOW",
		"the nosymfollow attribute", "refused with the version" }, p_nosymfollow },
	[FEAT_MOVE_MOUNT_SET_GROUP] = { { "move_mount_set_group", "5.15", "MOVE_MOUNT_SET_GROUP",
		"move-mount --set-group", "refused with the version" }, p_set_group },
	[FEAT_STATX_DIOALIGN] = { { "statx_dioalign", "6.1", "STATX_DIOALIGN",
		"statx dio_mem_align, dio_offset_align", "null" }, p_dioalign },
	[FEAT_IDMAPPED_TMPFS] = { { "idmapped_tmpfs", "6.3", "FS_ALLOW_IDMAP for tmpfs",
		"bind --idmap of a tmpfs", "refused with the version" }, p_idmapped_tmpfs },
	[FEAT_MOVE_MOUNT_BENEATH] = { { "move_mount_beneath", "6.5", "MOVE_MOUNT_BENEATH",
		"move-mount, bind, fsmount --beneath", "refused with the version" }, p_beneath },
	[FEAT_AT_HANDLE_FID] = { { "at_handle_fid", "6.5", "AT_HANDLE_FID",
		"fh-encode --fid", "refused with the version" }, p_handle_fid },
	[FEAT_FSCONFIG_CREATE_EXCL] = { { "fsconfig_create_excl", "6.6", "FSCONFIG_CMD_CREATE_EXCL",
		"fsmount --exclusive", "refused with the version" }, p_create_excl },
	[FEAT_LISTMOUNT] = { { "listmount", "6.8", "listmount, statmount",
		"lsmnt, statmount, umount -R, every mount record",
		"/proc/self/mountinfo is read instead, quietly; a note names the chosen columns it cannot give" }, p_listmount },
	[FEAT_UNIQUE_MNT_ID] = { { "unique_mnt_id", "6.8", "STATX_MNT_ID_UNIQUE",
		"the 64-bit mount IDs (id, parent_id, mnt_id)",
		"id, parent_id and statx mnt_id are null; -o +old-id,old-parent gives mountinfo's IDs" }, p_unique_mnt_id },
	[FEAT_MNTNS_ID] = { { "mntns_id", "6.11", "NS_GET_MNTNS_ID, mnt_id_req.mnt_ns_id",
		"lsmnt ns-id, --ns-id", "ns-id is null; --ns-id is refused" }, p_mntns_id },
	[FEAT_LISTMOUNT_REVERSE] = { { "listmount_reverse", "6.11", "LISTMOUNT_REVERSE",
		"lsmnt --reverse (with listmount)", "the list is reversed by mntx" }, p_reverse },
	[FEAT_STATMOUNT_MNT_OPTS] = { { "statmount_mnt_opts", "6.11", "STATMOUNT_MNT_OPTS",
		"fs-options from statmount", "read from mountinfo" }, p_sm_opts },
	[FEAT_AT_HANDLE_MNT_ID_UNIQUE] = { { "at_handle_mnt_id_unique", "6.12", "AT_HANDLE_MNT_ID_UNIQUE",
		"the unique mount ID in a handle", "the handle carries the old mount ID" }, p_handle_unique },
	[FEAT_STATMOUNT_SB_SOURCE] = { { "statmount_sb_source", "6.13", "STATMOUNT_SB_SOURCE, FS_SUBTYPE",
		"source and fs-subtype from statmount", "read from mountinfo" }, p_sm_source },
	[FEAT_STATMOUNT_OPT_ARRAY] = { { "statmount_opt_array", "6.13", "STATMOUNT_OPT_ARRAY, OPT_SEC_ARRAY",
		"opt-array, opt-sec-array from statmount", "split from mountinfo's options" }, p_sm_opt_array },
	[FEAT_AT_HANDLE_CONNECTABLE] = { { "at_handle_connectable", "6.13", "AT_HANDLE_CONNECTABLE",
		"fh-encode --connectable", "refused with the version" }, p_handle_connectable },
	[FEAT_STATMOUNT_SUPPORTED_MASK] = { { "statmount_supported_mask", "6.15", "STATMOUNT_SUPPORTED_MASK",
		"statmount --supported", "what came back for the root mount is shown" }, p_sm_supported },
	[FEAT_STATMOUNT_IDMAP] = { { "statmount_idmap", "6.15", "STATMOUNT_MNT_UIDMAP, MNT_GIDMAP",
		"uid-map, gid-map of idmapped mounts", "null, with a note when asked for" }, p_sm_idmap },
	[FEAT_OPEN_TREE_ATTR] = { { "open_tree_attr", "6.15", "open_tree_attr",
		"bind with attributes in one call", "open_tree, then mount_setattr on the detached copy" },
		p_open_tree_attr },
	[FEAT_LISTMOUNT_NS_FD] = { { "listmount_ns_fd", "6.18", "mnt_id_req.mnt_ns_fd",
		"listmount of another namespace by fd", "the namespace is named by its ID, or entered" },
		p_ns_fd },
};

const struct feature_info *feature_info(enum feature f)
{
	return &table[f].info;
}

int feature_find(const char *name)
{
	for (int i = 0; i < FEAT__COUNT; i++)
		if (!strcmp(table[i].info.name, name))
			return i;
	return -1;
}

enum feature_state feature_probe(enum feature f)
{
	/* 0: not probed yet; else the state + 1 */
	static unsigned char cache[FEAT__COUNT];
	int saved = errno;

	if (!cache[f])
		cache[f] = (unsigned char)(table[f].probe() + 1);
	errno = saved;
	return (enum feature_state)(cache[f] - 1);
}

const char *feature_needs(enum feature f)
{
	static char buf[128];

	snprintf(buf, sizeof(buf), "Linux %s (%s)", table[f].info.since, table[f].info.kname);
	return buf;
}
