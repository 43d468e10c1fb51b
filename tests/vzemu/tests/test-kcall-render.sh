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

check "the plan has one line per call the driver makes" 34 "$(wc -l < "$T/plan")"
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

# The calls a start adds, written from kernel-abi.md §2.4, §3.2-§3.4, §7, §9.3
for line in \
	"ioctl(/dev/vzctl, VZCTL_ENV_CREATE, {veid=$VEID, flags=VE_ENTER, class_id=0})" \
	"ioctl(/dev/vzctl, VZCTL_VE_CONFIGURE, {veid=$VEID, key=VE_CONFIGURE_OS_RELEASE, val=0, size=20, data=\"2.6.32-042stab141.3\\0\"})" \
	"ioctl(/dev/vzctl, VZCTL_VE_MEMINFO, {veid=$VEID, val=VE_MEMINFO_SYSTEM})" \
	"ioctl(/dev/vzctl, VZCTL_VE_MEMINFO, {veid=$VEID, val=262144})" \
	"ioctl(/dev/vzctl, VZCTL_VE_NETDEV, {veid=$VEID, op=VE_NETDEV_ADD, dev_name=\"vzl-kcall0\"})" \
	"ioctl(/dev/vzctl, VETHCTL_VE_HWADDR, {veid=$VEID, op=VE_ETH_ADD, dev_addr=00:18:51:ab:cd:ef, addrlen=6, dev_name=\"veth4601.0\", dev_addr_ve=00:18:51:01:02:03, addrlen_ve=6, dev_name_ve=\"eth0\"})" \
	"ioctl(/dev/vzctl, VETHCTL_VE_HWADDR, {veid=$VEID, op=VE_ETH_DENY_MAC_CHANGE, dev_name=\"veth4601.0\"})" \
	"ioctl(/dev/vzctl, VETHCTL_VE_HWADDR, {veid=$VEID, op=VE_ETH_DEL, dev_name=\"veth4601.0\"})" \
	"ioctl(/dev/vzctl, VZCTL_SET_IOLIMIT, {id=$VEID, speed=10485760, burst=31457280, latency=10000})" \
	"ioctl(/dev/vzctl, VZCTL_SET_IOPSLIMIT, {id=$VEID, speed=300, burst=900, latency=10000})" \
	"ioprio_set(IOPRIO_WHO_UBC, $VEID, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 6))" \
	"fairsched_nodemask($VEID, 8, {0x1})"; do
	grep -qxF "$line" "$T/plan" && ok "in the plan: $line" || bad "not in the plan: $line"
done

# The parameter-block fallback (kernel-abi.md §2.1): the emulator refuses the 32- and the
# 24-byte block with EINVAL (rule 2 is listed first: the first rule that fires ends the
# search, so it would not count the first call), the 8-byte one creates the VE:
VEID2=4602
: > "$T/trace2"
"$VZEMU" --state "$T/state" --trace "$T/trace2" --fail VZCTL_ENV_CREATE_DATA:EINVAL:2 \
	--fail VZCTL_ENV_CREATE_DATA:EINVAL:1 -- "$DRIVER" --create-only $VEID2 "$T/root" \
	> "$T/create.out" 2>&1
check "the creation succeeded with the oldest block" 0 $?
grep -F "VZCTL_ENV_CREATE_DATA" "$T/trace2" | sed -E -e 's/^[0-9]+ //' \
	-e 's/ = (-1 E[A-Z0-9]+|[0-9]+)( \(.*\))?$/ = \1/' > "$T/creates"
cat > "$T/creates.want" <<EOF
ioctl(/dev/vzctl, VZCTL_ENV_CREATE_DATA, {veid=$VEID2, flags=VE_CREATE|VE_EXCLUSIVE, class_id=0, data={iptables_mask=0x1c000007, feature_mask=0x1, known_features=0x3, total_vcpus=2}, datalen=32}) = -1 EINVAL
ioctl(/dev/vzctl, VZCTL_ENV_CREATE_DATA, {veid=$VEID2, flags=VE_CREATE|VE_EXCLUSIVE, class_id=0, data={iptables_mask=0x1c000007, feature_mask=0x1, known_features=0, total_vcpus=2}, datalen=24}) = -1 EINVAL
ioctl(/dev/vzctl, VZCTL_ENV_CREATE_DATA, {veid=$VEID2, flags=VE_CREATE|VE_EXCLUSIVE, class_id=0, data={iptables_mask=0x1c000007, feature_mask=0, known_features=0, total_vcpus=0}, datalen=8}) = $VEID2
EOF
if diff -u "$T/creates.want" "$T/creates" > "$T/diff2"; then
	ok "VE_CREATE tries the 32-, 24- and 8-byte blocks on EINVAL"
else
	bad "the creation attempts differ:"
	cat "$T/diff2"
fi
if grep -q "VZCTL_ENV_CREATE, {veid=[0-9]*, flags=VE_CREATE" "$T/trace" "$T/trace2"; then
	bad "a plain VZCTL_ENV_CREATE with VE_CREATE was made"
else
	ok "no plain VZCTL_ENV_CREATE with VE_CREATE"
fi

finish test-kcall-render || { echo "$fail check(s) failed; trace: $T/trace"; exit 1; }
exit 0
