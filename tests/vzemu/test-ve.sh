#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# vzemu-ve: a VE created through the raw ABI (abi-client: fork, setsid, setluid, setublimit,
# fork, VZCTL_ENV_CREATE_DATA{VE_CREATE|VE_EXCLUSIVE, 32-byte env_create_param3}) is real
# enough: its init is in new UTS, IPC and network namespaces with a venet0 device; a VE_ENTERed
# process is in the same namespaces; the VE outlives the vzemu run that created it (state in
# --state, the supervisor keeps serving); when its init exits the VE leaves /proc/vz/veinfo.
# Exit 0 pass, 1 fail, 77 skip.
set -u

VZEMU=${VZEMU:-vzemu}
CLIENT=${VZEMU_ABI_CLIENT:-vzemu-abi-client}
T=${VZEMU_TEST_TMP:-$(mktemp -d /tmp/vzemu-test.XXXXXX)}
VEID=${VZEMU_TEST_VEID:-4101}
fails=0

skip() { echo "SKIP: $*"; exit 77; }
ok() { echo "ok   - $*"; }
bad() { echo "FAIL - $*"; fails=$((fails + 1)); }
check() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected [$2], got [$3]"; fi; }
has() { if grep -Eq -- "$3" "$2"; then ok "$1"; else bad "$1: no /$3/ in $2"; cat "$2"; fi; }

[ "$(id -u)" = 0 ] || skip "needs root"
[ -x "$(command -v "$VZEMU")" ] || skip "no vzemu binary ($VZEMU)"
rm -rf "$T"
mkdir -p "$T"
EMU=("$VZEMU" --state "$T/state" --trace "$T/trace")
if ! out=$("${EMU[@]}" --reset -- true 2>&1); then
	skip "vzemu cannot run here: $out"
fi

ns_of() { readlink "/proc/$1/ns/uts" "/proc/$1/ns/ipc" "/proc/$1/ns/net" | paste -sd' '; }
host_ns=$(ns_of self)
host_name=$(hostname)

# The VE's init records its view of itself, says "ready" through a FIFO (the test's read
# blocks until then; timeout(1) is only a safety net), then waits until the test lets it go.
mkfifo "$T/ready" "$T/release"
"${EMU[@]}" -- "$CLIENT" create "$VEID" --log "$T/init.log" -- sh -c '
	readlink /proc/self/ns/uts /proc/self/ns/ipc /proc/self/ns/net | paste -sd" " > "$0/init-ns"
	ip -o link show venet0 > "$0/init-link" 2>&1
	hostname ve'"$VEID"'
	echo ready > "$0/ready"
	read x < "$0/release"
	exit 0' "$T" > "$T/create.out"
check "vzemu returns while the VE init lives" 0 $?
has "create reported" "$T/create.out" "^created $VEID\$"
init=$(sed -n 's/^init //p' "$T/create.out")
[ -n "$init" ] && trap 'kill -9 "$init" 2> /dev/null' EXIT
check "the VE init ran" ready "$(timeout 20 cat "$T/ready")"
check "--wait-ve $VEID=running" 0 "$("$VZEMU" --state "$T/state" --wait-ve "$VEID=running" --timeout 20; echo $?)"

init_ns=$(cat "$T/init-ns" 2> /dev/null)
check "init reports the namespaces /proc shows" "$(ns_of "$init")" "$init_ns"
read -r h_uts h_ipc h_net <<< "$host_ns"
read -r v_uts v_ipc v_net <<< "$init_ns"
[ -n "$v_uts" ] && [ "$v_uts" != "$h_uts" ] && ok "init in a new UTS namespace" || bad "UTS: $v_uts"
[ -n "$v_ipc" ] && [ "$v_ipc" != "$h_ipc" ] && ok "init in a new IPC namespace" || bad "IPC: $v_ipc"
[ -n "$v_net" ] && [ "$v_net" != "$h_net" ] && ok "init in a new network namespace" || bad "net: $v_net"
has "venet0 in the VE's network namespace" "$T/init-link" '^[0-9]+: venet0[:@]'
ip -o link show venet0 > /dev/null 2>&1 && bad "venet0 appeared on the host" || ok "no venet0 on the host"
has "VZCTL_ENV_CREATE_DATA traced" "$T/trace" \
	"^$init ioctl\(/dev/vzctl, VZCTL_ENV_CREATE_DATA, \{$VEID, VE_CREATE\|VE_EXCLUSIVE, 0, 0x[0-9a-f]+, 32\}\) = $VEID\$"
has "setluid traced" "$T/trace" "^[0-9]+ setluid\($VEID\) = 0\$"
has "setublimit traced" "$T/trace" "^[0-9]+ setublimit\($VEID, UB_KMEMSIZE, \{2752512, 2936012\}\) = 0\$"

# Another vzemu run (same state) sees the VE running
"${EMU[@]}" -- cat /proc/vz/veinfo > "$T/veinfo"
has "VE listed in /proc/vz/veinfo" "$T/veinfo" "^ +$VEID +0 +[0-9]+"
check "VE_TEST from another run" 0 "$("${EMU[@]}" -- "$CLIENT" test "$VEID")"
check "second VE_CREATE|VE_EXCLUSIVE is EACCES" "error: VZCTL_ENV_CREATE_DATA: EACCES" \
	"$("${EMU[@]}" -- "$CLIENT" create "$VEID" | grep error)"

# VE_ENTER joins the VE's namespaces
"${EMU[@]}" -- "$CLIENT" enter "$VEID" -- sh -c '
	readlink /proc/self/ns/uts /proc/self/ns/ipc /proc/self/ns/net | paste -sd" "
	hostname; ip -o link show venet0 | cut -d: -f2' > "$T/enter.out" 2>&1
check "entered process in the VE's namespaces" "$init_ns" "$(sed -n 1p "$T/enter.out")"
check "entered process sees the VE's hostname" "ve$VEID" "$(sed -n 2p "$T/enter.out")"
check "entered process sees venet0" " venet0" "$(sed -n 3p "$T/enter.out")"
has "VE_ENTER traced" "$T/trace" "^[0-9]+ ioctl\(/dev/vzctl, VZCTL_ENV_CREATE, \{$VEID, VE_ENTER, 0\}\) = $VEID\$"
check "host hostname unchanged" "$host_name" "$(hostname)"

# The init exits: the VE stops and leaves the list (--wait-ve blocks until then)
echo go > "$T/release"
"$VZEMU" --state "$T/state" --wait-ve "$VEID=gone" --timeout 20
check "--wait-ve $VEID=gone after its init exited" 0 $?
"${EMU[@]}" -- cat /proc/vz/veinfo > "$T/veinfo"
grep -Eq "^ +$VEID " "$T/veinfo" && bad "VE still in /proc/vz/veinfo" || ok "VE gone from /proc/vz/veinfo"
check "VE_TEST after the stop" "-3" "$("${EMU[@]}" -- "$CLIENT" test "$VEID")"
has "init exit traced" "$T/trace" "^$init vzemu: VE $VEID init exited"
check "VE_ENTER after the stop is ESRCH" "error: VZCTL_ENV_CREATE(VE_ENTER): ESRCH" \
	"$("${EMU[@]}" -- "$CLIENT" enter "$VEID")"

if [ "$fails" -gt 0 ]; then
	echo "$fails check(s) failed; trace: $T/trace"
	exit 1
fi
rm -rf "$T"
exit 0
