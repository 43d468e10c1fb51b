# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=sh
#
# A limit the kernel enforces on the start itself, in the VM only (vzemu charges numproc to
# processes in VEs only, not to the host's VE-creating child; see tests/vm/README.md):
# part of the lifecycle suite's failures.
# Environment and helpers: suite-lib.sh.
. "${0%/*}/suite-lib.sh"

B=102
# --- a limit the kernel enforces on the start: no process allowed (NUMPROC 0:0) ---
# setublimit stores it (kernel-abi §8.4); the fork of the VE's first process is charged to
# the new beancounter and refused with ENOMEM (kernel/fork.c, ub_task_charge) ⇒ exit 6
vzl create $B --ostemplate busybox-x86_64 --config vps.basic >/dev/null 2>&1
check "create a VE for the refused limit" 0 $?
vzl set $B --numproc 0:0 --save >/dev/null 2>&1
check "set --numproc 0:0 (accepted as a value)" 0 $?
out=$(vzl start $B 2>&1)
check "start at NUMPROC 0:0: exit 6 (VZ_RESOURCE_ERROR)" 6 $?
has "start at NUMPROC 0:0: names the VE" "VE $B" "$out"
check "start at NUMPROC 0:0: status" "CTID $B exist unmounted down" "$(status $B)"
check "start at NUMPROC 0:0: nothing left" "" "$(leftovers $B)"

vzl stop --fast $B >/dev/null 2>&1 # only when the start was not refused (a failure above)
vzl destroy $B >/dev/null 2>&1
check "destroy VE $B" 0 $?
suite_end refused-limit
