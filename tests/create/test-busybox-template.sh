#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The busybox test template (tests/tools/make-busybox-template.sh): `vzlite create` extracts it
# with the upstream vps.basic profile, and the VE's tree then boots under vzemu with its own
# busybox init as pid 1 (the mechanism of vzemu-busybox-init: abi-client creates the VE, its
# init chroots into the private area and execs /sbin/init), whose inittab starts the service.
# The service's pid file is planted as a FIFO, so reading it waits exactly until the service
# wrote it; the service is then seen from inside the VE: a child of pid 1 running sleep.
# Usage: test-busybox-template.sh VZLITE FIXTURES_DIR SHARED_FIXTURES_DIR VZEMU ABI_CLIENT
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?} shared=${3-} vzemu=${4:?} client=${5:?}
[ -n "$shared" ] && [ -f "$shared/ve-vps.basic.conf-sample" ] ||
	skip "no upstream fixtures (ve-vps.basic.conf-sample)"
tmp=$(mktemp -d /tmp/vzl-bbtpl.XXXXXX)
emu_setup "$vzemu" "$tmp" # removes $tmp at the end when every check passed
conf=$("$fixtures/make-demo-host.sh" "$tmp/host")
H=$tmp/host
cp "$shared/ve-vps.basic.conf-sample" "$H/conf/"
"$(dirname "$0")/../tools/make-busybox-template.sh" "$H/template/cache" > "$tmp/cache.out"
case $? in
0) ok "template cache built" ;;
77) skip "no static busybox (Debian: busybox-static)" ;;
*) bad "make-busybox-template.sh failed"; finish test-busybox-template; exit 1 ;;
esac
check "the cache is named as an OSTEMPLATE" "$H/template/cache/busybox-x86_64.tar.gz" \
	"$(cat "$tmp/cache.out")"
V=("$vzlite" --global-config "$conf")
VEID=4711
P=$H/private/$VEID

# 1. create from the vps.basic profile
"${V[@]}" create $VEID --ostemplate busybox-x86_64 --config vps.basic 2> "$tmp/err"
check "create exit" 0 $?
check "create says so" "VE $VEID created" "$(cat "$tmp/err")"
check "init is busybox" "../bin/busybox" "$(readlink "$P/sbin/init")"
check "busybox is the static one" "$(md5sum < /bin/busybox)" "$(md5sum < "$P/bin/busybox")"
check "/dev/null node" "character special file 1:3 666" "$(stat -c '%F %t:%T %a' "$P/dev/null")"
check "/dev/console node" "character special file 5:1 600" \
	"$(stat -c '%F %t:%T %a' "$P/dev/console")"
check "/dev/pts directory" "directory" "$(stat -c %F "$P/dev/pts")"
check "hostname file" "busybox" "$(cat "$P/etc/hostname")"
has "inittab respawns the service" "::respawn:/bin/sh /etc/init.d/svc" "$(cat "$P/etc/inittab")"
cfg=$(cat "$H/conf/$VEID.conf")
has "profile recorded" 'ORIGIN_SAMPLE="vps.basic"' "$cfg"
has "template recorded" 'OSTEMPLATE="busybox-x86_64"' "$cfg"
has "a vps.basic limit" "$(grep '^PRIVVMPAGES=' "$shared/ve-vps.basic.conf-sample")" "$cfg"

# 2. its init runs as a VE's init, and the service is running
EMU=("$vzemu" --state "$tmp/state" --trace "$tmp/trace")
mkfifo "$P/run/svc.pid"
"${EMU[@]}" -- "$client" create $VEID --log "$tmp/init.log" -- chroot "$P" /sbin/init \
	> "$tmp/create.out"
check "the VE started with busybox init" 0 $?
has_match "VE created" "$tmp/create.out" "^created $VEID\$"
# safety net only: the read returns as soon as the service writes its pid
svc=$(timeout 20 cat "$P/run/svc.pid")
[[ $svc =~ ^[0-9]+$ ]] && ok "the service wrote its pid ($svc)" || bad "no pid from the service: '$svc'"
# A command inside the VE (VE_ENTER); it mounts the VE's /proc where its namespace lacks it
inside() {
	"${EMU[@]}" -- "$client" enter $VEID -- chroot "$P" /bin/sh -c \
		'[ -e /proc/1 ] || mount -t proc proc /proc; exec "$@"' sh "$@"
}
check "pid 1 inside the VE is busybox init" "init" "$(inside /bin/cat /proc/1/comm)"
stat_line=$(inside /bin/cat "/proc/$svc/stat")
# fields: pid (comm) state ppid ...
[[ $stat_line =~ ^$svc\ \(sleep\)\ [RS]\ 1\  ]] &&
	ok "the service runs sleep as a child of init" || bad "service stat: '$stat_line'"
check "its command line" "/bin/sleep 2147483647" \
	"$(inside /bin/cat "/proc/$svc/cmdline" | tr '\0' ' ' | sed 's/ $//')"
check "the VE's host name came from /etc/hostname" "busybox" "$(inside /bin/hostname)"

# 3. stop it from inside, as test-busybox-init does
inside /sbin/poweroff -f > /dev/null 2>&1
check "poweroff -f: the VE leaves /proc/vz/veinfo" 0 \
	"$("$vzemu" --state "$tmp/state" --wait-ve "$VEID=gone" --timeout 20; echo $?)"

if ! finish test-busybox-template; then
	echo "trace: $tmp/trace; init log:"
	cat "$tmp/init.log"
	exit 1
fi
exit 0
