/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * abi.h - the kernel ABI mntx uses, as of Linux 6.18.
 *
 * Debian 12's headers stop at Linux 6.1, so the structures, flags and
 * syscall numbers of the newer mount and file API are written here from
 * shared/docs/kernel-api-6.18.txt.  Everything is guarded so that a newer
 * libc header wins when it has the same definition.  Our own structures
 * carry a mntx_ prefix where glibc has an older one of the same name.
 */
#ifndef MNTX_ABI_H
#define MNTX_ABI_H

#include <stdint.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/ioctl.h>
#include <linux/types.h>

/* Syscall numbers: from 424 on they are the same on every architecture. */
#ifndef __NR_open_tree
#define __NR_open_tree 428
#endif
#ifndef __NR_move_mount
#define __NR_move_mount 429
#endif
#ifndef __NR_fsopen
#define __NR_fsopen 430
#endif
#ifndef __NR_fsconfig
#define __NR_fsconfig 431
#endif
#ifndef __NR_fsmount
#define __NR_fsmount 432
#endif
#ifndef __NR_fspick
#define __NR_fspick 433
#endif
#ifndef __NR_openat2
#define __NR_openat2 437
#endif
#ifndef __NR_mount_setattr
#define __NR_mount_setattr 442
#endif
#ifndef __NR_statmount
#define __NR_statmount 457
#endif
#ifndef __NR_listmount
#define __NR_listmount 458
#endif
#ifndef __NR_open_tree_attr
#define __NR_open_tree_attr 467
#endif

/* MS_* values that also name propagation types in statmount and mount_attr. */
#define MNTX_MS_UNBINDABLE (1u << 17)
#define MNTX_MS_PRIVATE    (1u << 18)
#define MNTX_MS_SLAVE      (1u << 19)
#define MNTX_MS_SHARED     (1u << 20)

/* sb_flags of statmount SB_BASIC: only these four are reported. */
#define MNTX_SB_RDONLY      1u
#define MNTX_SB_SYNCHRONOUS 16u
#define MNTX_SB_DIRSYNC     128u
#define MNTX_SB_LAZYTIME    (1u << 25)

/* open_tree(2) */
#define MNTX_OPEN_TREE_CLONE   1u
#define MNTX_OPEN_TREE_CLOEXEC O_CLOEXEC

/* move_mount(2) */
#define MNTX_MOVE_MOUNT_F_SYMLINKS   0x001u
#define MNTX_MOVE_MOUNT_F_AUTOMOUNTS 0x002u
#define MNTX_MOVE_MOUNT_F_EMPTY_PATH 0x004u
#define MNTX_MOVE_MOUNT_T_SYMLINKS   0x010u
#define MNTX_MOVE_MOUNT_T_AUTOMOUNTS 0x020u
#define MNTX_MOVE_MOUNT_T_EMPTY_PATH 0x040u
#define MNTX_MOVE_MOUNT_SET_GROUP    0x100u	/* 5.15 */
#define MNTX_MOVE_MOUNT_BENEATH      0x200u	/* 6.5 */

/* fsopen/fspick/fsmount */
#define MNTX_FSOPEN_CLOEXEC           0x1u
#define MNTX_FSPICK_CLOEXEC           0x1u
#define MNTX_FSPICK_SYMLINK_NOFOLLOW  0x2u
#define MNTX_FSPICK_NO_AUTOMOUNT      0x4u
#define MNTX_FSPICK_EMPTY_PATH        0x8u
#define MNTX_FSMOUNT_CLOEXEC          0x1u

enum mntx_fsconfig_cmd {
	MNTX_FSCONFIG_SET_FLAG = 0,
	MNTX_FSCONFIG_SET_STRING = 1,
	MNTX_FSCONFIG_SET_BINARY = 2,
	MNTX_FSCONFIG_SET_PATH = 3,
	MNTX_FSCONFIG_SET_PATH_EMPTY = 4,
	MNTX_FSCONFIG_SET_FD = 5,
	MNTX_FSCONFIG_CMD_CREATE = 6,
	MNTX_FSCONFIG_CMD_RECONFIGURE = 7,
	MNTX_FSCONFIG_CMD_CREATE_EXCL = 8,	/* 6.6 */
};

