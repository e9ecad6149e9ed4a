#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/run: serial loop
# loop: list, attach, detach, status, resize, checked against losetup on
# the same devices.  Tests attach only files under this file's temp dir
# and detach every such device in teardown (and, should bats die, in the
# guard's EXIT trap: see loop_guard in helpers.bash).

load helpers

setup_file() {
	if [ "$(id -u)" = 0 ] && [ -z "${MNTX_TESTS_USERNS:-}" ]; then
		loop_guard "$BATS_FILE_TMPDIR"
	fi
}

setup() {
	T=$(realpath "$(mktemp -d "$BATS_FILE_TMPDIR/t.XXXXXX")")
}

teardown() {
	if [ "$(id -u)" = 0 ]; then
		loop_cleanup "$BATS_FILE_TMPDIR"
		[ -z "${NODE_DIR:-}" ] || loop_cleanup "$NODE_DIR"
	fi
	rm -rf "$T" "${NODE_DIR:-}"
}

teardown_file() {
	if [ "$(id -u)" = 0 ]; then
		loop_cleanup "$BATS_FILE_TMPDIR"
	fi
}

# A sparse file of SIZE under the test's dir: img NAME [SIZE].
img() {
	truncate -s "${2:-16M}" "$T/$1"
	echo "$T/$1"
}

# Attach with mntx and print the device: attach [OPTIONS...] FILE.
attach() {
	local dev
	dev=$(mntx loop attach --show "$@") || return 1
	[[ $dev =~ ^/dev/loop[0-9]+$ ]] || { echo "attach printed '$dev'" >&2; return 1; }
	echo "$dev"
}

# The record losetup gives for DEV, in mntx's keys (snake case, no padding).
losetup_rec() {
	losetup -J --list --output-all "$1" | jq -S '.loopdevices[0]
		| with_entries(.key |= gsub("[-:]"; "_"))
		| .back_maj_min |= gsub(" "; "") | .maj_min |= gsub(" "; "")'
}

# mntx's record of DEV, the keys losetup has.
mntx_rec() {
	mntx loop list -J --output-all "$1" | jq -S '.loopdevices[0]
		| {name, autoclear, back_file, back_ino, back_maj_min, maj_min, offset,
		   partscan, ro, sizelimit, dio, log_sec}'
}

assert_same_as_losetup() {
	local a b
	a=$(losetup_rec "$1")
	b=$(mntx_rec "$1")
	[ -n "$a" ] && [ "$a" != null ] || { echo "losetup knows nothing of $1" >&2; return 1; }
	if [ "$a" != "$b" ]; then
		echo "losetup and mntx differ on $1:" >&2
		diff <(echo "$a") <(echo "$b") >&2
		return 1
	fi
}

# One field of mntx's record of DEV: field DEV KEY.
field() {
	mntx loop list -J --output-all "$1" | jq -c ".loopdevices[0].$2"
}

# The options and the values they must give, one set a line:
# OPTIONS|offset|sizelimit|ro|partscan|dio|log_sec
OPTION_SETS='|0|0|false|false|false|512
--offset 4096|4096|0|false|false|false|512
--offset 1k --sizelimit 2m|1024|2097152|false|false|false|512
--sizelimit 3MiB|0|3145728|false|false|false|512
--ro|0|0|true|false|false|512
--partscan|0|0|false|true|false|512
--direct-io|0|0|false|false|true|512
--block-size 4096|0|0|false|false|false|4096
--block-size 2k --ro --partscan --direct-io --offset 8k --sizelimit 4m|8192|4194304|true|true|true|2048'

# Attach with every option set, check the values and compare with losetup.
check_option_sets() {
	local f dev line opts want got
	f=$(img opts.img)
	while IFS='|' read -r opts want; do
		# shellcheck disable=SC2086
		dev=$(attach $opts "$f")
		got=$(mntx loop list -J --output-all "$dev" |
			jq -r '.loopdevices[0] | [.offset, .sizelimit, .ro, .partscan, .dio, .log_sec] | map(tostring) | join("|")')
		[ "$got" = "$want" ] || { echo "'$opts': got $got, want $want" >&2; return 1; }
		[ "$(field "$dev" back_file)" = "\"$f\"" ]
		assert_same_as_losetup "$dev"
		run mntx loop detach "$dev"
		assert_status 0
		[ -z "$(loops_under "$T")" ]
	done <<<"$OPTION_SETS"
}

