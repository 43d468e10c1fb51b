#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# vzemu-kcall-render: a plan equals its run. vzemu-kcall-driver makes every kind of call
# lib/kernel.c can issue, once with --dry-run (lib's recording backend prints the plan) and
# once for real under vzemu (the trace decodes each call from the driver's memory). Without
# the pid and the " = result", the trace lines are the plan's lines, line for line, the
# opening of /dev/vzctl included (lib opens it with openat, which the plan names).
# Exit 0 pass, 1 fail, 77 skip.
set -u
. "$(dirname "$0")/../../lib/testlib.sh"

VZEMU=${VZEMU:-vzemu}
DRIVER=${VZEMU_KCALL_DRIVER:-vzemu-kcall-driver}
T=${VZEMU_TEST_TMP:-$(mktemp -d /tmp/vzemu-test.XXXXXX)}
VEID=4601

emu_setup "$VZEMU" "$T"
mkdir -p "$T/root"
EMU=("$VZEMU" --state "$T/state" --trace "$T/trace")
: > "$T/trace"

"$DRIVER" --dry-run $VEID "$T/root" > "$T/plan"
check "the dry-run ran" 0 $?
"${EMU[@]}" -- "$DRIVER" $VEID "$T/root" > "$T/run.out" 2>&1
check "the real run ran under vzemu" 0 $?

# The driver's calls: every trace line that is not an event, without pid and result
sed -E -e '/^[0-9]+ vzemu: /d' -e 's/^[0-9]+ //' -e 's/ = (-1 E[A-Z0-9]+|[0-9]+|\?)( \(.*\))?$//' \
	"$T/trace" > "$T/run"

check "the plan has one line per call the driver makes" 22 "$(wc -l < "$T/plan")"
if diff -u "$T/plan" "$T/run" > "$T/diff"; then
	ok "the plan equals the trace of the run, line for line"
else
	bad "the plan and the trace of the run differ:"
	cat "$T/diff"
fi

# Two of the lines, written out here: the rendering itself is what the README shows
grep -qxF "setublimit($VEID, UB_KMEMSIZE, {2752512, 2936012})" "$T/plan" &&
	ok "setublimit line" || bad "no setublimit line in the plan"
grep -qxF "ioctl(/dev/vzctl, VZCTL_QUOTA_NEW_CTL, {cmd=VZ_DQ_ON, quota_id=$VEID, ve_root=$T/root})" \
	"$T/plan" && ok "quota ON line" || bad "no quota ON line in the plan"

finish test-kcall-render || { echo "$fail check(s) failed; trace: $T/trace"; exit 1; }
exit 0
