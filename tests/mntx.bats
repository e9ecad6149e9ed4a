#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The multi-call program: dispatch, the command table, and what every tool
# must have (--help, --version, usage errors, man page, completions).

load helpers

setup() {
	TOP="${MNTX_TESTS_TOP:-$BATS_TEST_DIRNAME/..}"
}

@test "--list prints the tools, one per line, sorted" {
	run mntx --list
	assert_status 0
	[ -n "$output" ]
	[ "$output" = "$(printf '%s\n' "$output" | LC_ALL=C sort)" ]
	printf '%s\n' "$output" | grep -qx lsmnt
	printf '%s\n' "$output" | grep -qx statmount
}

@test "--help lists every tool with its summary" {
	run mntx --help
	assert_status 0
	for t in $(mntx --list); do
		printf '%s\n' "$output" | grep -q "^  $t "
	done
}

@test "no arguments: usage on stdout, status 2" {
	run mntx
	assert_status 2
	[[ $output == *Usage:* ]]
}

@test "--version" {
	run mntx --version
	assert_status 0
	[[ $output =~ ^mntx\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "dispatch through argv[1] and through a link named after the tool" {
	local d
	d=$(scratch)
	ln -s "$MNTX" "$d/lsmnt"
	run "$d/lsmnt" --version
	assert_status 0
	[[ $output == "lsmnt from mntx "* ]]
	run mntx lsmnt --version
	assert_status 0
	[[ $output == "lsmnt from mntx "* ]]
}

@test "a link with an unknown name behaves as mntx" {
	local d
	d=$(scratch)
	ln -s "$MNTX" "$d/something"
	run "$d/something" --list
	assert_status 0
	printf '%s\n' "$output" | grep -qx lsmnt
}

@test "unknown tool: 127 with a suggestion" {
	run -127 --separate-stderr mntx lsmt
	assert_status 127
	[ "$stderr" = "mntx: 'lsmt' is not a mntx tool; did you mean 'lsmnt'?" ]
	[ -z "$output" ]
}

@test "unknown tool far from any name: 127 without a guess" {
	run -127 --separate-stderr mntx zzzzzzzzzz
	assert_status 127
	[[ $stderr == *"not a mntx tool"* ]]
	[[ $stderr != *"did you mean"* ]]
}

@test "no prefix matching of tool names" {
	run -127 mntx lsm
	assert_status 127
}

@test "unknown mntx option: status 2" {
	run --separate-stderr mntx --bogus
	assert_status 2
	[[ $stderr == *"Try 'mntx --help'"* ]]
}

@test "every tool: --help on stdout, status 0, with Usage and Options" {
	for t in $(mntx --list); do
		run --separate-stderr mntx "$t" --help
		assert_status 0
		[[ $output == Usage:* ]]
		[[ $output == *Options:* ]]
		[[ $output == *"-h, --help"* ]]
		[ -z "$stderr" ]
	done
}

@test "every tool: --version and -V" {
	for t in $(mntx --list); do
		run mntx "$t" --version
		assert_status 0
		[[ $output == *"from mntx "* ]]
		run mntx "$t" -V
		assert_status 0
	done
}

@test "every tool: an unknown option is a usage error (2) with the --help hint" {
	for t in $(mntx --list); do
		run --separate-stderr mntx "$t" --no-such-option
		assert_status 2
		[ -z "$output" ]
		[[ $stderr == *"$t: unrecognized option"* ]]
		[[ $stderr == *"Try '$t --help' for more information."* ]]
	done
}

@test "every tool has a man page that renders without warnings" {
	for t in $(mntx --list); do
		local canon page
		canon=$(mntx "$t" --version | awk '{print $1}')
		page="$TOP/man/mntx-$canon.1"
		[ -f "$page" ] || { echo "no man page for $t" >&2; return 1; }
		run bash -c "LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l '$page' 2>&1 >/dev/null"
		[ -z "$output" ] || { echo "$page: $output" >&2; return 1; }
	done
	run bash -c "LC_ALL=C.UTF-8 man --warnings -l '$TOP/man/mntx.1' 2>&1 >/dev/null"
	[ -z "$output" ]
}

@test "mntx(1) has one entry per tool, in the order of --list" {
	local tools
	# the tags of the .TP paragraphs of the TOOLS section
	tools=$(awk '/^\.SH/ { on = ($2 == "TOOLS") } on && prev == ".TP" { print $2 } { prev = $0 }' \
		"$TOP/man/mntx.1" | sed 's/\\-/-/g')
	[ "$tools" = "$(mntx --list)" ] || { echo "mntx.1 TOOLS: $tools" >&2; return 1; }
}

@test "every tool's long options are documented in its man page" {
	for t in $(mntx --list); do
		local canon page
		canon=$(mntx "$t" --version | awk '{print $1}')
		page="$TOP/man/mntx-$canon.1"
		text=$(<"$page")	# matched in the shell: a grep per option is slow under emulation
		for o in $(mntx "$t" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
			[[ $text == *"${o//-/\\-}"* || $text == *"$o"* ]] || { echo "$page lacks $o" >&2; return 1; }
		done
	done
}

@test "every tool's columns are documented in its man page" {
	for t in $(mntx --list); do
		local canon page
		canon=$(mntx "$t" --version | awk '{print $1}')
		page="$TOP/man/mntx-$canon.1"
		mntx "$t" --help | grep -q "Available output columns" || continue
		text=$(<"$page")
		for k in $(mntx "$t" -H -J | jq -r '.columns[].key'); do
			[[ $text == *"$k"* ]] || { echo "$page lacks column key $k" >&2; return 1; }
		done
	done
}

@test "completions are generated from the tables and up to date" {
	run mntx --completion=bash
	assert_status 0
	[ "$output" = "$(cat "$TOP/completions/mntx.bash")" ]
	run mntx --completion=zsh
	[ "$output" = "$(cat "$TOP/completions/_mntx")" ]
	run mntx --completion=fish
	[ "$output" = "$(cat "$TOP/completions/mntx.fish")" ]
	run --separate-stderr mntx --completion=tcsh
	assert_status 2
}

@test "every tool is in every completion script and in the README" {
	for t in $(mntx --list); do
		grep -qw -- "$t" "$TOP/completions/mntx.bash"
		grep -qw -- "$t" "$TOP/completions/_mntx"
		grep -qw -- "$t" "$TOP/completions/mntx.fish"
		grep -q -- "\`$t\`" "$TOP/README.md" || { echo "README lacks $t" >&2; return 1; }
	done
}

@test "bash completion offers tools, options and column names" {
	run bash -c "
		source '$TOP/completions/mntx.bash'
		COMP_WORDS=(mntx ls); COMP_CWORD=1; _mntx; printf '%s\n' \"\${COMPREPLY[@]}\"
		echo --
		COMP_WORDS=(lsmnt --js); COMP_CWORD=1; _mntx; printf '%s\n' \"\${COMPREPLY[@]}\"
		echo --
		COMP_WORDS=(mntx lsmnt -o TARGET,SO); COMP_CWORD=3; _mntx; printf '%s\n' \"\${COMPREPLY[@]}\"
		echo --
		COMP_WORDS=(lsmnt --kernel m); COMP_CWORD=2; _mntx; printf '%s\n' \"\${COMPREPLY[@]}\"
	"
	assert_status 0
	[[ $output == *lsmnt* ]]
	[[ $output == *--json* ]]
	[[ $output == *--json-lines* ]]
	[[ $output == *TARGET,SOURCE* ]]
	[[ $output == *mountinfo* ]]
}

# Complete the last word of a command line with the bash script, one
# candidate a line: bash_complete WORD...
bash_complete() {
	bash -c '
		source "$1/completions/mntx.bash"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _mntx
		printf "%s\n" "${COMPREPLY[@]}"' - "$TOP" "$@"
}

@test "bash completion offers a tool's subcommands for its first operand only" {
	[ "$(bash_complete mntx loop at)" = attach ]
	[ "$(bash_complete loop at)" = attach ]
	[ "$(bash_complete loop '' | sort | tr '\n' ' ')" = "attach detach list resize status " ]
	# after options, and after an option's argument (-o LIST, --offset=N)
	[ "$(bash_complete mntx loop -J -o NAME,RO st)" = status ]
	[ "$(bash_complete loop --offset = 4k --ro a)" = attach ]
	# later operands are files: the subcommand's FILE or DEV
	cd "$TOP"
	[ "$(bash_complete mntx loop attach Makefi)" = Makefile ]
	[ "$(bash_complete loop status Makefi)" = Makefile ]
	# a tool without subcommands offers files
	[ "$(bash_complete lsmnt --json Makefi)" = Makefile ]
	# an alias completes as its tool, both ways
	[ "$(bash_complete walk --thr)" = --threads ]
	[ "$(bash_complete mntx walk --thr)" = --threads ]
	[ "$(bash_complete walk -o PATH,SI)" = PATH,SIZE ]
}

@test "zsh and fish completion scripts parse" {
	if command -v zsh >/dev/null; then
		run zsh -n "$TOP/completions/_mntx"
		assert_status 0
	fi
	if command -v fish >/dev/null; then
		run fish -n "$TOP/completions/mntx.fish"
		assert_status 0
		run fish -c "source '$TOP/completions/mntx.fish'; complete -C 'lsmnt --outp'"
		[[ $output == *--output* ]]
		run fish -c "source '$TOP/completions/mntx.fish'; complete -C 'mntx lsmnt -o TARGET,SO'"
		[[ $output == *TARGET,SOURCE* ]]
		run fish -c "source '$TOP/completions/mntx.fish'; complete -C 'mntx loop -o NAME at'"
		[ "$output" = attach ]
		run fish -c "source '$TOP/completions/mntx.fish'; complete -C 'loop --offset 4k de'"
		[ "$output" = detach ]
		run fish -c "source '$TOP/completions/mntx.fish'; complete -C 'loop attach de'"
		[ -z "$output" ]
		# an alias completes as its tool, both ways
		run fish -c "source '$TOP/completions/mntx.fish'; complete -C 'mntx walk --thr'"
		[[ $output == --threads* ]]
		run fish -c "source '$TOP/completions/mntx.fish'; complete -C 'walk --thr'"
		[[ $output == --threads* ]]
	fi
	command -v zsh >/dev/null && command -v fish >/dev/null
}

@test "write errors on stdout are failures; a closed pipe is not" {
	run bash -c "'$MNTX' --list >/dev/full"
	assert_status 1
	[[ $output == *"write error"* ]]
	run bash -c "set -o pipefail; '$MNTX' lsmnt -l 2>&1 | head -c0; echo \"\${PIPESTATUS[0]}\""
	[[ $output =~ ^(0|141)$ ]]
}

@test "refuses to run set-user-ID" {
	require_root
	local d
	d=$(mktemp -d /tmp/mntx-suid.XXXXXX)
	cp "$MNTX" "$d/mntx"
	chmod 4755 "$d/mntx"
	chmod 755 "$d"
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$d/mntx" --list
	rm -rf "$d"
	assert_status 1
	[[ $output == *"refusing to run set-user-ID"* ]]
}

# ---- mntx --features ----------------------------------------------------------

@test "--features: one record per feature, table and JSON agree" {
	run --separate-stderr mntx --features -J
	assert_status 0
	assert_json
	[ -z "$stderr" ]
	json=$output
	[ "$(jq '.features | length' <<<"$json")" -ge 20 ]
	# types never change: a string name and version, a boolean (or null)
	jq -e '.features | all(.[]; (.name | type) == "string" and (.since | type) == "string"
		and ((.available | type) == "boolean" or .available == null))' <<<"$json"
	run mntx --features -r -n -o name,available,since
	assert_status 0
	[ "$output" = "$(jq -r '.features[] | "\(.name) \(if .available == null then "" else (if .available then 1 else 0 end) end) \(.since)"' <<<"$json")" ]
	run mntx --features --json-lines -o name
	assert_status 0
	[ "$output" = "$(jq -c '.features[] | {name}' <<<"$json")" ]
}

@test "--features: a kernel at least as new as a feature's version has it" {
	# Backports only add features, so this direction holds on every
	# distribution kernel; it catches a probe that answers wrongly.
	local rel=$(uname -r) maj min
	maj=${rel%%.*}
	min=${rel#*.}
	min=${min%%[!0-9]*}
	run mntx --features --json-lines -o name,available,since
	assert_status 0
	while IFS=$'\t' read -r name avail since; do
		if ((maj > ${since%%.*} || (maj == ${since%%.*} && min >= ${since#*.}))); then
			[ "$avail" = true ] || { echo "$name (Linux $since) is not available on $rel: $avail" >&2; return 1; }
		fi
	done < <(jq -r '[.name, (.available | tostring), .since] | @tsv' <<<"$output")
}

@test "--features: what a seccomp filter takes away reads as missing; the rest stays" {
	local gone="mount_api openat2 mount_setattr open_tree_attr listmount listmount_reverse
		move_mount_set_group move_mount_beneath at_handle_fid at_handle_mnt_id_unique
		at_handle_connectable fsconfig_create_excl mntns_id"
	run mntx --features --json-lines -o name,available
	assert_status 0
	before=$output
	# shellcheck disable=SC2086
	run kernel_without $gone -- "$MNTX" --features --json-lines -o name,available
	assert_status 0
	for f in $gone; do
		[ "$(jq -r --arg f "$f" 'select(.name == $f) | .available' <<<"$output")" = false ] ||
			{ echo "$f still reads as available" >&2; return 1; }
	done
	# a feature that needs none of them keeps its answer
	for f in unique_mnt_id statx_dioalign; do
		[ "$(jq -r --arg f "$f" 'select(.name == $f) | .available' <<<"$output")" = \
		  "$(jq -r --arg f "$f" 'select(.name == $f) | .available' <<<"$before")" ]
	done
}

@test "--features: usage errors; -H lists the columns" {
	run --separate-stderr mntx --features extra
	assert_status 2
	assert_one_line_error mntx
	run --separate-stderr mntx --features --bogus
	assert_status 2
	run mntx --features -H
	assert_status 0
	[[ $output == *AVAILABLE* && $output == *SINCE* ]]
	run mntx --features --help
	assert_status 0
	[[ $output == *"Usage:"*"mntx --features"* ]]
}

@test "the tests' needs helper: a feature it does not know fails, one it knows passes or skips by name" {
	run needs no_such_feature
	[ "$status" -ne 0 ]
	[[ $output == *"'no_such_feature' is not a feature"* ]]
	run needs mount_api
	assert_status 0
}

@test "README and mntx(1) hold the feature list as mntx --features gives it (tests/kernel/docs --write)" {
	run "$TOP/tests/kernel/docs"
	assert_status 0
	local readme=${output%%$'\n'--$'\n'*} man=${output#*$'\n'--$'\n'}
	[ "$(jq -s length <<<"$(mntx --features --json-lines -o name)")" -ge 20 ]
	[ "$(grep -c '^| `' <<<"$readme")" = "$(mntx --features -rn -o name | wc -l)" ]
	# each text is in its file, line for line, in one piece
	diff <(grep -F -x -f <(printf '%s\n' "$readme") "$TOP/README.md") <(printf '%s\n' "$readme")
	diff <(awk '/^without it:$/ { on = 1; next } /^\.SH / { on = 0 } on' "$TOP/man/mntx.1") <(printf '%s\n' "$man")
}