@test "attach with every option: values as asked, and as losetup lists them" {
	require_root
	check_option_sets
}

@test "attach the way kernels before 5.8 must (LOOP_SET_FD): the same devices" {
	require_root
	MNTX_LOOP_LEGACY=1 check_option_sets
}

@test "--show prints the device name alone; without it attach prints nothing" {
	require_root
	local f
	f=$(img a.img)
	run --separate-stderr mntx loop attach --show "$f"
	assert_status 0
	[[ $output =~ ^/dev/loop[0-9]+$ ]]
	[ -z "$stderr" ]
	[ "$(losetup -n -O BACK-FILE -l "$output" | sed 's/ *$//')" = "$f" ]
	run --separate-stderr mntx loop attach "$f"
	assert_status 0
	[ -z "$output" ] && [ -z "$stderr" ]
	[ "$(loops_under "$T" | wc -l)" -eq 2 ]
}

@test "attach with output options prints the new device's record" {
	require_root
	local f
	f=$(img a.img)
	run --separate-stderr mntx loop attach -J --offset 512 "$f"
	assert_status 0
	assert_json
	[ "$(jq -r '.loopdevices[0].back_file' <<<"$output")" = "$f" ]
	[ "$(jq -r '.loopdevices[0].offset' <<<"$output")" = 512 ]
	assert_same_as_losetup "$(jq -r '.loopdevices[0].name' <<<"$output")"
}

@test "an ext4 image: attach, mount, write, unmount, detach, and the data is in the file" {
	require_root
	local f dev
	f=$(img fs.img 32M)
	mkfs.ext4 -q -F "$f"
	dev=$(attach "$f")
	mkdir "$T/mnt"
	mount "$dev" "$T/mnt"
	echo "written through $dev" >"$T/mnt/hello"
	run mntx loop list -J "$dev"
	[ "$(jq -r '.loopdevices[0].back_file' <<<"$output")" = "$f" ]
	umount "$T/mnt"
	run mntx loop detach "$dev"
	assert_status 0
	[ -z "$output" ]
	[ -z "$(loops_under "$T")" ]
	[ -z "$(losetup -j "$f")" ]
	# read the file back without the kernel's help
	run debugfs -R 'cat /hello' "$f"
	[[ $output == *"written through $dev"* ]]
}

@test "a read-only attach, mounted: the kernel refuses writes" {
	require_root
	local f dev
	f=$(img ro.img 32M)
	mkfs.ext4 -q -F "$f"
	dev=$(attach --ro "$f")
	[ "$(field "$dev" ro)" = true ]
	[ "$(blockdev --getro "$dev")" = 1 ]
	mkdir "$T/mnt"
	mount -o ro "$dev" "$T/mnt"
	run touch "$T/mnt/x"
	[ "$status" -ne 0 ]
	umount "$T/mnt"
}

@test "a file that cannot be written is attached read-only, with a note" {
	require_root
	local f dev
	f=$(img locked.img)
	chattr +i "$f" 2>/dev/null || skip "chattr +i not supported on $T"
	run --separate-stderr mntx loop attach --show "$f"
	chattr -i "$f"
	assert_status 0
	dev=$output
	[[ $stderr == "loop: note: '$f' is write-protected: $dev is read-only" ]]
	[ "$(field "$dev" ro)" = true ]
	assert_same_as_losetup "$dev"
}

@test "--autoclear: the device is freed as soon as nothing holds it" {
	require_root
	local f
	f=$(img a.img)
	run --separate-stderr mntx loop attach --autoclear --show "$f"
	assert_status 0
	[[ $output =~ ^/dev/loop[0-9]+$ ]]
	[[ $stderr == *"note: $output was freed at once (--autoclear)"* ]]
	[ -z "$(loops_under "$T")" ]
}

@test "two attaches in parallel never get the same device" {
	require_root
	local i f devs
	for i in 1 2 3 4 5 6 7 8; do
		f=$(img "p$i.img" 1M)
		mntx loop attach --show "$f" >"$T/dev$i" 2>"$T/err$i" &
	done
	wait
	for i in 1 2 3 4 5 6 7 8; do
		[ -s "$T/dev$i" ] || { cat "$T/err$i" >&2; return 1; }
		# each device holds the file its attach was given
		[ "$(cat "/sys/block/$(basename "$(cat "$T/dev$i")")/loop/backing_file")" = "$T/p$i.img" ]
	done
	devs=$(cat "$T"/dev?)
	[ "$(sort <<<"$devs" | uniq | wc -l)" -eq 8 ]
	[ "$(loops_under "$T" | wc -l)" -eq 8 ]
	run mntx loop detach $devs
	assert_status 0
	[ -z "$(loops_under "$T")" ]
}