/* MOUNT_ATTR_*: fsmount attr_flags, mount_attr, statmount mnt_attr. */
#define MNTX_MOUNT_ATTR_RDONLY      0x00000001ull
#define MNTX_MOUNT_ATTR_NOSUID      0x00000002ull
#define MNTX_MOUNT_ATTR_NODEV       0x00000004ull
#define MNTX_MOUNT_ATTR_NOEXEC      0x00000008ull
#define MNTX_MOUNT_ATTR__ATIME      0x00000070ull
#define MNTX_MOUNT_ATTR_RELATIME    0x00000000ull
#define MNTX_MOUNT_ATTR_NOATIME     0x00000010ull
#define MNTX_MOUNT_ATTR_STRICTATIME 0x00000020ull
#define MNTX_MOUNT_ATTR_NODIRATIME  0x00000080ull
#define MNTX_MOUNT_ATTR_IDMAP       0x00100000ull
#define MNTX_MOUNT_ATTR_NOSYMFOLLOW 0x00200000ull

struct mntx_mount_attr {
	__u64 attr_set;
	__u64 attr_clr;
	__u64 propagation;
	__u64 userns_fd;
};
#define MNTX_MOUNT_ATTR_SIZE_VER0 32

/* statmount(2), 6.8; fields added up to 6.15. */
struct mntx_statmount {
	__u32 size;
	__u32 mnt_opts;
	__u64 mask;
	__u32 sb_dev_major;
	__u32 sb_dev_minor;
	__u64 sb_magic;
	__u32 sb_flags;
	__u32 fs_type;
	__u64 mnt_id;
	__u64 mnt_parent_id;
	__u32 mnt_id_old;
	__u32 mnt_parent_id_old;
	__u64 mnt_attr;
	__u64 mnt_propagation;
	__u64 mnt_peer_group;
	__u64 mnt_master;
	__u64 propagate_from;
	__u32 mnt_root;
	__u32 mnt_point;
	__u64 mnt_ns_id;
	__u32 fs_subtype;
	__u32 sb_source;
	__u32 opt_num;
	__u32 opt_array;
	__u32 opt_sec_num;
	__u32 opt_sec_array;
	__u64 supported_mask;
	__u32 mnt_uidmap_num;
	__u32 mnt_uidmap;
	__u32 mnt_gidmap_num;
	__u32 mnt_gidmap;
	__u64 __spare2[43];
	char str[];
};
_Static_assert(sizeof(struct mntx_statmount) == 512, "struct statmount is 512 bytes");

struct mntx_mnt_id_req {
	__u32 size;
	__u32 mnt_ns_fd;	/* 6.18: an fd of /proc/PID/ns/mnt, or 0 */
	__u64 mnt_id;
	__u64 param;
	__u64 mnt_ns_id;	/* VER1, 6.11 */
};
#define MNTX_MNT_ID_REQ_SIZE_VER0 24
#define MNTX_MNT_ID_REQ_SIZE_VER1 32

