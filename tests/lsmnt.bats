#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# lsmnt: every option, agreement with findmnt and with the mountinfo
# back-end on a tree of mounts built here, many mounts across listmount
# batches, odd names, mounts vanishing while listed, and the errors.

load helpers
load mounts

setup() {
	D="$BATS_TEST_TMPDIR/m"
}

teardown() {
	mounts_teardown
}

# ---- output and options without mounting ----------------------------------

@test "default: a flat list with TARGET SOURCE FSTYPE OPTIONS when not a terminal" {
	run --separate-stderr mntx lsmnt
	assert_status 0
	[[ ${lines[0]} =~ ^TARGET\ +SOURCE\ +FSTYPE\ +OPTIONS$ ]]
	# a flat list: no tree drawing, the root mount is there
	[[ $output != *"├─"* ]]
	printf '%s\n' "${lines[@]:1}" | grep -qE '^/ +'
	[ -z "$stderr" ]
}

@test "-l/--list and --tree; both together is a usage error" {
	run mntx lsmnt -l
	assert_status 0
	run mntx lsmnt --list -n -o TARGET
	assert_status 0
	[ "$(printf '%s\n' "$output" | grep -c .)" = "$(mntx lsmnt -J -o target | jq '.mounts | length')" ]
	run mntx lsmnt --tree
	assert_status 0
	[[ $output == *"─/"* ]]
	run --separate-stderr mntx lsmnt --list --tree
	assert_status 2
	assert_one_line_error lsmnt
	[[ $stderr == *"mutually exclusive"* ]]
}

@test "the tree is the default on a terminal, as findmnt" {
	command -v script >/dev/null || skip "script(1) is missing"
	run script -qec "'$MNTX' lsmnt -o TARGET" /dev/null
	assert_status 0
	[[ $output == *"├─"* || $output == *"└─"* ]]
	run script -qec "'$MNTX' lsmnt -l -o TARGET" /dev/null
	[[ $output != *"├─"* && $output != *"└─"* ]]
}