@test "detach of a busy device: autoclear, a note, freed on unmount" {
	require_root
	local f dev
	f=$(img busy.img 32M)
	mkfs.ext4 -q -F "$f"
	dev=$(attach "$f")
	mkdir "$T/mnt"
	mount "$dev" "$T/mnt"
	run --separate-stderr mntx loop detach "$dev"
	assert_status 0
	[ "$stderr" = "loop: note: '$dev' is in use: it will be detached when its last user closes it" ]
	# still there, now with autoclear, as losetup sees it too
	[ "$(field "$dev" autoclear)" = true ]
	[ "$(field "$dev" back_file)" = "\"$f\"" ]
	assert_same_as_losetup "$dev"
	umount "$T/mnt"
	[ -z "$(loops_under "$T")" ]
}

@test "detach of several devices; 'loopN' names /dev/loopN" {
	require_root
	local a b
	a=$(attach "$(img a.img)")
	b=$(attach "$(img b.img)")
	run --separate-stderr mntx loop detach "${a#/dev/}" "$b"
	assert_status 0
	[ -z "$stderr" ]
	[ -z "$(loops_under "$T")" ]
}

@test "status: one device, every field, as key: value and as JSON" {
	require_root
	local f dev
	f=$(img s.img 8M)
	dev=$(attach --offset 1m --partscan "$f")
	run --separate-stderr mntx loop status "$dev"
	assert_status 0
	[[ $output == *"name:"*"$dev"* ]]
	[[ $output == *"back_file:"*"$f"* ]]
	[ "$(grep -c ':' <<<"$output")" -eq "$(mntx loop -H -J | jq '.columns | length')" ]
	run mntx loop status -J "$dev"
	assert_status 0
	assert_json
	# every key, each with its type
	jq -e --arg f "$f" --arg d "$dev" '.loopdevices | length == 1 and (.[0] |
		.name == $d and .back_file == $f and .offset == 1048576 and .sizelimit == 0 and
		.partscan == true and .ro == false and .autoclear == false and .dio == false and
		.log_sec == 512 and .size == 7340032 and .maj == 7 and
		(.min | type) == "number" and .maj_min == "\(.maj):\(.min)" and
		(.back_ino | type) == "number" and (.back_maj | type) == "number" and
		(.back_min | type) == "number" and .back_maj_min == "\(.back_maj):\(.back_min)")' <<<"$output"
	# the inode and device are the file's
	[ "$(jq '.loopdevices[0].back_ino' <<<"$output")" = "$(stat -c %i "$f")" ]
	[ "$(jq -r '.loopdevices[0].back_maj_min' <<<"$output")" = "$(stat -c '%Hd:%Ld' "$f")" ]
}

@test "list: loop alone is loop list; -J, --json-lines, table and raw agree" {
	require_root
	local dev
	dev=$(attach --offset 2k --sizelimit 1m "$(img l.img)")
	[ "$(mntx loop -J "$dev")" = "$(mntx loop list -J "$dev")" ]
	# options before the subcommand word too
	[ "$(mntx loop -J list "$dev")" = "$(mntx loop list -J "$dev")" ]
	run mntx loop -J
	assert_json
	jq -e --arg d "$dev" '[.loopdevices[] | select(.name == $d)] | length == 1' <<<"$output"
	run mntx loop list --json-lines --output-all "$dev"
	[ "$(wc -l <<<"$output")" -eq 1 ]
	[ "$(jq -S . <<<"$output")" = "$(mntx loop list -J --output-all "$dev" | jq -S '.loopdevices[0]')" ]
	# the raw table holds the same values (booleans as 1/0, sizes in bytes)
	run mntx loop list -r -n -b -o NAME,OFFSET,SIZELIMIT,RO,AUTOCLEAR,LOG-SEC,MAJ:MIN "$dev"
	[ "$output" = "$(mntx loop list -J -o name,offset,sizelimit,ro,autoclear,log_sec,maj_min "$dev" |
		jq -r '.loopdevices[0] | [.name, .offset, .sizelimit, (.ro | if . then 1 else 0 end),
			(.autoclear | if . then 1 else 0 end), .log_sec, .maj_min] | map(tostring) | join(" ")')" ]
	# losetup's default columns, in its order
	run mntx loop list "$dev"
	[[ ${output%%$'\n'*} =~ ^NAME\ +SIZELIMIT\ +OFFSET\ +AUTOCLEAR\ +RO\ +BACK-FILE\ +DIO\ +LOG-SEC$ ]]
}

