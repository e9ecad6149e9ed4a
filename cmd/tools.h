/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tools.h - every tool's definition, for the command table in mntx.c. */
#ifndef MNTX_TOOLS_H
#define MNTX_TOOLS_H

#include "opt.h"

extern const struct mntx_tooldef bind_tool;
extern const struct mntx_tooldef features_tool;	/* mntx --features */
extern const struct mntx_tooldef fh_encode_tool;
extern const struct mntx_tooldef fh_open_tool;
extern const struct mntx_tooldef fsmount_tool;
extern const struct mntx_tooldef fsmount_tmpfs_tool;
extern const struct mntx_tooldef fswalk_tool;
extern const struct mntx_tooldef loop_tool;
extern const struct mntx_tooldef lsmnt_tool;
extern const struct mntx_tooldef mountattr_tool;
extern const struct mntx_tooldef move_mount_tool;
extern const struct mntx_tooldef openat2_tool;
extern const struct mntx_tooldef statmount_tool;
extern const struct mntx_tooldef statx_tool;
extern const struct mntx_tooldef umount_tool;

#endif
