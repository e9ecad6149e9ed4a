#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The unit tests of src/: each tests/unit/NAME.c is a program that checks
# one module and exits non-zero when a check failed (printing which).  They
# are run from the build that made the binary under test: build/opt/unit,
# or build/san/unit after `make check SANITIZE=1`.

load helpers

# The unit directory of the build whose mntx is the one under test; else
# the newest that exists; else the normal build's.
unit_dir() {
	local d
	for d in build/opt build/san; do
		if [ -f "$TOP/$d/mntx" ] && cmp -s "$TOP/$d/mntx" "$MNTX"; then
			echo "$TOP/$d/unit"
			return
		fi
	done
	d=$(ls -dt "$TOP"/build/*/unit 2>/dev/null | head -1)
	echo "${d:-$TOP/build/opt/unit}"
}

setup_file() {
	TOP=$(cd "${MNTX_TESTS_TOP:-$BATS_TEST_DIRNAME/..}" && pwd)
	UNIT_DIR=$(unit_dir)
	export TOP UNIT_DIR
	# `make check` has built them; otherwise (tests/run alone, or a unit
	# newer than its binary) build them now, with the same flavour
	local san=
	[[ $UNIT_DIR == */build/san/unit ]] && san=SANITIZE=1
	make -C "$TOP" -s units $san >/dev/null
}

# Run one unit program: its status says whether every check passed, its
# output names the checks that failed.
run_unit() {
	local bin="$UNIT_DIR/$1"
	[ -x "$bin" ] || { echo "no unit program $bin (make units)" >&2; return 1; }
	run "$bin"
	assert_status 0
}

@test "unit: utf8_valid and base64_encode" {
	run_unit text
}

@test "unit: flags_parse and flags_names on every table" {
	run_unit flags
}

@test "unit: mountinfo_parse_line and mount_unescape" {
	run_unit mountinfo
}

@test "unit: JSON rendering of odd strings, exact integers, null, -o, trees" {
	run_unit json
}

@test "unit: every program in tests/unit is built and passes" {
	local src name n=0
	for src in "$TOP"/tests/unit/*.c; do
		name=$(basename "$src" .c)
		run_unit "$name"
		n=$((n + 1))
	done
	[ "$n" -ge 4 ]
}

@test "unit: jq accepts the JSON Lines written for odd strings" {
	local out
	out=$("$UNIT_DIR/json" emit)
	[ -n "$out" ]
	# jq parses every line, strictly, as one object
	[ "$(printf '%s\n' "$out" | jq -c 'type' | sort -u)" = '"object"' ]
	[ "$(printf '%s\n' "$out" | jq -s length)" = "$(printf '%s\n' "$out" | wc -l)" ]
	# the output is valid UTF-8 whatever the input bytes were
	printf '%s' "$out" | iconv -f UTF-8 -t UTF-8 >/dev/null
	# s_b64 holds the exact bytes, also a NUL the string could not hold
	[ "$(printf '%s\n' "$out" | jq -r 'select(.u == 9) | .s_b64' | base64 -d | od -An -tx1 | tr -d ' \n')" = 2f6d6e742ffffe ]
	[ "$(printf '%s\n' "$out" | jq -r 'select(.s | startswith("nul")) | .s_b64' | base64 -d | od -An -c | tr -s ' ' | tr -d '\n')" = " n u l \0 i n s i d e" ]
	# the replacement keeps the rest of the string
	[ "$(printf '%s\n' "$out" | jq -r 'select(.u == 9) | .s')" = "/mnt/��" ]
	# control bytes come back as they went in
	[ "$(printf '%s\n' "$out" | jq -r 'select(.u == 4) | .s' | od -An -c | tr -s ' ' | tr -d '\n')" = " n e w \n l i n e \n" ]
	# _b64 keys appear only beside strings that needed them
	[ "$(printf '%s\n' "$out" | jq -c 'select(has("s_b64") | not) | .s' | wc -l)" -eq 9 ]
	# 64-bit integers are written exactly (jq itself would round them)
	printf '%s\n' "$out" | head -1 | grep -q '"u":18446744073709551615,"i":-9223372036854775808,'
	printf '%s\n' "$out" | head -1 | grep -q '"size":9007199254740993,'
}
