#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The filesystem steps of `vzlite start` (vzctl-behaviour.md §3.2, §3.9), each made to fail by
# an obstacle planted on the host or in the VE's private area: a file where a directory must
# be, a link where a file must be, a read-only bind mount, a full filesystem, a missing init;
# the steps no obstacle can reach (the scan, the quota file reopened and rewritten in the
# middle of the start) by the emulator failing their call (vzemu --fail CALL@PATH).
# (Each kernel call of start is failed by vzemu --fail in test-lifecycle.sh.)
#
# After a step that must stop the start: it fails with the exit code the document gives
# (§7.1) and a message naming the obstacle; `vzlite status` says the VE is down and
# unmounted, nothing is mounted on its root, the emulated kernel holds no VE, beancounter or
# quota for it, the quota file is marked off, the private area is as before and the lock is
# free. After a step whose failure vzctl ignores (/fastboot, /sys, VE_LAYOUT): the start
# succeeds and the obstacle is left as it was (never followed, never replaced).
#
# Completeness: every line of start's --dry-run plan is either one of the steps below or a
# step that touches no file (listed here with why). A plan line this test does not know (a
# step added later) fails the test until a case covers it. The test prints "covered X of Y".
# Usage: test-start-obstacles.sh VZLITE FIXTURES_DIR SHARED_FIXTURES_DIR VZEMU
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?} shared=${3-} vzemu=${4:?}
. "$(dirname "$0")/lifecycle-host.sh"
lifecycle_host start-obstacles "$shared" "$vzemu" "$fixtures" "$@"
V=("$vzlite" --global-config "$conf")
E=("$vzemu" --state "$tmp/state")
VEID=4711 P=$H/private/4711 R=$H/root/4711 QD=$H/vzquota QF=$H/vzquota/quota.4711
"${V[@]}" create $VEID --ostemplate busybox-x86_64 --config vps.basic >/dev/null 2>&1
check "create" 0 $?
qfmt=$(cd "$(dirname "$0")/../quota" && pwd)
# the quota file's flags (quotafmt.py, written from §4.3): 0 = off
qflags() {
	python3 -c "import sys; sys.path.insert(0, sys.argv[1]); import quotafmt
print(quotafmt.parse(open(sys.argv[2], 'rb').read())['flags'])" "$qfmt" "$QF" 2>&1
}
python3 -c "import sys; sys.path.insert(0, sys.argv[1]); import quotafmt; \
	sys.exit(0 if quotafmt.supported() else 1)" "$qfmt" || skip "quotafmt reads x86_64 files only"
kquota() { "${E[@]}" -- cat /proc/vz/vzquota | grep "^$VEID: "; }

# --- completeness: the plan's lines, the host's paths replaced by names ---
plan_lines() {
	"${E[@]}" -- "${V[@]}" --dry-run start $VEID 2>&1 | sed -n 's/^# //p' |
		sed "s|$QD|QD|g; s|$P|P|g; s|$R|R|g; s|$H/lock|LOCKDIR|g; s|$H/conf|CONFDIR|g"
}
# Each plan line the start can print, with the cases below that plant an obstacle in it or
# make the emulator fail its call ("-" and a reason: the step touches no file; "=": the
# same step as the line above, as the plan words it when the config lacks VE_LAYOUT).
known_steps() {
	cat <<'EOS'
lock LOCKDIR/4711.lck|lockdir-file lock-is-dir lockdir-ro
read CONFDIR/4711.conf again under the lock|-: the config was read a moment before; its obstacles are test-lifecycle's and test-parallel's
did VE 4711 stop from inside (run marker left, not listed by the kernel)?|-: a look at the marker and a kernel call (VE_TEST); the cleanup's obstacles are test-inside-stop's
write the run marker LOCKDIR/4711.running|marker-dir
refuse if VE 4711 runs or is disabled|-: a kernel call (VE_TEST) and the config in memory
read IP_ADDRESS; with addresses: refuse without the host's venet0, report the host sysctls venet needs (ip_forward, src_check, IPv6 forwarding, proxy_ndp)|-: the config in memory and rtnetlink; the network's cases are tests/net/test-venet.sh's
check that P exists and whether it is mounted on R|root-is-file root-is-link private-missing
check that the config of VE 4711 sets every required UB parameter; derive the VSwap limits it leaves out|-: the config in memory
mkdir R if missing|root-parent-ro
disk quota 4711 on for P, DISKSPACE and DISKINODES raised by 100|-: the rows below
open and lock QD/quota.4711 (created if missing), read it|qdir-file qfile-link qfile-dir qdir-ro-new
scan P for its disk usage: there is no quota file yet|scan-fails
mark QD/quota.4711 on (QUOTA_ON) with the usage given to the kernel|qdir-full
mount("P", "R", "simfs", 0, "P")|-: a kernel call, failed by test-lifecycle's sweep (mount #1)
fork; chroot R; setsid; setluid and setublimit; fork the init; bounding set and capset to mask 0xfdccefff; create VE 4711; its kernel release if osrelease.conf names one; mount its /proc and /sys; hold init|fastboot-dir fastboot-link proc-file sys-file
disk quota 4711: the configured limits back|-: the rows below
open and lock QD/quota.4711, read it|qfile-reopen
store the configured limits in QD/quota.4711|qfile-store
release init: execve("/sbin/init", ["init", "-z", "      "], ["HOME=/", "TERM=linux"]), else /etc/init, /bin/init; confirm the exec|no-init init-not-exec sbin-init-missing
at the end: VE_LAYOUT="simfs" to CONFDIR/4711.conf if it lacks VE_LAYOUT|confdir-ro
write VE_LAYOUT="simfs" to CONFDIR/4711.conf|=confdir-ro
unlock LOCKDIR/4711.lck|-: undo of the lock row
EOS
}
plan=$(plan_lines)
# the VE_LAYOUT row runs only when the config lacks the key
sed -i '/^VE_LAYOUT=/d' "$H/conf/$VEID.conf"
plan+=$'\n'$(plan_lines)
echo 'VE_LAYOUT="simfs"' >>"$H/conf/$VEID.conf"
[ -n "$plan" ] || bad "no dry-run plan"
unknown=$(comm -23 <(sort -u <<<"$plan") <(known_steps | cut -d'|' -f1 | sort -u))
check "every step of start's plan has a case here (uncovered: $unknown)" "" "$unknown"
grep -q "VE_LAYOUT" <<<"$plan" && ok || bad "the plan without VE_LAYOUT in the config lacks its row"

