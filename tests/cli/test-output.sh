#!/usr/bin/env bash
# What vzlite prints when it is asked wrongly (issue 10):
#  - get of a name that is neither a parameter nor a key of the file: "unknown parameter"
#    with the closest name, exit 21 (vzctl's VZ_INVALID_PARAMETER_VALUE), nothing on stdout;
#  - a global option (--global-config, --dry-run, --json, -v, -q) after the command: said to
#    be a global option that goes before the command, and nothing is done.
# Usage: test-output.sh VZLITE FIXTURES_DIR
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

conf=$("$fixtures/make-demo-host.sh" "$tmp/host")
H=$tmp/host
V=("$vzlite" --global-config "$conf")

printf 'HOSTNAME="h1"\nX_LOCAL="mine"\n' >"$H/conf/101.conf"

# get: unknown names.
for name in KMEMSZE kmemsize NUMPROCS; do
	out=$("${V[@]}" get 101 "$name" 2>"$tmp/err")
	check "get $name: exit" 21 $?
	check "get $name: nothing on stdout" "" "$out"
	has "get $name: says so" "VE 101: unknown parameter '$name'" "$(cat "$tmp/err")"
done
has "get KMEMSZE: suggests" "did you mean KMEMSIZE?" "$("${V[@]}" get 101 KMEMSZE 2>&1)"
has "get kmemsize: suggests" "did you mean KMEMSIZE?" "$("${V[@]}" get 101 kmemsize 2>&1)"
has "get NUMPROCS: suggests" "did you mean NUMPROC?" "$("${V[@]}" get 101 NUMPROCS 2>&1)"
err=$("${V[@]}" get 101 ZZZZZZZZ 2>&1 >/dev/null)
check "get of a far name: no suggestion" "vzlite: VE 101: unknown parameter 'ZZZZZZZZ'; 'vzlite help params' lists them" "$err"
out=$("${V[@]}" get 101 HOSTNAME KMEMSZE --json 2>/dev/null)
check "get with one unknown name: exit" 21 $?
check "get with one unknown name: no half JSON document" "" "$out"
# What is not unknown: a parameter that is unset (an empty line), a key only the file has.
check "get of an unset parameter" "$(printf 'h1\n\nmine')" "$("${V[@]}" get 101 HOSTNAME DESCRIPTION X_LOCAL)"
check "get --json of an unset parameter" '{"DESCRIPTION": null}' "$("${V[@]}" get 101 DESCRIPTION --json)"
check "get of a profile FILE: unknown parameter" 21 \
	"$("${V[@]}" get "$H/conf/101.conf" NOPE >/dev/null 2>&1; echo $?)"

# Global options after the command.
before=$(snapshot --times "$H")
expect_global() { # OPTION EXPECTED-HINT COMMAND...
	local opt=$1 hint=$2
	shift 2
	out=$("${V[@]}" "$@" 2>"$tmp/err")
	local rc=$?
	[ "$rc" -ne 0 ] && ok || bad "$*: exit 0"
	check "$*: nothing on stdout" "" "$out"
	has "$*: says it is a global option" "'$opt' is a global option: give it before the command" "$(cat "$tmp/err")"
	has "$*: shows where" "$hint" "$(cat "$tmp/err")"
}
expect_global --global-config "as in 'vzlite --global-config FILE create ...'" create 102 --global-config "$conf"
expect_global --global-config=F "as in 'vzlite --global-config FILE create ...'" create 102 --global-config=F
expect_global --dry-run "as in 'vzlite --dry-run create ...'" create 102 --dry-run
expect_global -q "as in 'vzlite -q create ...'" create 102 -q
expect_global -v "as in 'vzlite -v set ...'" set 101 --hostname x -v --save
expect_global --json "as in 'vzlite --json set ...'" set 101 --json
expect_global --global-config "'vzlite --global-config FILE status ...'" status 101 --global-config "$conf"
expect_global --dry-run "'vzlite --dry-run destroy ...'" destroy 101 --dry-run
expect_global --verbose "'vzlite --verbose get ...'" get 101 HOSTNAME --verbose
expect_global --quiet "'vzlite --quiet show ...'" show 101 --quiet
expect_global --global-config "'vzlite --global-config FILE define ...'" define x.xml --global-config "$conf"
expect_global --dry-run "'vzlite --dry-run dumpxml ...'" dumpxml 101 --dry-run
expect_global --global-config "'vzlite --global-config FILE validate ...'" validate 101 --global-config "$conf"
check "global options after the command changed nothing" "$before" "$(snapshot --times "$H")"
# A command's own option of the same name is still its own, and other mistakes keep their message.
check "get --json after the command is get's own" '{"HOSTNAME": "h1"}' "$("${V[@]}" get 101 HOSTNAME --json)"
has "an option nobody has" "unknown option '--nosuch'" "$("${V[@]}" status 101 --nosuch 2>&1)"

finish test-output.sh
