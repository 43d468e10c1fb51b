#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The parts of start beyond the lifecycle test's (vzctl-behaviour.md §3.2), under vzemu, on a
# busybox-init VE created from the upstream vps.basic profile:
#  0. create made the first-level quota file (vzquota init), not with DISK_QUOTA=no;
#  1. osrelease.conf (step 8, 9.8): the kernel release it gives for the OSTEMPLATE reaches the
#     kernel as VZCTL_VE_CONFIGURE(OS_RELEASE) with the host release's suffix; bad lines warn
#     with file and line; no matching line, or no file, sends nothing; a refused call fails
#     the start with vzctl's 144, ENOTTY is ignored.
#  2. DEVNODES: the node made in the VE's /dev (udev directories, tmpfiles.d) as vzctl makes
#     it, then VZCTL_SETDEVPERMS; links planted at the node or at /dev are never followed;
#     an obstacle (/dev a link, a directory at the node) or a refused call fails the start
#     with 86 and leaves the VE down, unmounted, nothing left and the private area unchanged.
#  3. QUOTAUGIDLIMIT > 0: VZCTL_SETDEVPERMS on the root's device, /dev/simfs and the
#     /aquota.* links in the VE, links planted there replaced and never followed; obstacles
#     and a refused call fail the start with 65 and undo it.
#  4. --wait: vzctl's /.vzfifo and inittab line; the start returns once the VE's init opened
#     the FIFO; nothing opening it within --wait-timeout: 133, the VE stopped and unmounted.
#  5. VE_LAYOUT="simfs" written to a VE config that lacks it (also after a failed start).
#  7. start --help names exactly the options start takes.
# Usage: test-start-extras.sh VZLITE FIXTURES_DIR SHARED_FIXTURES_DIR VZEMU
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?} shared=${3-} vzemu=${4:?}
. "$(dirname "$0")/lifecycle-host.sh"
lifecycle_host start-extras "$shared" "$vzemu" "$fixtures" "$@"
V=("$vzlite" --global-config "$conf")
E=("$vzemu" --state "$tmp/state")
VEID=4712 P=$H/private/4712 R=$H/root/4712
"${V[@]}" create $VEID --ostemplate busybox-x86_64 --config vps.basic 2>/dev/null
check "create" 0 $?
# 0. create makes the first-level quota file (§3.1 step 11: vzctl's create runs `vzquota
# init`): not on, the VE's private area as its path, the config's limits, the usage a count of
# the private area (du's allocated bytes and inodes); with DISK_QUOTA="no" no file. Read with
# tests/quota/quotafmt.py (written from §4.3).
qfmt=$(cd "$(dirname "$0")/../quota" && pwd)
read -r DS DH < <(sed -n 's/^DISKSPACE="\([0-9]*\):\([0-9]*\)"/\1 \2/p' "$H/conf/$VEID.conf")
read -r IS IH < <(sed -n 's/^DISKINODES="\([0-9]*\):\([0-9]*\)"/\1 \2/p' "$H/conf/$VEID.conf")
if python3 -c "import sys; sys.path.insert(0, sys.argv[1]); import quotafmt; \
	sys.exit(0 if quotafmt.supported() else 1)" "$qfmt"; then
	check "create: the quota file: off, path, limits, usage" \
		"0 $P $((DS * 1024)) $((DH * 1024)) $IS $IH $(du -s -B1 "$P" | cut -f1) $(du -s --inodes "$P" | cut -f1)" \
		"$(python3 -c "import sys; sys.path.insert(0, sys.argv[1]); import quotafmt
q = quotafmt.parse(open(sys.argv[2], 'rb').read()); s = q['stat']
print(q['flags'], q['path'], s['bsoft'], s['bhard'], s['isoft'], s['ihard'], s['bcur'], s['icur'])" \
			"$qfmt" "$H/vzquota/quota.$VEID" 2>&1)"
fi
{ cat "$H/conf/ve-vps.basic.conf-sample"; echo 'DISK_QUOTA="no"'; } >"$H/conf/ve-noquota.conf-sample"
"${V[@]}" create 4713 --ostemplate busybox-x86_64 --config noquota >/dev/null 2>&1
check "create with DISK_QUOTA=no" 0 $?
check "create with DISK_QUOTA=no: no quota file" "" "$(ls "$H/vzquota" | grep -x quota.4713)"
"${V[@]}" destroy 4713 >/dev/null 2>&1
OSREL=$(dirname "$conf")/osrelease.conf