# --- the cases ---
# one start in a vzemu run of its own; a start that succeeded is stopped in the same run
cat >"$tmp/start.sh" <<EOS
V=(${V[*]@Q})
"\${V[@]}" start $VEID 2>&1; rc=\$?; echo "start=\$rc"
"\${V[@]}" status $VEID
[ \$rc != 0 ] || { [ -d $R/proc/1 ] && echo "init runs"; }
[ \$rc != 0 ] || "\${V[@]}" stop --fast $VEID >/dev/null 2>&1 || echo "stop failed"
grep -c " $R " /proc/self/mountinfo | sed 's/^/mounts=/'
EOS
inve=(-x "$P/proc" -x "$P/sys" -x "$P/run" -x "$P/fastboot") # what the VE itself may write
# a first start and stop: the quota file exists, /fastboot was written, as on a used host
out=$("${E[@]}" -- bash "$tmp/start.sh")
has "a plain start first" "start=0" "$out"

declare -A ran=()
emu_fail=() # vzemu --fail rules for the next outcome (the steps no obstacle can reach)
# outcome NAME EXIT MESSAGE: start once; EXIT 0 means it must succeed (a failure vzctl
# ignores). Then what must hold in either case; the obstacle is still planted.
outcome() {
	local name=$1 code=$2 msg=$3 before out
	ran[$name]=1
	before=$(snapshot "${inve[@]}" "$H/private")
	out=$("${E[@]}" "${emu_fail[@]}" -- bash "$tmp/start.sh")
	has "$name: start exit $code" "start=$code" "$out"
	[ -z "$msg" ] || has "$name: the message names it" "$msg" "$out"
	if [ "$code" = 0 ]; then
		has "$name: init ran" "init runs" "$out"
		hasnt_match "$name: stopped" <(echo "$out") "stop failed"
	else
		check "$name: private area unchanged" "$before" "$(snapshot "${inve[@]}" "$H/private")"
	fi
	has "$name: no mount on the root" "mounts=0" "$out"
	check "$name: no quota in the kernel" "" "$(kquota)"
}
# after the obstacle was taken away: the VE down and unmounted, nothing of the start left
clean() {
	local name=$1 what=${2:-exist}
	check "$name: status" "CTID $VEID $what unmounted down" "$("${E[@]}" -- "${V[@]}" status $VEID)"
	[ ! -f "$QF" ] || check "$name: the quota file marked off" 0 "$(qflags)"
	nothing_left "$name" "$H" $VEID "$vzemu" "$tmp/state"
}