@test "list shows every attached device, as losetup does" {
	require_root
	local a b
	a=$(attach "$(img a.img)")
	b=$(attach --ro "$(img b.img)")
	run mntx loop list -J
	assert_json
	for d in "$a" "$b"; do
		jq -e --arg d "$d" '[.loopdevices[] | select(.name == $d)] | length == 1' <<<"$output"
		losetup -a | grep -q "^$d:"
	done
	# ascending device numbers
	[ "$(jq -r '.loopdevices[].name' <<<"$output" | sed 's/[^0-9]//g')" = \
	  "$(jq -r '.loopdevices[].name' <<<"$output" | sed 's/[^0-9]//g' | sort -n)" ]
}

@test "a free device: list shows it with null backing fields, -a lists it, status fails" {
	require_root
	local dev
	dev=$(attach "$(img f.img)")
	mntx loop detach "$dev"
	# the device just freed, unless someone took it meanwhile
	[ -e "/sys/block/${dev#/dev/}/loop" ] && skip "another process took $dev"
	run --separate-stderr mntx loop list -J --output-all "$dev"
	assert_status 0
	jq -e --arg d "$dev" '.loopdevices[0] | .name == $d and .back_file == null and
		.offset == null and .ro == null and .back_ino == null and .maj == 7' <<<"$output"
	run mntx loop list -a -J
	jq -e --arg d "$dev" '[.loopdevices[] | select(.name == $d)] | length == 1' <<<"$output"
	run --separate-stderr mntx loop status "$dev"
	assert_status 1
	[ "$stderr" = "loop: cannot read '$dev': no file attached" ]
	run --separate-stderr mntx loop detach "$dev"
	assert_status 1
	[ "$stderr" = "loop: cannot detach '$dev': no file attached" ]
}

@test "resize: the device follows its file after it grew" {
	require_root
	local f dev
	f=$(img r.img 8M)
	dev=$(attach "$f")
	[ "$(field "$dev" size)" = 8388608 ]
	truncate -s 24M "$f"
	[ "$(field "$dev" size)" = 8388608 ]
	run --separate-stderr mntx loop resize "$dev"
	assert_status 0
	[ -z "$output" ] && [ -z "$stderr" ]
	[ "$(field "$dev" size)" = 25165824 ]
	[ "$(blockdev --getsize64 "$dev")" = 25165824 ]
}

@test "backing files with odd names and long paths: exact in JSON, one line in tables" {
	require_root
	local d name dev f long
	long="$T/$(printf 'd%.0s' {1..40})/$(printf 'e%.0s' {1..40})"
	mkdir -p "$long"
	for name in "with space" $'with\ttab' $'with\nnewline' 'back\slash' "$long/long name past 64 bytes"; do
		f=$(img "${name#"$T"/}")
		dev=$(attach "$f")
		run mntx loop list -J "$dev"
		assert_json
		[ "$(jq -r '.loopdevices[0].back_file' <<<"$output")" = "$f" ]
		[ "$(jq -r '.loopdevices[0] | has("back_file_b64")' <<<"$output")" = false ]
		run mntx loop list -n -o BACK-FILE "$dev"
		[ "$(wc -l <<<"$output")" -eq 1 ]
		run mntx loop list -r -n -o NAME,BACK-FILE "$dev"
		[ "$(wc -l <<<"$output")" -eq 1 ]
		if [[ $name != *[$'\t\n']* ]]; then
			assert_same_as_losetup "$dev"
		fi
	done
	# past 64 bytes: the full path, where LOOP_GET_STATUS64 keeps 63 bytes
	[ "${#f}" -gt 64 ]
}