#define MNTX_STATMOUNT_SB_BASIC       0x0001ull
#define MNTX_STATMOUNT_MNT_BASIC      0x0002ull
#define MNTX_STATMOUNT_PROPAGATE_FROM 0x0004ull
#define MNTX_STATMOUNT_MNT_ROOT       0x0008ull
#define MNTX_STATMOUNT_MNT_POINT      0x0010ull
#define MNTX_STATMOUNT_FS_TYPE        0x0020ull
#define MNTX_STATMOUNT_MNT_NS_ID      0x0040ull	/* 6.11 */
#define MNTX_STATMOUNT_MNT_OPTS       0x0080ull	/* 6.11 */
#define MNTX_STATMOUNT_FS_SUBTYPE     0x0100ull	/* 6.13 */
#define MNTX_STATMOUNT_SB_SOURCE      0x0200ull	/* 6.13 */
#define MNTX_STATMOUNT_OPT_ARRAY      0x0400ull	/* 6.13 */
#define MNTX_STATMOUNT_OPT_SEC_ARRAY  0x0800ull	/* 6.13 */
#define MNTX_STATMOUNT_SUPPORTED_MASK 0x1000ull	/* 6.15 */
#define MNTX_STATMOUNT_MNT_UIDMAP     0x2000ull	/* 6.15 */
#define MNTX_STATMOUNT_MNT_GIDMAP     0x4000ull	/* 6.15 */

#define MNTX_LSMT_ROOT          0xffffffffffffffffull
#define MNTX_LISTMOUNT_REVERSE  (1u << 0)	/* 6.11 */
/* Unique mount IDs start above this; smaller IDs are the old mountinfo ones. */
#define MNTX_MNT_UNIQUE_ID_OFFSET (1ull << 31)

/* <linux/nsfs.h> */
#define MNTX_NS_GET_MNTNS_ID _IOR(0xb7, 5, __u64)	/* 6.11 */
#define MNTX_NS_GET_PARENT   _IO(0xb7, 0x2)		/* 4.9: EPERM above our scope */
#define MNTX_NS_GET_NSTYPE   _IO(0xb7, 0x3)		/* 4.11: a CLONE_NEW* value */

/* openat2(2), 5.6 */
struct mntx_open_how {
	__u64 flags;
	__u64 mode;
	__u64 resolve;
};
#define MNTX_RESOLVE_NO_XDEV       0x01ull
#define MNTX_RESOLVE_NO_MAGICLINKS 0x02ull
#define MNTX_RESOLVE_NO_SYMLINKS   0x04ull
#define MNTX_RESOLVE_BENEATH       0x08ull
#define MNTX_RESOLVE_IN_ROOT       0x10ull
#define MNTX_RESOLVE_CACHED        0x20ull	/* 5.12 */

/* statx(2) as of 6.18: glibc 2.36's struct stops at stx_dio_offset_align. */
struct mntx_statx_timestamp {
	__s64 tv_sec;
	__u32 tv_nsec;
	__s32 __reserved;
};
struct mntx_statx {
	__u32 stx_mask;
	__u32 stx_blksize;
	__u64 stx_attributes;
	__u32 stx_nlink;
	__u32 stx_uid;
	__u32 stx_gid;
	__u16 stx_mode;
	__u16 __spare0;
	__u64 stx_ino;
	__u64 stx_size;
	__u64 stx_blocks;
	__u64 stx_attributes_mask;
	struct mntx_statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	__u32 stx_rdev_major;
	__u32 stx_rdev_minor;
	__u32 stx_dev_major;
	__u32 stx_dev_minor;
	__u64 stx_mnt_id;
	__u32 stx_dio_mem_align;
	__u32 stx_dio_offset_align;
	__u64 stx_subvol;
	__u32 stx_atomic_write_unit_min;
	__u32 stx_atomic_write_unit_max;
	__u32 stx_atomic_write_segments_max;
	__u32 stx_dio_read_offset_align;
	__u32 stx_atomic_write_unit_max_opt;
	__u32 __spare2;
	__u64 __spare3[8];
};
_Static_assert(sizeof(struct mntx_statx) == 0x100, "struct statx is 256 bytes");

