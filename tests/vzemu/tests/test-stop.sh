#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# vzemu-stop: a VE's stop as seen by processes (README "Stop semantics"; the model-level
# points are in test-model-stop.h). The init's parent is abi-client create --wait, which
# reaps the init and prints its wait status. Expected answers from the 042stab source:
#   kernel/sys.c: sys_reboot — in a VE, HALT/POWER_OFF/RESTART force_sig(SIGKILL) the VE's
#     init and return 0 to the caller; the init itself never sees the return.
#   kernel/exit.c: do_exit — an init that exits on its own gives its exit code.
#   kernel/pid_namespace.c: zap_pid_ns_processes, zap_ve_processes — the init's exit
#     SIGKILLs every other process of the VE, entered ones included.
#   kernel/ve/vecalls.c: env_cleanup — then the VE leaves /proc/vz/veinfo; RESTART only
#     marked the VE (VE_REBOOT), nothing starts it again.
# Exit 0 pass, 1 fail, 77 skip.
set -u
. "$(dirname "$0")/../../lib/testlib.sh"
[ -n "${VZEMU_TEST_XTRACE:-}" ] && set -x

VZEMU=${VZEMU:-vzemu}
CLIENT=${VZEMU_ABI_CLIENT:-vzemu-abi-client}
T=${VZEMU_TEST_TMP:-$(mktemp -d /tmp/vzemu-test.XXXXXX)}

emu_setup "$VZEMU" "$T"
EMU=("$VZEMU" --state "$T/state" --trace "$T/trace")
pids=()
at_exit 'for p in "${pids[@]}"; do kill -9 "$p" 2> /dev/null; done'

# start VEID with init CMD...; its parent (--wait) writes the init's wait status to $T/VEID.out.
# The VE was created once the parent prints "init PID" (after its create returned): that line
# is the event waited for. Not --wait-ve VEID=running: an init that exits at once (tests 1
# and 3) may have ended the running state before a waiter scheduled late first looks.
# tail --pid ends the wait when the parent dies without the line; timeout(1) is a safety net.
start() {
	local id=$1
	shift
	"${EMU[@]}" -- "$CLIENT" create "$id" --wait --log "$T/$id.log" -- "$@" > "$T/$id.out" &
	waiter=$!
	pids+=("$waiter")
	init=$(timeout 60 tail -n +1 --pid="$waiter" -f "$T/$id.out" |
		sed -n '/^init [0-9]/{s/^init //p;q}')
	if [ -z "$init" ]; then
		bad "VE $id did not start: $(cat "$T/$id.out" "$T/$id.log" 2> /dev/null)"
		return 1
	fi
	pids+=("$init")
}

# the parent's view once it reaped the init: $reaped_as
reaped() {
	wait "$waiter"
	reaped_as=$(sed -n 's/^init \(exited\|killed\)/\1/p' "$T/$1.out")
}

gone() {
	"$VZEMU" --state "$T/state" --wait-ve "$1=gone" --timeout 60
	check "VE $1 leaves the VE list" 0 $?
	"${EMU[@]}" -- cat /proc/vz/veinfo | grep -Eq "^ +$1 " && bad "VE $1 still in /proc/vz/veinfo" ||
		ok "VE $1 not in /proc/vz/veinfo"
}

# 1. do_exit: the init exits on its own with 3
start 4601 sh -c 'exit 3' && {
	reaped 4601
	check "init exit(3): its parent sees exited 3" "exited 3" "$reaped_as"
	gone 4601
}

# 2. sys_reboot(HALT) from a process that entered: returns 0; every process of the VE dies
start 4602 sleep 1000 && {
	mkfifo "$T/in"
	"${EMU[@]}" -- "$CLIENT" enter 4602 -- sh -c 'echo in > "$0"; exec sleep 1000' "$T/in" &
	enterer=$!
	pids+=("$enterer")
	check "a second process entered VE 4602" in "$(timeout 60 cat "$T/in")"
	"${EMU[@]}" -- "$CLIENT" enter 4602 -- "$CLIENT" reboot halt > /dev/null 2>&1
	has_match "reboot(HALT) by a non-init process returns 0" "$T/trace" \
		'^[0-9]+ reboot\(0xfee1dead, 0x28121969, LINUX_REBOOT_CMD_HALT, 0\) = 0$'
	reaped 4602
	check "reboot(HALT): the init's parent sees SIGKILL" "killed by signal 9" "$reaped_as"
	wait "$enterer"
	check "reboot(HALT): the entered process was SIGKILLed too (vzemu exits 128+9)" 137 $?
	gone 4602
}

# 3. sys_reboot(POWER_OFF) by the init itself: it never returns, its parent sees SIGKILL
start 4603 "$CLIENT" reboot poweroff && {
	reaped 4603
	check "reboot(POWER_OFF) by the init: parent sees SIGKILL" "killed by signal 9" "$reaped_as"
	grep -q "reboot returned" "$T/4603.log" && bad "the init saw reboot return" ||
		ok "the init never saw reboot(POWER_OFF) return"
	gone 4603
}

# 4. sys_reboot(RESTART): SIGKILL as for HALT, and the VE is not started again
start 4604 sleep 1000 && {
	"${EMU[@]}" -- "$CLIENT" enter 4604 -- "$CLIENT" reboot restart > /dev/null 2>&1
	reaped 4604
	check "reboot(RESTART): the init's parent sees SIGKILL" "killed by signal 9" "$reaped_as"
	gone 4604
	check "reboot(RESTART): nothing restarts the VE (VE_TEST ESRCH)" "-3" \
		"$("${EMU[@]}" -- "$CLIENT" test 4604)"
}

# 5. a host SIGKILL to the init: its parent sees signal 9 and the VE goes.
# (A host SIGTERM to an init without a handler kills it on 2.6.32 — kernel/signal.c:
# sig_task_ignored lets SIGNAL_UNKILLABLE through for from_ancestor_ns — but Linux >= 4.x
# drops it for a namespace's init whatever the sender; vzemu cannot change that, see the
# README's "Stop semantics" table.)
start 4605 sleep 1000 && {
	kill -KILL "$init"
	reaped 4605
	check "host SIGKILL: the init's parent sees signal 9" "killed by signal 9" "$reaped_as"
	gone 4605
}

if ! finish test-stop; then
	echo "$fail check(s) failed; trace: $T/trace"
	exit 1
fi
exit 0