# lock (§1.6): LOCKDIR a file, the lock file's name a directory, LOCKDIR read-only
mv "$H/lock" "$H/lock.away" && : >"$H/lock"
outcome lockdir-file 3 "$H/lock"
rm "$H/lock" && mv "$H/lock.away" "$H/lock"
clean lockdir-file
mkdir "$H/lock/$VEID.lck"
outcome lock-is-dir 3 "$H/lock/$VEID.lck"
rmdir "$H/lock/$VEID.lck"
clean lock-is-dir
mount --bind "$H/lock" "$H/lock" && mount -o remount,bind,ro "$H/lock"
outcome lockdir-ro 3 "$H/lock"
umount "$H/lock"
clean lockdir-ro
# the run marker (ve-cleanup.c) cannot be written: its name is taken by a directory
mkdir "$H/lock/$VEID.running"
outcome marker-dir 3 "$H/lock/$VEID.running"
rmdir "$H/lock/$VEID.running"
clean marker-dir

# the private area and the root (§3.2 preconditions, §3.9)
rmdir "$R" && : >"$R"
outcome root-is-file 49 "$R"
rm "$R" && mkdir "$R"
clean root-is-file
mkdir "$tmp/elsewhere" && rmdir "$R" && ln -s "$tmp/elsewhere" "$R"
outcome root-is-link 49 "$R"
rm "$R" && mkdir "$R"
check "root-is-link: nothing mounted or written at the link's target" "" "$(ls -A "$tmp/elsewhere")"
clean root-is-link
mv "$P" "$P.away"
outcome private-missing 43 "$P"
mv "$P.away" "$P"
clean private-missing
rmdir "$R" && mount --bind "$H/root" "$H/root" && mount -o remount,bind,ro "$H/root"
outcome root-parent-ro 49 "$R"
umount "$H/root"
check "root-parent-ro: no root made" "" "$(ls -A "$H/root")"
mkdir "$R"
clean root-parent-ro

# the quota file (§4.3): the directory a file, the file a link or a directory, a new file on a
# read-only directory, the new contents on a full filesystem
mv "$QD" "$QD.away" && : >"$QD"
outcome qdir-file 60 "$QD"
rm "$QD" && mv "$QD.away" "$QD"
clean qdir-file
mv "$QF" "$tmp/quota.away" && ln -s "$tmp/quota.away" "$QF"
qsum=$(md5sum <"$tmp/quota.away")
outcome qfile-link 60 "$QF"
check "qfile-link: the link's target untouched" "$qsum" "$(md5sum <"$tmp/quota.away")"
rm "$QF" && mv "$tmp/quota.away" "$QF"
clean qfile-link
mv "$QF" "$tmp/quota.away" && mkdir "$QF"
outcome qfile-dir 60 "$QF"
rmdir "$QF" && mv "$tmp/quota.away" "$QF"
clean qfile-dir
mv "$QF" "$tmp/quota.away" && mount --bind "$QD" "$QD" && mount -o remount,bind,ro "$QD"
outcome qdir-ro-new 61 "$QF"
umount "$QD" && mv "$tmp/quota.away" "$QF"
clean qdir-ro-new
# a tmpfs with room for its root and the quota file only: the file opens, the new contents
# (written beside it, then renamed over it) find no inode
cp -p "$QF" "$tmp/quota.copy"
mount -t tmpfs -o nr_inodes=2,size=1m tmpfs "$QD" && cp -p "$tmp/quota.copy" "$QF"
outcome qdir-full 60 "$QF"
check "qdir-full: the quota file as it was" "$(md5sum <"$tmp/quota.copy")" "$(md5sum <"$QF")"
umount "$QD"
clean qdir-full

# the steps no obstacle can reach, made to fail by the emulator (vzemu --fail CALL@PATH,
# tests/vzemu/README.md): the scan of a private area without a quota file (as root every
# directory reads), the quota file opened again and rewritten after the VE was created (the
# same file was written a moment before). The trace shows the call that failed. Exit codes
# as vzctl's (§4.7's table, §3.2 step 10.11): 61 (VZ_DQ_INIT) when the file was missing (its
# `vzquota init`), 62 (VZ_DQ_SET) for the limits set back after the create, 60 (VZ_DQ_ON)
# otherwise.
injected() { # injected NAME CALL-LINE: the one call the rule failed
	check "$1: the injected call" "$2 = -1 EIO (injected)" \
		"$(grep '(injected)$' "$tmp/fail.trace" | sed 's/^[0-9]* //; s/([0-9]*</(FD</; s/, [0-9]*</, FD</
			s/"\.quota\.4711\.[0-9]*\.[0-9a-f]*"/".quota.4711.PID.N"/')"
	rm -f "$tmp/fail.trace"
}
mv "$QF" "$tmp/quota.away"
emu_fail=(--trace "$tmp/fail.trace" --fail "getdents64@$P:EIO")
outcome scan-fails 61 "$P"
injected scan-fails "getdents64(FD<$P>, ...)"
[ ! -e "$QF" ] && ok "scan-fails: the quota file made for the scan removed again" ||
	bad "scan-fails: a quota file was left"
