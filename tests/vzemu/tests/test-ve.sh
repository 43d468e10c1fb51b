#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# vzemu-ve: a VE created through the raw ABI (abi-client: fork, setsid, setluid, setublimit,
# fork, VZCTL_ENV_CREATE_DATA{VE_CREATE|VE_EXCLUSIVE, 32-byte env_create_param3}) is real
# enough: its init is pid 1 of a new PID namespace and in new UTS, IPC and network namespaces
# with a venet0 device; /proc mounted by the VE's processes shows only them; a VE_ENTERed
# process and its children are in the same namespaces; the process that called the ioctl
# stands in for its continuation and holds no descriptor; the VE outlives the vzemu run that
# created it (state in --state, the supervisor keeps serving); when its init exits the VE
# leaves /proc/vz/veinfo.
# Exit 0 pass, 1 fail, 77 skip.
set -u
. "$(dirname "$0")/../../lib/testlib.sh"

VZEMU=${VZEMU:-vzemu}
CLIENT=${VZEMU_ABI_CLIENT:-vzemu-abi-client}
T=${VZEMU_TEST_TMP:-$(mktemp -d /tmp/vzemu-test.XXXXXX)}
VEID=${VZEMU_TEST_VEID:-4101}

emu_setup "$VZEMU" "$T"
EMU=("$VZEMU" --state "$T/state" --trace "$T/trace")

ns_of() { readlink "/proc/$1/ns/uts" "/proc/$1/ns/ipc" "/proc/$1/ns/net" | paste -sd' '; }
host_ns=$(ns_of self)
host_name=$(hostname)

# The VE's init records its view of itself, says "ready" through a FIFO (the test's read
# blocks until then; timeout(1) is only a safety net), then waits until the test lets it go.
mkfifo "$T/ready" "$T/release"
# Its output goes through a pipe: `cat` ends only when no process holds the pipe any more.
mkdir "$T/vproc"
"${EMU[@]}" -- "$CLIENT" create "$VEID" --log "$T/init.log" -- sh -c '
	readlink /proc/self/ns/uts /proc/self/ns/ipc /proc/self/ns/net | paste -sd" " > "$0/init-ns"
	readlink /proc/self/ns/pid > "$0/init-pidns"
	echo "$$ $PPID" > "$0/init-pids"
	kill -0 1 && echo "kill(1, 0) = 0" > "$0/init-kill1"
	mount -t proc proc "$0/vproc" && echo "$0"/vproc/[0-9]* > "$0/init-vproc"
	ip -o link show venet0 > "$0/init-link" 2>&1
	hostname ve'"$VEID"'
	echo ready > "$0/ready"
	read x < "$0/release"
	exit 0' "$T" | timeout 20 cat > "$T/create.out"
st=("${PIPESTATUS[@]}")
check "vzemu returns while the VE init lives" 0 "${st[0]}"
check "no process of the create holds its stdout (EOF reached)" 0 "${st[1]}"
has_match "create reported" "$T/create.out" "^created $VEID\$"
caller=$(sed -n 's/^init //p' "$T/create.out")
init=$(sed -En "s/^$caller vzemu: VE $VEID created: init ([0-9]+) .*/\1/p" "$T/trace")
[ -n "$init" ] && at_exit 'kill -9 "$init" 2> /dev/null'
check "the VE init ran" ready "$(timeout 20 cat "$T/ready")"
check "init is pid 1 and its parent is outside the VE" "1 0" "$(cat "$T/init-pids" 2> /dev/null)"
check "kill(1, 0) inside reaches the VE's init" "kill(1, 0) = 0" "$(cat "$T/init-kill1" 2> /dev/null)"
check "host view: the init is pid 1 in its namespace" "NSpid:	$init	1" "$(grep ^NSpid: "/proc/$init/status" 2> /dev/null)"
check "/proc mounted by the init shows only the VE's processes" "$T/vproc/1" "$(cat "$T/init-vproc" 2> /dev/null)"
check "the VE's /proc mount did not reach the host" "" "$(ls -A "$T/vproc")"
check "the init's PID namespace is not the host's" no "$([ "$(cat "$T/init-pidns")" = "$(readlink /proc/self/ns/pid)" ] && echo yes || echo no)"
check "the stand-in stays in the host's PID and network namespaces" \
	"$(readlink /proc/self/ns/pid /proc/self/ns/net)" "$(readlink "/proc/$caller/ns/pid" "/proc/$caller/ns/net")"
