load helpers
@test "probe" {
	D=$(scratch)
	mkdir $D/t
	mount -t tmpfs tmpfs $D/t
	grep " $D/t " /proc/self/mountinfo >&3
	umount $D/t
	mntx fsmount-tmpfs -o size=1m $D/t >&3 2>&3
	grep " $D/t " /proc/self/mountinfo >&3
	findmnt -n -o FS-OPTIONS,VFS-OPTIONS $D/t >&3
	umount $D/t
	mntx fsmount-tmpfs --attr ro,nosuid,nodev,noexec,noatime,nodiratime,nosymfollow $D/t >&3 2>&3
	findmnt -n -o FS-OPTIONS,VFS-OPTIONS $D/t >&3
	umount $D/t
	mntx fsmount-tmpfs -o size=2m,huge=always -o inode32 $D/t >&3 2>&3
	findmnt -n -o FS-OPTIONS $D/t >&3
	umount $D/t
	mntx --features >&3
	uname -a >&3
	findmnt -T $D >&3
}
