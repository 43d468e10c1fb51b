#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# start, stop, mount and umount of a busybox-init VE (tests/tools/make-busybox-template.sh)
# created from the upstream vps.basic profile, under vzemu:
#  1. the --dry-run plan of start holds the kernel calls in the order vzctl-behaviour.md
#     §3.2 gives (written here from the document, not from a run);
#  2. mount / umount (§3.9): mounted, mounted again is exit 0, unmounted, again exit 40;
#  3. create → start → status running, init is pid 1 of the VE, its service runs → stop →
#     status down and unmounted → start → stop, with the trace's kernel calls in the
#     documented order and no program executed by start but the VE's init;
#  4. a sweep: every kernel call position of a real start fails in turn (vzemu --fail);
#     afterwards the VE is down and unmounted, nothing is left (lock, VE, disk quota on in
#     the kernel or marked on in its file), the private area is unchanged.
# The disk quota (§3.2 step 4, §3.3 step 7, §3.9, §4.2): on before the simfs mount with
# DISKSPACE/DISKINODES raised by 100 while the start sets up, the configured limits back at
# its end (the kernel's /proc/vz/vzquota), off after the unmount with the usage saved in the
# file (read with tests/quota/quotafmt.py, checked against du's count of the private area).
# A failed simfs mount turns the quota off again; restart turns it off and on; stop
# --skip-umount leaves it on until umount.
# Each vzemu run has its own mount namespace, so what must see a mount runs in one run.
# Usage: test-lifecycle.sh VZLITE FIXTURES_DIR SHARED_FIXTURES_DIR VZEMU
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?} shared=${3-} vzemu=${4:?}
. "$(dirname "$0")/lifecycle-host.sh"
lifecycle_host lifecycle "$shared" "$vzemu" "$fixtures" "$@"
V=("$vzlite" --global-config "$conf")
E=("$vzemu" --state "$tmp/state")
VEID=4711 P=$H/private/4711 R=$H/root/4711
"${V[@]}" create $VEID --ostemplate busybox-x86_64 --config vps.basic 2>/dev/null
check "create" 0 $?
# osrelease.conf beside vz.conf (vzctl's /etc/vz): busybox needs a kernel newer than any host,
# so the start tells the VE "99.0" + the host release's suffix (§3.2 step 8)
printf '# DISTNAME MINKERNEL\nbusybox 99.0\n' >"$(dirname "$conf")/osrelease.conf"
# a device node (§3.2 step 10.4): made in the VE's /dev (the template has none), then allowed
echo 'DEVNODES="kmsg:r"' >>"$H/conf/$VEID.conf"
pb() { grep "^PRIVVMPAGES=" "$H/conf/$VEID.conf" | sed 's/.*="\([0-9]*\):.*/\1/'; }
# DISKSPACE (KiB) and DISKINODES of the VE's config (vps.basic's): soft hard
read -r DS DH < <(sed -n 's/^DISKSPACE="\([0-9]*\):\([0-9]*\)"/\1 \2/p' "$H/conf/$VEID.conf")
read -r IS IH < <(sed -n 's/^DISKINODES="\([0-9]*\):\([0-9]*\)"/\1 \2/p' "$H/conf/$VEID.conf")
[ -n "$DS" ] && [ -n "$IS" ] || bad "no DISKSPACE/DISKINODES in $H/conf/$VEID.conf"
QF=$H/vzquota/quota.$VEID
qfmt=$(cd "$(dirname "$0")/../quota" && pwd)
# the quota file's fields (quotafmt.py, written from §4.3): "flags bsoft bhard isoft ihard bcur icur"
qfile() {
	python3 -c "import sys; sys.path.insert(0, sys.argv[1]); import quotafmt
q = quotafmt.parse(open(sys.argv[2], 'rb').read()); s = q['stat']
print(q['flags'], s['bsoft'], s['bhard'], s['isoft'], s['ihard'], s['bcur'], s['icur'])" "$qfmt" "$QF"
}
# the emulated kernel's quota VEID (/proc/vz/vzquota): its lines, or nothing
kquota() { "$vzemu" --state "$tmp/state" -- cat /proc/vz/vzquota | grep -A2 "^$VEID: "; }
python3 -c "import sys; sys.path.insert(0, sys.argv[1]); import quotafmt; \
	sys.exit(0 if quotafmt.supported() else 1)" "$qfmt" || skip "quotafmt reads x86_64 files only"