@test "-J: {\"mounts\": [...]} with the default keys and the IDs, valid JSON" {
	run --separate-stderr mntx lsmnt -J
	assert_status 0
	assert_json
	[ "$(jq -c '[.mounts[0] | keys_unsorted[]]' <<<"$output")" = '["id","parent_id","target","source","fstype","options"]' ]
	# the unique IDs, null before Linux 6.8
	[ "$(jq -r '[.mounts[].id | type] | unique | join(",")' <<<"$output")" = "$([ "$IDK" = id ] && echo number || echo null)" ]
	[ -z "$stderr" ]
	# every parent but the root's names a listed mount: the tree can be
	# rebuilt, from the old IDs (-o +old-id,old-parent) on any kernel
	run --separate-stderr mntx lsmnt -J -o +old-id,old-parent
	[ -z "$stderr" ]
	for k in "id parent_id" "old_id old_parent_id"; do
		[ "$k" = "id parent_id" ] && [ "$IDK" != id ] && continue
		[ "$(jq --arg i "${k% *}" --arg p "${k#* }" '[.mounts[][$i]] as $ids |
			[.mounts[] | select(.[$p] as $p | $ids | index($p) | not)] | length' <<<"$output")" -le 1 ]
	done
	run mntx lsmnt --json-lines
	[ "$(head -1 <<<"$output" | jq -c 'keys_unsorted')" = '["id","parent_id","target","source","fstype","options"]' ]
	run mntx lsmnt -J -o target
	[ "$(jq -c '[.mounts[0] | keys_unsorted[]]' <<<"$output")" = '["target"]' ]
	[ "$(jq '.mounts | length' <<<"$output")" -gt 1 ]
	[ "$(jq -c 'keys' <<<"$output")" = '["mounts"]' ]
}

@test "--json-lines: one compact object per line, the same records as -J" {
	run --separate-stderr mntx lsmnt --json-lines -o id,target
	assert_status 0
	local n
	n=$(printf '%s\n' "$output" | grep -c .)
	[ "$n" -gt 1 ]
	printf '%s\n' "$output" | while IFS= read -r l; do
		[[ $l == "{"*"}" ]]
		jq -e 'type == "object"' <<<"$l" >/dev/null
	done
	[ "$(printf '%s\n' "$output" | jq -sc .)" = "$(mntx lsmnt -J -o id,target | jq -c .mounts)" ]
}

@test "--output-all: every column, JSON has every key of -H" {
	run mntx lsmnt --output-all -J
	assert_status 0
	assert_json
	[ "$(jq -c '.mounts[0] | keys_unsorted' <<<"$output")" = "$(mntx lsmnt -H -J | jq -c '[.columns[].key]')" ]
	run mntx lsmnt --output-all
	assert_status 0
	for h in $(mntx lsmnt -H -r -n | awk '{print $1}'); do
		[[ ${lines[0]} == *"$h"* ]]
	done
}

@test "-o LIST by header or key, case-insensitive headers; +LIST appends" {
	run mntx lsmnt -n -o "${IDK}",TARGET,Fstype -r
	assert_status 0
	[[ ${lines[0]} =~ ^[0-9]+\ /[^\ ]*\ [^\ ]+$ ]]
	run --separate-stderr mntx lsmnt -o +ID,PROPAGATION
	assert_status 0
	[[ ${lines[0]} =~ ^TARGET\ +SOURCE\ +FSTYPE\ +OPTIONS\ +ID\ +PROPAGATION$ ]]
	# in JSON, to JSON's defaults (with the IDs)
	run mntx lsmnt -J -o +maj,target -o +old-id
	[ "$(jq -c '.mounts[0] | keys_unsorted' <<<"$output")" = '["id","parent_id","target","source","fstype","options","maj","old_id"]' ]
	run mntx lsmnt -J -o maj
	[ "$(jq -c '.mounts[0] | keys_unsorted' <<<"$output")" = '["maj"]' ]
}

@test "-n/--noheadings, -r/--raw" {
	run mntx lsmnt -n -o TARGET
	[[ ${lines[0]} != TARGET* ]]
	# raw output is a flat stream, even with --tree, as findmnt -r
	run mntx lsmnt --tree -r -n -o TARGET
	assert_status 0
	[[ $output != *'\xe2'* ]]
	[ "$output" = "$(mntx lsmnt -r -n -o TARGET)" ]
	run mntx lsmnt --noheadings --raw -o TARGET,SOURCE
	assert_status 0
	for l in "${lines[@]}"; do
		[[ $l =~ ^[^\ ]+\ [^\ ]+$ ]]
	done
	run mntx lsmnt --raw -o TARGET
	[ "${lines[0]}" = TARGET ]
}

@test "-b/--bytes is accepted (the mount record has no sizes)" {
	run mntx lsmnt -b -o TARGET
	assert_status 0
	run mntx lsmnt --bytes -J -o target
	assert_status 0
	assert_json
}

@test "-H/--list-columns: every column with key, type and description" {
	run mntx lsmnt -H
	assert_status 0
	[[ ${lines[0]} =~ NAME\ +KEY\ +TYPE\ +DESCRIPTION ]]
	run mntx lsmnt --list-columns -J
	assert_status 0
	assert_json
	for k in id parent_id old_id old_parent_id target root source fstype options vfs_options \
		fs_options propagation peer_group master propagate_from maj min sb_magic fs_name \
		sb_flags mnt_attr ns_id uid_map gid_map opt_array opt_sec_array; do
		jq -e --arg k "$k" 'any(.columns[]; .key == $k)' <<<"$output" >/dev/null
	done
	[ "$(jq -r '.columns[] | select(.key == "propagation") | .type' <<<"$output")" = array ]
	[ "$(jq -r '.columns[] | select(.key == "id") | .type' <<<"$output")" = number ]
}

@test "--kernel=listmount and --kernel=mountinfo both list the root mount" {
	run --separate-stderr mntx lsmnt --kernel=listmount -n -r -o TARGET
	if lacks listmount; then
		assert_status 1
		[ "$stderr" = "lsmnt: this kernel lacks listmount(2) and statmount(2) (Linux 6.8); use --kernel=mountinfo" ]
	else
		assert_status 0
		printf '%s\n' "$output" | grep -qx /
	fi
	run mntx lsmnt --kernel mountinfo -n -r -o TARGET
	assert_status 0
	printf '%s\n' "$output" | grep -qx /
}

@test "JSON: integers exact, null for what the back-end does not know, arrays for sets" {
	run --separate-stderr mntx lsmnt -J --output-all
	assert_status 0
	[ -z "$stderr" ]
	# unique IDs are above 2^31; written as integers, never floats
	if lacks listmount; then
		jq -e '.mounts | all(.id == null and .parent_id == null)' <<<"$output" >/dev/null
	else
		jq -e '.mounts | all(.id > 2147483648 and (.id | floor) == .id)' <<<"$output" >/dev/null
		[[ $output =~ \"id\":[[:space:]]*[0-9]{10,} ]]
	fi
	jq -e '.mounts | all((.propagation | type) == "array" and (.mnt_attr | type) == "array")' <<<"$output" >/dev/null
	run mntx lsmnt -J --output-all --kernel=mountinfo
	assert_status 0
	jq -e '.mounts | all(.id == null and .parent_id == null and (.old_id | type) == "number")' <<<"$output" >/dev/null
}

@test "exit status 1 and no records when nothing matches" {
	run --separate-stderr mntx lsmnt -t mntx-no-such-type
	assert_status 1
	[ -z "$output" ]
	run --separate-stderr mntx lsmnt -J -t mntx-no-such-type
	assert_status 1
	[ -z "$output" ] || assert_json
	run --separate-stderr mntx lsmnt -S mntx-no-such-source -r
	assert_status 1
}

@test "lsmnt | head -1 exits quietly" {
	require_root
	mkdir -p "$D"
	mount -t tmpfs mntx-top "$D"
	mount_many "$D" 600
	for f in -l -r -J --json-lines --tree "--tree -J" --output-all; do
		run --separate-stderr bash -c "'$MNTX' lsmnt $f | head -1"
		assert_status 0
		[ -n "$output" ]
		[ -z "$stderr" ] || { echo "lsmnt $f: $stderr" >&2; return 1; }
		run bash -c "'$MNTX' lsmnt $f | head -c 10 >/dev/null; echo \${PIPESTATUS[0]}"
		[[ $output =~ ^(0|141)$ ]]
	done
	# with SIGPIPE ignored by the parent, EPIPE still ends it quietly
	run --separate-stderr bash -c "trap '' PIPE; '$MNTX' lsmnt --output-all | head -1 >/dev/null; echo \${PIPESTATUS[0]}"
	[[ $output =~ ^(0|141)$ ]]
	[ -z "$stderr" ]
}

# ---- errors -------------------------------------------------------------

@test "bad IDs: usage error 2 with one line" {
	for id in abc -1 0 12x 99999999999999999999999 ""; do
		run --separate-stderr mntx lsmnt --id "$id"
		assert_status 2
		assert_one_line_error lsmnt
		[ "$(printf '%s\n' "$stderr" | head -1)" = "lsmnt: invalid mount ID: '$id'" ]
		[ -z "$output" ]
	done
	run --separate-stderr mntx lsmnt --ns-id nope
	assert_status 2
	assert_one_line_error lsmnt
	run --separate-stderr mntx lsmnt -N 0
	assert_status 2
	assert_one_line_error lsmnt
	run --separate-stderr mntx lsmnt --task abc
	assert_status 2
	assert_one_line_error lsmnt
}

@test "an ID that is no mount: status 1, the ID named" {
	run --separate-stderr mntx lsmnt --id 18446744073709551615
	assert_status 1
	[ "$stderr" = "lsmnt: cannot read mount 18446744073709551615: No such file or directory" ]
	[ -z "$output" ]
	run --separate-stderr mntx lsmnt --id 2000000000
	assert_status 1
	[ "$stderr" = "lsmnt: cannot read mount 2000000000: No such file or directory" ]
	run --separate-stderr mntx lsmnt -J --id 18446744073709551615
	assert_status 1
	[ -z "$output" ] || assert_json
	run --separate-stderr mntx lsmnt --kernel=mountinfo --id 2000000000
	assert_status 1
	[ "$stderr" = "lsmnt: cannot read mount 2000000000: No such file or directory" ]
}

@test "bad options, operands and columns: status 2 with a one-line message" {
	run --separate-stderr mntx lsmnt --bogus
	assert_status 2
	[[ $stderr == "lsmnt: unrecognized option '--bogus'"* ]]
	run --separate-stderr mntx lsmnt -o TARGET,NOPE
	assert_status 2
	assert_one_line_error lsmnt
	[[ $stderr == "lsmnt: unknown column: 'NOPE'"* ]]
	run --separate-stderr mntx lsmnt -o ,
	assert_status 2
	assert_one_line_error lsmnt
	run --separate-stderr mntx lsmnt -o
	assert_status 2
	run --separate-stderr mntx lsmnt --kernel=proc
	assert_status 2
	[[ $stderr == "lsmnt: invalid --kernel value: 'proc'"* ]]
	run --separate-stderr mntx lsmnt --kernel=
	assert_status 2
	assert_one_line_error lsmnt
	run --separate-stderr mntx lsmnt / /proc
	assert_status 2
	[[ $stderr == "lsmnt: unexpected argument: '/proc'"* ]]
	run --separate-stderr mntx lsmnt -T / /proc
	assert_status 2
	assert_one_line_error lsmnt
	run --separate-stderr mntx lsmnt -R
	assert_status 2
	[[ $stderr == "lsmnt: --submounts needs TARGET or --id"* ]]
	run --separate-stderr mntx lsmnt --id 1 /
	assert_status 2
	run --separate-stderr mntx lsmnt -N 1 --ns-id 5
	assert_status 2
	assert_one_line_error lsmnt
	# every usage error ends with the hint, and nothing else is printed
	[ "$(printf '%s\n' "$stderr" | tail -1)" = "Try 'lsmnt --help' for more information." ]
	[ "$(printf '%s\n' "$stderr" | grep -c .)" = 2 ]
}

@test "a TARGET that does not exist: status 1, the path named" {
	run --separate-stderr mntx lsmnt /mntx/no/such/path
	assert_status 1
	[ "$stderr" = "lsmnt: cannot find the mount of '/mntx/no/such/path': No such file or directory" ]
	[ -z "$output" ]
	run --separate-stderr mntx lsmnt -J -T /mntx/no/such/path
	assert_status 1
	[ -z "$output" ] || assert_json
}

# ---- agreement with findmnt --------------------------------------------------

@test "agrees with findmnt on every mount: IDs, target, source, fstype, options, propagation, maj:min, FSROOT" {
	require_root
	build_tree "$D"
	local f l
	f=$(findmnt_view)
	l=$(lsmnt_view)
	# the tree built here is in both
	[ "$(grep -c "\"$D" <<<"$l")" = 13 ]
	diff -u <(echo "$f") <(echo "$l")
}

@test "agrees with findmnt: the built tree, entry by entry" {
	require_root
	build_tree "$D"
	local j
	j=$(mntx lsmnt -J --output-all -R "$D")
	v() { jq -r --arg t "$1" ".mounts[] | select(.target == \$t) | $2" <<<"$j"; }
	# option strings without what the kernel's tmpfs shows unasked
	vo() { v "$@" | tmpfs_opts; }
	[ "$(v "$D/bind" .root)" = /sub ]
	[ "$(v "$D/bind" .source)" = mntx-tmp ]
	[ "$(vo "$D/tmp" .options)" = "rw,relatime,size=2048k,nr_inodes=1000" ]
	[ "$(v "$D/tmp" '[.opt_array[] | select(. != "inode64")]')" = "$(printf '%s\n' size=2048k nr_inodes=1000 | jq -R . | jq -s .)" ]
	[ "$(vo "$D/ro" .options)" = "ro,relatime,size=2048k,nr_inodes=1000" ]
	[ "$(v "$D/ro" .vfs_options)" = "ro,relatime" ]
	[ "$(vo "$D/ro" .fs_options)" = "rw,size=2048k,nr_inodes=1000" ]
	[ "$(v "$D/ro" '.mnt_attr | join(",")')" = "ro,relatime" ]
	[ "$(vo "$D/flags" .options)" = "ro,nosuid,nodev,noexec,noatime" ]
	[ "$(v "$D/flags" '.sb_flags | join(",")')" = ro ]
	[ "$(v "$D/nest/a/b" .vfs_options)" = "rw,noexec,relatime" ]
	[ "$(v "$D/shared" '.propagation | join(",")')" = shared ]
	[ "$(v "$D/slave" '.propagation | join(",")')" = slave ]
	[ "$(v "$D/unbind" '.propagation | join(",")')" = "private,unbindable" ] ||
		[ "$(v "$D/unbind" '.propagation | join(",")')" = unbindable ]
	# the superblock's magic is statmount's (Linux 6.8): null from mountinfo
	[ "$(v "$D/tmp" .fs_name)" = "$([ "$IDK" = id ] && echo tmpfs || echo null)" ]
	# escaped superblock options: unescaped in the strings, as findmnt
	# shows them, and one by one in opt_array
	[ "$(v "$D/ovl" .fs_options)" = "rw,lowerdir=$D/lo w\\,er,upperdir=$D/up,workdir=$D/wk,uuid=on" ] ||
		[ "$(v "$D/ovl" .fs_options)" = "$(findmnt -n -o FS-OPTIONS --mountpoint "$D/ovl")" ]
	[ "$(v "$D/ovl" '.opt_array[0]')" = "lowerdir=$D/lo w\\,er" ]
	[ "$(v "$D/ovl" .fs_name)" = "$([ "$IDK" = id ] && echo overlay || echo null)" ]
	[ "$(v "$D/tmp" .sb_magic)" = "$([ "$IDK" = id ] && echo $((0x01021994)) || echo null)" ]
	# peer groups as findmnt's optional fields say
	local pg
	pg=$(findmnt -n -o OPT-FIELDS --mountpoint "$D/shared")
	[ "shared:$(v "$D/shared" .peer_group)" = "$pg" ]
	pg=$(findmnt -n -o OPT-FIELDS --mountpoint "$D/slave")
	[ "master:$(v "$D/slave" .master)" = "$pg" ]
	[ "$(v "$D/slave" .peer_group)" = null ]
	[ "$(v "$D/tmp" .master)" = null ]
	# the namespace: the same for all, as the kernel says
	[ "$(jq '[.mounts[].ns_id] | unique | length' <<<"$j")" = 1 ]
}

@test "idmapped mount: mnt_attr, uid_map and gid_map" {
	require_root
	needs idmapped_tmpfs
	build_tree "$D"
	run --separate-stderr mntx lsmnt -J -o target,vfs_options,mnt_attr,uid_map,gid_map "$D/idmap"
	assert_status 0
	[ "$(jq -r '.mounts[0].vfs_options' <<<"$output")" = "$(findmnt -n -o VFS-OPTIONS --mountpoint "$D/idmap")" ]
	jq -e '.mounts[0].mnt_attr | index("idmapped")' <<<"$output" >/dev/null
	[ "$(jq -c '.mounts[0].uid_map' <<<"$output")" = "$(idmap_shown '["0 100000 65536"]')" ]
	[ "$(jq -c '.mounts[0].gid_map' <<<"$output")" = "$(idmap_shown '["0 200000 1000"]')" ]
	if lacks statmount_idmap; then
		[ "$stderr" = "lsmnt: note: null on this kernel: UID-MAP, GID-MAP need Linux 6.15 (STATMOUNT_MNT_UIDMAP, MNT_GIDMAP)" ]
	else
		[ -z "$stderr" ]
		run mntx lsmnt -o UID-MAP,GID-MAP -n -r "$D/idmap"
		[ "$output" = '0\x20100000\x2065536 0\x20200000\x201000' ]
	fi
	# a mount that is not idmapped has no maps
	run --separate-stderr mntx lsmnt -J -o uid_map "$D/tmp"
	[ "$(jq -c '.mounts[0].uid_map' <<<"$output")" = null ]
}

@test "IDs: old_id is findmnt's ID, id is statx's unique mount ID" {
	require_root
	needs listmount
	build_tree "$D"
	local id old
	old=$(findmnt -n -o ID --mountpoint "$D/nest/a")
	[ "$(mntx lsmnt -n -o OLD-ID "$D/nest/a" | tr -d ' ')" = "$old" ]
	id=$(mntx lsmnt -n -o ID "$D/nest/a" | tr -d ' ')
	[ "$id" -gt 2147483648 ]
	[ "$(stat -c %i "$D/nest/a")" != "" ]
	# the parent of DIR/nest/a is DIR/nest, in both numberings
	[ "$(mntx lsmnt -n -o PARENT "$D/nest/a" | tr -d ' ')" = "$(mntx lsmnt -n -o ID "$D/nest" | tr -d ' ')" ]
	[ "$(mntx lsmnt -n -o OLD-PARENT "$D/nest/a" | tr -d ' ')" = "$(findmnt -n -o ID --mountpoint "$D/nest")" ]
}

@test "--kernel=mountinfo agrees with listmount on every field both know" {
	require_root
	needs listmount
	build_tree "$D"
	local a=$BATS_TEST_TMPDIR/a.json b=$BATS_TEST_TMPDIR/b.json
	mntx lsmnt -J --output-all --kernel=listmount >"$a"
	mntx lsmnt -J --output-all --kernel=mountinfo >"$b"
	# the same mounts
	[ "$(jq -c '[.mounts[].old_id] | sort' "$a")" = "$(jq -c '[.mounts[].old_id] | sort' "$b")" ]
	# every field known by both is equal; null on one side only where that
	# back-end cannot know it
	run jq -n --slurpfile a "$a" --slurpfile b "$b" '
		$a[0] as $a | $b[0] as $b
		| ($b.mounts | map({key: (.old_id | tostring), value: .}) | from_entries) as $B
		| [ $a.mounts[] | . as $x | $B[.old_id | tostring] as $y
		    | ($x | keys[]) as $k
		    | select(
			(($x[$k] != null and $y[$k] != null) and $x[$k] != $y[$k])
			or ($x[$k] == null and $y[$k] != null)
			or ($x[$k] != null and $y[$k] == null and
			    ($k | IN("id", "parent_id", "sb_magic", "fs_name", "uid_map", "gid_map") | not) and
			    # mountinfo omits propagate_from when it is the master
			    ($k != "propagate_from" or $x.propagate_from != $x.master)))
		    | {target: $x.target, key: $k, listmount: $x[$k], mountinfo: $y[$k]} ]'
	assert_status 0
	[ "$output" = "[]" ] || { echo "$output" >&2; return 1; }
	# the idmapped mount is known as idmapped by both
	lacks idmapped_tmpfs ||
		[ "$(jq -c --arg t "$D/idmap" '.mounts[] | select(.target == $t) | .mnt_attr' "$b")" = '["relatime","idmapped"]' ]
}

@test "--kernel=mountinfo: the same selections as listmount" {
	require_root
	build_tree "$D"
	for sel in "-R $D" "--reverse" "-t tmpfs" "-O ro" "$D/nest/a" "-T $D/bind" "--tree -R $D" "-R --reverse $D"; do
		# shellcheck disable=SC2086
		a=$(mntx lsmnt -J -o old_id,target $sel)
		# shellcheck disable=SC2086
		b=$(mntx lsmnt -J -o old_id,target --kernel=mountinfo $sel)
		[ "$a" = "$b" ] || { echo "lsmnt $sel differ:"; diff <(echo "$a") <(echo "$b"); return 1; }
	done
}

@test "many mounts: more than 1,500, forward and --reverse, across listmount batches" {
	require_root
	mkdir -p "$D"
	mount -t tmpfs mntx-top "$D"
	mount_many "$D" 1600
	local fwd rev mi
	fwd=$(mntx lsmnt -n -r -o "$IDC")
	rev=$(mntx lsmnt -n -r -o "$IDC" --reverse)
	# raw output streams in chunks: one heading, then the same lines
	[ "$(mntx lsmnt -r -o "$IDC")" = "$IDC"$'\n'"$fwd" ]
	mi=$(awk '{print $1}' /proc/self/mountinfo | sort -n)
	[ "$(grep -c . <<<"$fwd")" -gt 1600 ]
	# no duplicates, ascending, nothing missing
	[ "$(sort -u <<<"$fwd" | grep -c .)" = "$(grep -c . <<<"$fwd")" ]
	[ "$fwd" = "$(sort -n <<<"$fwd")" ]
	[ "$rev" = "$(sort -rn <<<"$fwd")" ]
	[ "$(mntx lsmnt -n -r -o OLD-ID | sort -n)" = "$mi" ]
	[ "$(mntx lsmnt -n -r -o OLD-ID --reverse | sort -n)" = "$mi" ]
	# the submounts of DIR, both ways: exactly the 1600
	fwd=$(mntx lsmnt -n -r -o TARGET -R "$D")
	[ "$(grep -c . <<<"$fwd")" = 1601 ]
	[ "$(sort -u <<<"$fwd" | grep -c .)" = 1601 ]
	rev=$(mntx lsmnt -n -r -o TARGET -R --reverse "$D")
	[ "$rev" = "$(tac <<<"$fwd")" ]
	# the tree holds them all once
	run mntx lsmnt -J --tree -o target -R "$D"
	[ "$(jq '.mounts[0].children | length' <<<"$output")" = 1600 ]
	# and findmnt sees the same targets
	[ "$(findmnt -rn -o TARGET | sort)" = "$(mntx lsmnt -rn -o TARGET | sort)" ]
}

@test "odd mount points: tables escaped, JSON valid, target_b64 exactly the bytes" {
	require_root
	mkdir -p "$D"
	mount -t tmpfs mntx-top "$D"
	local name n=0
	while IFS= read -r -d '' name; do
		mkdir "$D/$name"
		mount -t tmpfs "src $name" "$D/$name"
		n=$((n + 1))
	done < <(odd_names)
	# raw tables: escaped as findmnt escapes them, one mount per line
	run mntx lsmnt -R -r -n -o TARGET,SOURCE "$D"
	assert_status 0
	[ "${#lines[@]}" = $((n + 1)) ]
	[ "$(printf '%s\n' "$output" | LC_ALL=C sort)" = "$(findmnt -rn -o TARGET,SOURCE | grep -F "$D" | LC_ALL=C sort)" ]
	[[ $output == *'a\x20b src\x20a\x20b'* ]]
	[[ $output == *'t\x09b'* && $output == *'n\x0al'* && $output == *'bad\xffutf'* && $output == *'back\x5cslash'* ]]
	# aligned tables: nothing raw either
	run mntx lsmnt -R -n -o TARGET,SOURCE "$D"
	[ "${#lines[@]}" = $((n + 1)) ]
	[[ $output != *$'\t'* ]]
	[[ $output == *'n\x0al'* && $output == *'bad\xffutf'* ]]
	! printf '%s' "$output" | LC_ALL=C grep -q $'\xff'
	# JSON: valid; invalid UTF-8 gets U+FFFD and the exact bytes in _b64
	for kernel in $(mount_backends); do
		for fmt in -J --json-lines; do
			run mntx lsmnt --kernel=$kernel $fmt -R -o target,source "$D"
			assert_status 0
			if [ "$fmt" = -J ]; then
				assert_json
				j=$output
			else
				j=$(printf '%s\n' "$output" | jq -s '{mounts: .}')
			fi
			[ "$(jq '.mounts | length' <<<"$j")" = $((n + 1)) ]
			while IFS= read -r -d '' name; do
				if [ "$name" = $'bad\xffutf' ]; then
					[ "$(jq -r --arg t "$D/bad�utf" '.mounts[] | select(.target == $t) | .target_b64' <<<"$j" |
						base64 -d | od -An -tx1)" = "$(printf '%s' "$D/$name" | od -An -tx1)" ]
					[ "$(jq -r --arg t "$D/bad�utf" '.mounts[] | select(.target == $t) | .source_b64' <<<"$j" |
						base64 -d | od -An -tx1)" = "$(printf '%s' "src $name" | od -An -tx1)" ]
				else
					jq -e --arg t "$D/$name" --arg s "src $name" \
						'any(.mounts[]; .target == $t and .source == $s and has("target_b64") == false)' <<<"$j" >/dev/null ||
						{ echo "missing or wrong: $name" >&2; return 1; }
				fi
			done < <(odd_names)
			# exactly one record carries _b64 keys
			[ "$(jq '[.mounts[] | select(has("target_b64"))] | length' <<<"$j")" = 1 ]
		done
	done
}

@test "aligned tables: the widths findmnt's libsmartcols gives, for odd names and for long tables" {
	require_root
	mkdir -p "$D"
	mount -t tmpfs mntx-top "$D"
	# many rows, and the widest cells of every column only among the last ones
	mount_many "$D" 2200
	mkdir "$D/odd"
	mount -t tmpfs mntx-odd "$D/odd"
	local name
	while IFS= read -r -d '' name; do
		mkdir "$D/odd/$name"
		mount -t tmpfs "src $name" "$D/odd/$name"
	done < <(odd_names; printf '%s\0' '漢字 wide' $'ctl\x7fdel' 'a-long-name-wider-than-any-other-in-this-table')
	local dir cols=TARGET,SOURCE,FSTYPE,OPTIONS
	for dir in "$D/odd" "$D"; do
		for loc in C.UTF-8 C; do
			run env LC_ALL=$loc "$MNTX" lsmnt -l -R -o $cols "$dir"
			assert_status 0
			want=$(LC_ALL=$loc findmnt --list -R -o $cols "$dir")
			# the header line is the same, and so is every row, padding and all
			[ "${lines[0]}" = "$(head -1 <<<"$want")" ]
			[ "$(tail -n +2 <<<"$output" | LC_ALL=C sort)" = "$(tail -n +2 <<<"$want" | LC_ALL=C sort)" ] ||
				{ echo "$dir, LC_ALL=$loc: rows differ from findmnt's" >&2; return 1; }
		done
	done
	[ "${#lines[@]}" -gt 2200 ]
	# each odd name as the widest cell of its column
	while IFS= read -r -d '' name; do
		for loc in C.UTF-8 C; do
			[ "$(LC_ALL=$loc "$MNTX" lsmnt -l -o TARGET,FSTYPE "$D/odd/$name")" = \
			  "$(LC_ALL=$loc findmnt --list -o TARGET,FSTYPE --mountpoint "$D/odd/$name")" ] ||
				{ echo "LC_ALL=$loc: the column after '$name' is not where findmnt puts it" >&2; return 1; }
		done
	done < <(odd_names; printf '%s\0' '漢字 wide' $'ctl\x7fdel')
}

@test "aligned tables: as libsmartcols draws them on a terminal, every column, odd names, with and without headings" {
	require_root
	command -v script >/dev/null || skip "script(1) is missing"
	mkdir -p "$D"
	mount -t tmpfs mntx-top "$D"
	mount_many "$D" 300
	local name loc opts
	while IFS= read -r -d '' name; do
		mkdir "$D/$name"
		mount -t tmpfs "src $name" "$D/$name"
	done < <(odd_names; printf '%s\0' '漢字 wide' $'ctl\x7fdel')
	# To a pipe mntx prints the table itself; on a (wide) terminal
	# libsmartcols prints it.  Every column: right-aligned IDs, empty cells,
	# the last column right-aligned or empty.
	for loc in C.UTF-8 C; do
		for opts in "--output-all" "-n --output-all" "-o TARGET,ID" "-o ID,PROPAGATION" "-o PEER-GROUP,TARGET,MASTER" "-n -o SOURCE"; do
			run env LC_ALL=$loc "$MNTX" lsmnt -l -R $opts "$D"
			assert_status 0
			[ "${#lines[@]}" -gt 300 ]
			[ "$output" = "$(script -qec "stty cols 30000; LC_ALL=$loc '$MNTX' lsmnt -l -R $opts '$D'" /dev/null | tr -d '\r')" ] ||
				{ echo "LC_ALL=$loc, $opts: the table differs from libsmartcols'" >&2; return 1; }
		done
	done
}

@test "a mount unmounted while listing: status 0 and valid JSON every time" {
	require_root
	mkdir -p "$D"
	mount -t tmpfs mntx-top "$D"
	mkdir "$D/churn"
	mount_many "$D" 300
	(
		while :; do
			for i in 1 2 3 4 5 6 7 8; do
				mount -t tmpfs mntx-churn "$D/$i" 2>/dev/null
				mkdir -p "$D/$i/x"
				mount -t tmpfs mntx-churn-x "$D/$i/x" 2>/dev/null
			done
			for i in 8 7 6 5 4 3 2 1; do
				umount -l "$D/$i" 2>/dev/null
			done
		done
	) </dev/null >/dev/null 2>&1 3>&- &
	BG_PIDS+=($!)
	local i f n=0 out=$BATS_TEST_TMPDIR/outs
	mkdir "$out"
	# 40 rounds, or at least 8 and as many as fit in 20 s (emulated machines)
	local end=$((SECONDS + 20))
	for i in $(seq 40); do
		[ "$i" -le 8 ] || [ "$SECONDS" -lt "$end" ] || break
		for f in "-J" "--json-lines" "-J --tree" "-J -R $D" "-J --reverse"; do
			n=$((n + 1))
			# shellcheck disable=SC2086
			"$MNTX" lsmnt --output-all $f >"$out/$n" 2>"$out/err" || { echo "lsmnt $f: status $?" >&2; return 1; }
			[ ! -s "$out/err" ] || { echo "lsmnt $f: $(cat "$out/err")" >&2; return 1; }
		done
	done
	kill "${BG_PIDS[@]}"
	# every output is valid JSON (one jq for all: it is slow to start), and
	# a tree never hangs a mount under another parent
	[ "$(cd "$out" && jq -se '[.[] | .. | objects | select(has("children")) | .[$ENV.IDK] as $p |
		.children[] | .[$ENV.PIDK] == $p] | all' $(seq $n))" = true ]
}

# ---- selection ------------------------------------------------------------------

@test "--tree: the table draws the tree; -J --tree nests children" {
	require_root
	build_tree "$D"
	run mntx lsmnt --tree -o TARGET -R "$D"
	assert_status 0
	[ "${lines[0]}" = TARGET ]
	[ "${lines[1]}" = "$D" ]
	printf '%s\n' "$output" | grep -qE "^  └─$D/nest/a/b\$|^[│ ]   *└─$D/nest/a/b\$"
	# nested JSON: the children of DIR/nest/a hold DIR/nest/a/b
	run --separate-stderr mntx lsmnt -J --tree -o "$IDK,$PIDK",target -R "$D"
	assert_status 0
	[ "$(jq -r '.mounts | length' <<<"$output")" = 1 ]
	[ "$(jq -r --arg t "$D/nest" '.mounts[0].children[] | select(.target == $t) | .children[0].children[0].target' <<<"$output")" = "$D/nest/a/b" ]
	# every child's parent_id is its parent's id, and every mount is there once
	jq -e '[.. | objects | select(has("children")) | .[$ENV.IDK] as $p | .children[] | .[$ENV.PIDK] == $p] | all' <<<"$output" >/dev/null
	[ "$(jq '[.. | objects | select(has("target"))] | length' <<<"$output")" = 13 ]
	# the whole namespace as a tree: the same mounts as the flat list
	run --separate-stderr mntx lsmnt -J --tree -o "$IDK"
	[ "$(jq -c '[.. | objects | select(has($ENV.IDK)) | .[$ENV.IDK]] | sort' <<<"$output")" = "$(mntx lsmnt -J -o "$IDK" | jq -c '[.mounts[][$ENV.IDK]] | sort')" ]
	# --reverse turns the order of siblings around
	run mntx lsmnt -J --tree --reverse -o target -R "$D"
	[ "$(jq -c '[.mounts[0].children[].target]' <<<"$output")" = "$(mntx lsmnt -J --tree -o target -R "$D" | jq -c '[.mounts[0].children[].target] | reverse')" ]
	# raw and tree: findmnt-like
	run mntx lsmnt --tree -r -n -o TARGET -R "$D"
	assert_status 0
	[ "${lines[0]}" = "$D" ]
}

@test "--tree: drawn as libsmartcols draws it on a terminal, over many rows and levels, UTF-8 and ASCII" {
	require_root
	command -v script >/dev/null || skip "script(1) is missing"
	build_tree "$D"
	mkdir -p "$D/many"
	mount -t tmpfs mntx-many "$D/many"
	mount_many "$D/many" 1500
	local i cols loc
	# nested levels and last children all through the rows
	for i in 3 700 1023 1024 1400 1499; do
		mkdir -p "$D/many/$i/x"
		mount -t tmpfs "deep$i" "$D/many/$i/x"
		mkdir -p "$D/many/$i/x/y" "$D/many/$i/x/z"
		mount -t tmpfs "deeper$i" "$D/many/$i/x/y"
		mount -t tmpfs "deeper$i" "$D/many/$i/x/z"
	done
	# To a pipe the tree is packed and drawn by mntx; on a (wide) terminal
	# libsmartcols draws it.  (Not against findmnt: it orders siblings by
	# the old mount ID, which other mounts coming and going can reorder.)
	for loc in C.UTF-8 C; do
		for cols in TARGET,FSTYPE,OPTIONS FSTYPE,TARGET FSTYPE; do
			run env LC_ALL=$loc "$MNTX" lsmnt --tree -R -o $cols "$D"
			assert_status 0
			[ "${#lines[@]}" -gt 1500 ]
			[ "$output" = "$(script -qec "stty cols 1000; LC_ALL=$loc '$MNTX' lsmnt --tree -R -o $cols '$D'" /dev/null | tr -d '\r')" ] ||
				{ echo "LC_ALL=$loc, -o $cols: the tree differs from libsmartcols'" >&2; return 1; }
		done
	done
	# findmnt draws the same branches (its siblings ordered by old ID)
	for cmd in "$MNTX lsmnt --tree" findmnt; do
		[ "$(LC_ALL=C.UTF-8 $cmd -R -o TARGET "$D" | grep -A1 -- "├─$D/many/1024/x/[yz]\$" |
			sed "s|$D/many/1024/x/[yz]|P|")" = "$(printf '  │   ├─P\n  │   └─P')" ]
	done
}

@test "-R/--submounts with TARGET, with --id (unique and old) and alone" {
	require_root
	build_tree "$D"
	local want id old
	want=$(printf '%s\n' "$D/nest" "$D/nest/a" "$D/nest/a/b")
	run mntx lsmnt -R -n -r -o TARGET "$D/nest"
	assert_status 0
	[ "$output" = "$want" ]
	run mntx lsmnt --submounts -n -r -o TARGET -T "$D/nest"
	[ "$output" = "$want" ]
	id=$(mntx lsmnt -n -o "$IDC" "$D/nest" | tr -d ' ')
	old=$(mntx lsmnt -n -o OLD-ID "$D/nest" | tr -d ' ')
	run mntx lsmnt -R -n -r -o TARGET --id "$id"
	[ "$output" = "$want" ]
	run mntx lsmnt -R -n -r -o TARGET --id "$old"
	[ "$output" = "$want" ]
	run mntx lsmnt -R -n -r -o TARGET --id "$old" --kernel=mountinfo
	[ "$output" = "$want" ]
	run mntx lsmnt -R -n -r -o TARGET --reverse "$D/nest"
	[ "$output" = "$(tac <<<"$want")" ]
	# a leaf: only itself
	run mntx lsmnt -R -n -r -o TARGET "$D/nest/a/b"
	[ "$output" = "$D/nest/a/b" ]
	# the same as findmnt -R
	[ "$(mntx lsmnt -R -n -r -o TARGET "$D" | sort)" = "$(findmnt -R -n -r -o TARGET "$D" | sort)" ]
	# with a filter: the subtree, then the filter
	run mntx lsmnt -R -n -r -o TARGET -O +noexec "$D"
	[ "$output" = "$(printf '%s\n' "$D/nest/a/b" "$D/flags" | sort)" ] ||
		[ "$(sort <<<"$output")" = "$(printf '%s\n' "$D/nest/a/b" "$D/flags" | sort)" ]
}

@test "-t/--types with no prefixes, as findmnt" {
	require_root
	build_tree "$D"
	mkdir "$D/r"
	mount -t ramfs mntx-ramfs "$D/r"
	for t in tmpfs ramfs tmpfs,ramfs notmpfs noramfs,tmpfs notmpfs,ramfs nonosuch proc,sysfs noproc,sysfs,tmpfs; do
		[ "$(mntx lsmnt -rn -o TARGET -t "$t" | sort)" = "$(findmnt -rn -o TARGET -t "$t" | sort)" ] ||
			{ echo "-t $t differs" >&2; return 1; }
	done
	run mntx lsmnt -rn -o TARGET --types ramfs -R "$D"
	[ "$output" = "$D/r" ]
	# a leading "no" negates the whole list
	run mntx lsmnt -rn -o TARGET -t noramfs,tmpfs -R "$D"
	[ "$output" = "$D/ovl" ]
	# the filter sees the type without asking for the column
	run mntx lsmnt -J -o target -t ramfs
	[ "$(jq -r '.mounts[].target' <<<"$output")" = "$D/r" ]
}

@test "-S/--source, as findmnt" {
	require_root
	build_tree "$D"
	run mntx lsmnt -rn -o TARGET -S mntx-tmp
	assert_status 0
	[ "$(sort <<<"$output")" = "$(findmnt -rn -o TARGET -S mntx-tmp | sort)" ]
	[ "$(grep -c . <<<"$output")" = 4 ]	# tmp, bind, ro, idmap
	run mntx lsmnt -J -o target --source mntx-nest-b
	[ "$(jq -r '.mounts[].target' <<<"$output")" = "$D/nest/a/b" ]
}

@test "-O/--options, as findmnt" {
	require_root
	build_tree "$D"
	for o in ro rw noexec,ro +noexec noro nosuid +nosuid,nodev size=2048k nr_inodes=1000,ro relatime,noexec idmapped; do
		[ "$(mntx lsmnt -rn -o TARGET -O "$o" | sort)" = "$(findmnt -rn -o TARGET -O "$o" | sort)" ] ||
			{ echo "-O $o differs: $(mntx lsmnt -rn -o TARGET -O "$o" | sort) vs $(findmnt -rn -o TARGET -O "$o" | sort)" >&2; return 1; }
	done
	run mntx lsmnt -J -o target --options +noatime -R "$D"
	[ "$(jq -r '.mounts[].target' <<<"$output")" = "$D/flags" ]
}

@test "-T/--target and a bare TARGET: the mount that holds the path, as findmnt -T" {
	require_root
	build_tree "$D"
	mkdir -p "$D/nest/a/deep/er"
	for p in "$D/nest/a/deep/er" "$D/nest/a" "$D/bind" "$D/tmp/sub" / /proc/self; do
		run mntx lsmnt -rn -o TARGET,SOURCE "$p"
		assert_status 0
		[ "$output" = "$(findmnt -rnv -o TARGET,SOURCE -T "$p")" ] || { echo "$p: $output" >&2; return 1; }
		run mntx lsmnt -rn -o TARGET,SOURCE -T "$p"
		[ "$output" = "$(findmnt -rnv -o TARGET,SOURCE -T "$p")" ]
	done
	# a symlink is followed
	ln -s "$D/nest/a" "$BATS_TEST_TMPDIR/link"
	run mntx lsmnt -rn -o TARGET "$BATS_TEST_TMPDIR/link"
	[ "$output" = "$D/nest/a" ]
	# a relative path
	cd "$D/nest/a/deep"
	run mntx lsmnt -rn -o TARGET er
	[ "$output" = "$D/nest/a" ]
	# the filters apply to it too
	run mntx lsmnt -rn -o TARGET -t ramfs "$D/nest/a"
	assert_status 1
	[ -z "$output" ]
}

@test "--id: unique and old IDs name the same mount" {
	require_root
	build_tree "$D"
	local id old
	id=$(mntx lsmnt -n -o "$IDC" "$D/bind" | tr -d ' ')
	old=$(findmnt -n -o ID --mountpoint "$D/bind")
	run mntx lsmnt -J --output-all --id "$id"
	assert_status 0
	[ "$(jq -r '.mounts[0].target' <<<"$output")" = "$D/bind" ]
	[ "$output" = "$(mntx lsmnt -J --output-all --id "$old")" ]
	run mntx lsmnt -rn -o TARGET --id "$old" --kernel=mountinfo
	[ "$output" = "$D/bind" ]
	# IDs are decimal: a leading zero does not make octal
	run mntx lsmnt -rn -o TARGET --id "00$old"
	[ "$output" = "$D/bind" ]
	run --separate-stderr mntx lsmnt --id 0x10
	assert_status 2
	# a unique ID means nothing to the mountinfo back-end
	if [ "$IDK" = id ]; then
		run --separate-stderr mntx lsmnt --id "$id" --kernel=mountinfo
		assert_status 1
		assert_one_line_error lsmnt
	fi
}

@test "-N/--task PID: another mount namespace, as findmnt -N" {
	require_root
	local pid
	other_ns "$D/other"
	pid=$OTHER_PID
	run mntx lsmnt -N "$pid" -rn -o TARGET,SOURCE,FSTYPE
	assert_status 0
	[[ $output == *"$D/other mntx-other tmpfs"* ]]
	[ "$(sort <<<"$output")" = "$(findmnt -N "$pid" -rn -o TARGET,SOURCE,FSTYPE | sort)" ]
	# not in ours
	! mntx lsmnt -rn -o TARGET | grep -qx "$D/other"
	run mntx lsmnt --task "$pid" --kernel=mountinfo -rn -o TARGET,SOURCE,FSTYPE
	[ "$(sort <<<"$output")" = "$(findmnt -N "$pid" -rn -o TARGET,SOURCE,FSTYPE | sort)" ]
	# a TARGET is looked up in that namespace's view
	run mntx lsmnt -N "$pid" -rn -o SOURCE "$D/other"
	assert_status 0
	[ "$output" = mntx-other ]
	run mntx lsmnt -N "$pid" -rn -o SOURCE --kernel=mountinfo "$D/other"
	[ "$output" = mntx-other ]
	# the namespace's ID is not ours (null before Linux 6.11)
	[ "$(mntx lsmnt -N "$pid" -J -o ns_id 2>/dev/null | jq '[.mounts[].ns_id] | unique | length')" = 1 ]
	if ! lacks mntns_id; then
		[ "$(mntx lsmnt -N "$pid" -J -o ns_id | jq '.mounts[0].ns_id')" != "$(mntx lsmnt -J -o ns_id | jq '.mounts[0].ns_id')" ]
	fi
	# a process that does not exist
	run --separate-stderr mntx lsmnt -N 2147483647
	assert_status 1
	[[ $stderr == "lsmnt: cannot open the mount namespace of process 2147483647: No such file or directory" ]]
}

@test "--ns-id ID: a mount namespace by its ID" {
	require_root
	needs listmount mntns_id
	local pid nsid
	other_ns "$D/other"
	pid=$OTHER_PID
	nsid=$(mntx lsmnt -N "$pid" -J -o ns_id | jq '.mounts[0].ns_id')
	run mntx lsmnt --ns-id "$nsid" -J -o id,target,source,ns_id
	assert_status 0
	[ "$output" = "$(mntx lsmnt -N "$pid" -J -o id,target,source,ns_id)" ]
	[[ $output == *"$D/other"* ]]
	# our own namespace by its ID
	nsid=$(mntx lsmnt -J -o ns_id | jq '.mounts[0].ns_id')
	[ "$(mntx lsmnt --ns-id "$nsid" -J -o id)" = "$(mntx lsmnt -J -o id)" ]
	# a namespace that does not exist
	run --separate-stderr mntx lsmnt --ns-id 18446744073709551615
	assert_status 1
	assert_one_line_error lsmnt
	# mountinfo cannot select a namespace by ID
	run --separate-stderr mntx lsmnt --ns-id "$nsid" --kernel=mountinfo
	assert_status 1
	assert_one_line_error lsmnt
}

@test "without namespace IDs (before Linux 6.11): --ns-id refused in one sentence, ns-id null with a note" {
	run --separate-stderr kernel_without mntns_id -- "$MNTX" lsmnt --ns-id 12345 -J
	assert_status 1
	[ -z "$output" ]
	[ "$stderr" = "lsmnt: --ns-id needs Linux 6.11 (NS_GET_MNTNS_ID, mnt_id_req.mnt_ns_id)" ]
	run --separate-stderr kernel_without listmount mntns_id -- "$MNTX" lsmnt -J -o target,ns_id /
	assert_status 0
	[ "$(jq '.mounts[0].ns_id' <<<"$output")" = null ]
	[ "$stderr" = "lsmnt: note: null on this kernel: NS-ID needs Linux 6.11 (NS_GET_MNTNS_ID, mnt_id_req.mnt_ns_id)" ]
}

@test "without listmount/statmount in the kernel: mountinfo, quiet for the defaults, one note for chosen columns it cannot give" {
	require_root
	run --separate-stderr without_listmount "$MNTX" lsmnt
	assert_status 0
	[ -z "$stderr" ]
	run --separate-stderr without_listmount "$MNTX" lsmnt -J
	assert_status 0
	[ -z "$stderr" ]
	[ "$output" = "$(mntx lsmnt -J --kernel=mountinfo)" ]
	run --separate-stderr without_listmount "$MNTX" lsmnt -rn -o TARGET,OLD-ID,OLD-PARENT
	assert_status 0
	[ -z "$stderr" ]
	run --separate-stderr without_listmount "$MNTX" lsmnt -rn -o TARGET,ID /
	assert_status 0
	[ "$stderr" = "lsmnt: note: null on this kernel: ID needs Linux 6.8 (listmount, statmount)" ]
	run --separate-stderr without_listmount "$MNTX" lsmnt -J -o target,id,parent_id,sb_magic,uid_map
	assert_status 0
	[ "$stderr" = "lsmnt: note: null on this kernel: ID, PARENT, SB-MAGIC need Linux 6.8 (listmount, statmount); UID-MAP needs Linux 6.15 (STATMOUNT_MNT_UIDMAP, MNT_GIDMAP)" ]
	# every column is every column: what is null there goes without a note
	run --separate-stderr without_listmount "$MNTX" lsmnt -J --output-all
	assert_status 0
	[ -z "$stderr" ]
	[ "$output" = "$(mntx lsmnt -J --output-all --kernel=mountinfo)" ]
	# the user's own choice of back-end goes without a note
	run --separate-stderr without_listmount "$MNTX" lsmnt -rn -o TARGET,ID --kernel=mountinfo /
	assert_status 0
	[ -z "$stderr" ]
	run --separate-stderr without_listmount "$MNTX" lsmnt --kernel=listmount
	assert_status 1
	[ "$stderr" = "lsmnt: this kernel lacks listmount(2) and statmount(2) (Linux 6.8); use --kernel=mountinfo" ]
	[ -z "$output" ]
}
