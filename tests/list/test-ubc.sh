#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# vzlite ubc against /proc fixture files (--proc-root): the table, the plain-language line
# of a refusing resource with its count, '+N' for the refusals since the last look (counts
# kept in LOCKDIR/VEID.failcnt), --json with every field, a VE the kernel does not have
# (exit 31), and a symbolic link planted where the counts are kept: not followed.
# Usage: test-ubc.sh VZLITE FIXTURES_DIR
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
conf=$("$fixtures/make-demo-host.sh" "$tmp/host")
P=$tmp/proc
mkdir -p "$P"
V=("$vzlite" --global-config "$conf" --proc-root "$P")

# user_beancounters as kernel/bc/proc.c prints it ("%10s  %-12s %20lu ..."): VE 101 with
# numproc refused 12 times at 240:240, VE 0 after it
ubc_file() { # NUMPROC_FAILCNT
	printf 'Version: 2.5\n'
	printf '%10s  %-12s %20s %20s %20s %20s %20s\n' uid resource held maxheld barrier limit failcnt
	local first=1 r held bar lim fc
	while read -r r held bar lim fc; do
		[ "$r" = numproc ] && fc=$1
		printf '%10s  %-12s %20s %20s %20s %20s %20s\n' "$([ $first = 1 ] && echo 101:)" \
			"$r" "$held" "$held" "$bar" "$lim" "$fc"
		first=0
	done <<'T'
kmemsize 1000 2000000 2200000 0
lockedpages 0 256 256 0
privvmpages 500 65536 69632 0
shmpages 0 21504 21504 0
numproc 240 240 240 0
physpages 300 0 9223372036854775807 0
numtcpsock 3 80 80 0
numfile 40 2048 2048 1
T
	printf '%10s  %-12s %20s %20s %20s %20s %20s\n' 0: numproc 90 9223372036854775807 \
		9223372036854775807 9223372036854775807 0
}
ubc_file 12 >"$P/user_beancounters"

"${V[@]}" ubc 101 >"$tmp/out" 2>&1; rc=$?; out=$(cat "$tmp/out")
check "ubc 101: exit 0" 0 $rc
has "first look said" "(first look" "$out"
has_match "numproc row: held maxheld barrier limit failcnt, marked" "$tmp/out" \
	'^! numproc +240 +240 +240 +240 +12 *$'
has_match "numfile marked" "$tmp/out" '^! numfile +40 +40 +2048 +2048 +1 *$'
has_match "kmemsize not marked" "$tmp/out" '^  kmemsize +1000 +1000 +2000000 +2200000 +0 *$'
has "numproc in plain words, with the count" \
	"numproc: 12 fork()s refused (new processes and threads, ENOMEM); barrier 240 reached" "$out"
has "numfile in plain words" "numfile: 1 files refused (open/pipe/socket failed); barrier 2048 reached" "$out"
hasnt_match "no line for kmemsize" "$tmp/out" '^kmemsize:'
check "the counts kept under LOCKDIR" "$(printf 'kmemsize 0\nlockedpages 0\nprivvmpages 0\nshmpages 0\nnumproc 12\nphyspages 0\nnumtcpsock 0\nnumfile 1')" \
	"$(cat "$tmp/host/lock/101.failcnt")"

ubc_file 15 >"$P/user_beancounters"
"${V[@]}" ubc 101 >"$tmp/out" 2>&1; rc=$?; out=$(cat "$tmp/out")
has_match "second look: numproc grew by 3" "$tmp/out" '^! numproc .* 15 +\+3$'
has "the line says how many since" "numproc: 15 fork()s refused (new processes and threads, ENOMEM), 3 since the last look; barrier 240 reached" "$out"
has_match "numfile did not grow: no +" "$tmp/out" '^! numfile .* 1 *$'
"${V[@]}" ubc 101 >"$tmp/out" 2>&1; rc=$?; out=$(cat "$tmp/out")
has_match "third look: no growth" "$tmp/out" '^! numproc .* 15 *$'

# --json: every field of every resource
"${V[@]}" ubc 101 --json >"$tmp/j" 2>&1
check "--json: exit 0" 0 $?
check "--json: every field" "ok" "$(python3 - "$tmp/j" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
keys = {"resource", "held", "maxheld", "barrier", "limit", "failcnt", "previous_failcnt",
        "failcnt_grew", "refused", "message"}
rs = {r["resource"]: r for r in d["resources"]}
assert d["veid"] == 101 and d["first_look"] is False, d
assert all(set(r) == keys for r in d["resources"]), d
assert list(rs) == ["kmemsize", "lockedpages", "privvmpages", "shmpages", "numproc",
                    "physpages", "numtcpsock", "numfile"], list(rs)
n = rs["numproc"]
assert (n["held"], n["maxheld"], n["barrier"], n["limit"], n["failcnt"]) == (240, 240, 240, 240, 15), n
assert n["previous_failcnt"] == 15 and n["failcnt_grew"] == 0 and n["refused"] is True, n
assert n["message"].startswith("numproc: 15 fork()s refused"), n
assert rs["physpages"]["limit"] == 9223372036854775807
assert rs["kmemsize"]["message"] is None and rs["kmemsize"]["refused"] is False
print("ok")
PY
)"

# A VE the kernel has no beancounter for
out=$("${V[@]}" ubc 102 2>&1)
check "ubc of a VE not running: exit 31" 31 $?
has "it says so and how to fix" "not running (vzlite start 102)" "$out"
[ ! -e "$tmp/host/lock/102.failcnt" ] && ok "nothing recorded for it" || bad "102.failcnt written"
# no beancounter file at all
out=$("$vzlite" --global-config "$conf" --proc-root "$tmp/none" ubc 101 2>&1)
[ $? -ne 0 ] && ok "no proc files: fails" || bad "no proc files: exit 0"
has "names the file" "$tmp/none/user_beancounters" "$out"

# A link planted where the counts are kept: replaced, never followed
echo "numproc 0" >"$tmp/victim"
rm -f "$tmp/host/lock/101.failcnt"
ln -s "$tmp/victim" "$tmp/host/lock/101.failcnt"
"${V[@]}" ubc 101 >"$tmp/out" 2>&1; rc=$?; out=$(cat "$tmp/out")
check "planted link: exit 0" 0 $rc
has "planted link: its target was not read (a first look)" "(first look" "$out"
check "planted link: its target unchanged" "numproc 0" "$(cat "$tmp/victim")"
[ -f "$tmp/host/lock/101.failcnt" ] && [ ! -L "$tmp/host/lock/101.failcnt" ] &&
	ok "planted link: replaced by the counts" || bad "planted link still there"
check "no temporary file left" "101.failcnt" "$(ls -A "$tmp/host/lock")"
finish test-ubc
