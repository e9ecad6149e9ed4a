# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers of lsmnt.bats and statmount.bats: build a known tree of mounts,
# compare lsmnt with findmnt, clean up.  Load after helpers.

# The processes a test started in the background (killed by teardown).
BG_PIDS=()

# teardown of every test that mounts: stop what runs, unmount what was made.
mounts_teardown() {
	local p
	for p in "${BG_PIDS[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	BG_PIDS=()
	unmount_below "$BATS_TEST_TMPDIR"
}

# other_ns DIR: a process in a mount namespace of its own with a tmpfs
# (source mntx-other) on DIR, once it is there; its PID in OTHER_PID, and
# in BG_PIDS (call it directly, not in $(...)).
other_ns() {
	mkdir -p "$1"
	# no inherited output fds: bats would wait for the sleep
	unshare --mount --propagation private sh -c "mount -t tmpfs mntx-other '$1' && exec sleep 600" \
		</dev/null >/dev/null 2>&1 3>&- &
	OTHER_PID=$!
	BG_PIDS+=("$OTHER_PID")
	for _ in $(seq 500); do
		grep -q mntx-other "/proc/$OTHER_PID/mountinfo" 2>/dev/null && return 0
		sleep 0.01
	done
	return 1
}

# A user namespace mapping 0-65535 to 100000+ and 0-999 to 200000+, kept by
# a sleeping process whose PID is printed (it is in BG_PIDS of the caller only
# when the caller adds it).
userns_start() {
	local pid
	# no inherited output fds: $(...) and bats would wait for the sleep
	unshare --user sleep 600 </dev/null >/dev/null 2>&1 3>&- &
	pid=$!
	# unshare may not have switched namespaces yet
	while [ "$(readlink /proc/$pid/ns/user)" = "$(readlink /proc/self/ns/user)" ]; do
		sleep 0.01
	done
	echo "0 100000 65536" >/proc/$pid/uid_map
	echo "0 200000 1000" >/proc/$pid/gid_map
	echo "$pid"
}

# idmap_bind SRC DST USERNS: an idmapped bind mount of SRC on DST.
# util-linux mount does it with X-mount.idmap (2.39 and later); older mount
# ignores the option silently, so then the mount API is called directly:
# open_tree(OPEN_TREE_CLONE), mount_setattr(MOUNT_ATTR_IDMAP), move_mount.
idmap_bind() {
	local src=$1 dst=$2 userns=$3
	mount --bind -o "X-mount.idmap=$userns" "$src" "$dst" 2>/dev/null &&
		[ "$(findmnt -n -o VFS-OPTIONS --mountpoint "$dst" | grep -c idmapped)" = 1 ] && return 0
	mountpoint -q "$dst" && umount "$dst"
	perl -e '
		my ($userns, $src, $dst) = @ARGV;
		my $e = "";
		open(my $ns, "<", $userns) or die "$userns: $!\n";
		# x86_64 and asm-generic numbers: open_tree 428, move_mount 429, mount_setattr 442
		my $fd = syscall(428, -100, $src, 0x1 | 0x80000 | 0x8000);
		die "open_tree: $!\n" if $fd < 0;
		my $attr = pack("QQQQ", 0x00100000, 0, 0, fileno($ns));
		syscall(442, $fd, $e, 0x1000, $attr, 32) == 0 or die "mount_setattr: $!\n";
		syscall(429, $fd, $e, -100, $dst, 4) == 0 or die "move_mount: $!\n";
	' "$userns" "$src" "$dst"
}

