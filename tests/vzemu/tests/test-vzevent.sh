#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# vzemu-vzevent: the vzevent netlink channel (kernel-abi.md §14, kernel/ve/vzevent.c) as a
# listener sees it, and its order against the VE's lifetime (§12.3):
#   socket(AF_NETLINK, SOCK_RAW, 31), bind nl_groups=1: CAP_NET_ADMIN needed, else EPERM;
#   payload "<action>@<veid>", no netlink header, no NUL;
#   ve-start at the end of the create, before VZCTL_ENV_CREATE_DATA returns;
#   ve-stop when the VE's processes are gone, while it is still listed (stopping);
#   ve-reboot instead of ve-stop only after reboot(RESTART) inside AND reboot_event=1
#   (module parameter, default 0); HALT/POWER_OFF give ve-stop whatever reboot_event is.
# A listener in another vzemu run on the same state hears every event (one kernel).
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

# the module missing: the protocol is refused as by a kernel without vzevent
out=$("${EMU[@]}" --no-vzevent -- "$CLIENT" vzevent 1)
check "--no-vzevent: socket(AF_NETLINK, SOCK_RAW, 31) refused" "error: socket: EPROTONOSUPPORT" "$out"

# netlink_bind: a group needs CAP_NET_ADMIN
out=$("${EMU[@]}" -- "$CLIENT" --drop-cap 12 vzevent 1)
check "bind to group 1 without CAP_NET_ADMIN: EPERM" "error: bind: EPERM" "$out"
has_match "the socket is traced as netlink protocol 31" "$T/trace" \
	'^[0-9]+ socket\(AF_NETLINK, SOCK_RAW\|SOCK_CLOEXEC, 31\) = [0-9]+$'
has_match "the refused bind is traced with its address" "$T/trace" \
	'^[0-9]+ bind\([0-9]+, \{nl_family=AF_NETLINK, nl_pid=0, nl_groups=0x1\}, 12\) = -1 EPERM$'

# A listener for the events of the four VEs below, in a run of its own.
"${EMU[@]}" -- "$CLIENT" vzevent 8 > "$T/events" &
listener=$!
pids+=("$listener")
bound=$(timeout 60 tail -n +1 --pid="$listener" -f "$T/events" | sed -n '/^bound$/{p;q}')
check "the listener bound group 1" bound "$bound"

# start VEID: a VE whose init sleeps; its parent (--wait) reaps it and prints how it ended
start() {
	"${EMU[@]}" -- "$CLIENT" create "$1" --wait -- sleep 1000 > "$T/$1.out" &
	waiter=$!
	pids+=("$waiter")
	init=$(timeout 60 tail -n +1 --pid="$waiter" -f "$T/$1.out" |
		sed -n '/^init [0-9]/{s/^init //p;q}')
	[ -n "$init" ] && pids+=("$init")
}

# stop_with VEID CMD: reboot(CMD) from a process entered into the VE; wait until it is gone
stop_with() {
	"${EMU[@]}" -- "$CLIENT" enter "$1" -- "$CLIENT" reboot "$2" > "$T/$1.enter" 2>&1
	check "VE $1: entered and reboot($2) called ($(tr '\n' ' ' < "$T/$1.enter"))" 0 $?
	# the VE's init's parent reaps it and exits; bounded, so a VE that does not stop fails
	# the check instead of hanging the test
	timeout 60 tail --pid="$waiter" -f /dev/null
	check "VE $1: its init ended within 60 s" 0 $?
	wait "$waiter"
	"$VZEMU" --state "$T/state" --wait-ve "$1=gone" --timeout 60
	check "VE $1 gone after reboot($2)" 0 $?
}

start 4701 && stop_with 4701 poweroff
start 4702 && stop_with 4702 restart
"$VZEMU" --state "$T/state" --vzevent-reboot-event 1
check "--vzevent-reboot-event 1 without a command exits 0" 0 $?
start 4703 && stop_with 4703 restart
start 4704 && stop_with 4704 halt

timeout 60 tail --pid="$listener" -f /dev/null || kill "$listener" 2> /dev/null
wait "$listener"
check "the listener got its 8 messages and exited 0" 0 $?
# "<length> <payload>": the length is the payload's, so no NUL and no header came with it
expected='bound
13 ve-start@4701
12 ve-stop@4701
13 ve-start@4702
12 ve-stop@4702
13 ve-start@4703
14 ve-reboot@4703
13 ve-start@4704
12 ve-stop@4704'
check "events in order: start, then stop; ve-reboot only for RESTART with reboot_event=1" \
	"$expected" "$(cat "$T/events")"

# The order against the VE's lifetime, from the trace (one file, lines appended in order)
line_of() { grep -nE "$1" "$T/trace" | head -1 | cut -d: -f1; }
sent=$(line_of '^[0-9]+ vzemu: vzevent ve-start@4701 sent to 1 listener$')
created=$(line_of '^[0-9]+ ioctl\(/dev/vzctl, VZCTL_ENV_CREATE_DATA, \{veid=4701,.* = 4701$')
[ -n "$sent" ] && [ -n "$created" ] && [ "$sent" -lt "$created" ] &&
	ok "ve-start sent before VZCTL_ENV_CREATE_DATA returned" ||
	bad "ve-start (line ${sent:-none}) not before the create's return (line ${created:-none})"
exited=$(line_of '^[0-9]+ vzemu: VE 4701 init exited')
stop=$(line_of '^[0-9]+ vzemu: vzevent ve-stop@4701 sent to 1 listener$')
removed=$(line_of '^[0-9]+ vzemu: VE 4701 is empty: removed$')
[ -n "$exited" ] && [ -n "$stop" ] && [ -n "$removed" ] && [ "$exited" -lt "$stop" ] &&
	[ "$stop" -lt "$removed" ] &&
	ok "ve-stop sent after the VE's processes died, while it was still listed" ||
	bad "ve-stop order: init exited ${exited:-none}, sent ${stop:-none}, removed ${removed:-none}"

# --reset: reboot_event back to the kernel's default (0)
"$VZEMU" --state "$T/state" --reset -- true
"${EMU[@]}" -- "$CLIENT" vzevent 2 > "$T/events2" &
listener=$!
pids+=("$listener")
timeout 60 tail -n +1 --pid="$listener" -f "$T/events2" | sed -n '/^bound$/{p;q}' > /dev/null
start 4705 && stop_with 4705 restart
timeout 60 tail --pid="$listener" -f /dev/null || kill "$listener" 2> /dev/null
wait "$listener"
check "after --reset, RESTART gives ve-stop again (reboot_event 0)" \
	"bound
13 ve-start@4705
12 ve-stop@4705" "$(cat "$T/events2")"

if ! finish test-vzevent; then
	echo "$fail check(s) failed; trace: $T/trace"
	exit 1
fi
exit 0