# start_stop NAME [VZEMU OPTIONS...]: start, status, stop in one vzemu run (one mount
# namespace); $rc the start's exit, $out all output, the trace in $tmp/NAME.trace
start_stop() {
	local name=$1
	shift
	cat >"$tmp/$name.sh" <<EOS
V=(${V[*]@Q})
"\${V[@]}" start $VEID \$START_ARGS 2>&1; rc=\$?; echo "start=\$rc"
"\${V[@]}" status $VEID
[ \$rc != 0 ] || "\${V[@]}" stop --fast $VEID >/dev/null 2>&1
EOS
	: >"$tmp/$name.trace"
	out=$("${E[@]}" --trace "$tmp/$name.trace" "$@" -- bash "$tmp/$name.sh" 2>&1)
	rc=$(sed -n 's/^start=//p' <<<"$out")
}
START_ARGS=
export START_ARGS
# after a failed start: down and unmounted, nothing left (lock, VE, quota), area unchanged
after_failure() {
	local what=$1 before=$2
	has "$what: down and unmounted" "CTID $VEID exist unmounted down" "$out"
	check "$what: private area unchanged" "$before" "$(snapshot "$P")"
	nothing_left "$what" "$H" $VEID "$vzemu" "$tmp/state"
	check "$what: no quota in the kernel" "" \
		"$("${E[@]}" -- cat /proc/vz/vzquota | grep "^$VEID: ")"
}

