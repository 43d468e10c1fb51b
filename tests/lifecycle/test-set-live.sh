#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# `vzlite set` on a running VE (vzctl-behaviour.md §3.6), under vzemu. The VE is made
# running with the emulator's ABI client (fork, setluid, setublimit, VZCTL_ENV_CREATE_DATA),
# so no start is needed; set only needs its config and the kernel's VE.
#  1. every UB parameter (kernel-abi.md §8.1 ids and names) and CPUUNITS, CPULIMIT, CPUS:
#     the trace shows the call with the arguments the documents give, and with --save the
#     config differs from before in exactly that line;
#  2. without --save: applied, nothing written; --dry-run: the call printed, nothing sent;
#  3. a failed setublimit / fairsched_chwt: vzctl's exit code (1, 2), the parameter named,
#     the one applied before it set back to the config's value, the config unchanged;
#  4. VE_ROOT while running: 32; a restart-only change: saved with a warning, the others
#     applied; --setmode ignore with it: 32, nothing applied or saved (vzctl's behaviour);
#  5. --reset_ub: every UB of the config in start's order; on a stopped VE 31; with others 20.
# Usage: test-set-live.sh VZLITE FIXTURES_DIR VZEMU ABI_CLIENT
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?} vzemu=${3:?} client=${4:?}
tmp=$(mktemp -d /tmp/vzl-setlive.XXXXXX)
emu_setup "$vzemu" "$tmp"
conf=$("$fixtures/make-demo-host.sh" "$tmp/host")
H=$tmp/host VEID=101 STOPPED=102
cfg=$H/conf/$VEID.conf
cp "$H/conf/ve-small.conf-sample" "$cfg"
cp "$H/conf/ve-small.conf-sample" "$H/conf/$STOPPED.conf"
V=("$vzlite" --global-config "$conf")
E=("$vzemu" --state "$tmp/state")

"${E[@]}" -- "$client" create $VEID -- sleep 100000 >"$tmp/create.out" 2>&1
has "the VE runs" "created $VEID" "$(cat "$tmp/create.out")"
check "status: running" "CTID $VEID deleted unmounted running" "$("${E[@]}" -- "${V[@]}" status $VEID)"

# run NAME ARGS...: vzlite set under vzemu with its own trace; $rc, $out (stdout+stderr)
run() {
	local name=$1
	shift
	: >"$tmp/$name.trace"
	out=$("${E[@]}" --trace "$tmp/$name.trace" "${EMU_EXTRA[@]}" -- "${V[@]}" "$@" 2>&1)
	rc=$?
}
EMU_EXTRA=()
# The calls of a trace after the VE_TESTs: the set's own kernel calls, pid and result cut.
calls() { sed -nE 's/^[0-9]+ ((setublimit|fairsched_[a-z]+)\(.*\)) = .*/\1/p' "$tmp/$1.trace"; }
# A UB value as vzlite writes it (libvirt-openvz.md §4.1, §7): always two plain decimals
# "BAR:LIM", also when barrier = limit, LONG_MAX as the number (vzctl would write "BAR" and
# "unlimited", which libvirt cannot read).
render_ub() { echo "${1%:*}:${1#*:}"; }
# The config FILE as it must be after KEY=VALUE was saved: that line replaced, or appended.
expected_config() {
	if grep -q "^$1=" "$2"; then sed "s|^$1=.*|$1=\"$3\"|" "$2"; else cat "$2"; echo "$1=\"$3\""; fi
}
# The trace's rendering of a UB number: LONG_MAX is UB_MAXVALUE (kernel-abi.md §8).
trace_ub() { [ "$1" = 9223372036854775807 ] && echo UB_MAXVALUE || echo "$1"; }

