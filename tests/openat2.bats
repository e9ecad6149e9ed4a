#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# openat2: a symlink maze (relative and absolute links, .. escapes, /proc
# magic links, a mount crossing) and the verdict of every RESOLVE_* rule.

load helpers

# The maze, under $R; $D/outside is what an escape would reach.
#   file            "inside"
#   outside         "decoy": where in-root clamps ../outside
#   dir/sub/        a directory
#   dir/up       -> ../file             relative, stays inside
#   esc_rel      -> ../outside          relative, escapes
#   esc_abs      -> $D/outside          absolute, escapes
#   abs_inside   -> /file               absolute: inside only under in-root
#   via_dir      -> dir/sub/../../file  .. that stays inside
#   loop1 <-> loop2                     a loop
#   mnt/            a tmpfs, with mnt/f "mounted"
setup() {
	D=$(scratch)
	R=$D/root
	mkdir -p "$R/dir/sub" "$R/mnt"
	echo inside >"$R/file"
	echo outside >"$D/outside"
	echo decoy >"$R/outside"
	ln -s ../file "$R/dir/up"
	ln -s ../outside "$R/esc_rel"
	ln -s "$D/outside" "$R/esc_abs"
	ln -s /file "$R/abs_inside"
	ln -s dir/sub/../../file "$R/via_dir"
	ln -s loop2 "$R/loop1"
	ln -s loop1 "$R/loop2"
}

teardown() {
	unmount_below "${D:-/nonexistent}"
}

mount_maze() {
	require_root
	mount -t tmpfs tmpfs "$R/mnt"
	echo mounted >"$R/mnt/f"
}

# verdict RESOLVE PATH EXPECT: EXPECT is "=CONTENT" (opened, with that
# content) or a piece of the refusal.
verdict() {
	local resolve=$1 path=$2 want=$3 args=(--in "$R")
	[ "$resolve" = - ] || args+=(--resolve "$resolve")
	run --separate-stderr mntx openat2 --cat "${args[@]}" "$path"
	if [[ $want == =* ]]; then
		if [ "$status" != 0 ] || [ "$output" != "${want#=}" ]; then
			echo "--resolve $resolve '$path': expected '${want#=}', got status $status: $output $stderr" >&2
			return 1
		fi
	else
		if [ "$status" != 1 ] || [[ $stderr != "openat2: cannot open '$path': "*"$want"* ]] || [ -n "$output" ]; then
			echo "--resolve $resolve '$path': expected a refusal '$want', got status $status: $output $stderr" >&2
			return 1
		fi
	fi
	# --quiet answers the same by the status alone
	run --separate-stderr mntx openat2 --quiet "${args[@]}" "$path"
	[ -z "$output$stderr" ] || { echo "--quiet printed: $output $stderr" >&2; return 1; }
	if [[ $want == =* ]]; then assert_status 0; else assert_status 1; fi
}

@test "no rules: symlinks and .. go anywhere" {
	verdict - file =inside
	verdict - dir/up =inside
	verdict - esc_rel =outside
	verdict - esc_abs =outside
	verdict - ../outside =outside
	verdict - via_dir =inside
	verdict - abs_inside "No such file or directory"
	verdict - loop1 "Too many levels of symbolic links"
}

@test "beneath: what leaves DIR is refused, what stays is not" {
	verdict beneath file =inside
	verdict beneath dir/up =inside
	verdict beneath via_dir =inside
	verdict beneath dir/sub/../../file =inside
	verdict beneath esc_rel "it escapes '$R' (beneath)"
	verdict beneath esc_abs "it escapes '$R' (beneath)"
	verdict beneath abs_inside "it escapes '$R' (beneath)"
	verdict beneath ../outside "it escapes '$R' (beneath)"
	verdict beneath "$D/outside" "it escapes '$R' (beneath)"
	verdict beneath dir/../../outside "it escapes '$R' (beneath)"
}

@test "in-root: / and .. stop at DIR" {
	verdict in-root file =inside
	verdict in-root abs_inside =inside
	verdict in-root esc_rel =decoy
	verdict in-root ../outside =decoy
	verdict in-root ../../../../outside =decoy
	verdict in-root /file =inside
	verdict in-root esc_abs "No such file or directory"
	verdict in-root via_dir =inside
}

@test "no-symlinks: any symlink on the path is refused" {
	verdict no-symlinks file =inside
	verdict no-symlinks dir/sub/../../file =inside
	verdict no-symlinks dir/up "a symlink is on the path (no-symlinks)"
	verdict no-symlinks esc_rel "a symlink is on the path (no-symlinks)"
	verdict no-symlinks via_dir "a symlink is on the path (no-symlinks)"
	verdict no-symlinks ../outside =outside
	# the rule that refused first is named
	verdict beneath,no-symlinks esc_rel "a symlink is on the path (no-symlinks)"
	verdict beneath,no-symlinks ../outside "it escapes '$R' (beneath)"
}