@test "a backing file name that is not UTF-8: U+FFFD in back_file, exact in back_file_b64" {
	require_root
	local f dev
	f=$(img $'bad\xff\xfename.img')
	dev=$(attach "$f")
	run mntx loop list -J "$dev"
	assert_json
	printf '%s' "$output" | iconv -f UTF-8 -t UTF-8 >/dev/null
	[ "$(jq -r '.loopdevices[0].back_file' <<<"$output")" = "$T/bad"$'\xef\xbf\xbd\xef\xbf\xbd'"name.img" ]
	[ "$(jq -r '.loopdevices[0].back_file_b64' <<<"$output" | base64 -d)" = "$f" ]
	# tables escape the bytes rather than printing them raw
	run mntx loop list -r -n -o BACK-FILE "$dev"
	! printf '%s' "$output" | LC_ALL=C grep -q $'\xff'
}

@test "sizes take k, m, g suffixes; bad sizes and block sizes are usage errors" {
	require_root
	local f dev
	f=$(img s.img 64M)
	dev=$(attach --offset 1k --sizelimit 1G "$f")
	[ "$(field "$dev" offset)" = 1024 ]
	[ "$(field "$dev" sizelimit)" = 1073741824 ]
	mntx loop detach "$dev"
	dev=$(attach --offset 2MiB --sizelimit 3m "$f")
	[ "$(field "$dev" offset)" = 2097152 ]
	[ "$(field "$dev" sizelimit)" = 3145728 ]
	mntx loop detach "$dev"
	for bad in -1 1x 1KB 1.5k '' ' 1' 0x10 99999999999999999999 16e; do
		run --separate-stderr mntx loop attach --offset "$bad" "$f"
		assert_status 2
		[[ $stderr == "loop: invalid --offset value: '$bad'"* ]]
		[[ $stderr == *"Try 'loop --help' for more information." ]]
		[ -z "$output" ]
	done
	for bad in 0 256 1000 3k abc 1t 8g; do
		run --separate-stderr mntx loop attach --block-size "$bad" "$f"
		assert_status 2
		[[ $stderr == "loop: invalid --block-size value: '$bad' (a power of 2, 512 or more)"* ]]
	done
	# a power of 2 the kernel refuses: its error, and nothing stays attached
	run --separate-stderr mntx loop attach --block-size 1m "$f"
	assert_status 1
	[[ $stderr == "loop: cannot attach '$f'"*"Invalid argument"* ]]
	[ -z "$(loops_under "$T")" ]
}

@test "attach: a missing file, a directory, a character device" {
	run --separate-stderr mntx loop attach "$T/missing.img"
	assert_status 1
	[ "$stderr" = "loop: cannot open '$T/missing.img': No such file or directory" ]
	run --separate-stderr mntx loop attach "$T"
	assert_status 1
	[ "$stderr" = "loop: cannot attach '$T': not a regular file or block device" ]
	run --separate-stderr mntx loop attach /dev/null
	assert_status 1
	[ "$stderr" = "loop: cannot attach '/dev/null': not a regular file or block device" ]
	[ -z "$output" ]
}

@test "bad device names: a clear error each, status 1, nothing touched" {
	local f
	f=$(img plain.img 1M)
	for sub in status detach resize; do
		for dev in /dev/null /dev/loop-control "$f" "$T"; do
			run --separate-stderr mntx loop "$sub" "$dev"
			assert_status 1
			[ "$stderr" = "loop: cannot ${sub/status/read} '$dev': not a loop device" ]
			[ -z "$output" ]
		done
		for dev in /nonexistent "$T/no such" $'new\nline' 'back\slash' loop999999 loopx ''; do
			run --separate-stderr mntx loop "$sub" "$dev"
			assert_status 1
			[ "$stderr" = "loop: cannot ${sub/status/read} '$dev': No such file or directory" ]
			[ -z "$output" ]
		done
	done
	run --separate-stderr mntx loop list /dev/null "$T/none"
	assert_status 1
	[ "$(grep -c '^loop: ' <<<"$stderr")" -eq 2 ]
}

