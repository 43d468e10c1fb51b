#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# vzemu-enter-pgrp: which PID namespace VE_ENTER leaves the caller in, and signals to pid 1
# from the host's PID namespace. Expected answers from the 042stab source:
#   kernel/ve/vecalls.c: do_env_enter — pid_ns_attach_task (a pid inside the VE) only
#     `if (alone_in_pgrp(tsk) && !(flags & VE_SKIPLOCK))`; alone_in_pgrp: no other process
#     in a group or session whose id is the caller's pid. A session leader with a member
#     keeps its host pid; its kill(1, …) (kernel/pid.c: find_vpid uses task_active_pid_ns)
#     goes to the host's init, not the VE's.
#   A caller that is alone (setsid, no member) gets a pid inside: kill(1, …) is the VE's init.
# vzemu answers a host-namespace kill of pid 1 or -1 as the target host (0, not delivered
# here) and traces it. Exit 0 pass, 1 fail, 77 skip.
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

# The VE's init records each USR1 and USR2 it gets, in order, on a FIFO the test reads.
mkfifo "$T/sig"
"${EMU[@]}" -- "$CLIENT" create 4701 -- sh -c \
	'trap "echo usr1 > $0" USR1; trap "echo usr2 > $0" USR2
	while :; do sleep 1000 & wait $!; kill $! 2> /dev/null; done' "$T/sig" > "$T/create.out"
init=$(sed -n 's/^init //p' "$T/create.out")
pids+=("$init")
"$VZEMU" --state "$T/state" --wait-ve 4701=running --timeout 60
check "VE 4701 runs" 0 $?

# 1. Not alone: a session leader with a member (the background sleep) enters; kill(1, USR1)
# from it is the host's (answered 0, not delivered), so the VE's init gets nothing.
out=$("${EMU[@]}" -- setsid sh -c 'sleep 1000 & exec "$0" enter 4701 -- sh -c \
	"echo pid=\$\$; kill -USR1 1; echo rc=\$?; kill $!"' "$CLIENT" 2>&1)
has_match "not alone: kill(1, SIGUSR1) returns 0" <(echo "$out") '^rc=0$'
has_match "not alone: the entered process keeps its host pid" <(echo "$out") '^pid=([2-9][0-9]|[0-9]{3,})'
has_match "not alone: the enter keeps its pid in the host's pid namespace (trace)" "$T/trace" \
	'^[0-9]+ vzemu: entered VE 4701 \(namespaces of init [0-9]+\): keeps its pid in the host.s pid namespace'
has_match "not alone: kill(1, SIGUSR1) answered as the host's init (trace)" "$T/trace" \
	'^[0-9]+ kill\(1, SIGUSR1\) = 0 \(host init: not delivered\)$'

# 2. Alone (setsid, no member): a pid inside; kill(1, USR2) reaches the VE's init. The first
# line on the FIFO is its; a delivered USR1 of step 1 would have come first.
"${EMU[@]}" -- setsid "$CLIENT" enter 4701 -- sh -c 'kill -USR2 1' > /dev/null 2>&1 &
pids+=($!)
check "the VE's init got the alone process's USR2, not the USR1 of step 1" usr2 \
	"$(timeout 60 head -n 1 "$T/sig")"
has_match "alone: the enter forked into the VE's pid namespace (trace)" "$T/trace" \
	'^[0-9]+ vzemu: entered VE 4701 \(namespaces of init [0-9]+\): continues as [0-9]+ in its pid namespace'
grep -Eq '^[0-9]+ kill\(1, SIGUSR2\)' "$T/trace" && bad "a VE's kill(1) was answered by vzemu" ||
	ok "a VE's kill(1) goes to the kernel (not traced)"

# 3. A process of the host (no VE): kill(1, 0) and kill(-1, 0) answered, never this machine's
out=$("${EMU[@]}" -- sh -c 'kill -0 1; echo rc1=$?; kill -0 -1; echo rc2=$?' 2>&1)
check "host: kill(1, 0) and kill(-1, 0) return 0" "rc1=0 rc2=0" "$(echo $out)"
has_match "host: kill(-1, 0) traced, not delivered" "$T/trace" \
	'^[0-9]+ kill\(-1, 0\) = 0 \(every host process: not delivered\)$'

kill -KILL "$init"
"$VZEMU" --state "$T/state" --wait-ve 4701=gone --timeout 60
check "VE 4701 gone" 0 $?

if ! finish test-enter-pgrp; then
	echo "$fail check(s) failed; trace: $T/trace"
	exit 1
fi
exit 0
