#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# `vzlite set --setmode restart --save` on a running busybox-init VE, under vzemu
# (vzctl-behaviour.md §3.6 step 11): when a change needs a restart (FEATURES here),
# nothing is applied live, the config is saved and the VE is restarted, so the new values
# reach the kernel through the start (§3.2: the create's feature mask, CPUUNITS' chwt).
# When no change needs a restart, --setmode restart changes nothing: the values are applied
# live and saved, the VE keeps running.
# Usage: test-setmode-restart.sh VZLITE FIXTURES_DIR SHARED_FIXTURES_DIR VZEMU
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?} shared=${3-} vzemu=${4:?}
. "$(dirname "$0")/lifecycle-host.sh"
lifecycle_host setmode "$shared" "$vzemu" "$fixtures" "$@"
V=("$vzlite" --global-config "$conf")
E=("$vzemu" --state "$tmp/state")
VEID=4711 cfg=$H/conf/4711.conf
"${V[@]}" create $VEID --ostemplate busybox-x86_64 --config vps.basic >/dev/null 2>&1
check "create" 0 $?
cp "$cfg" "$tmp/before"

# The calls that tell a restart: the stop's entry (VE_ENTER, §3.3), the VE's init exiting,
# the create (§3.2 step 9.7: features on and known), CPU (chwt: 500000 / CPUUNITS).
calls() {
	sed -nE 's/^[0-9]+ ioctl\(\/dev\/vzctl, VZCTL_ENV_CREATE, \{veid=[0-9]+, flags=(VE_ENTER),.*/\1/p
		s/^[0-9]+ ioctl\(\/dev\/vzctl, VZCTL_ENV_CREATE_DATA, .*feature_mask=(0x[0-9a-f]+|0), known_features=(0x[0-9a-f]+|0).*/create features=\1 known=\2/p
		s/^[0-9]+ (fairsched_chwt\([0-9]+, [0-9]+\)).*/\1/p
		s/^[0-9]+ vzemu: VE [0-9]+ (init exited).*/\1/p' "$1" |
		awk '$0 != "VE_ENTER" || !seen++' # a kill phase's second entry: see below
}
# (§3.3 step 4: when busybox's halt is killed with the VE before it exits, the stop goes to
# the kill phase and enters the VE a second time; which happens is a matter of timing.)
cat >"$tmp/run.sh" <<EOS
V=(${V[*]@Q})
"\${V[@]}" start $VEID >/dev/null 2>&1; echo "start=\$?"
"\${V[@]}" set $VEID --features sysfs:off --cpuunits 250 --setmode restart --save 2>&1
echo "set1=\$?"
cp $cfg $tmp/after1
"\${V[@]}" status $VEID | sed 's/^/after set1: /'
"\${V[@]}" set $VEID --cpuunits 500 --setmode restart --save 2>&1; echo "set2=\$?"
"\${V[@]}" status $VEID
"\${V[@]}" stop --fast $VEID >/dev/null 2>&1; echo "stop=\$?"
EOS
"${E[@]}" --trace "$tmp/trace" -- bash "$tmp/run.sh" >"$tmp/out" 2>"$tmp/err"
out=$(cat "$tmp/out")
# the trace of the Nth vzlite command of the script (each waits for what it started)
nth() { awk -v want="$1" '/vzemu: exec execve\("[^"]*\/vzlite"/ { n++ } n == want' "$tmp/trace"; }
nth 2 >"$tmp/set1.trace"
nth 4 >"$tmp/set2.trace"

has "start" "start=0" "$out"
has "a change that needs a restart: exit 0" "set1=0" "$out"
has "it says the VE was restarted" "Saved parameters for VE $VEID and restarted it" "$out"
# nothing live: no chwt before the stop; the stop's halt, init gone, the create with sysfs
# off (known, not on), then chwt 500000/250 from the saved config
check "a change that needs a restart: stop, then start with the new values" \
	"VE_ENTER|init exited|create features=0 known=0x1|fairsched_chwt($VEID, 2000)" \
	"$(calls "$tmp/set1.trace" | paste -sd'|')"
has "the VE runs after the restart" "after set1: CTID $VEID exist mounted running" "$out"
check "both saved, each in its line" \
	"$(sed 's/^CPUUNITS=.*/CPUUNITS="250"/' "$tmp/before"; echo 'FEATURES="sysfs:off"')" \
	"$(cat "$tmp/after1")"
# no change needs a restart: applied live (chwt 500000/500), no restart
has "no change needs a restart: exit 0" "set2=0" "$out"
check "no change needs a restart: applied live, no restart" "fairsched_chwt($VEID, 1000)" \
	"$(calls "$tmp/set2.trace" | paste -sd'|')"
check "still running" "CTID $VEID exist mounted running" "$(grep "^CTID" <<<"$out")"
check "saved" "$(sed 's/^CPUUNITS=.*/CPUUNITS="500"/' "$tmp/after1")" "$(cat "$cfg")"
has "stop" "stop=0" "$out"
nothing_left "after the stop" "$H" $VEID "$vzemu" "$tmp/state"

finish test-setmode-restart || { echo "scratch: $tmp"; cat "$tmp/err"; exit 1; }