# build_tree DIR: mount the namespace the comparisons look at, under DIR:
#   DIR            tmpfs "mntx-top" (size=1m, mode=750)
#   DIR/tmp        tmpfs with options, and a directory sub/
#   DIR/bind       bind mount of DIR/tmp/sub (FSROOT /sub)
#   DIR/nest/a/b   a nested tree of three tmpfs
#   DIR/ro         read-only bind of DIR/tmp
#   DIR/flags      tmpfs ro,nosuid,nodev,noexec,noatime
#   DIR/shared     shared tmpfs; DIR/slave its slave bind
#   DIR/unbind     an unbindable tmpfs
#   DIR/idmap      idmapped bind mount of DIR/tmp (a plain bind before Linux
#                  6.3, which cannot idmap a tmpfs)
#   DIR/ovl        overlay whose lowerdir has a space, a comma and a
#                  backslash (escaped in its options)
build_tree() {
	local d=$1 userns
	mkdir -p "$d"
	mount -t tmpfs -o size=1m,mode=750 mntx-top "$d"
	mkdir "$d"/{tmp,bind,nest,ro,flags,shared,slave,unbind,idmap}
	mount -t tmpfs -o size=2m,nr_inodes=1000,mode=1777 mntx-tmp "$d/tmp"
	mkdir "$d/tmp/sub"
	mount --bind "$d/tmp/sub" "$d/bind"
	mount -t tmpfs mntx-nest "$d/nest"
	mkdir "$d/nest/a"
	mount -t tmpfs mntx-nest-a "$d/nest/a"
	mkdir "$d/nest/a/b"
	mount -t tmpfs -o noexec mntx-nest-b "$d/nest/a/b"
	mount --bind -o ro "$d/tmp" "$d/ro"
	mount -t tmpfs -o ro,nosuid,nodev,noexec,noatime mntx-flags "$d/flags"
	mount -t tmpfs mntx-shared "$d/shared"
	mount --make-shared "$d/shared"
	mount --bind "$d/shared" "$d/slave"
	mount --make-slave "$d/slave"
	mount -t tmpfs mntx-unbind "$d/unbind"
	mount --make-unbindable "$d/unbind"
	if lacks idmapped_tmpfs; then
		mount --bind "$d/tmp" "$d/idmap"
	else
		userns=$(userns_start)
		BG_PIDS+=("$userns")
		idmap_bind "$d/tmp" "$d/idmap" "/proc/$userns/ns/user"
	fi
	mkdir "$d/lo w,er" "$d/up" "$d/wk" "$d/ovl"
	mount -t overlay -o "lowerdir=$d/lo w\\,er,upperdir=$d/up,workdir=$d/wk" mntx-ovl "$d/ovl"
}

# findmnt's and lsmnt's view of every mount, one normalised JSON line per
# mount, sorted.  findmnt shows a slave as "private,slave"; the kernel's
# propagation of such a mount is MS_SLAVE alone, which lsmnt shows as
# ["slave"]: "private" is dropped from findmnt's list when it is not alone.
findmnt_view() {
	findmnt -J --list --nofsroot "$@" \
		-o ID,PARENT,TARGET,SOURCE,FSTYPE,OPTIONS,VFS-OPTIONS,FS-OPTIONS,PROPAGATION,MAJ:MIN,FSROOT |
		jq -c '.filesystems[] | [.id, .parent, .target, .source, .fstype, .options,
			."vfs-options", ."fs-options",
			(.propagation | split(",") | if length > 1 then map(select(. != "private")) else . end | sort),
			."maj:min", .fsroot]' | LC_ALL=C sort
}

lsmnt_view() {
	mntx lsmnt -J --list "$@" \
		-o OLD-ID,OLD-PARENT,TARGET,SOURCE,FSTYPE,OPTIONS,VFS-OPTIONS,FS-OPTIONS,PROPAGATION,MAJ,MIN,FSROOT |
		jq -c '.mounts[] | [.old_id, .old_parent_id, .target, .source, .fstype, .options,
			.vfs_options, .fs_options, (.propagation | sort), "\(.maj):\(.min)", .root]' | LC_ALL=C sort
}

# mount_many DIR N: N tmpfs mounts DIR/0 .. DIR/N-1, quickly (one process).
mount_many() {
	perl -e '
		my ($dir, $n) = @ARGV;
		my ($src, $type) = ("mntx-many", "tmpfs");
		for my $i (0 .. $n - 1) {
			mkdir "$dir/$i";
			# mount(2) is 165 on x86_64
			syscall(165, $src, "$dir/$i", $type, 0, 0) == 0 or die "mount $dir/$i: $!\n";
		}
	' "$1" "$2"
}

# The odd names every tool must carry through: a space, a tab, a newline,
# a backslash, invalid UTF-8, valid UTF-8.
odd_names() {
	printf '%s\0' "a b" $'t\tb' $'n\nl' 'back\slash' $'bad\xffutf' 'ünï' 'x\x41y'
}

# The back-ends lsmnt has on this kernel: mountinfo always, listmount from
# Linux 6.8.
mount_backends() {
	if lacks listmount; then echo mountinfo; else echo listmount mountinfo; fi
}

# idmap_shown JSON: the uid_map or gid_map a record shows for an idmapped
# mount: JSON itself where statmount gives the maps (Linux 6.15), null before.
idmap_shown() {
	if lacks statmount_idmap; then echo null; else echo "$1"; fi
}

# without_listmount CMD...: run CMD as on a kernel without listmount(2) and
# statmount(2) (Linux 6.8).
without_listmount() {
	kernel_without listmount -- "$@"
}