@test "no-xdev: a mount crossing is refused" {
	mount_maze
	verdict - mnt/f =mounted
	verdict beneath mnt/f =mounted
	verdict no-xdev file =inside
	verdict no-xdev mnt/f "it crosses a mount (no-xdev)"
	verdict no-xdev mnt/../file "it crosses a mount (no-xdev)"
	# two rules that both refuse with EXDEV: the one that did is named
	verdict beneath,no-xdev mnt/f "it crosses a mount (no-xdev)"
	verdict beneath,no-xdev esc_rel "it escapes '$R' (beneath)"
	# procfs is a mount too
	run --separate-stderr mntx openat2 --resolve no-xdev /proc/self/status
	assert_status 1
	[ "$stderr" = "openat2: cannot open '/proc/self/status': it crosses a mount (no-xdev)" ]
}

@test "/proc magic links: no-magiclinks, no-symlinks, beneath and in-root" {
	run mntx openat2 -o resolved -n /proc/self/cwd
	assert_status 0
	[ "$output" = "$PWD" ]
	run --separate-stderr mntx openat2 --resolve no-magiclinks /proc/self/cwd
	assert_status 1
	[ "$stderr" = "openat2: cannot open '/proc/self/cwd': a /proc magic link is on the path (no-magiclinks)" ]
	# both rules refuse it: the more specific is named
	run --separate-stderr mntx openat2 --resolve no-symlinks,no-magiclinks /proc/self/cwd
	[ "$stderr" = "openat2: cannot open '/proc/self/cwd': a /proc magic link is on the path (no-magiclinks)" ]
	run --separate-stderr mntx openat2 --resolve no-symlinks /proc/self/cwd
	[ "$stderr" = "openat2: cannot open '/proc/self/cwd': a symlink is on the path (no-symlinks)" ]
	# an ordinary symlink is fine under no-magiclinks
	run mntx openat2 --in "$R" --resolve no-magiclinks --cat dir/up
	[ "$output" = inside ]
	# a magic link jumps out of DIR
	run --separate-stderr mntx openat2 --in /proc/self --resolve beneath cwd
	assert_status 1
	[ "$stderr" = "openat2: cannot open 'cwd': it escapes '/proc/self' (beneath)" ]
	run --separate-stderr mntx openat2 --in /proc/self --resolve in-root fd/0
	assert_status 1
	[ "$stderr" = "openat2: cannot open 'fd/0': a /proc magic link on the path could leave '/proc/self' (in-root)" ]
	# a symlink to a magic link
	ln -s /proc/self/root "$D/to_magic"
	run --separate-stderr mntx openat2 --resolve no-magiclinks "$D/to_magic"
	assert_status 1
	[[ $stderr == *"a /proc magic link is on the path (no-magiclinks)" ]]
}

@test "cached: only what the dentry cache holds" {
	needs resolve_cached
	touch "$D/fresh"
	run mntx openat2 --resolve cached -o resolved -n "$D/fresh"
	assert_status 0
	[ "$output" = "$D/fresh" ]
	# a name never looked up needs the filesystem
	run --separate-stderr mntx openat2 --resolve cached "$D/never-looked-up"
	assert_status 1
	[ "$stderr" = "openat2: cannot open '$D/never-looked-up': it is not in the dentry cache (cached)" ]
	run --separate-stderr mntx openat2 --resolve cached --flags creat "$D/x"
	assert_status 2
	[[ $stderr == *"cached cannot create or truncate"* ]]
}

@test "cached before Linux 5.12: refused in one sentence" {
	touch "$D/fresh"
	run --separate-stderr mntx openat2 --resolve cached -o resolved -n "$D/fresh"
	if lacks resolve_cached; then
		assert_status 1
		[ -z "$output" ]
		[ "$stderr" = "openat2: --resolve cached needs Linux 5.12 (RESOLVE_CACHED)" ]
	else
		assert_status 0
		[ "$output" = "$D/fresh" ]
	fi
}

@test "nofollow: a symlink as the last component" {
	run --separate-stderr mntx openat2 --in "$R" --flags rdonly,nofollow dir/up
	assert_status 1
	[ "$stderr" = "openat2: cannot open 'dir/up': it is a symlink (nofollow)" ]
	run mntx openat2 -J --in "$R" --flags path,nofollow dir/up
	assert_status 0
	[ "$(jq -r '.files[0] | "\(.type) \(.link_target) \(.resolved)"' <<<"$output")" = "symlink ../file $R/dir/up" ]
}

