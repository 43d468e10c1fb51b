#!/bin/busybox sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# /init of the VM made by run-vm.sh (busybox sh, pid 1 on the OpenVZ kernel): sets up VE 0
# as an OpenVZ host's boot does for vzctl (/proc, /sys, /dev with /dev/vzctl, /vz on the
# ext4 disk, lo and venet0 up), runs each suite listed in /vm/suites.list in turn as root,
# each the leader of a session of its own without a controlling terminal, stdin /dev/null,
# and powers off. Markers for the host, one line each:
#   === VM INIT uptime=S ===              VE 0 ready (S: seconds since the kernel started)
#   === VM SUITE N NAME ===                a suite begins
#   === VM SUITE-END N NAME rc=RC seconds=S ===
#   === VM DONE uptime=S ===               every suite ran
/bin/busybox --install -s
export PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
[ -e /dev/vzctl ] || mknod -m 600 /dev/vzctl c 126 0
[ -e /dev/null ] || mknod -m 666 /dev/null c 1 3
mkdir -p /dev/pts /dev/shm /tmp /var/tmp /var/lock /vz
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
up() { cut -d' ' -f1 /proc/uptime; }
if ! mount -t ext4 /dev/vda /vz; then
	echo "=== VM ERROR no /vz: mount of /dev/vda failed ==="
	poweroff -f
fi
ip link set lo up
ip link set venet0 up || echo "=== VM ERROR venet0 cannot be brought up ==="
echo "=== VM INIT uptime=$(up) ==="
. /vm/env
n=0
while read -r name path; do
	n=$((n + 1))
	echo "=== VM SUITE $n $name ==="
	t0=$(up)
	# a subshell is no process-group leader, so setsid makes the session without forking
	(cd /tmp && exec setsid $path </dev/null 2>&1)
	rc=$?
	echo "=== VM SUITE-END $n $name rc=$rc seconds=$(awk -v a="$t0" -v b="$(up)" 'BEGIN { print b - a }') ==="
done </vm/suites.list
sync
echo "=== VM DONE uptime=$(up) ==="
poweroff -f