# 1. osrelease.conf. The host's release, e.g. "2.6.32-042stab120.11" or "6.1.0-18-amd64":
# the VE is told MINKERNEL and the part from the first '-' on.
host_rel=$(uname -r)
suffix=${host_rel#"${host_rel%%-*}"}
cat >"$OSREL" <<'EOF2'
# Format: <template> <minimum kernel version required>
fedora-11	2.6.18

just-one-word
busybox-x86_64 extra 3.0 words
busybox-x86 not.a.version
debian	2.6.32
busybox	99.1.2
busybox	98.0
EOF2
start_stop osrelease
check "osrelease: start" 0 "$rc"
check "osrelease: VZCTL_VE_CONFIGURE with the first matching line's release and the host's suffix" \
	"ioctl(/dev/vzctl, VZCTL_VE_CONFIGURE, {veid=$VEID, key=VE_CONFIGURE_OS_RELEASE, val=0, size=$((${#suffix} + 7)), data=\"99.1.2$suffix\\0\"}) = 0" \
	"$(sed -n 's/^[0-9]* //; /VZCTL_VE_CONFIGURE/p' "$tmp/osrelease.trace")"
check "osrelease: sent once, right after the VE create" "VZCTL_ENV_CREATE_DATA VZCTL_VE_CONFIGURE" \
	"$(sed -nE 's/^[0-9]+ ioctl\(\/dev\/vzctl, (VZCTL_ENV_CREATE_DATA|VZCTL_VE_CONFIGURE|VZCTL_VE_MEMINFO), .*/\1/p' \
		"$tmp/osrelease.trace" | head -2 | paste -sd' ')"
has "osrelease: a one-word line: warned with file and line" \
	"$OSREL:4: line ignored: a line is \"DISTNAME MINKERNEL\"" "$out"
has "osrelease: a three-word line: warned with file and line" "$OSREL:5: line ignored" "$out"
has "osrelease: a bad version: warned with file and line" \
	"$OSREL:6: line ignored: \"not.a.version\" is no kernel version" "$out"
hasnt=$(grep -c "osrelease.conf:[1237]:" <<<"$out")
check "osrelease: comments, blank and non-matching lines: no warning" 0 "$hasnt"
# no matching line; a kernel new enough; no file: nothing is sent
printf 'centos 99.0\nbusybox 1.0\n' >"$OSREL"
start_stop osrelease-new
check "osrelease: host newer than MINKERNEL: start" 0 "$rc"
check "osrelease: host newer than MINKERNEL: no VZCTL_VE_CONFIGURE" 0 \
	"$(grep -c VZCTL_VE_CONFIGURE "$tmp/osrelease-new.trace")"
printf 'centos 99.0\n' >"$OSREL"
start_stop osrelease-none
check "osrelease: no matching line: start" 0 "$rc"
check "osrelease: no matching line: no VZCTL_VE_CONFIGURE" 0 \
	"$(grep -c VZCTL_VE_CONFIGURE "$tmp/osrelease-none.trace")"
rm -f "$OSREL"
start_stop osrelease-nofile
check "osrelease: no file: start, silently" "0|" "$rc|$(grep -i osrelease <<<"$out")"
check "osrelease: no file: no VZCTL_VE_CONFIGURE" 0 \
	"$(grep -c VZCTL_VE_CONFIGURE "$tmp/osrelease-nofile.trace")"
# the kernel refuses it (EMSGSIZE: 65 characters or more): vzctl's 144, everything undone
printf 'busybox 99.%s\n' "$(printf '%070d' 0)" >"$OSREL"
before=$(snapshot "$P")
start_stop osrelease-long
check "osrelease: refused by the kernel: exit 144" 144 "$rc"
has "osrelease: refused: the message says what" "cannot set the kernel release" "$out"
after_failure "osrelease refused" "$before"
printf 'busybox 99.0\n' >"$OSREL"
start_stop osrelease-enotty --fail VZCTL_VE_CONFIGURE:ENOTTY
check "osrelease: ENOTTY (a kernel without it) is ignored, as vzctl" 0 "$rc"
rm -f "$OSREL"

# 2. DEVNODES (§3.2 step 10.4, §5.6): the node is made in the VE's /dev under its base name
# (vzctl 4.x: net/tun is /dev/tun), with the host node's type and number, also in the udev
# directories and as a tmpfiles.d entry where the VE has them; then VZCTL_SETDEVPERMS. The
# host never follows a link the VE planted.
node=net/tun base=tun
read -r type_hex major_hex minor_hex < <(stat -c '%F %t %T' /dev/$node | sed 's/character special file/c/; s/block special file/b/')
nodeid="$type_hex $((16#$major_hex)):$((16#$minor_hex))"
cfg=$H/conf/$VEID.conf
cp "$cfg" "$tmp/cfg.orig"
echo "DEVNODES=\"$node:rw\"" >>"$cfg"
mkdir -p "$P/lib/udev/devices" "$P/etc/tmpfiles.d"
ve_node() { # "c MAJOR:MINOR" of the VE's entry $1, or what it is
	if [ -c "$1" ] || [ -b "$1" ]; then
		stat -c '%F %t %T' "$1" | sed 's/character special file/c/; s/block special file/b/' |
			{ read -r t ma mi; echo "$t $((16#$ma)):$((16#$mi))"; }
	elif [ -L "$1" ]; then echo "link"; elif [ -e "$1" ]; then echo "other"; else echo "none"; fi
}
start_stop devnodes
check "devnodes: start" 0 "$rc"
check "devnodes: /dev/$base made in the VE with the host's type and number" "$nodeid" "$(ve_node "$P/dev/$base")"
check "devnodes: also in /lib/udev/devices" "$nodeid" "$(ve_node "$P/lib/udev/devices/$base")"
check "devnodes: not in udev directories the VE lacks" "none" "$(ve_node "$P/etc/udev/devices/$base")"
check "devnodes: the tmpfiles.d entry" "$type_hex /dev/$base 0700 root root - ${nodeid#* }" \
	"$(cat "$P/etc/tmpfiles.d/device-$base.conf" 2>&1)"
has_match "devnodes: VZCTL_SETDEVPERMS with the host's number, rw" "$tmp/devnodes.trace" \
	"VZCTL_SETDEVPERMS, \{veid=$VEID, type=0[26]0030, dev=${nodeid#* }, mask=06\}\) = 0"
rm -f "$P/dev/$base" "$P/lib/udev/devices/$base" "$P/etc/tmpfiles.d/device-$base.conf"

# a link planted at /dev/NAME pointing outside: replaced by the node; the outside is untouched
outside=$tmp/outside
mkdir -p "$outside" && echo "host file" >"$outside/file"
ln -s "$outside/file" "$P/dev/$base"
ln -s "$outside/file" "$P/lib/udev/devices/$base"
ln -s "$outside/file" "$P/etc/tmpfiles.d/device-$base.conf"
host_before=$(snapshot "$outside")
start_stop devnodes-link
check "devnodes, a link at /dev/$base: start" 0 "$rc"
check "devnodes, a link at /dev/$base: the link replaced by the node" "$nodeid" "$(ve_node "$P/dev/$base")"
check "devnodes, links planted: nothing outside the VE changed" "$host_before" "$(snapshot "$outside")"
rm -f "$P/dev/$base" "$P/lib/udev/devices/$base" "$P/etc/tmpfiles.d/device-$base.conf"

# /dev itself a link outside: refused (86), nothing made outside, everything undone
mv "$P/dev" "$P/dev.real"
ln -s "$outside" "$P/dev"
before=$(snapshot "$P")
start_stop devnodes-devlink
check "devnodes, /dev a link outside: exit 86 (VZ_SET_DEVICES)" 86 "$rc"
has "devnodes, /dev a link outside: the message names it" "cannot open /dev in the VE's root" "$out"
check "devnodes, /dev a link outside: nothing outside changed" "$host_before" "$(snapshot "$outside")"
after_failure "devnodes, /dev a link outside" "$before"
rm "$P/dev" && mv "$P/dev.real" "$P/dev"

# planted obstacle: /dev/NAME is a non-empty directory, which the node cannot replace
mkdir -p "$P/dev/$base/keep"
before=$(snapshot "$P")
start_stop devnodes-dir
check "devnodes, a directory at /dev/$base: exit 86" 86 "$rc"
has "devnodes, a directory at /dev/$base: the message names it" "cannot make /dev/$base in the VE's root" "$out"
after_failure "devnodes, a directory at /dev/$base" "$before"
rm -r "$P/dev/$base"

# the permissions refused by the kernel: the node made by this start is removed again
before=$(snapshot "$P")
start_stop devnodes-perm --fail VZCTL_SETDEVPERMS:EIO
check "devnodes, VZCTL_SETDEVPERMS failing: exit 86" 86 "$rc"
check "devnodes, VZCTL_SETDEVPERMS failing: no node left" "none" "$(ve_node "$P/dev/$base")"
after_failure "devnodes, VZCTL_SETDEVPERMS failing" "$before"
rmdir "$P/lib/udev/devices" "$P/etc/tmpfiles.d"
cp "$tmp/cfg.orig" "$cfg"

# 3. second-level quota (QUOTAUGIDLIMIT > 0, §3.2 step 10.8, §4.5): the VE may manage quota on
# its root's device (VZCTL_SETDEVPERMS, 'q' = S_IXGRP), and gets /dev/simfs (block, that
# number, mode bits 010), /etc/tmpfiles.d/device-root.conf and the /aquota.user and
# /aquota.group links to /proc/vz/vzaquota/<dev %08lx>/, made before init runs.
echo 'QUOTAUGIDLIMIT="100"' >>"$cfg"
mkdir -p "$P/etc/tmpfiles.d"
cat >"$tmp/ugid.sh" <<EOS
V=(${V[*]@Q})
"\${V[@]}" start $VEID 2>&1; rc=\$?; echo "start=\$rc"
stat -c 'rootdev=%d' $R
"\${V[@]}" status $VEID
[ \$rc != 0 ] || "\${V[@]}" stop --fast $VEID >/dev/null 2>&1
EOS
: >"$tmp/ugid.trace"
out=$("${E[@]}" --trace "$tmp/ugid.trace" -- bash "$tmp/ugid.sh" 2>&1)
has "ugid: start" "start=0" "$out"
rootdev=$(sed -n 's/^rootdev=//p' <<<"$out")
read -r dmaj dmin < <(python3 -c "import os, sys; d = int(sys.argv[1]); print(os.major(d), os.minor(d))" "$rootdev")
has_match "ugid: VZCTL_SETDEVPERMS on the root's device, block, 'q'" "$tmp/ugid.trace" \
	"VZCTL_SETDEVPERMS, \{veid=$VEID, type=060030, dev=$dmaj:$dmin, mask=010\}\) = 0"
check "ugid: /dev/simfs, a block node of that number, mode bits 010" "b $dmaj:$dmin 10" \
	"$(ve_node "$P/dev/simfs" | sed 's/^b/b/') $(stat -c %a "$P/dev/simfs" 2>&1)"
hexdev=$(printf '%08x' "$rootdev")
check "ugid: /aquota.user" "/proc/vz/vzaquota/$hexdev/aquota.user" "$(readlink "$P/aquota.user")"
check "ugid: /aquota.group" "/proc/vz/vzaquota/$hexdev/aquota.group" "$(readlink "$P/aquota.group")"
check "ugid: the tmpfiles.d entry" "b /dev/simfs 0700 root root - $dmaj:$dmin" \
	"$(cat "$P/etc/tmpfiles.d/device-root.conf" 2>&1)"
rm -f "$P/dev/simfs" "$P/etc/tmpfiles.d/device-root.conf"

# planted links at /aquota.user and /dev/simfs pointing outside: replaced, the outside untouched
ln -sfn "$outside/file" "$P/aquota.user"
ln -s "$outside/file" "$P/dev/simfs"
host_before=$(snapshot "$outside")
start_stop ugid-link
check "ugid, links planted: start" 0 "$rc"
check "ugid, links planted: /aquota.user is the quota link" "/proc/vz/vzaquota/$hexdev/aquota.user" \
	"$(readlink "$P/aquota.user")"
check "ugid, links planted: /dev/simfs is the node" "b $dmaj:$dmin" "$(ve_node "$P/dev/simfs")"
check "ugid, links planted: nothing outside the VE changed" "$host_before" "$(snapshot "$outside")"
rm -f "$P/dev/simfs" "$P/aquota.user" "$P/aquota.group" "$P/etc/tmpfiles.d/device-root.conf"

# planted obstacles: each entry a non-empty directory in turn; the kernel refusing the
# permission. Exit 65 (VZ_ERROR_SET_USER_QUOTA), nothing this start made is left.
for obstacle in dev/simfs aquota.user aquota.group; do
	mkdir -p "$P/$obstacle/keep"
	before=$(snapshot "$P")
	start_stop "ugid-$(basename "$obstacle")"
	check "ugid, a directory at /$obstacle: exit 65" 65 "$rc"
	has "ugid, a directory at /$obstacle: the message names it" "/$obstacle in the VE's root" "$out"
	after_failure "ugid, a directory at /$obstacle" "$before"
	rm -r "${P:?}/$obstacle"
done
before=$(snapshot "$P")
start_stop ugid-perm --fail VZCTL_SETDEVPERMS:EIO
check "ugid, VZCTL_SETDEVPERMS failing: exit 65" 65 "$rc"
after_failure "ugid, VZCTL_SETDEVPERMS failing" "$before"
rmdir "$P/etc/tmpfiles.d"
cp "$tmp/cfg.orig" "$cfg"

# 4. --wait (§3.2 steps 9.9, 14): the VE gets the FIFO /.vzfifo and, when its inittab has no
# "vz:" line, vzctl's "vz:2345:once:touch /.vzfifo"; the start returns when the VE's init
# system has opened the FIFO for writing. Busybox's touch only sets the times of an existing
# file (it never opens the FIFO), so with vzctl's line a busybox VE never signals: the wait
# times out, exit 133, and the VE is stopped and unmounted again.
inve=(-x "$P/proc" -x "$P/sys" -x "$P/run" -x "$P/fastboot" -x "$P/.vzfifo" -x "$P/etc/inittab")
before=$(snapshot "${inve[@]}" "$P")
START_ARGS="--wait-timeout 1" start_stop wait-timeout
check "wait, nothing opens /.vzfifo: exit 133 (VZ_WAIT_FAILED)" 133 "$rc"
has "wait, nothing opens /.vzfifo: the message says what" "its boot did not finish within 1 s" "$out"
check "wait: vzctl's inittab line added" "vz:2345:once:touch /.vzfifo" "$(grep '^vz:' "$P/etc/inittab")"
check "wait: /.vzfifo is a FIFO" "fifo" "$(stat -c %F "$P/.vzfifo" | sed 's/.*fifo.*/fifo/')"
has "wait, timed out: down and unmounted" "CTID $VEID exist unmounted down" "$out"
check "wait, timed out: private area unchanged (but for the marker and what the VE wrote)" \
	"$before" "$(snapshot "${inve[@]}" "$P")"
nothing_left "wait, timed out" "$H" $VEID "$vzemu" "$tmp/state"
check "wait, timed out: no quota in the kernel" "" \
	"$("${E[@]}" -- cat /proc/vz/vzquota | grep "^$VEID: ")"
# A template's own "vz:" line is kept (vzctl adds none then): here one busybox can run (it
# takes the id as its tty, /dev/vz) that opens the FIFO after leaving a mark, which must be
# there when start returns.
sed -i '/^vz:/d' "$P/etc/inittab"
echo 'vz::once:/bin/sh /etc/init.d/vzdone' >>"$P/etc/inittab"
printf 'echo touched >/run/touched\n: >>/.vzfifo\n' >"$P/etc/init.d/vzdone"
mknod "$P/dev/vz" c 1 3
rm -f "$P/run/touched"
cat >"$tmp/wait.sh" <<EOS
V=(${V[*]@Q})
"\${V[@]}" start $VEID --wait 2>&1; rc=\$?; echo "start=\$rc"
cat $R/run/touched 2>&1 | sed 's/^/mark=/'
"\${V[@]}" status $VEID
"\${V[@]}" stop --fast $VEID >/dev/null 2>&1
EOS
out=$("${E[@]}" -- bash "$tmp/wait.sh" 2>&1)
has "wait: start --wait" "start=0" "$out"
has "wait: the VE's init had opened the FIFO when start returned" "mark=touched" "$out"
has "wait: running" "CTID $VEID exist mounted running" "$out"
check "wait: the template's own vz: line kept, none added" "vz::once:/bin/sh /etc/init.d/vzdone" \
	"$(grep '^vz:' "$P/etc/inittab")"
# a planted obstacle: /.vzfifo a non-empty directory, which the marker cannot replace
rm -f "$P/.vzfifo" && mkdir -p "$P/.vzfifo/keep"
before=$(snapshot "$P")
START_ARGS=--wait start_stop wait-obstacle
check "wait, a directory at /.vzfifo: exit 133" 133 "$rc"
has "wait, a directory at /.vzfifo: the message names it" "cannot make /.vzfifo" "$out"
after_failure "wait, a directory at /.vzfifo" "$before"
rm -r "$P/.vzfifo" "$P/dev/vz" "$P/etc/init.d/vzdone"
check "start --wait-timeout 0: refused, exit 21" 21 \
	"$("${V[@]}" start $VEID --wait-timeout 0 >/dev/null 2>&1; echo $?)"

# 5. VE_LAYOUT (§2.7, §3.2 step 16): a start writes VE_LAYOUT="simfs" into a VE config that
# lacks it, although vz.conf sets VE_LAYOUT (vzctl ignores vz.conf's once a VE config exists),
# after a failed start too (vzctl writes it whatever vps_start returned); a config that has
# it is left byte for byte.
grep -q '^VE_LAYOUT=' "$(dirname "$conf")/vz.conf" || bad "the demo host's vz.conf sets no VE_LAYOUT"
grep -v '^VE_LAYOUT=' "$cfg" >"$tmp/cfg.nolayout"
cp "$tmp/cfg.nolayout" "$cfg"
start_stop layout
check "layout: start" 0 "$rc"
check "layout: exactly VE_LAYOUT=\"simfs\" added to the VE's config" '+VE_LAYOUT="simfs"' \
	"$(diff -u "$tmp/cfg.nolayout" "$cfg" | grep '^[-+][^-+]')"
cp "$tmp/cfg.nolayout" "$cfg"
start_stop layout-failed --fail setluid:EIO
check "layout, a failed start: exit 18 (setluid)" 18 "$rc"
check "layout, a failed start: VE_LAYOUT added all the same" '+VE_LAYOUT="simfs"' \
	"$(diff -u "$tmp/cfg.nolayout" "$cfg" | grep '^[-+][^-+]')"
sum=$(sha256sum <"$cfg")
start_stop layout-present
check "layout present: start" 0 "$rc"
check "layout present: the config unchanged" "$sum" "$(sha256sum <"$cfg")"

# 7. start --help names every option start takes, and start takes each (a VE without a config:
# exit 14, not the unknown option's 20); an option it does not name is refused with 20.
usage=$("${V[@]}" start --help | head -1)
opts=$(grep -o -- '--[a-z-]*' <<<"$usage" | paste -sd' ')
check "start --help: the options" "--force --wait --wait-timeout" "$opts"
for o in --force --wait "--wait-timeout 5"; do
	# shellcheck disable=SC2086
	check "start 9999 $o: accepted (no such VE: 14)" 14 "$("${V[@]}" start 9999 $o >/dev/null 2>&1; echo $?)"
done
check "start --skip-remount: not offered, refused" 20 "$("${V[@]}" start 9999 --skip-remount >/dev/null 2>&1; echo $?)"
has "start --help: the quota step" "disk quota on (unless DISK_QUOTA=no) with DISKSPACE and" \
	"$("${V[@]}" start --help)"

finish test-start-extras || { echo "scratch: $tmp"; exit 1; }