@test "default: the file record and the resolved path" {
	run mntx openat2 --in "$R" --resolve in-root esc_rel
	assert_status 0
	printf '%s\n' "$output" | grep -qx "path: *esc_rel"
	printf '%s\n' "$output" | grep -qx "resolved: *$R/outside"
	printf '%s\n' "$output" | grep -qx "type: *regular"
	run mntx openat2 -J --in "$R" esc_rel
	assert_json
	[ "$(jq -r .files[0].resolved <<<"$output")" = "$D/outside" ]
	[ "$(jq -r .files[0].ino <<<"$output")" = "$(stat -c %i "$D/outside")" ]
	[ "$(jq -r .files[0].size <<<"$output")" = 8 ]
	# the same record statx gives, plus resolved
	[ "$(jq -c '.files[0] | del(.resolved, .path, .atime_ns)' <<<"$output")" = \
		"$(mntx statx -J "$D/outside" | jq -c '.files[0] | del(.path, .atime_ns)')" ]
	run mntx openat2 -J --in "$R" dir
	[ "$(jq -r .files[0].type <<<"$output")" = directory ]
}

@test "table and JSON agree" {
	run mntx openat2 -r -n -b -o PATH,RESOLVED,TYPE,SIZE,INODE --in "$R" dir/up
	assert_status 0
	[ "$output" = "$(mntx openat2 -J --in "$R" dir/up | jq -r '.files[0] | "\(.path) \(.resolved) \(.type) \(.size) \(.ino)"')" ]
}

@test "--flags creat with --mode makes a file inside DIR only" {
	run mntx openat2 --in "$R" --resolve beneath --flags creat,wronly --mode 640 -o perms -n new
	assert_status 0
	[ "$output" = "-rw-r-----" ]
	[ "$(stat -c %a "$R/new")" = 640 ]
	run --separate-stderr mntx openat2 --in "$R" --resolve beneath --flags creat,wronly ../new
	assert_status 1
	[ ! -e "$D/new" ]
	run --separate-stderr mntx openat2 --mode 600 "$R/file"
	assert_status 2
	[[ $stderr == *"--mode is for files created"* ]]
	run --separate-stderr mntx openat2 --flags creat --mode 8 "$R/x"
	assert_status 2
	[[ $stderr == *"invalid --mode: '8'"* ]]
}

@test "--cat reads the file; a directory cannot be read" {
	run mntx openat2 --in "$R" --resolve beneath --cat via_dir
	assert_status 0
	[ "$output" = inside ]
	run --separate-stderr mntx openat2 --in "$R" --cat dir
	assert_status 1
	[[ $stderr == "openat2: cannot read 'dir': Is a directory" ]]
	run --separate-stderr mntx openat2 --in "$R" --flags directory file
	assert_status 1
	[[ $stderr == "openat2: cannot open 'file': Not a directory" ]]
}

@test "usage errors" {
	run --separate-stderr mntx openat2
	assert_status 2
	[[ $stderr == *"no path given"* ]]
	run --separate-stderr mntx openat2 a b
	assert_status 2
	[[ $stderr == *"one PATH only"* ]]
	run --separate-stderr mntx openat2 --resolve beneath,in-root x
	assert_status 2
	[[ $stderr == *"conflicting resolve flags: 'beneath' and 'in-root'"* ]]
	run --separate-stderr mntx openat2 --resolve upward x
	assert_status 2
	[[ $stderr == *"unknown resolve flag 'upward'"* ]]
	run --separate-stderr mntx openat2 --flags rdonly,wronly x
	assert_status 2
	[[ $stderr == *"conflicting open flags"* ]]
	run --separate-stderr mntx openat2 --cat --quiet x
	assert_status 2
	run --separate-stderr mntx openat2 --in "$D/missing" file
	assert_status 1
	[ "$stderr" = "openat2: cannot open directory '$D/missing': No such file or directory" ]
}

@test "odd names: space, newline, tab, backslash and invalid UTF-8" {
	local names=("a b" $'new\nline' $'tab\there' 'back\slash' $'bad\xff\xfeutf8')
	for n in "${names[@]}"; do
		printf 'odd' >"$R/$n"
		run mntx openat2 -J --in "$R" --resolve beneath "$n"
		assert_status 0
		assert_json
		if [[ $n == bad* ]]; then
			[ "$(jq -r .files[0].resolved_b64 <<<"$output" | base64 -d)" = "$R/$n" ]
			[ "$(jq -r .files[0].path_b64 <<<"$output" | base64 -d)" = "$n" ]
		else
			[ "$(jq -r .files[0].resolved <<<"$output")" = "$R/$n" ]
		fi
		run mntx openat2 --in "$R" --cat "$n"
		[ "$output" = odd ]
		run --separate-stderr mntx openat2 --in "$R" --resolve beneath "../$n"
		assert_status 1
		assert_one_line_error openat2
		[ "$(printf '%s' "$stderr" | wc -l)" = 0 ]
	done
}