# 1. UB parameters: option, kernel name (kernel-abi.md §8.1), barrier:limit sent.
ubs="kmemsize KMEMSIZE UB_KMEMSIZE 3000000:3100000
lockedpages LOCKEDPAGES UB_LOCKEDPAGES 300:310
privvmpages PRIVVMPAGES UB_PRIVVMPAGES 70000:75000
shmpages SHMPAGES UB_SHMPAGES 20000:20000
numproc NUMPROC UB_NUMPROC 300:300
physpages PHYSPAGES UB_PHYSPAGES 0:262144
vmguarpages VMGUARPAGES UB_VMGUARPAGES 40000:9223372036854775807
oomguarpages OOMGUARPAGES UB_OOMGUARPAGES 30000:9223372036854775807
numtcpsock NUMTCPSOCK UB_NUMTCPSOCK 500:500
numflock NUMFLOCK UB_NUMFLOCK 200:220
numpty NUMPTY UB_NUMPTY 32:32
numsiginfo NUMSIGINFO UB_NUMSIGINFO 1000:1000
tcpsndbuf TCPSNDBUF UB_TCPSNDBUF 2000000:3000000
tcprcvbuf TCPRCVBUF UB_TCPRCVBUF 2000001:3000001
othersockbuf OTHERSOCKBUF UB_OTHERSOCKBUF 1000000:2000000
dgramrcvbuf DGRAMRCVBUF UB_DGRAMRCVBUF 300000:300000
numothersock NUMOTHERSOCK UB_NUMOTHERSOCK 400:400
numfile NUMFILE UB_NUMFILE 9000:9000
dcachesize DCACHESIZE UB_DCACHESIZE 4000000:4200000
numiptent NUMIPTENT UB_NUMXTENT 200:200
swappages SWAPPAGES UB_SWAPPAGES 0:262144"
n=0
while read -r opt key ub value; do
	n=$((n + 1))
	cp "$cfg" "$tmp/before"
	run "$opt" set $VEID "--$opt" "$value" --save
	check "--$opt: exit" 0 "$rc"
	check "--$opt: the call" "setublimit($VEID, $ub, {$(trace_ub "${value%:*}"), $(trace_ub "${value#*:}")})" \
		"$(calls "$opt")"
	check "--$opt --save: only its line changed" \
		"$(expected_config "$key" "$tmp/before" "$(render_ub "$value")")" "$(cat "$cfg")"
done <<<"$ubs"
check "every UB parameter with a kernel resource tried" 21 $n

# CPU: vzctl's formulas (§3.6): chwt 500000/u; rate p*1024/100, 0 drops the rate; vcpus n.
cpu="cpuunits CPUUNITS 250 fairsched_chwt($VEID, 2000)
cpuunits CPUUNITS 1000 fairsched_chwt($VEID, 500)
cpulimit CPULIMIT 50 fairsched_rate($VEID, FAIRSCHED_SET_RATE, 512)
cpulimit CPULIMIT 0 fairsched_rate($VEID, FAIRSCHED_DROP_RATE, 0)
cpus CPUS 2 fairsched_vcpus($VEID, 2)"
while read -r opt key value call; do
	cp "$cfg" "$tmp/before"
	run "$opt" set $VEID "--$opt" "$value" --save
	check "--$opt $value: exit" 0 "$rc"
	check "--$opt $value: the call" "$call" "$(calls "$opt")"
	check "--$opt $value --save: only its line changed" \
		"$(expected_config "$key" "$tmp/before" "$value")" "$(cat "$cfg")"
done <<<"$cpu"

# 2. without --save: sent, not written; --dry-run: printed, neither sent nor written.
cp "$cfg" "$tmp/before"
run nosave set $VEID --numproc 280:290
check "no --save: exit" 0 "$rc"
check "no --save: the call" "setublimit($VEID, UB_NUMPROC, {280, 290})" "$(calls nosave)"
has "no --save: the warning" "not saved to config" "$out"
check "no --save: config unchanged" "$(cat "$tmp/before")" "$(cat "$cfg")"
run dry --dry-run set $VEID --numproc 270:270 --cpuunits 500 --save
check "--dry-run: exit" 0 "$rc"
has "--dry-run: the setublimit printed" "setublimit($VEID, UB_NUMPROC, {270, 270})" "$out"
has "--dry-run: the chwt printed" "fairsched_chwt($VEID, 1000)" "$out"
check "--dry-run: nothing sent" "" "$(calls dry)"
check "--dry-run: config unchanged" "$(cat "$tmp/before")" "$(cat "$cfg")"

# 3. failures: the second setublimit (NUMFILE) fails; NUMPROC, sent first, is set back to the
# config's value (300:300 from part 1).
cp "$cfg" "$tmp/before"
EMU_EXTRA=(--fail setublimit:EINVAL:2)
run ubfail set $VEID --numproc 350:350 --numfile 9500:9500 --save
EMU_EXTRA=()
check "failed setublimit: exit 1 (VZ_SETUBC_ERROR)" 1 "$rc"
has "failed setublimit: names the VE and the parameter" "VE $VEID: NUMFILE cannot be applied" "$out"
check "failed setublimit: applied, failed, set back" \
	"setublimit($VEID, UB_NUMPROC, {350, 350})
setublimit($VEID, UB_NUMFILE, {9500, 9500})
setublimit($VEID, UB_NUMPROC, {300, 300})" "$(calls ubfail)"
check "failed setublimit: config unchanged" "$(cat "$tmp/before")" "$(cat "$cfg")"
EMU_EXTRA=(--fail fairsched_chwt:EINVAL)
run cpufail set $VEID --cpus 3 --cpuunits 400 --save
EMU_EXTRA=()
check "failed fairsched_chwt: exit 2 (VZ_SETFSHD_ERROR)" 2 "$rc"
has "failed fairsched_chwt: names the parameter" "CPUUNITS cannot be applied" "$out"
check "failed fairsched_chwt: chwt before vcpus, nothing to set back" \
	"fairsched_chwt($VEID, 1250)" "$(calls cpufail)"
check "failed fairsched_chwt: config unchanged" "$(cat "$tmp/before")" "$(cat "$cfg")"

# 4. what a running VE refuses or takes at a restart only
run root set $VEID --root /elsewhere --save
check "VE_ROOT while running: exit 32" 32 "$rc"
has "VE_ROOT: says why" "cannot change while VE $VEID runs" "$out"
check "VE_ROOT: config unchanged" "$(cat "$tmp/before")" "$(cat "$cfg")"
run ignore set $VEID --numproc 330:330 --capability sys_time:on --setmode ignore --save
check "--setmode ignore with a restart-only change: exit 32" 32 "$rc"
check "--setmode ignore: nothing applied" "" "$(calls ignore)"
check "--setmode ignore: config unchanged" "$(cat "$tmp/before")" "$(cat "$cfg")"
run mixed set $VEID --numproc 330:330 --capability sys_time:on --save
expected_config NUMPROC "$tmp/before" 330:330 >"$tmp/numproc"
expected_config CAPABILITY "$tmp/numproc" sys_time:on >"$tmp/mixed"
check "restart-only change with a live one: exit 0" 0 "$rc"
check "restart-only change: the live one applied" "setublimit($VEID, UB_NUMPROC, {330, 330})" "$(calls mixed)"
has "restart-only change: says it needs a restart" "CAPABILITY cannot change in a running VE" "$out"
check "restart-only change: both saved" "$(cat "$tmp/mixed")" "$(cat "$cfg")"
run restart set $VEID --numproc 330:330 --setmode restart
check "--setmode restart without --save: exit 20" 20 "$rc"

# 5. --reset_ub: every UB of the config, in start's order (§3.2 step 9.3: NUMFILE before
# DCACHESIZE), with the values of the config.
run reset set $VEID --reset_ub
check "--reset_ub: exit" 0 "$rc"
expected=""
for key in KMEMSIZE LOCKEDPAGES PRIVVMPAGES SHMPAGES NUMPROC PHYSPAGES VMGUARPAGES OOMGUARPAGES \
	NUMTCPSOCK NUMFLOCK NUMPTY NUMSIGINFO TCPSNDBUF TCPRCVBUF OTHERSOCKBUF DGRAMRCVBUF \
	NUMOTHERSOCK NUMFILE DCACHESIZE NUMIPTENT SWAPPAGES; do
	v=$(sed -n "s/^$key=\"\(.*\)\"/\1/p" "$cfg")
	[ -n "$v" ] || continue
	[ "$v" = "${v#*:}" ] && v=$v:$v
	v=${v//unlimited/UB_MAXVALUE}
	v=${v//9223372036854775807/UB_MAXVALUE}
	ub=UB_$key
	[ "$key" = NUMIPTENT ] && ub=UB_NUMXTENT
	expected+="setublimit($VEID, $ub, {${v%:*}, ${v#*:}})"$'\n'
done
check "--reset_ub: the config's UBs in start's order" "${expected%$'\n'}" "$(calls reset)"
check "--reset_ub: config unchanged" "$(cat "$tmp/mixed")" "$(cat "$cfg")"
run reset_stopped set $STOPPED --reset_ub
check "--reset_ub on a stopped VE: exit 31" 31 "$rc"
run reset_more set $VEID --reset_ub --numproc 5
check "--reset_ub with another option: exit 20" 20 "$rc"

# A stopped VE is still only a config to edit.
cp "$H/conf/$STOPPED.conf" "$tmp/before"
run stopped set $STOPPED --numproc 310:310 --save
check "stopped VE: exit" 0 "$rc"
check "stopped VE: no call" "" "$(calls stopped)"
check "stopped VE: saved" "$(expected_config NUMPROC "$tmp/before" 310:310)" "$(cat "$H/conf/$STOPPED.conf")"

finish test-set-live || { echo "scratch: $tmp"; exit 1; }
