#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The whole life of a busybox-init VE (tests/tools/make-busybox-template.sh) made from the
# upstream vps.basic profile, in ONE vzemu run with one trace (issue 14, "Done when" 1):
#   create → start → status → set (live, --save) → stop → start → restart → stop → destroy
# After each start and the restart the VE's init (busybox) is pid 1 of the VE and its
# service runs, a child of it. The kernel calls of each command, taken from the trace, are
# compared with a sequence written here from vzctl-behaviour.md §3.0-§3.9, §4.2 and
# kernel-abi.md (not from a run): the kernel handle's probe (§3.0), VE_TEST, the quota's
# commands, the simfs mount, setluid, setublimit in §3.2's order,
# the create, CPU, meminfo, the stop's entry into the VE. The polls of a wait (VE_TEST
# repeated until the VE is gone) count once: their number depends on timing.
# Usage: test-lifecycle-full.sh VZLITE FIXTURES_DIR SHARED_FIXTURES_DIR VZEMU
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?} shared=${3-} vzemu=${4:?}
. "$(dirname "$0")/lifecycle-host.sh"
lifecycle_host lifecycle-full "$shared" "$vzemu" "$fixtures" "$@"
V=("$vzlite" --global-config "$conf")
E=("$vzemu" --state "$tmp/state")
VEID=4711 P=$H/private/4711 R=$H/root/4711 cfg=$H/conf/4711.conf

cat >"$tmp/life.sh" <<EOS
V=(${V[*]@Q})
# after a start: pid 1 of the VE and its service (which writes its pid to a FIFO the test
# made: the read returns once the service runs; its parent must be the VE's init)
runs() {
	cat $R/proc/1/comm 2>&1 | sed "s/^/\$1: pid1=/"
	svc=\$(timeout 20 cat $R/run/svc.pid 2>/dev/null)
	sed -n "s/.*) [A-Z] \\([0-9]*\\) .*/\$1: svc ppid=\\1/p" $R/proc/\$svc/stat 2>/dev/null
}
"\${V[@]}" create $VEID --ostemplate busybox-x86_64 --config vps.basic >/dev/null 2>&1; echo "create=\$?"
mkfifo $P/run/svc.pid
cp $cfg $tmp/created.conf
"\${V[@]}" start $VEID >/dev/null 2>&1; echo "start=\$?"
runs start
"\${V[@]}" status $VEID
"\${V[@]}" set $VEID --cpuunits 250 --numproc 333:333 --save >/dev/null 2>&1; echo "set=\$?"
"\${V[@]}" stop $VEID >/dev/null 2>&1; echo "stop=\$?"
"\${V[@]}" status $VEID
"\${V[@]}" start $VEID >/dev/null 2>&1; echo "start2=\$?"
runs start2
"\${V[@]}" restart $VEID >/dev/null 2>&1; echo "restart=\$?"
runs restart
"\${V[@]}" stop $VEID >/dev/null 2>&1; echo "stop2=\$?"
"\${V[@]}" destroy $VEID >/dev/null 2>&1; echo "destroy=\$?"
"\${V[@]}" status $VEID
EOS
"${E[@]}" --trace "$tmp/trace" -- bash "$tmp/life.sh" >"$tmp/out" 2>&1
out=$(cat "$tmp/out")
check "the commands and what status says between them" \
	"create=0|start=0|start: pid1=init|start: svc ppid=1|CTID $VEID exist mounted running|set=0|stop=0|CTID $VEID exist unmounted down|start2=0|start2: pid1=init|start2: svc ppid=1|restart=0|restart: pid1=init|restart: svc ppid=1|stop2=0|destroy=0|CTID $VEID deleted unmounted down" \
	"$(paste -sd'|' <<<"$out")"
# (a barrier equal to its limit is saved as two plain decimals, as libvirt reads it:
# libvirt-openvz.md §4.1)
check "set --save: the two lines changed" \
	"$(sed 's/^CPUUNITS=.*/CPUUNITS="250"/; s/^NUMPROC=.*/NUMPROC="333:333"/' "$tmp/created.conf")" "$(cat "$cfg.destroyed" 2>&1)"
nothing_left "after destroy" "$H" $VEID "$vzemu" "$tmp/state"

