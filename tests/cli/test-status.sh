#!/usr/bin/env bash
# vzlite status against the emulated kernel: exist/deleted from the config and private area,
# mounted from the root, running from VE_TEST (vzctl-behaviour.md §3.8).
# Usage: test-status.sh VZLITE FIXTURES_DIR VZEMU ABI_CLIENT
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?} vzemu=${3:?} client=${4:?}
tmp=$(mktemp -d)
emu_setup "$vzemu" "$tmp"
state=$tmp/state
emu() { "$vzemu" --state "$state" -- "$@"; }
conf=$("$fixtures/make-demo-host.sh" "$tmp/host")
V=(--global-config "$conf")

check "no config, no private area" "CTID 101 deleted unmounted down" "$(emu "$vzlite" "${V[@]}" status 101)"

# A private area alone is not a VE, nor a config alone: vzctl wants both.
mkdir -p "$tmp/host/private/101" "$tmp/host/root/101"
check "private area without config" "CTID 101 deleted unmounted down" "$(emu "$vzlite" "${V[@]}" status 101)"
printf 'OSTEMPLATE="demo-x86_64"\n' >"$tmp/host/conf/101.conf"
check "config and private area" "CTID 101 exist unmounted down" "$(emu "$vzlite" "${V[@]}" status 101)"
rmdir "$tmp/host/private/101"
check "config without private area" "CTID 101 deleted unmounted down" "$(emu "$vzlite" "${V[@]}" status 101)"
mkdir -p "$tmp/host/private/101"

# The VE's own VE_PRIVATE wins over vz.conf's.
mkdir -p "$tmp/elsewhere/101"
printf 'VE_PRIVATE="%s/elsewhere/$VEID"\n' "$tmp" >"$tmp/host/conf/102.conf"
mkdir -p "$tmp/elsewhere/102"
check "VE_PRIVATE from the VE config (expanded)" "CTID 102 exist unmounted down" "$(emu "$vzlite" "${V[@]}" status 102)"

# Mounted: a simfs mount of the private area on the root, inside vzemu's mount namespace.
got=$(emu sh -c 'mount -t simfs "$1" "$2" && "$3" --global-config "$4" status 101' sh \
	"$tmp/host/private/101" "$tmp/host/root/101" "$vzlite" "$conf")
check "mounted" "CTID 101 exist mounted down" "$got"

# Suspended (§3.8): an existing, stopped VE whose dump $DUMPDIR/Dump.<CTID> exists (§3.11);
# DUMPDIR from vz.conf, or the VE's config over it.
mkdir -p "$tmp/dump" "$tmp/dump2"
echo "DUMPDIR=$tmp/dump" >>"$conf"
: >"$tmp/dump/Dump.101"
check "suspended" "CTID 101 exist unmounted down suspended" "$(emu "$vzlite" "${V[@]}" status 101)"
check "suspended: json" '{"veid": 101, "exist": true, "mounted": false, "running": false, "suspended": true}' \
	"$(emu "$vzlite" "${V[@]}" --json status 101)"
: >"$tmp/dump/Dump.103"
check "a dump without a VE: not suspended" "CTID 103 deleted unmounted down" "$(emu "$vzlite" "${V[@]}" status 103)"
printf 'DUMPDIR="%s"\n' "$tmp/dump2" >>"$tmp/host/conf/101.conf"
check "DUMPDIR of the VE's config wins" "CTID 101 exist unmounted down" "$(emu "$vzlite" "${V[@]}" status 101)"
mv "$tmp/dump/Dump.101" "$tmp/dump2/"

# Running: a VE created through the kernel ABI.
out=$(emu "$client" create 101)
grep -q '^init [0-9]*$' <<<"$out" && ok || bad "abi-client create 101: $out"
check "running" "CTID 101 exist unmounted running" "$(emu "$vzlite" "${V[@]}" status 101)"
check "json" '{"veid": 101, "exist": true, "mounted": false, "running": true, "suspended": false}' \
	"$(emu "$vzlite" "${V[@]}" --json status 101)"
check "running with a dump: not suspended" "CTID 101 exist unmounted running" \
	"$(emu "$vzlite" "${V[@]}" status 101)"
check "another VE stays down" "CTID 103 deleted unmounted down" "$(emu "$vzlite" "${V[@]}" status 103)"

# Without an OpenVZ kernel: a clear error and vzctl's exit code 5.
"$vzlite" "${V[@]}" status 101 >/dev/null 2>"$tmp/err"
check "no kernel: exit 5" 5 $?
grep -q "cannot open /dev/vzctl" "$tmp/err" && ok || bad "no kernel: message: $(cat "$tmp/err")"

# Bad input.
emu "$vzlite" "${V[@]}" status abc >/dev/null 2>&1
check "bad VEID: exit 21" 21 $?
emu "$vzlite" "${V[@]}" status >/dev/null 2>&1
check "no VEID: exit 21" 21 $?

finish test-status