check "the stand-in holds no descriptor" "" "$(ls "/proc/$caller/fd" 2>&1)"
check "--wait-ve $VEID=running" 0 "$("$VZEMU" --state "$T/state" --wait-ve "$VEID=running" --timeout 20; echo $?)"

init_ns=$(cat "$T/init-ns" 2> /dev/null)
check "init reports the namespaces /proc shows" "$(ns_of "$init")" "$init_ns"
read -r h_uts h_ipc h_net <<< "$host_ns"
read -r v_uts v_ipc v_net <<< "$init_ns"
[ -n "$v_uts" ] && [ "$v_uts" != "$h_uts" ] && ok "init in a new UTS namespace" || bad "UTS: $v_uts"
[ -n "$v_ipc" ] && [ "$v_ipc" != "$h_ipc" ] && ok "init in a new IPC namespace" || bad "IPC: $v_ipc"
[ -n "$v_net" ] && [ "$v_net" != "$h_net" ] && ok "init in a new network namespace" || bad "net: $v_net"
has_match "venet0 in the VE's network namespace" "$T/init-link" '^[0-9]+: venet0[:@]'
ip -o link show venet0 > /dev/null 2>&1 && bad "venet0 appeared on the host" || ok "no venet0 on the host"
has_match "VZCTL_ENV_CREATE_DATA traced" "$T/trace" \
	"^$caller ioctl\(/dev/vzctl, VZCTL_ENV_CREATE_DATA, \{veid=$VEID, flags=VE_CREATE\|VE_EXCLUSIVE, class_id=0, data=\{iptables_mask=0x1c000007, feature_mask=0x205, known_features=0x205, total_vcpus=0\}, datalen=32\}\) = $VEID\$"
has_match "setluid traced" "$T/trace" "^[0-9]+ setluid\($VEID\) = 0\$"
has_match "setublimit traced" "$T/trace" "^[0-9]+ setublimit\($VEID, UB_KMEMSIZE, \{2752512, 2936012\}\) = 0\$"

# Another vzemu run (same state) sees the VE running
"${EMU[@]}" -- cat /proc/vz/veinfo > "$T/veinfo"
has_match "VE listed in /proc/vz/veinfo" "$T/veinfo" "^ +$VEID +0 +[0-9]+"
check "VE_TEST from another run" 0 "$("${EMU[@]}" -- "$CLIENT" test "$VEID")"
check "second VE_CREATE|VE_EXCLUSIVE is EACCES" "error: VZCTL_ENV_CREATE_DATA: EACCES" \
	"$("${EMU[@]}" -- "$CLIENT" create "$VEID" | grep error)"

# VE_ENTER joins the VE's namespaces, its PID namespace included (so do its children); the
# stand-in exits with the entered process's status
mkdir "$T/vproc2"
"${EMU[@]}" -- "$CLIENT" enter "$VEID" -- sh -c '
	readlink /proc/self/ns/uts /proc/self/ns/ipc /proc/self/ns/net | paste -sd" "
	hostname; ip -o link show venet0 | cut -d: -f2
	readlink /proc/self/ns/pid
	echo "pid $$ ppid $PPID"
	sh -c "echo child ppid \$PPID; readlink /proc/self/ns/pid"
	d=$0/vproc2
	mount -t proc proc "$d" && set -- "$d"/[0-9]* && echo "$@" | sed "s|$d/||g; s|\<$$\>|self|"
	exit 7' "$T" > "$T/enter.out" 2>&1
