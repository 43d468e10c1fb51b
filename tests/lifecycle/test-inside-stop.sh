#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A VE that stops from inside (issue 14 item 5; vzctl-behaviour.md §3.3 "Reboot detection",
# kernel-abi.md §12.3, §14), under vzemu, on a busybox-init VE from vps.basic:
#  1. `poweroff -f` run inside the VE (a process entered into it, chrooted to its root):
#     the next `vzlite status` says "exist unmounted down"; no VE and no quota in the
#     kernel; the run marker and the lock are gone;
#  2. the same, then `vzlite start`: it cleans up first (quota off before its own quota on)
#     and starts;
#  3. a VE mounted by `vzlite mount` and not running is left mounted by status;
#  4. `vzlite monitor`: after poweroff -f its cleanup line follows the ve-stop line within
#     1 s (timestamps taken as the lines are read; no sleeps); with reboot_event=1 a
#     `reboot -f` inside makes it start the VE again (busybox init is pid 1 of the VE);
#     SIGTERM ends it with 0. Without CAP_NET_ADMIN / without the vzevent module: a clear
#     error naming the fix.
# Everything that must see the VE's mounts runs in one vzemu run (one mount namespace); a
# VE's end is waited for with vzemu --wait-ve from outside, through two FIFOs.
# Usage: test-inside-stop.sh VZLITE FIXTURES_DIR SHARED_FIXTURES_DIR VZEMU ABI_CLIENT
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?} shared=${3-} vzemu=${4:?} client=${5:?}
. "$(dirname "$0")/lifecycle-host.sh"
lifecycle_host inside-stop "$shared" "$vzemu" "$fixtures" "$@"
V=("$vzlite" --global-config "$conf")
E=("$vzemu" --state "$tmp/state")
VEID=4721 P=$H/private/4721 R=$H/root/4721
"${V[@]}" create $VEID --ostemplate busybox-x86_64 --config vps.basic 2>/dev/null
check "create" 0 $?

# The outside half of "wait until VE N is gone": the run writes N to req, we answer on ack.
mkfifo "$tmp/req" "$tmp/ack"
waiter() {
	local n
	while read -r n <"$tmp/req"; do
		[ "$n" = end ] && break
		"$vzemu" --state "$tmp/state" --wait-ve "$n=gone" --timeout 30 >/dev/null 2>&1
		echo "$?" >"$tmp/ack"
	done
}
waiter &
waiter_pid=$!
at_exit "kill $waiter_pid 2>/dev/null"

cat >"$tmp/inner.sh" <<EOS
V=(${V[*]@Q})
gone() { echo \$1 >$tmp/req; read -r r <$tmp/ack; echo "gone=\$r"; }
inside() { $client enter $VEID -- chroot $R "\$@" >/dev/null 2>&1; }
kquota() { grep -c "^$VEID: " /proc/vz/vzquota; }

# 1. poweroff -f inside, then status
"\${V[@]}" start $VEID 2>&1; echo "start=\$?"
inside /sbin/poweroff -f
gone $VEID
"\${V[@]}" status $VEID
echo "quota after status=\$(kquota)"
ls $H/lock/$VEID.running 2>/dev/null || echo "no run marker"
ls $H/lock/$VEID.lck 2>/dev/null || echo "lock free"

# 2. poweroff -f inside, then start: cleans up first, then starts
"\${V[@]}" start $VEID 2>&1; echo "start2=\$?"
inside /sbin/poweroff -f
gone $VEID
echo "=== start3"
"\${V[@]}" -v start $VEID 2>&1; echo "start3=\$?"
echo "=== end start3"
"\${V[@]}" status $VEID | sed 's/^/after start3: /'
"\${V[@]}" stop --fast $VEID >/dev/null 2>&1; echo "stop=\$?"

# 3. mounted on purpose, not running: left mounted
"\${V[@]}" mount $VEID 2>&1; echo "mount=\$?"
"\${V[@]}" status $VEID | sed 's/^/mounted: /'
"\${V[@]}" status $VEID | sed 's/^/mounted again: /'
"\${V[@]}" umount $VEID 2>&1; echo "umount=\$?"
EOS
"${E[@]}" --trace "$tmp/inner.trace" -- bash "$tmp/inner.sh" >"$tmp/inner.out" 2>&1
out=$(cat "$tmp/inner.out")
has "1. start" "start=0" "$out"
has "1. the VE is gone after poweroff -f inside" "gone=0" "$out"
has "1. status after poweroff -f: down and unmounted" "CTID $VEID exist unmounted down" "$out"
has "1. no quota in the kernel after status" "quota after status=0" "$out"
has "1. the run marker removed" "no run marker" "$out"
has "1. the lock is free" "lock free" "$out"
has "2. start" "start2=0" "$out"
has "2. start after poweroff -f: exit 0" "start3=0" "$out"
has "2. start says it cleaned up first" "VE $VEID had stopped from inside: cleaned up" "$out"
has "2. the VE runs after that start" "after start3: CTID $VEID exist mounted running" "$out"
has "2. stop" "stop=0" "$out"
has "3. mount" "mount=0" "$out"
has "3. a mounted VE that never ran stays mounted through status" \
	"mounted again: CTID $VEID exist mounted down" "$out"
