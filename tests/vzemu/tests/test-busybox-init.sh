#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# vzemu-busybox-init: a real init runs as a VE's init. A minimal root tree (static busybox,
# /etc/inittab) is started the way vzctl starts a VE (abi-client create: setluid, setublimit,
# VZCTL_ENV_CREATE_DATA; the new init chroots into the tree and execs /sbin/init). busybox init
# refuses to run unless it is pid 1; its inittab mounts /proc and starts a service, which
# reports through a FIFO what it sees: its parent is pid 1 and /proc holds only the VE's two
# processes. `reboot -f`, then (after a new start) `poweroff -f`, run inside the VE through
# VE_ENTER, stop the VE: it leaves /proc/vz/veinfo (--wait-ve VEID=gone) and the host's boot id
# is unchanged (reboot(2) never reaches the host kernel).
# Exit 0 pass, 1 fail, 77 skip.
set -u
. "$(dirname "$0")/../../lib/testlib.sh"

VZEMU=${VZEMU:-vzemu}
CLIENT=${VZEMU_ABI_CLIENT:-vzemu-abi-client}
BUSYBOX=${VZEMU_BUSYBOX:-/bin/busybox}
T=${VZEMU_TEST_TMP:-$(mktemp -d /tmp/vzemu-test.XXXXXX)}
VEID=${VZEMU_TEST_VEID:-4102}

file -L "$BUSYBOX" 2> /dev/null | grep -q 'statically linked' ||
	skip "no static busybox at $BUSYBOX (Debian: busybox-static)"
emu_setup "$VZEMU" "$T"
EMU=("$VZEMU" --state "$T/state" --trace "$T/trace")

# The VE's root: busybox and its links, an inittab, a service, two FIFOs
root=$T/root
mkdir -p "$root/bin" "$root/sbin" "$root/etc" "$root/proc" "$root/run" "$root/dev" "$root/tmp"
cp "$BUSYBOX" "$root/bin/busybox"
for app in sh cat mount reboot poweroff halt; do ln -s busybox "$root/bin/$app"; done
ln -s ../bin/busybox "$root/sbin/init"
cat > "$root/etc/inittab" << 'EOF'
::sysinit:/bin/mount -t proc proc /proc
::respawn:/bin/sh /etc/service
EOF
# The service: says what it sees, then blocks (reading a FIFO nobody writes) as a daemon would
cat > "$root/etc/service" << 'EOF'
set -- /proc/[0-9]*
echo "service $$ ppid $PPID sees $*" > /run/service
exec cat /run/never
EOF
mkfifo "$root/run/service" "$root/run/never"
boot_id=$(cat /proc/sys/kernel/random/boot_id)

start() { # a VE with busybox init; the service's report
	"${EMU[@]}" -- "$CLIENT" create "$VEID" --log "$T/init.log" -- chroot "$root" /sbin/init \
		> "$T/create.out"
	check "start: vzemu returns while the VE runs" 0 $?
	has_match "start: VE created" "$T/create.out" "^created $VEID\$"
	# safety net only: the read returns as soon as the service writes
	timeout 20 cat "$root/run/service" > "$T/service.out"
	has_match "start: busybox init (pid 1) started the service, /proc shows only the VE" \
		"$T/service.out" '^service ([0-9]+) ppid 1 sees /proc/1 /proc/\1$'
}

stop_from_inside() { # CMD ARGS...: run inside the VE; it must stop the VE, nothing else
	"${EMU[@]}" -- "$CLIENT" enter "$VEID" -- chroot "$root" "$@" > "$T/stop.out" 2>&1
	check "$*: the VE leaves /proc/vz/veinfo" 0 \
		"$("$VZEMU" --state "$T/state" --wait-ve "$VEID=gone" --timeout 20; echo $?)"
	"${EMU[@]}" -- cat /proc/vz/veinfo > "$T/veinfo"
	grep -Eq "^ +$VEID " "$T/veinfo" && bad "$*: VE still listed" || ok "$*: VE not listed"
	check "$*: the host did not reboot (boot id)" "$boot_id" "$(cat /proc/sys/kernel/random/boot_id)"
}

start
stop_from_inside /bin/reboot -f
has_match "reboot -f: reboot(2) answered by the model" "$T/trace" \
	'^[0-9]+ reboot\(0xfee1dead, 0x28121969, LINUX_REBOOT_CMD_RESTART, 0\) = '
has_match "reboot -f: the init exit traced" "$T/trace" "^[0-9]+ vzemu: VE $VEID init exited"

# the same VEID again, stopped with poweroff -f
start
stop_from_inside /bin/poweroff -f
has_match "poweroff -f: reboot(2) answered by the model" "$T/trace" \
	'^[0-9]+ reboot\(0xfee1dead, 0x28121969, LINUX_REBOOT_CMD_POWER_OFF, 0\) = '

if ! finish test-busybox-init; then
	echo "$fail check(s) failed; trace: $T/trace; init log:"
	cat "$T/init.log"
	exit 1
fi
exit 0