# The kernel calls of a start, in §3.2's order, for the vps.basic profile: the kernel handle
# (§3.0), "not running" (VE_TEST), setluid, setublimit in step 9.3's order (numfile before
# dcachesize; SWAPPAGES unset in vps.basic), the create with VE_CREATE|VE_EXCLUSIVE and the
# 32-byte param3 (sysfs forced on), then with init held: CPU (no CPULIMIT: chwt only, CPUUNITS
# 1000 by default: 500000/1000), DEVNODES' permission, meminfo privvmpages:1 = PRIVVMPAGES' barrier.
# The quota (DISK_QUOTA=yes): step 4's `vzquota on` between the root and the simfs mount
# (§4.2: is it known to the kernel, CREATE, the second level's config, ON), and step 10.11's
# setlimit with init still held, after the I/O limits (none in vps.basic).
expected_calls() {
	echo "ioctl VZCTL_ENV_CREATE"     # the probe
	echo "ioctl VZCTL_ENV_CREATE"     # VE_TEST
	echo "ioctl VZCTL_QUOTA_NEW_CTL VZ_DQ_STATUS"
	echo "ioctl VZCTL_QUOTA_NEW_CTL VZ_DQ_CREATE"
	echo "ioctl VZCTL_QUOTA_UGID_CTL VZ_DQ_UGID_SETCONFIG"
	echo "ioctl VZCTL_QUOTA_NEW_CTL VZ_DQ_ON"
	echo "setluid $VEID"
	for ub in "${VPS_BASIC_UB_ORDER[@]}"; do
		echo "setublimit UB_$ub"
	done
	echo "ioctl VZCTL_ENV_CREATE_DATA VE_CREATE|VE_EXCLUSIVE 32"
	echo "ioctl VZCTL_VE_CONFIGURE" # the kernel release from osrelease.conf
	echo "fairsched_chwt 500"
	echo "ioctl VZCTL_SETDEVPERMS" # DEVNODES
	echo "ioctl VZCTL_VE_MEMINFO $(pb)"
	echo "ioctl VZCTL_QUOTA_NEW_CTL VZ_DQ_SETLIMIT"
}
# A trace or plan line reduced to what expected_calls names.
calls_of() {
	sed -nE 's/^([0-9]+ )?//
		/^vzemu:/d
		s/^ioctl\(\/dev\/vzctl, (VZCTL_ENV_CREATE_DATA), .*flags=([A-Z_|]+),.*datalen=([0-9]+)\}\).*/ioctl \1 \2 \3/p
		s/^ioctl\(\/dev\/vzctl, (VZCTL_VE_MEMINFO), \{veid=[0-9]+, val=([0-9]+)\}\).*/ioctl \1 \2/p
		s/^ioctl\(\/dev\/vzctl, (VZCTL_QUOTA_[A-Z_]+), \{cmd=([A-Z_]+),.*/ioctl \1 \2/p
		s/^ioctl\(\/dev\/vzctl, (VZCTL_[A-Z_]+), .*/ioctl \1/p
		s/^setluid\(([0-9]+)\).*/setluid \1/p
		s/^setublimit\([0-9]+, (UB_[A-Z]+),.*/setublimit \1/p
		s/^(fairsched_[a-z]+)\([0-9]+, ([0-9]+)\).*/\1 \2/p
		s/^(fairsched_[a-z]+|ioprio_set)\(.*/\1/p' "$1"
}

# 1. the plan
roots=$(snapshot "$H/root" "$P")
"${E[@]}" -- "${V[@]}" --dry-run start $VEID >"$tmp/plan" 2>&1
check "dry-run start exit" 0 $?
calls_of "$tmp/plan" >"$tmp/plan.calls"
check "dry-run: the kernel calls of §3.2 in its order" "$(expected_calls)" "$(cat "$tmp/plan.calls")"
has "dry-run: the mount as vzctl makes it" \
	"# mount(\"$P\", \"$R\", \"simfs\", 0, \"$P\")" "$(cat "$tmp/plan")"
has "dry-run: the init released with vzctl's argv" \
	'execve("/sbin/init", ["init", "-z", "      "], ["HOME=/", "TERM=linux"])' "$(cat "$tmp/plan")"
check "dry-run changed nothing" "$roots" "$(snapshot "$H/root" "$P")"

# 2. mount / umount, in one vzemu run (one mount namespace); the mount turns the quota on (a
# file create made, with its count), the umount off, the usage saved: the test's count of the private area
used=$(du -s -B1 "$P" | cut -f1) inodes=$(du -s --inodes "$P" | cut -f1)
cat >"$tmp/mount.sh" <<EOS
V=(${V[*]@Q})
"\${V[@]}" mount $VEID 2>&1; echo "mount=\$?"
"\${V[@]}" status $VEID
"\${V[@]}" mount $VEID 2>&1; echo "again=\$?"
"\${V[@]}" umount $VEID 2>&1; echo "umount=\$?"
"\${V[@]}" status $VEID
"\${V[@]}" umount $VEID 2>/dev/null; echo "umount again=\$?"
EOS
out=$("${E[@]}" --trace "$tmp/mount.trace" -- bash "$tmp/mount.sh")
has_match "mount: quota on before the simfs mount, with the configured limits" "$tmp/mount.trace" \
	"VZ_DQ_CREATE, quota_id=$VEID, qstat=\{bhardlimit=$((DH * 1024)), bsoftlimit=$((DS * 1024)), bcurrent=$used, ihardlimit=$IH, isoftlimit=$IS, icurrent=$inodes,"
check "mount: VZ_DQ_ON, then the mount" "VZ_DQ_ON simfs" "$(sed -nE \
	's/.*cmd=(VZ_DQ_ON),.*/\1/p; s/^[0-9]+ mount\([^,]*, [^,]*, "(simfs)".*/\1/p' "$tmp/mount.trace" | tr '\n' ' ' | sed 's/ $//')"
check "umount: the quota off, the file marked off with the usage and the configured limits" \
	"0 $((DS * 1024)) $((DH * 1024)) $IS $IH $used $inodes" "$(qfile)"
check "umount: no quota in the kernel" "" "$(kquota)"
# the simfs mount fails (§3.9: "failure ⇒ quota off"): the quota turned on is off again
"${E[@]}" --fail simfs:EIO -- "${V[@]}" mount $VEID >/dev/null 2>&1
check "mount with simfs failing: exit as a mount failure" 50 $?
check "mount with simfs failing: no quota in the kernel" "" "$(kquota)"
check "mount with simfs failing: the file marked off" \
	"0 $((DS * 1024)) $((DH * 1024)) $IS $IH $used $inodes" "$(qfile)"
nothing_left "mount with simfs failing" "$H" $VEID "$vzemu" "$tmp/state"
has "mount" "mount=0" "$out"
has "mount: status mounted" "CTID $VEID exist mounted down" "$out"
has "mount again: exit 0" "again=0" "$out"
has "umount" "umount=0" "$out"
has "umount: status unmounted" "CTID $VEID exist unmounted down" "$out"
has "umount of an unmounted VE: exit 40" "umount again=40" "$out"

# 3. start and stop for real
cat >"$tmp/life.sh" <<EOS
V=(${V[*]@Q})
exec 77</dev/null # a host descriptor without close-on-exec: it must not reach the VE's init
"\${V[@]}" start $VEID 2>&1; echo "start=\$?"
ls $R/proc/1/fd | grep -qx 77 && echo "fd 77 leaked" || echo "fd 77 closed"
"\${V[@]}" status $VEID
cat $R/proc/1/comm 2>&1 | sed 's/^/pid1=/'
grep -A2 "^$VEID: " /proc/vz/vzquota | sed 's/^ *//; s/^/quota=/'
"\${V[@]}" quota $VEID 2>&1 | tr -s ' ' | sed 's/^ *//; s/^/vzq=/'
svc=\$(timeout 20 cat $R/run/svc.pid 2>/dev/null) # a FIFO: returns when the service wrote it
# the service writes its pid before it execs sleep: its parent, not its name, is certain
sed 's/.*) [A-Z] \([0-9]*\) .*/svc ppid=\1/' $R/proc/\$svc/stat 2>/dev/null
"\${V[@]}" stop $VEID 2>&1; echo "stop=\$?"
"\${V[@]}" status $VEID
"\${V[@]}" stop $VEID 2>&1; echo "stop again=\$?"
"\${V[@]}" start $VEID 2>&1; echo "start2=\$?"
"\${V[@]}" stop --fast $VEID 2>&1; echo "stop2=\$?"
"\${V[@]}" status $VEID
EOS
# what the VE itself writes, and the start's DEVNODES node
inve=(-x "$P/proc" -x "$P/sys" -x "$P/run" -x "$P/fastboot" -x "$P/dev/kmsg")
before=$(snapshot "${inve[@]}" "$P")
mkfifo "$P/run/svc.pid"
"${E[@]}" --trace "$tmp/life.trace" -- bash "$tmp/life.sh" >"$tmp/life.out" 2>&1
out=$(cat "$tmp/life.out")
has "start" "start=0" "$out"
has "status running" "CTID $VEID exist mounted running" "$out"
has "pid 1 of the VE is busybox init" "pid1=init" "$out"
has "its service runs, a child of the VE's init" "svc ppid=1" "$out"
has "no host descriptor reaches the VE's init" "fd 77 closed" "$out"
# /proc/vz/vzquota: "1k-blocks usage soft hard time expire", "inodes ..."; the limits back
# to the configured ones once the start is done
check "start: the quota on for the private area with the config's limits" \
	"quota=$VEID: $P|quota=1k-blocks $((used / 1024)) $DS $DH 0 0|quota=inodes $inodes $IS $IH 0 0" \
	"$(grep '^quota=' <<<"$out" | tr -s ' ' | paste -sd'|')"
# vzquota stat's table (§4.2): "resource usage softlimit hardlimit grace"
check "start: vzlite quota shows it on, with the config's limits" \
	"vzq=1k-blocks $((used / 1024)) $DS $DH|vzq=inodes $inodes $IS $IH" \
	"$(grep -E '^vzq=(1k-blocks|inodes)' <<<"$out" | sed 's/ $//' | paste -sd'|')"
has_match "start: the quota created with DISKSPACE and DISKINODES raised by 100" "$tmp/life.trace" \
	"VZ_DQ_CREATE, quota_id=$VEID, qstat=\{bhardlimit=$(((DH + 100) * 1024)), bsoftlimit=$(((DS + 100) * 1024)), bcurrent=$used, ihardlimit=$((IH + 100)), isoftlimit=$((IS + 100)), icurrent=$inodes,"
has_match "start: the configured limits back with VZ_DQ_SETLIMIT" "$tmp/life.trace" \
	"VZ_DQ_SETLIMIT, quota_id=$VEID, qstat=\{bhardlimit=$((DH * 1024)), bsoftlimit=$((DS * 1024)), .*ihardlimit=$IH, isoftlimit=$IS,"
check "stop: no quota in the kernel" "" "$(kquota)"
check "stop: the file marked off with the usage and the configured limits" \
	"0 $((DS * 1024)) $((DH * 1024)) $IS $IH $used $inodes" "$(qfile)"
has "stop" "stop=0" "$out"
# a plain stop says what it waits for and for how long (issue 14; §3.3 step 4: STOP_TIMEOUT,
# unset in vps.basic: 120 s). The halt stops busybox's init; when the halt itself is killed
# with the VE before it exits, §3.3 goes to the kill phase, which then says so (timing).
said=$(sed -n '/^start2=/q; /^vzlite: VE [0-9]*: /p' <<<"$out")
check "stop: the wait for the halt, on stderr by default" \
	"vzlite: VE $VEID: running its halt inside it; waiting up to 120 s (STOP_TIMEOUT) for it to stop" \
	"$(head -1 <<<"$said")"
case $(sed 1d <<<"$said" | paste -sd'|') in
"" | "vzlite: VE $VEID: the halt did not stop it|vzlite: VE $VEID: killing it; waiting up to 60.0 s for it to stop")
	ok ;;
*) bad "stop: after the halt's line: [$said]" ;;
esac
has "stop of a stopped VE: exit 0" "stop again=0" "$out"
has "start again" "start2=0" "$out"
has "stop --fast" "stop2=0" "$out"
check "status after the stops: down and unmounted twice" 2 \
	"$(grep -c "CTID $VEID exist unmounted down" <<<"$out")"
# the first start's calls, from its own pid's descendants: all lines between its exec
# and the next command's
awk -v n=0 '/vzemu: exec execve\(.*vzlite/ { n++ } n == 1' "$tmp/life.trace" >"$tmp/start.trace"
calls_of "$tmp/start.trace" | grep -v "^ioctl VZCTL_ENV_CREATE$" >"$tmp/start.calls"
check "start: the kernel calls of §3.2 in its order" \
	"$(expected_calls | grep -v '^ioctl VZCTL_ENV_CREATE$')" "$(cat "$tmp/start.calls")"
# the processes of the start: those that made its kernel calls, and the VE's init
pids=" $(# the start's own calls: those before its init is executed (the init's are the VE's)
awk '/exec execve\("\/sbin\/init"/ { exit } $2 != "vzemu:" { print $1 }' "$tmp/start.trace" | tr '\n' ' ')"
pids+="$(sed -n 's/.* created: init \([0-9]*\) .*/\1/p' "$tmp/start.trace") "
# The exec lines are looked for in the whole trace: start returns when the init's exec closes
# its error pipe, which can be before vzemu has written the exec line, so that line may come
# after the next command's first line.
check "start executes nothing but the VE's init" 'execve("/sbin/init", ["init", "-z", "      "])' \
	"$(awk -v p="$pids" '$3 == "exec" && index(p, " " $1 " ") && !/vzlite/ { sub(/^.*exec /, ""); print }' \
		"$tmp/life.trace")"
check "the private area is as before" "$before" "$(snapshot "${inve[@]}" "$P")"
nothing_left "after start and stop" "$H" $VEID "$vzemu" "$tmp/state"

# restart (§3.4): the quota off and on again, one quota; stop --skip-umount leaves the VE
# mounted with its quota on (§3.3 step 7); umount then turns it off
cat >"$tmp/skip.sh" <<EOS
V=(${V[*]@Q})
"\${V[@]}" start $VEID >/dev/null 2>&1; echo "start=\$?"
"\${V[@]}" restart --fast $VEID >/dev/null 2>&1; echo "restart=\$?"
grep -c "^$VEID: " /proc/vz/vzquota | sed 's/^/quotas=/'
"\${V[@]}" stop --fast --skip-umount $VEID >/dev/null 2>&1; echo "stop=\$?"
"\${V[@]}" status $VEID
grep -c "^$VEID: " /proc/vz/vzquota | sed 's/^/quotas=/'
"\${V[@]}" umount $VEID >/dev/null 2>&1; echo "umount=\$?"
grep -c "^$VEID: " /proc/vz/vzquota | sed 's/^/quotas=/'
EOS
check "restart, stop --skip-umount, then umount" \
	"start=0|restart=0|quotas=1|stop=0|CTID $VEID exist mounted down|quotas=1|umount=0|quotas=0" \
	"$("${E[@]}" -- bash "$tmp/skip.sh" 2>&1 | paste -sd'|')"

# the kill phase (§3.3 step 5) when the VE's halt cannot be run: said, with its wait
# (STOP_TIMEOUT / 2 s: 60 s); -q silences both
cat >"$tmp/kill.sh" <<EOS
V=(${V[*]@Q})
"\${V[@]}" start $VEID >/dev/null 2>&1; echo "start=\$?"
mv $P/sbin/halt $tmp/halt.away
"\${V[@]}" stop $VEID 2>&1; echo "stop=\$?"
"\${V[@]}" start $VEID >/dev/null 2>&1; echo "start=\$?"
"\${V[@]}" -q stop $VEID 2>&1; echo "quiet stop=\$?"
mv $tmp/halt.away $P/sbin/halt
EOS
check "stop when the VE's halt is missing: the halt, then the kill" \
	"start=0|vzlite: VE $VEID: running its halt inside it; waiting up to 120 s (STOP_TIMEOUT) for it to stop|vzlite: VE $VEID: the halt did not stop it|vzlite: VE $VEID: killing it; waiting up to 60.0 s for it to stop|VE $VEID stopped|stop=0|start=0|quiet stop=0" \
	"$("${E[@]}" -- bash "$tmp/kill.sh" 2>&1 | paste -sd'|')"

# 4. the failure sweep: every kernel call position of a real start, failed in turn
: >"$tmp/sweep.trace"
# start and stop in one run: a stop in another mount namespace would find the VE unmounted
# and, as vzctl's, leave its quota on
"${E[@]}" --trace "$tmp/sweep.trace" -- bash -c \
	"${V[*]@Q} start $VEID && ${V[*]@Q} stop --fast $VEID" >"$tmp/sweep.out" 2>&1
check "sweep: the start and stop before it ($(tr '\n' ' ' <"$tmp/sweep.out"))" "" "$(kquota)"
# the start's own calls: those before its init is executed (the init's are the VE's) or the
# stop is
awk '/exec execve\("\/sbin\/init"/ || (/vzemu: exec execve\("[^"]*\/vzlite"/ && ++n == 2) { exit } $2 != "vzemu:" {
	if ($2 ~ /^ioctl\(/) { name = $3; sub(/,$/, "", name) } else { name = $2; sub(/\(.*/, "", name) }
	print name, ++seen[name]
}' "$tmp/sweep.trace" >"$tmp/sweep.calls"
cat >"$tmp/sweep.sh" <<EOS
V=(${V[*]@Q})
"\${V[@]}" start $VEID 2>&1; rc=\$?; echo "start=\$rc"
"\${V[@]}" status $VEID
grep -c " $R " /proc/self/mountinfo | sed 's/^/mounts=/'
# a start that succeeded is stopped in this mount namespace, where its mount is
[ \$rc != 0 ] || "\${V[@]}" stop --fast $VEID >/dev/null 2>&1
EOS
n=0
before=$(snapshot "$P")
while read -r call nth; do
	n=$((n + 1))
	out=$("${E[@]}" --fail "$call:EIO:$nth" -- bash "$tmp/sweep.sh")
	if [ "$call $nth" = "mount 3" ] && grep -q "^start=0$" <<<"$out"; then
		# the VE's /sys: a failure is ignored, as vzctl ignores it (§3.2 step 9.9)
		ok "mount #3 (/sys) failed: ignored, as vzctl"
		continue
	fi
	hasnt=$(grep -c "^start=0$" <<<"$out")
	check "$call #$nth failed: start fails" 0 "$hasnt"
	has "$call #$nth: down and unmounted" "CTID $VEID exist unmounted down" "$out"
	has "$call #$nth: no mount on the root" "mounts=0" "$out"
	check "$call #$nth: private area unchanged" "$before" "$(snapshot "$P")"
	nothing_left "$call #$nth" "$H" $VEID "$vzemu" "$tmp/state"
	check "$call #$nth: no quota in the kernel" "" "$(kquota)"
	check "$call #$nth: the quota file marked off, with the configured limits" \
		"0 $((DS * 1024)) $((DH * 1024)) $IS $IH" "$(qfile | cut -d' ' -f1-5)"
done <"$tmp/sweep.calls"
# 22 calls, the kernel release, DEVNODES' SETDEVPERMS, and the quota's: STATUS, CREATE,
# UGID_SETCONFIG, ON, SETLIMIT
[ $n -ge 29 ] && ok || bad "sweep: $n kernel call positions, expected at least 27"
echo "# sweep: $n kernel call positions of start failed in turn"

finish test-lifecycle || { echo "scratch: $tmp"; exit 1; }
