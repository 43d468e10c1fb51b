#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# vzemu-create-caps: a VE's creator that lowered its capabilities first (as vzctl and
# vzlite do: bounding set, then capset; kernel-abi.md §12.1) still creates the VE, as on
# OpenVZ (kernel/ve/vecalls.c: real_env_create checks only capable_setveid(), i.e.
# CAP_SYS_ADMIN or CAP_VE_ADMIN), and the VE's processes hold exactly the creator's
# effective set (set_ve_caps, init_ve_cred: every set of the init intersected with it).
# Exit 0 pass, 1 fail, 77 skip.
set -u
. "$(dirname "$0")/../../lib/testlib.sh"

VZEMU=${VZEMU:-vzemu}
CLIENT=${VZEMU_ABI_CLIENT:-vzemu-abi-client}
T=${VZEMU_TEST_TMP:-$(mktemp -d /tmp/vzemu-test.XXXXXX)}

emu_setup "$VZEMU" "$T"
ST=$T/state
TR=$T/trace
EMU=("$VZEMU" --state "$ST" --trace "$TR")
VEID=4321
bnd=$((0x$(sed -n 's/^CapBnd:\t*//p' /proc/1/status)))
# CAP_SYS_ADMIN 21, CAP_SYS_MODULE 16, CAP_NET_ADMIN 12 given up before the create
want=$(printf '%016x' $((bnd & ~(1 << 21 | 1 << 16 | 1 << 12))))

mkfifo "$T/ready" "$T/release"
"${EMU[@]}" -- "$CLIENT" --drop-cap 21 --drop-cap 16 --drop-cap 12 create "$VEID" \
	--log "$T/init.log" -- sh -c '
	echo "$$ $PPID" > "$0/init-pids"
	grep -E "^Cap(Eff|Bnd):" /proc/self/status | paste -sd" " > "$0/init-caps"
	echo ready > "$0/ready"
	read x < "$0/release"
	exit 0' "$T" | timeout 20 cat > "$T/create.out"
has_match "the create succeeded" "$T/create.out" "^created $VEID\$"
caller=$(sed -n 's/^init //p' "$T/create.out")
init=$(sed -En "s/^$caller vzemu: VE $VEID created: init ([0-9]+) .*/\1/p" "$T/trace")
[ -n "$init" ] && at_exit 'kill -9 "$init" 2> /dev/null'
check "the VE init ran" ready "$(timeout 20 cat "$T/ready")"
check "init is pid 1 of the VE" "1 0" "$(cat "$T/init-pids" 2> /dev/null)"
check "CapEff and CapBnd inside the VE: the creator's dropped set" \
	"CapEff:	$want CapBnd:	$want" "$(cat "$T/init-caps" 2> /dev/null)"
has_match "the limit is an event in the trace" "$T/trace" \
	"^$init vzemu: VE $VEID init limited to its creator's effective capabilities: CapEff=[0-9a-f]{16} CapBnd=[0-9a-f]{16}\$"
check "no namespace failure" "" "$(grep 'namespaces for VE' "$T/trace")"
timeout 20 sh -c 'echo go > "$1"' _ "$T/release" # a safety net if the init never ran
"$VZEMU" --state "$ST" --wait-ve "$VEID=gone" --timeout 20
check "the VE is gone after its init exited" 0 "$?"

# a capset putting CAP_SYS_ADMIN back after giving it up: EPERM, as the kernel answers
check "CAP_SYS_ADMIN cannot come back" "error: capset: EPERM" \
	"$("${EMU[@]}" -- "$CLIENT" --drop-cap 21 --raise-cap 21 getluid 2>&1)"

if ! finish test-create-caps; then
	echo "$fail check(s) failed; trace: $TR"
	exit 1
fi
exit 0