# The trace of the Nth vzlite command, its kernel calls reduced to what the sequence names;
# a run of the same call (a wait's polls) counts once.
calls() {
	awk -v want="$1" '/vzemu: exec execve\("[^"]*\/vzlite"/ { n++ } n == want' "$tmp/trace" |
		sed -nE 's/^[0-9]+ //
		s/^ioctl\(\/dev\/vzctl, VZCTL_ENV_CREATE, \{veid=[0-9]+, flags=0,.*/probe/p
		s/^ioctl\(\/dev\/vzctl, VZCTL_ENV_CREATE, \{veid=[0-9]+, flags=([A-Z_]+),.*/\1/p
		s/^ioctl\(\/dev\/vzctl, VZCTL_ENV_CREATE_DATA, \{veid=[0-9]+, flags=([A-Z_|]+),.*datalen=([0-9]+)\}\).*/create \1 \2/p
		s/^ioctl\(\/dev\/vzctl, VZCTL_VE_MEMINFO, \{veid=[0-9]+, val=([0-9]+)\}\).*/meminfo \1/p
		s/^ioctl\(\/dev\/vzctl, VZCTL_QUOTA_[A-Z_]+, \{cmd=VZ_DQ_([A-Z_]+),.*/quota \1/p
		s/^ioctl\(\/dev\/vzctl, (VZCTL_[A-Z_]+),.*/\1/p
		s/^setluid\(([0-9]+)\).*/setluid \1/p
		s/^setublimit\([0-9]+, UB_([A-Z]+),.*/ub \1/p
		s/^fairsched_([a-z]+)\([0-9]+, ([0-9]+)\).*/\1 \2/p
		s/^mount\([^,]*, "([^"]*)", "simfs",.*/mount simfs \1/p
		s/^umount2?\("([^"]*)".*/umount \1/p' | uniq | sed "s|$R|ROOT|" | kill_phase
}
# §3.3 step 4: the halt's child exiting other than 0 or 1, or killed, goes straight to the
# kill phase (a second entry into the VE, step 5). busybox's halt makes the kernel kill the
# VE's init, and with it every process of the VE, the halt itself among them when it has
# not exited yet: a matter of timing. That second entry, right after the first, is marked.
kill_phase() {
	awk -v luid="setluid $VEID" '{ line[NR] = $0 }
	END {
		for (i = 1; i <= NR; i++) {
			print line[i]
			if (line[i] == "VE_ENTER" && line[i - 1] == luid && line[i + 1] == luid &&
				line[i + 2] == "VE_ENTER") { print "(kill phase)"; i += 2 }
		}
	}'
}
# the calls of a stop without its timing-dependent kill phase
no_kill() { grep -vx "(kill phase)"; }

# The sequences (vzctl-behaviour.md). Every command opens the kernel and probes it (§3.0).
# status (§3.8): is it running (VE_TEST).
status_calls() { printf '%s\n' probe VE_TEST; }
# the quota on (§4.2 "on", §4.7; the second level off in vps.basic: QUOTAUGIDLIMIT unset):
# known to the kernel? (STATUS), CREATE, the second level's config, ON
quota_on() { printf '%s\n' "quota STATUS" "quota CREATE" "quota UGID_SETCONFIG" "quota ON"; }
# the quota off (§4.2 "off"): known? (STATUS), OFF, the usage read back (GETSTAT), DESTROY
quota_off() { printf '%s\n' "quota STATUS" "quota OFF" "quota GETSTAT" "quota DESTROY"; }
# the start's part after "not running" (§3.2): quota on (limits raised, step 4), the mount
# (§3.9), child A: setluid and setublimit in step 9.3's order (SWAPPAGES unset), child B: the
# create (VE_CREATE|VE_EXCLUSIVE, the 32-byte param3), then with init held: CPU (no
# CPULIMIT: chwt 500000/CPUUNITS), meminfo (PRIVVMPAGES' barrier), the quota's configured
# limits back (step 10.11)
start_body() {
	quota_on
	echo "mount simfs ROOT"
	echo "setluid $VEID"
	for ub in "${VPS_BASIC_UB_ORDER[@]}"; do
		echo "ub $ub"
	done
	echo "create VE_CREATE|VE_EXCLUSIVE 32"
	echo "chwt $((500000 / $1))"
	echo "meminfo $(sed -n 's/^PRIVVMPAGES="\([0-9]*\):.*/\1/p' "$tmp/created.conf")"
	echo "quota SETLIMIT"
}
# stop (§3.3): running? (VE_TEST); the graceful halt from a child that calls setluid and
# enters the VE (step 4), then the wait (VE_TEST until it is gone); the unmount (vzemu does
# not trace umount: status checks it) and the quota off (step 7, §3.9). busybox's init obeys
# the halt: no kill phase.
stop_body() {
	printf '%s\n' VE_TEST "setluid $VEID" VE_ENTER VE_TEST
	quota_off
}
start_calls() { printf '%s\n' probe VE_TEST; start_body "$1"; }
stop_calls() { echo probe; stop_body; }
# restart (§3.4): stop, then start, in one command (one kernel handle)
restart_calls() { echo probe; stop_body; echo VE_TEST; start_body "$1"; }
# set (§3.6 step 12): running? then the UB step (setublimit NUMPROC), then the CPU step:
# chwt 500000/250
set_calls() { printf '%s\n' probe VE_TEST "ub NUMPROC" "chwt 2000"; }
# destroy (§3.5): running? (exit 32 if so). Step 2 asks the kernel whether the quota runs
# (`vzquota stat -f`, GETSTAT) and turns it off; vzlite's destroy only removes the file
# (a difference this test records, not the document's sequence: see the note)
destroy_calls() { printf '%s\n' probe VE_TEST; }

# create (§3.1 step 12, §4.2 init): is there a kernel quota for the id already? (§4.2 says
# GETSTAT; vzlite asks VZ_DQ_STATUS, which fails the same way, ESRCH, when there is none)
create_calls() { printf '%s\n' probe "quota STATUS"; }
check "create: the quota init's question to the kernel" "$(create_calls)" "$(calls 1)"
check "start: §3.2's calls in its order" "$(start_calls 1000)" "$(calls 2)"
check "status: §3.8's" "$(status_calls)" "$(calls 3)"
check "set --cpuunits 250 --numproc 333:333 --save on the running VE: the UB, then the CPU step" "$(set_calls)" "$(calls 4)"
check "stop: §3.3's" "$(stop_calls)" "$(calls 5 | no_kill)"
check "status after stop" "$(status_calls)" "$(calls 6)"
check "start again, with the saved CPUUNITS" "$(start_calls 250)" "$(calls 7)"
check "restart: §3.4, stop then start" "$(restart_calls 250)" "$(calls 8 | no_kill)"
check "stop again" "$(stop_calls)" "$(calls 9 | no_kill)"
check "destroy: §3.5's" "$(destroy_calls)" "$(calls 10)"
check "status after destroy" "$(status_calls)" "$(calls 11)"

finish test-lifecycle-full || { echo "scratch: $tmp"; exit 1; }