mv "$tmp/quota.away" "$QF"
clean scan-fails
qsum=$(md5sum <"$QF")
emu_fail=(--trace "$tmp/fail.trace" --fail "openat@$QF:EIO:2")
outcome qfile-reopen 62 "$QF"
injected qfile-reopen "openat(FD<$QD>, \"quota.4711\", O_RDWR|O_NOFOLLOW|O_CLOEXEC)"
clean qfile-reopen
emu_fail=(--trace "$tmp/fail.trace" --fail "renameat@$QF:EIO:2")
outcome qfile-store 62 "$QF"
injected qfile-store "renameat(FD<$QD>, \".quota.4711.PID.N\", FD<$QD>, \"quota.4711\")"
check "qfile-store: no new quota file left beside it" "quota.4711" "$(ls -A "$QD")"
clean qfile-store
emu_fail=()

# inside the VE, before its init (§3.2 step 9.9): /proc a file fails the start; a /fastboot
# that is no file, or a /sys that is no directory, is passed over as vzctl does
rmdir "$P/proc" && : >"$P/proc"
outcome proc-file 50 "/proc"
rm "$P/proc" && mkdir -m 0555 "$P/proc"
clean proc-file
rm -f "$P/fastboot" && mkdir "$P/fastboot"
outcome fastboot-dir 0 ""
check "fastboot-dir: still an empty directory" "" "$(ls -A "$P/fastboot")"
rmdir "$P/fastboot"
clean fastboot-dir
ln -s /victim "$P/fastboot"
outcome fastboot-link 0 ""
[ ! -e "$P/victim" ] && [ -L "$P/fastboot" ] && ok "fastboot-link: the link not followed" ||
	bad "fastboot-link: the link was followed or replaced"
rm "$P/fastboot"
clean fastboot-link
rmdir "$P/sys" && : >"$P/sys"
outcome sys-file 0 ""
[ -f "$P/sys" ] && [ ! -s "$P/sys" ] && ok "sys-file: left as it was" || bad "sys-file: changed"
rm "$P/sys" && mkdir "$P/sys"
clean sys-file

# the init (§3.2 steps 9.9, 13): none of /sbin/init, /etc/init, /bin/init; /sbin/init not
# executable; /sbin/init missing but /bin/init there (the fallback starts it)
[ ! -e "$P/etc/init" ] && [ ! -e "$P/bin/init" ] || bad "the template has /etc/init or /bin/init"
mv "$P/sbin/init" "$tmp/init.away" # busybox's link
outcome no-init 47 "unable to start init"
clean no-init
cp -P "$tmp/init.away" "$P/bin/init"
outcome sbin-init-missing 0 ""
rm "$P/bin/init"
clean sbin-init-missing
printf '#!/bin/sh\n' >"$P/sbin/init" && chmod 0644 "$P/sbin/init"
outcome init-not-exec 47 "Permission denied"
rm "$P/sbin/init" && mv "$tmp/init.away" "$P/sbin/init"
clean init-not-exec

# VE_LAYOUT (§2.7, §3.2 step 16): saved when missing; a config directory that cannot be
# written only warns, and the config stays as it was
sed -i '/^VE_LAYOUT=/d' "$H/conf/$VEID.conf"
csum=$(md5sum <"$H/conf/$VEID.conf")
mount --bind "$H/conf" "$H/conf" && mount -o remount,bind,ro "$H/conf"
outcome confdir-ro 0 "cannot save VE_LAYOUT"
umount "$H/conf"
check "confdir-ro: the config as it was" "$csum" "$(md5sum <"$H/conf/$VEID.conf")"
clean confdir-ro
out=$("${E[@]}" -- bash "$tmp/start.sh")
has "VE_LAYOUT missing: the start succeeds" "start=0" "$out"
check "VE_LAYOUT missing: saved by the start" 'VE_LAYOUT="simfs"' "$(grep '^VE_LAYOUT=' "$H/conf/$VEID.conf")"

# the count: a step is covered when a case of it ran
steps=0 covered=0 missing=()
while IFS='|' read -r line cases; do
	case $cases in -:*) continue ;; esac
	same=0
	case $cases in =*) same=1 cases=${cases#=} ;; esac
	[ $same = 1 ] || steps=$((steps + 1))
	case $cases in UNCOVERED:*) missing+=("[$line]") && continue ;; esac
	all=1
	for c in $cases; do [ -n "${ran[$c]:-}" ] || { all=0; bad "case $c of [$line] did not run"; }; done
	[ $all = 1 ] && [ $same = 0 ] && covered=$((covered + 1))
done < <(known_steps)
check "every filesystem step of start covered" "$steps" "$covered"
echo "# covered $covered of $steps filesystem steps of start (VE_LAYOUT's two wordings one step)${missing[*]:+; not covered: ${missing[*]}}"

finish test-start-obstacles || { echo "scratch: $tmp"; exit 1; }