has "3. umount" "umount=0" "$out"
nothing_left "after the run" "$H" $VEID "$vzemu" "$tmp/state"

# 4. the monitor, in a run of its own; reboot_event=1 for its reboot part
"$vzemu" --state "$tmp/state" --vzevent-reboot-event 1
cat >"$tmp/mon.sh" <<EOS
V=(${V[*]@Q})
gone() { echo \$1 >$tmp/req; read -r r <$tmp/ack; echo "gone=\$r"; }
inside() { $client enter $VEID -- chroot $R "\$@" >/dev/null 2>&1; }
# each line of the monitor with the time it was read (ns)
"\${V[@]}" monitor 2>&1 | while IFS= read -r l; do echo "\$(date +%s%N) \$l"; done >$tmp/mon.out &
mon=\$!
timeout 20 tail -n +1 -f $tmp/mon.out | sed -n '/listening/{p;q}' >/dev/null
"\${V[@]}" start $VEID 2>&1; echo "start=\$?"
inside /sbin/poweroff -f
timeout 20 tail -n +1 -f $tmp/mon.out | sed -n '/VE $VEID: cleaned up/{p;q}' >/dev/null
"\${V[@]}" status $VEID | sed 's/^/after monitor: /'
echo "quota after monitor=\$(grep -c "^$VEID: " /proc/vz/vzquota)"
"\${V[@]}" start $VEID 2>&1; echo "start2=\$?"
inside /sbin/reboot -f
timeout 20 tail -n +1 -f $tmp/mon.out | sed -n '/VE $VEID: started again/{p;q}' >/dev/null
"\${V[@]}" status $VEID | sed 's/^/after reboot: /'
cat $R/proc/1/comm 2>&1 | sed 's/^/pid1=/'
"\${V[@]}" stop --fast $VEID >/dev/null 2>&1; echo "stop=\$?"
timeout 20 tail -n +1 -f $tmp/mon.out | sed -n '/ve-stop@$VEID/h; /VE $VEID: nothing to clean up/{p;q}' >/dev/null
pkill -TERM -P \$\$ -x vzlite 2>/dev/null
wait \$mon
EOS
"${E[@]}" -- bash "$tmp/mon.sh" >"$tmp/mon.run" 2>&1
out=$(cat "$tmp/mon.run")
mon=$(cut -d' ' -f2- "$tmp/mon.out")
has "4. start" "start=0" "$out"
has "4. the monitor saw the ve-stop" "ve-stop@$VEID" "$mon"
has "4. and cleaned up" "VE $VEID: cleaned up (unmounted, disk quota off)" "$mon"
t_event=$(grep -m1 " ve-stop@$VEID$" "$tmp/mon.out" | cut -d' ' -f1)
t_clean=$(grep -m1 " VE $VEID: cleaned up" "$tmp/mon.out" | cut -d' ' -f1)
if [ -n "$t_event" ] && [ -n "$t_clean" ]; then
	ms=$(((t_clean - t_event) / 1000000))
	echo "monitor: ve-stop -> cleaned up in $ms ms"
	[ "$ms" -lt 1000 ] && ok "4. cleanup within 1 s of the event ($ms ms)" ||
		bad "4. cleanup took $ms ms after the event"
else
	bad "4. no event or cleanup line: $mon"
fi
has "4. status after the monitor's cleanup: down, unmounted" \
	"after monitor: CTID $VEID exist unmounted down" "$out"
has "4. no quota in the kernel" "quota after monitor=0" "$out"
has "4. ve-reboot with reboot_event=1" "ve-reboot@$VEID" "$mon"
has "4. the monitor started the VE again" "VE $VEID: started again after its reboot" "$mon"
has "4. it runs after the reboot" "after reboot: CTID $VEID exist mounted running" "$out"
has "4. busybox init is pid 1 again" "pid1=init" "$out"
has "4. a stop by vzlite leaves the monitor nothing to do" \
	"VE $VEID: nothing to clean up" "$mon"
has "4. SIGTERM: the monitor says so" "stopping on a signal" "$mon"
nothing_left "after the monitor" "$H" $VEID "$vzemu" "$tmp/state"

# the monitor's errors: no CAP_NET_ADMIN, no vzevent module
out=$("${E[@]}" -- capsh --drop=cap_net_admin -- -c "${V[*]@Q} monitor" 2>&1)
check "monitor without CAP_NET_ADMIN: exit status" 1 "$(( $? != 0 ))"
has "monitor without CAP_NET_ADMIN: says what it needs" "needs CAP_NET_ADMIN" "$out"
out=$("${E[@]}" --no-vzevent -- "${V[@]}" monitor 2>&1)
check "monitor without the vzevent module: exit status" 1 "$(( $? != 0 ))"
has "monitor without the vzevent module: says to load it" "modprobe vzevent" "$out"

echo end >"$tmp/req"
finish test-inside-stop