check "the entered process's exit status comes through the stand-in" 7 $?
check "entered process in the VE's namespaces" "$init_ns" "$(sed -n 1p "$T/enter.out")"
check "entered process sees the VE's hostname" "ve$VEID" "$(sed -n 2p "$T/enter.out")"
check "entered process sees venet0" " venet0" "$(sed -n 3p "$T/enter.out")"
check "entered process in the VE's PID namespace" "$(cat "$T/init-pidns")" "$(sed -n 4p "$T/enter.out")"
vpid=$(sed -En '5s/^pid ([0-9]+) ppid 0$/\1/p' "$T/enter.out")
[ -n "$vpid" ] && [ "$vpid" -gt 1 ] && ok "entered process: a VE pid > 1, its parent outside the VE" ||
	bad "entered process: $(sed -n 5p "$T/enter.out")"
check "its child's parent is it, by its VE pid" "child ppid $vpid" "$(sed -n 6p "$T/enter.out")"
check "its child in the VE's PID namespace" "$(cat "$T/init-pidns")" "$(sed -n 7p "$T/enter.out")"
check "/proc mounted by it shows the init and itself only" "1 self" "$(sed -n 8p "$T/enter.out")"
# A signal sent to the stand-in reaches the entered process; the stand-in dies the same way
mkfifo "$T/sleeping"
"${EMU[@]}" -- "$CLIENT" enter "$VEID" -- sh -c 'echo sleeping > "$0/sleeping"; exec sleep 1000' "$T" &
bg=$!
check "entered sleeper runs" sleeping "$(timeout 20 cat "$T/sleeping")"
standin=$(sed -En 's/^([0-9]+) vzemu: entered VE .* continues as [0-9]+ in its pid namespace; ([0-9]+) stands in for it$/\2/p' "$T/trace" | tail -1)
kill -TERM "$standin"
timeout 20 tail --pid="$standin" -f /dev/null || kill -9 "$standin" $(sed -En 's/.* continues as ([0-9]+) .*/\1/p' "$T/trace" | tail -1)
wait "$bg"
check "SIGTERM to the stand-in: forwarded, both died of it (vzemu exits 128+15)" 143 $?
has_match "VE_ENTER traced" "$T/trace" "^[0-9]+ ioctl\(/dev/vzctl, VZCTL_ENV_CREATE, \{veid=$VEID, flags=VE_ENTER, class_id=0\}\) = $VEID\$"
check "host hostname unchanged" "$host_name" "$(hostname)"

# The init exits: the VE stops and leaves the list (--wait-ve blocks until then)
echo go > "$T/release"
"$VZEMU" --state "$T/state" --wait-ve "$VEID=gone" --timeout 20
check "--wait-ve $VEID=gone after its init exited" 0 $?
"${EMU[@]}" -- cat /proc/vz/veinfo > "$T/veinfo"
grep -Eq "^ +$VEID " "$T/veinfo" && bad "VE still in /proc/vz/veinfo" || ok "VE gone from /proc/vz/veinfo"
check "VE_TEST after the stop" "-3" "$("${EMU[@]}" -- "$CLIENT" test "$VEID")"
has_match "init exit traced" "$T/trace" "^$init vzemu: VE $VEID init exited \(status 0\): VE stopping\$"
has_match "removal traced" "$T/trace" "^$init vzemu: VE $VEID is empty: removed\$"
[ -d "/proc/$caller" ] && bad "the stand-in outlived the init" || ok "the stand-in exited with the init"
check "VE_ENTER after the stop is ESRCH" "error: VZCTL_ENV_CREATE(VE_ENTER): ESRCH" \
	"$("${EMU[@]}" -- "$CLIENT" enter "$VEID")"

if ! finish test-ve; then
	echo "$fail check(s) failed; trace: $T/trace"
	exit 1
fi
exit 0