#define MNTX_STATX_TYPE           0x00000001u
#define MNTX_STATX_MODE           0x00000002u
#define MNTX_STATX_NLINK          0x00000004u
#define MNTX_STATX_UID            0x00000008u
#define MNTX_STATX_GID            0x00000010u
#define MNTX_STATX_ATIME          0x00000020u
#define MNTX_STATX_MTIME          0x00000040u
#define MNTX_STATX_CTIME          0x00000080u
#define MNTX_STATX_INO            0x00000100u
#define MNTX_STATX_SIZE           0x00000200u
#define MNTX_STATX_BLOCKS         0x00000400u
#define MNTX_STATX_BASIC_STATS    0x000007ffu
#define MNTX_STATX_BTIME          0x00000800u
#define MNTX_STATX_MNT_ID         0x00001000u	/* 5.8 */
#define MNTX_STATX_DIOALIGN       0x00002000u	/* 6.1 */
#define MNTX_STATX_MNT_ID_UNIQUE  0x00004000u	/* 6.8 */
#define MNTX_STATX_SUBVOL         0x00008000u	/* 6.10 */
#define MNTX_STATX_WRITE_ATOMIC   0x00010000u	/* 6.11 */
#define MNTX_STATX_DIO_READ_ALIGN 0x00020000u	/* 6.14 */

#define MNTX_STATX_ATTR_COMPRESSED   0x00000004ull
#define MNTX_STATX_ATTR_IMMUTABLE    0x00000010ull
#define MNTX_STATX_ATTR_APPEND       0x00000020ull
#define MNTX_STATX_ATTR_NODUMP       0x00000040ull
#define MNTX_STATX_ATTR_ENCRYPTED    0x00000800ull
#define MNTX_STATX_ATTR_AUTOMOUNT    0x00001000ull
#define MNTX_STATX_ATTR_MOUNT_ROOT   0x00002000ull
#define MNTX_STATX_ATTR_VERITY       0x00100000ull
#define MNTX_STATX_ATTR_DAX          0x00200000ull
#define MNTX_STATX_ATTR_WRITE_ATOMIC 0x00400000ull

/* AT_* flags; <linux/fcntl.h> clashes with glibc's <fcntl.h>. */
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#define MNTX_AT_STATX_SYNC_AS_STAT 0x0000
#define MNTX_AT_STATX_FORCE_SYNC   0x2000
#define MNTX_AT_STATX_DONT_SYNC    0x4000
#define MNTX_AT_HANDLE_FID            0x200	/* 6.5 */
#define MNTX_AT_HANDLE_MNT_ID_UNIQUE  0x001	/* 6.12 */
#define MNTX_AT_HANDLE_CONNECTABLE    0x002	/* 6.13 */

/* Loop devices.  <linux/loop.h> has struct loop_info64 and the old ioctls
 * everywhere; LOOP_CONFIGURE (5.8) and its structure are written here. */
#include <linux/loop.h>
#define MNTX_LOOP_MAJOR          7	/* LOOP_MAJOR, unless /proc/devices says otherwise */
#define MNTX_LOOP_SET_FD         0x4C00
#define MNTX_LOOP_CLR_FD         0x4C01
#define MNTX_LOOP_SET_STATUS64   0x4C04
#define MNTX_LOOP_GET_STATUS64   0x4C05
#define MNTX_LOOP_SET_CAPACITY   0x4C07	/* 2.6.30 */
#define MNTX_LOOP_SET_DIRECT_IO  0x4C08	/* 4.4 */
#define MNTX_LOOP_SET_BLOCK_SIZE 0x4C09	/* 4.14 */
#define MNTX_LOOP_CONFIGURE      0x4C0A	/* 5.8 */
#define MNTX_LOOP_CTL_GET_FREE   0x4C82	/* 3.1 */
#define MNTX_LO_FLAGS_READ_ONLY  1u
#define MNTX_LO_FLAGS_AUTOCLEAR  4u
#define MNTX_LO_FLAGS_PARTSCAN   8u	/* 3.2 */
#define MNTX_LO_FLAGS_DIRECT_IO  16u	/* 4.4 */
struct mntx_loop_config {
	__u32 fd;
	__u32 block_size;	/* 0: keep 512 */
	struct loop_info64 info;
	__u64 reserved[8];
};

#endif
