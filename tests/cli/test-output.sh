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

# Every --json output is one JSON document (python3's parser) that carries the values as
# they are, quotes, backslashes and control characters included; and the layouts are as
# documented: objects and arrays on one line, show's parameters and validate's problems
# one per line.
if command -v python3 >/dev/null; then
	printf 'HOSTNAME="h1"\nX_ODD="q\\"b\\\\s\t\001e\303\251"\n' >"$H/conf/103.conf"
	parses() { # DESCRIPTION PYTHON-EXPRESSION-ON-d COMMAND...
		local what=$1 expr=$2
		shift 2
		"${V[@]}" "$@" >"$tmp/json" 2>"$tmp/err"
		if python3 -c 'import json, sys
d = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
assert eval(sys.argv[2]), sys.argv[2]' "$tmp/json" "$expr" 2>>"$tmp/err"; then
			ok
		else
			bad "$what: $(cat "$tmp/json" "$tmp/err")"
		fi
	}
	odd='"q\"b\\s\t\x01e\u00e9"'
	parses "help params --json" 'len(d) > 50 and all(set(p) >= {"name", "help"} for p in d)' help params --json
	parses "get --json" "d == {'HOSTNAME': 'h1', 'X_ODD': $odd, 'DESCRIPTION': None}" \
		get 103 HOSTNAME X_ODD DESCRIPTION --json
	parses "show --json" "d['parameters']['X_ODD'] == {'value': $odd, 'source': 'file'} and d['uuid'] is None" \
		show 103 --json
	parses "show PARAM --json" "list(d['parameters']) == ['DESCRIPTION', 'HOSTNAME']" show 103 DESCRIPTION HOSTNAME --json
	parses "validate --json" "d['valid'] is False and d['mode'] == 'classic' and any(p['param'] == 'NUMPROC' for p in d['problems'])" \
		validate 103 --json
	cp "$fixtures/conf/ve-small.conf-sample" "$H/conf/104.conf"
	parses "validate --json of a valid config" "d['valid'] is True and d['problems'] == []" validate 104 --json
else
	bad "python3 is needed to parse the --json output"
fi
check "show --json layout" "$(printf '{"config": "%s", "uuid": null, "parameters": {\n    "HOSTNAME": {"value": "h1", "source": "file"},\n    "NOPE": {"value": null, "source": "unset"}\n  }}' "$H/conf/103.conf")" \
	"$("${V[@]}" show 103 HOSTNAME NOPE --json)"
check "validate --json layout, no problems" "$(printf '{"config": "%s", "mode": "classic", "valid": true, "problems": [\n]}' "$H/conf/104.conf")" \
	"$("${V[@]}" validate 104 --json)"
check "get --json layout" '{"HOSTNAME": "h1", "DESCRIPTION": null}' "$("${V[@]}" get 103 HOSTNAME DESCRIPTION --json)"
check "help params --json layout" '[
 {"name": "KMEMSIZE", "option": "kmemsize", "type": "barrier:limit", "unit": "bytes", "default": null, "changes": "live", "kernel_call": "setublimit", "help": "Unswappable kernel memory the VE may use, in bytes."},' \
	"$("${V[@]}" help params --json | head -2)"

finish test-output.sh