@test "a block device that is not a loop device is refused before any ioctl" {
	local disk
	disk=/dev/vda
	[ -b "$disk" ] || disk=/dev/$(lsblk -dnro NAME,TYPE | awk '$2 == "disk" { print $1; exit }')
	[ -b "$disk" ] || skip "no block device other than loop devices"
	for sub in status detach resize; do
		run --separate-stderr mntx loop "$sub" "$disk"
		assert_status 1
		[ "$stderr" = "loop: cannot ${sub/status/read} '$disk': not a loop device" ]
	done
	run --separate-stderr mntx loop list "$disk"
	assert_status 1
	[ "$stderr" = "loop: cannot read '$disk': not a loop device" ]
	run --separate-stderr mntx loop list -J "$disk"
	assert_json
	# the name without /dev/ is refused the same way
	run --separate-stderr mntx loop status "${disk#/dev/}"
	assert_status 1
	[[ $stderr == *"not a loop device" ]]
	# still there, and no loop device was made of it
	[ -b "$disk" ]
	[ -z "$(losetup -j "$disk")" ]
}

@test "EPERM names CAP_SYS_ADMIN; an unprivileged list leaves what it cannot read null" {
	require_root
	local dev
	dev=$(attach "$(img p.img)")
	# a node only readable by nobody: resize then needs CAP_SYS_ADMIN
	NODE_DIR=$(mktemp -d /tmp/mntx-loop.XXXXXX)
	chmod 755 "$NODE_DIR"
	mknod -m 444 "$NODE_DIR/node" b $((16#$(stat -c '%t' "$dev"))) $((16#$(stat -c '%T' "$dev")))
	chown nobody "$NODE_DIR/node"
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$MNTX" loop resize "$NODE_DIR/node"
	assert_status 1
	[ "$stderr" = "loop: cannot resize '$NODE_DIR/node': Operation not permitted (needs CAP_SYS_ADMIN)" ]
	# nobody cannot open /dev/loopN: no inode, but sysfs still gives the rest
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$MNTX" loop list -J --output-all "$dev"
	assert_status 0
	jq -e --arg f "$T/p.img" '.loopdevices[0] | .back_file == $f and .back_ino == null and
		.back_maj_min == null and .offset == 0 and .ro == false' <<<"$output"
	# nobody may read the file, not /dev/loop-control
	truncate -s 1M "$NODE_DIR/img"
	chmod 644 "$NODE_DIR/img"
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$MNTX" loop attach "$NODE_DIR/img"
	assert_status 1
	[ "$stderr" = "loop: cannot open /dev/loop-control: Permission denied" ]
}

@test "usage errors: options of another subcommand, operand counts, typos" {
	local args
	while IFS= read -r args; do
		# shellcheck disable=SC2086
		run --separate-stderr mntx loop $args
		[ "$status" -eq 2 ] || { echo "'loop $args': status $status" >&2; return 1; }
		[ -z "$output" ]
		[[ $stderr == "loop: "* ]]
		[[ $stderr == *"Try 'loop --help' for more information." ]]
	done <<'EOF'
list --offset 1k
--ro
status --ro loop0
status -a loop0
detach -J loop0
detach --show loop0
resize --sizelimit 1m loop0
resize -o NAME loop0
attach
attach a b
attach --show -J f
attach -a f
status
status loop0 loop1
resize
resize loop0 loop1
detach
-a loop0
list -a loop0
atach f
frob
list -o NOPE
--bogus
EOF
	run --separate-stderr mntx loop list --offset 1k
	[ "${stderr%%$'\n'*}" = "loop: --offset does not apply to 'loop list'" ]
	run --separate-stderr mntx loop atach f
	[ "${stderr%%$'\n'*}" = "loop: unknown subcommand 'atach' (list, attach, detach, status, resize)" ]
}

@test "-H lists the columns with snake_case keys; --help names every subcommand" {
	run mntx loop -H -J
	assert_status 0
	assert_json
	[ "$(jq -r '.columns[].key' <<<"$output" | grep -cv '^[a-z][a-z0-9_]*$')" -eq 0 ]
	for k in name back_file back_ino back_maj_min offset sizelimit ro autoclear partscan dio log_sec maj_min; do
		jq -e --arg k "$k" '[.columns[] | select(.key == $k)] | length == 1' <<<"$output"
	done
	run mntx loop --help
	for sub in list attach detach status resize; do
		[[ $output == *" loop $sub"* ]] || [[ $sub == list && $output == *"[list]"* ]]
	done
}

@test "nothing this file attached is left (losetup -a)" {
	[ -z "$(loops_under "$(realpath "$BATS_FILE_TMPDIR")")" ]
	if [ "$(id -u)" = 0 ]; then
		! losetup -a | grep -qF "$(realpath "$BATS_FILE_TMPDIR")"
	fi
}
