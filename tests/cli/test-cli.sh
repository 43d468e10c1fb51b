#!/usr/bin/env bash
# The vzlite CLI as a user meets it: help, version, errors and exit codes (vzctl's, from
# vzctl-behaviour.md §7.1), and a dry-run create against a host tree in a temporary
# directory. Usage: test-cli.sh VZLITE FIXTURES_DIR
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?vzlite binary}
fixtures=${2:?fixtures dir}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT


# expect CODE CMD... : run, keep stdout/stderr in $out/$err, compare the exit code.
expect() {
	local want=$1; shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	local got=$?
	out=$(cat "$tmp/out"); err=$(cat "$tmp/err")
	if [ "$got" -eq "$want" ]; then ok; else bad "$* exited $got, expected $want; stderr: $err"; fi
}
contains() { # HAYSTACK NEEDLE WHAT
	if grep -qF -- "$2" <<<"$1"; then ok; else bad "$3: no '$2' in: $1"; fi
}
lines() { # TEXT N WHAT
	local n; n=$(printf '%s\n' "$1" | wc -l)
	if [ "$n" -eq "$2" ]; then ok; else bad "$3: $n lines, expected $2: $1"; fi
}

expect 0 "$vzlite" --help
contains "$out" "Usage: vzlite" "--help"
for c in create destroy start stop restart status mount umount set enter exec list validate define dumpxml; do
	contains "$out" "  $c " "--help lists $c"
done

expect 0 "$vzlite" --version
contains "$out" "vzlite 0." "--version"

expect 20 "$vzlite" frobnicate 101
contains "$err" "unknown command 'frobnicate'" "unknown command"
contains "$err" "Try 'vzlite --help'." "unknown command hint"
lines "$err" 2 "unknown command: one error line plus the hint"

expect 20 "$vzlite" --bogus create
contains "$err" "unknown option '--bogus'" "unknown global option"

expect 20 "$vzlite"
contains "$err" "Usage:" "no command prints usage"

expect 0 "$vzlite" help params
contains "$out" "KMEMSIZE" "help params lists KMEMSIZE"
contains "$out" "setublimit" "help params names the kernel call"
contains "$out" "CPUUNITS" "help params lists CPUUNITS"
contains "$out" "fairsched_chwt" "CPUUNITS is applied by fairsched_chwt"

expect 0 "$vzlite" --json help params
contains "$out" '"name": "KMEMSIZE"' "help params --json"
if command -v python3 >/dev/null; then
	if python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$out"; then ok; else bad "help params --json is not valid JSON"; fi
fi

# exec and enter: usage errors before anything is opened (their runs: tests/exec/)
expect 0 "$vzlite" enter --help
contains "$out" "entered into CT N" "enter --help"
expect 20 "$vzlite" exec 101
contains "$err" "no command: vzlite exec 101 -- COMMAND [ARG...]" "exec without a command"
expect 20 "$vzlite" exec 101 --shell 'echo x' -- echo y
contains "$err" "give either --shell" "exec with --shell and a command"

# A whole host in a temporary directory.
conf=$("$fixtures/make-demo-host.sh" "$tmp/host")
expect 0 "$vzlite" --global-config "$conf" --dry-run create 101 --ostemplate demo-x86_64 --hostname h1
contains "$out" "# lock $tmp/host/lock/101.lck" "dry-run: lock"
contains "$out" "# write $tmp/host/conf/101.conf.vzlite-creating from $tmp/host/conf/ve-small.conf-sample with OSTEMPLATE=\"demo-x86_64\"" "dry-run: marker"
contains "$out" "# extract $tmp/host/template/cache/demo-x86_64.tar.gz into $tmp/host/private/101.tmp" "dry-run: extract"
# The flush, the root and the rename are steps of their own (the step engine's table).
contains "$out" "# syncfs $tmp/host/private/101.tmp" "dry-run: syncfs"
contains "$out" "# mkdir $tmp/host/root/101" "dry-run: root"
contains "$out" "# rename $tmp/host/private/101.tmp to $tmp/host/private/101" "dry-run: rename"
contains "$out" "# rename $tmp/host/conf/101.conf.vzlite-creating to $tmp/host/conf/101.conf" "dry-run: commit"
# A create makes no kernel call (the first-level quota is not done yet): no device opened.
if grep -q '^open(' <<<"$out"; then bad "dry-run create opened the device"; else ok; fi
# A dry run changes nothing.
if [ ! -e "$tmp/host/conf/101.conf" ] && [ -z "$(ls -A "$tmp/host/private" "$tmp/host/lock" | grep -v ':$' | grep -v '^$')" ]; then ok; else bad "dry-run changed the host tree"; fi

# dry-run destroy prints its plan and changes nothing either.
expect 0 "$vzlite" --global-config "$conf" --dry-run destroy 101
contains "$out" "# rename $tmp/host/private/101 to $tmp/host/private/101.vzlite-destroying, then remove it without following links" "dry-run destroy"

# Bad input: a clear error, vzctl's exit code, nothing changed.
expect 21 "$vzlite" --global-config "$conf" --dry-run create 2147483645 --ostemplate demo-x86_64
contains "$err" "bad VE ID '2147483645'" "VEID out of range"
expect 21 "$vzlite" --global-config "$conf" --dry-run create 1x --ostemplate demo-x86_64
expect 21 "$vzlite" --global-config "$conf" --dry-run create 101 --ostemplate ../../etc/passwd
contains "$err" "must not be empty, contain '/' or start with '.'" "template name with /"
expect 21 "$vzlite" --global-config "$conf" --dry-run create 101 --ostemplate .hidden
expect 91 "$vzlite" --global-config "$conf" --dry-run create 101 --ostemplate missing-x86
contains "$err" "VE 101: no template cache" "missing template names the VE"
expect 82 "$vzlite" --global-config "$conf" --dry-run create 101 --config nosuch
contains "$err" "profile 'nosuch' not found" "missing profile"
expect 10 "$vzlite" --global-config "$tmp/none.conf" --dry-run create 101
contains "$err" "cannot open $tmp/none.conf" "missing vz.conf"
mkdir -p "$tmp/host/private/102" && touch "$tmp/host/private/102/file"
expect 44 "$vzlite" --global-config "$conf" --dry-run create 102
contains "$err" "already exists and is not empty" "private area exists"
expect 21 "$vzlite" --global-config "$conf" --dry-run create 101 --bogus x
contains "$err" "Try 'vzlite create --help'." "unknown create option hint"
expect 21 "$vzlite" --global-config "$conf" --dry-run create
contains "$err" "create needs a VE ID" "create without VEID"

finish test-cli
