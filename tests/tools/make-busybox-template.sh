#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Build a tiny OS template cache at test time from Debian's busybox-static: DIR/NAME.tar.gz
# (NAME busybox-x86_64 unless given), a root tree with a real init:
#   /bin/busybox and its applet links, /sbin/init -> busybox init;
#   /etc/inittab: mount /proc, set the host name from /etc/hostname, and respawn a service
#     that can be seen: /etc/init.d/svc writes its pid to /run/svc.pid and runs as
#     "sleep 2147483647";
#   /etc/hostname, /etc/hosts, /etc/passwd, /etc/group;
#   /dev as vzctl's templates have it: null zero full random urandom tty console ptmx, pts/, shm/.
# Prints the path of the cache. BUSYBOX names the static binary (default /bin/busybox).
# Usage: make-busybox-template.sh DIR [NAME]
set -euo pipefail
dir=${1:?usage: make-busybox-template.sh DIR [NAME]}
name=${2:-busybox-x86_64}
busybox=${BUSYBOX:-/bin/busybox}
file -L "$busybox" 2>/dev/null | grep -q 'statically linked' || {
	echo "make-busybox-template: no static busybox at $busybox (Debian: busybox-static)" >&2
	exit 77
}
mkdir -p "$dir"
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT

mkdir -p "$tree"/{bin,sbin,etc/init.d,dev/pts,dev/shm,proc,sys,run,tmp,root,var/log}
chmod 1777 "$tree/tmp"
chmod 700 "$tree/root"
cp "$busybox" "$tree/bin/busybox"
chmod 755 "$tree/bin/busybox"
for app in sh ash cat echo ls ps kill mount umount mkdir rm sleep hostname grep printf stty tty; do
	ln -s busybox "$tree/bin/$app"
done
for app in init halt reboot poweroff; do
	ln -s ../bin/busybox "$tree/sbin/$app"
done

cat >"$tree/etc/inittab" <<'EOF'
::sysinit:/bin/mount -t proc proc /proc
::sysinit:/bin/hostname -F /etc/hostname
::respawn:/bin/sh /etc/init.d/svc
::shutdown:/bin/umount -a -r
EOF
# The service: its pid where a test can find it, then a process that never ends by itself
cat >"$tree/etc/init.d/svc" <<'EOF'
echo $$ > /run/svc.pid
exec /bin/sleep 2147483647
EOF
chmod 755 "$tree/etc/init.d/svc"
printf 'busybox\n' >"$tree/etc/hostname"
printf '127.0.0.1 localhost.localdomain localhost\n::1 localhost6\n' >"$tree/etc/hosts"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' \
	>"$tree/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$tree/etc/group"

# The device nodes a VE's /dev starts with (the kernel lets the VE use them by default)
while read -r node major minor mode; do
	mknod -m "$mode" "$tree/dev/$node" c "$major" "$minor"
done <<'EOF'
null 1 3 666
zero 1 5 666
full 1 7 666
random 1 8 666
urandom 1 9 666
tty 5 0 666
console 5 1 600
ptmx 5 2 666
EOF

tar --numeric-owner --owner=0 --group=0 -C "$tree" -czf "$dir/$name.tar.gz" .
echo "$dir/$name.tar.gz"
