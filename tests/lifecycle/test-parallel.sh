#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Lifecycle commands at the same time, under one vzemu run (one emulated kernel, one mount
# namespace), on busybox-init VEs (tests/tools/make-busybox-template.sh) of vps.basic:
#  1. ten `vzlite start` of ten VEs released at once all succeed: each VE is running
#     (status, /proc/vz/veinfo), its init is pid 1 of its own pid namespace and its service
#     runs; then ten stops at once all succeed and no VE is left;
#  2. two commands on one VE serialise through its lock (README, lib/lock.c):
#     a. a stop holds the lock (blocked in the VE's own halt) while a start is begun: the
#        start waits for the lock, then acts on what the stop left: it starts the VE again;
#     b. two starts wait for a lock another vzlite command holds: once it is freed one
#        starts the VE, the other then finds it running (exit 32), one init was created;
#     c. a vzlite command holds the lock for longer than the 10 s a command waits: start
#        fails with the lock error, exit 9, having changed nothing;
#     d. a live vzctl-style lock (a pid, no flock): start and stop exit 9 at once, the VE is
#        as it was, the foreign lock file is untouched.
#     e. a start waits while the lock's holder changes the config (as set --save does): it
#        applies the config as it is when it gets the lock (old: as read before waiting).
# "Waiting for the lock" is seen, without sleeps, as the waiter's lock temporaries
# (<VEID>.lck.<pid>.XXXXXX) being created in LOCKDIR (tests/tools/await-create).
# Usage: test-parallel.sh VZLITE FIXTURES_DIR SHARED_FIXTURES_DIR VZEMU AWAIT_CREATE
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?} shared=${3-} vzemu=${4:?} await=${5:?}
. "$(dirname "$0")/lifecycle-host.sh"
lifecycle_host parallel "$shared" "$vzemu" "$fixtures" "$@"
V=("$vzlite" --global-config "$conf")
E=("$vzemu" --state "$tmp/state")
VES=$(seq 101 110)
S=111 # the VE of part 2
for v in $VES $S; do
	"${V[@]}" create $v --ostemplate busybox-x86_64 --config vps.basic >/dev/null 2>&1 ||
		bad "create $v"
	mkfifo "$H/private/$v/run/svc.pid" # the service writes its pid: it runs
done
# VE S's halt tells the test it runs, then waits for the test's word: a stop blocked in its
# graceful halt, holding the lock.
rm "$H/private/$S/sbin/halt"
cat >"$H/private/$S/sbin/halt" <<'EOS'
#!/bin/sh
echo halting >/run/halting
read -r go </run/go
exec /bin/busybox halt "$@"
EOS
chmod 755 "$H/private/$S/sbin/halt"
mkfifo "$H/private/$S/run/halting" "$H/private/$S/run/go"

# 1. ten starts released at once, then ten stops at once
cat >"$tmp/ten.sh" <<EOS
V=(${V[*]@Q}) H=${H@Q} tmp=${tmp@Q}
exec 9<>"\$tmp/gate" # open read-write: the jobs' opens do not block, their reads do
for v in $(echo $VES); do
	(read -r _ <"\$tmp/gate"; "\${V[@]}" start \$v >"\$tmp/start-\$v.out" 2>&1; echo \$? >"\$tmp/start-\$v.rc") &
done
printf 'go\n%.0s' $(echo $VES) >&9 # one line each: all ten begin together
wait
cat /proc/vz/veinfo | sed 's/^/veinfo=/'
for v in $(echo $VES); do
	"\${V[@]}" status \$v
	svc=\$(timeout 20 cat \$H/root/\$v/run/svc.pid) # the VE's init has mounted its /proc
	# its comm is sh or, once the service has executed it, sleep: ask for its parent
	echo "\$v svc=\$(grep ^PPid: \$H/root/\$v/proc/\$svc/status 2>&1 | cut -f2)"
	echo "\$v pid1=\$(cat \$H/root/\$v/proc/1/comm 2>&1)"
	echo "\$v ns=\$(readlink \$H/root/\$v/proc/1/ns/pid)"
	init=\$(sed -n "s/.* VE \$v created: init \([0-9]*\) .*/\1/p" "\$tmp/trace")
	echo "\$v nspid=\$(grep ^NSpid: /proc/\$init/status | cut -f2-)"
done
echo "host ns=\$(readlink /proc/self/ns/pid)"
for v in $(echo $VES); do
	(read -r _ <"\$tmp/gate"; "\${V[@]}" stop \$v >"\$tmp/stop-\$v.out" 2>&1; echo \$? >"\$tmp/stop-\$v.rc") &
done
printf 'go\n%.0s' $(echo $VES) >&9
wait
for v in $(echo $VES); do "\${V[@]}" status \$v; done
EOS
mkfifo "$tmp/gate"
: >"$tmp/trace"
"${E[@]}" --trace "$tmp/trace" -- bash "$tmp/ten.sh" >"$tmp/ten.out" 2>&1
out=$(cat "$tmp/ten.out")
for v in $VES; do
	check "start $v of ten at once: exit 0" 0 "$(cat "$tmp/start-$v.rc" 2>&1)"
	has "VE $v running" "CTID $v exist mounted running" "$out"
	has "VE $v on /proc/vz/veinfo" "$(printf 'veinfo=%10d' $v)" "$out"
	has "VE $v: its service runs, a child of its init" "$v svc=1" "$out"
	has "VE $v: pid 1 in the VE is its init" "$v pid1=init" "$out"
	has_match "VE $v: its init is pid 1 of its own pid namespace (NSpid host 1)" \
		"$tmp/ten.out" "^$v nspid=[0-9]+[[:space:]]+1\$"
	check "stop $v of ten at once: exit 0" 0 "$(cat "$tmp/stop-$v.rc" 2>&1)"
	has "VE $v down after the stops" "CTID $v exist unmounted down" "$out"
	nothing_left "VE $v after ten starts and stops" "$H" $v "$vzemu" "$tmp/state"
done
check "ten pid namespaces, none the host's" 11 \
	"$(sed -n 's/^.*ns=//p' "$tmp/ten.out" | sort -u | grep -c '^pid:\[')"
check "ten VEs were created" 10 "$(grep -Ec '^[0-9]+ vzemu: VE [0-9]+ created: init ' "$tmp/trace")"

# 2. one VE, two commands
R=$H/root/$S L=$H/lock
cat >"$tmp/two.sh" <<EOS
V=(${V[*]@Q}) tmp=${tmp@Q} R=${R@Q} L=${L@Q} await=${await@Q}
"\${V[@]}" start $S >/dev/null 2>&1; echo "a: first start=\$?"
timeout 20 cat \$R/run/svc.pid >/dev/null
# a. stop blocked in the VE's halt (it holds the lock); a start waits, then starts the VE
"\${V[@]}" stop $S >"\$tmp/a-stop.out" 2>&1 &
stop=\$!
timeout 20 cat \$R/run/halting >/dev/null; echo "a: halt runs"
coproc W { "\$await" "\$L" "$S.lck." 1 20; }
read -r _ <&"\${W[0]}" # watching
"\${V[@]}" start $S >"\$tmp/a-start.out" 2>&1 &
start=\$!
read -r name <&"\${W[0]}"; echo "a: waiter \$name"
kill -0 \$start 2>/dev/null && echo "a: start still waits"
echo "a: created before the release: \$(grep -Ec '^[0-9]+ vzemu: VE $S created: ' \$tmp/trace)"
timeout 20 sh -c 'echo go >"\$0"' \$R/run/go
wait \$stop; echo "a: stop=\$?"
wait \$start; echo "a: start=\$?"
"\${V[@]}" status $S
echo "a: created: \$(grep -Ec '^[0-9]+ vzemu: VE $S created: ' \$tmp/trace)"
"\${V[@]}" stop --fast $S >/dev/null 2>&1; echo "a: stop --fast=\$?"

# b. two starts wait for a lock held as a vzlite command holds it (file with our pid, flock)
exec 8>"\$L/$S.lck"; printf '%d\n\n' \$\$ >&8; flock 8
coproc W { "\$await" "\$L" "$S.lck." 100000 20; }
read -r _ <&"\${W[0]}"
"\${V[@]}" start $S >"\$tmp/b-1.out" 2>&1 &
s1=\$!
"\${V[@]}" start $S >"\$tmp/b-2.out" 2>&1 &
s2=\$!
# each retry of a waiter makes a temporary: read until both waiters were seen
seen1= seen2=
while [ -z "\$seen1" ] || [ -z "\$seen2" ]; do
	read -r name <&"\${W[0]}" || break
	case \$name in $S.lck.\$s1.*) seen1=\$name ;; $S.lck.\$s2.*) seen2=\$name ;; esac
done
kill \$W_PID 2>/dev/null
echo "b: waiters \$seen1 \$seen2"
echo "b: pids \$s1 \$s2"
rm "\$L/$S.lck"; exec 8>&- # as vzlite unlocks: the name first, then the flock
wait \$s1; r1=\$?; wait \$s2; r2=\$?
echo "b: starts=\$(printf '%s\n' \$r1 \$r2 | sort -n | paste -sd' ')"
"\${V[@]}" status $S
echo "b: created: \$(grep -Ec '^[0-9]+ vzemu: VE $S created: ' \$tmp/trace)"
"\${V[@]}" stop --fast $S >/dev/null 2>&1; echo "b: stop --fast=\$?"

# e. a start waits while a command holding the lock changes the config (as set --save
#    does): the start reads the config under the lock, so it applies the new CPUUNITS
exec 8>"\$L/$S.lck"; printf '%d\n\n' \$\$ >&8; flock 8
coproc W { "\$await" "\$L" "$S.lck." 1 20; }
read -r _ <&"\${W[0]}"
"\${V[@]}" start $S >"\$tmp/e.out" 2>&1 &
s1=\$!
read -r _ <&"\${W[0]}"
sed -i 's/^CPUUNITS=.*/CPUUNITS="2000"/' ${H@Q}/conf/$S.conf
rm "\$L/$S.lck"; exec 8>&-
wait \$s1; echo "e: start=\$?"
grep -E '^[0-9]+ fairsched_chwt\($S, ' \$tmp/trace | tail -1 | sed 's/^[0-9]* /e: /'
"\${V[@]}" stop --fast $S >/dev/null 2>&1; echo "e: stop --fast=\$?"
sed -i 's/^CPUUNITS=.*/CPUUNITS="1000"/' ${H@Q}/conf/$S.conf

# c. the holder keeps the lock past the 10 s a command waits
exec 8>"\$L/$S.lck"; printf '%d\n\n' \$\$ >&8; flock 8
"\${V[@]}" start $S >"\$tmp/c.out" 2>&1; echo "c: start=\$?"
"\${V[@]}" status $S
rm "\$L/$S.lck"; exec 8>&-
EOS
out=$("${E[@]}" --trace "$tmp/trace" -- bash "$tmp/two.sh" 2>&1)
echo "$out" | sed 's/^/# /'
has "a: the VE ran" "a: first start=0" "$out"
has "a: the stop's halt runs" "a: halt runs" "$out"
has "a: the start waits for the lock" "a: start still waits" "$out"
has "a: no VE created while the stop held the lock" "a: created before the release: 1" "$out"
has "a: the stop succeeded" "a: stop=0" "$out"
has "a: the start, after the stop, started the VE again" "a: start=0" "$out"
has "a: running" "CTID $S exist mounted running" "$out"
has "a: a second init" "a: created: 2" "$out"
waiters=$(sed -n 's/^b: waiters //p' <<<"$out")
pids=$(sed -n 's/^b: pids //p' <<<"$out")
check "b: both starts waited for the lock" "$(for p in $pids; do echo "$S.lck.$p"; done | sort)" \
	"$(for n in $waiters; do echo "${n%.*}"; done | sort)"
has "b: one start started the VE, the other found it running (exit 32)" "b: starts=0 32" "$out"
has "b: the VE runs" "b: created: 3" "$out"
has "b: the loser says why" "VE $S is already running" "$(cat "$tmp/b-1.out" "$tmp/b-2.out")"
has "b: stopped" "b: stop --fast=0" "$out"
has "e: the waiting start started" "e: start=0" "$out"
# 500000 / CPUUNITS (vzctl's formula, as test-lifecycle.sh): 250 for the new 2000
has "e: it applied the config as it was when it got the lock" "e: fairsched_chwt($S, 250)" "$out"
has "e: stopped" "e: stop --fast=0" "$out"
has "c: start fails with the lock error" "c: start=9" "$out"
has "c: the error names the holder and the wait" "still was after 10" "$(cat "$tmp/c.out")"
has "c: down after the refused start" "CTID $S exist unmounted down" "$out"
nothing_left "after part 2" "$H" $S "$vzemu" "$tmp/state"

# d. a live vzctl-style lock: exit 9 at once (not after 10 s: the timeout is a bound)
sleep 100000 &
holder=$!
at_exit "kill $holder 2>/dev/null"
printf '%d\n' $holder >"$L/$S.lck"
cp "$L/$S.lck" "$tmp/lock.orig"
cat >"$tmp/d.sh" <<EOS
V=(${V[*]@Q})
timeout 8 "\${V[@]}" start $S 2>&1; echo "d: start=\$?"
cmp -s ${L@Q}/$S.lck ${tmp@Q}/lock.orig && echo "d: lock untouched by start"
"\${V[@]}" status $S
rm ${L@Q}/$S.lck.held 2>/dev/null; mv ${L@Q}/$S.lck ${L@Q}/$S.lck.held
"\${V[@]}" start $S >/dev/null 2>&1; echo "d: start unlocked=\$?"
mv ${L@Q}/$S.lck.held ${L@Q}/$S.lck
timeout 8 "\${V[@]}" stop $S 2>&1; echo "d: stop=\$?"
cmp -s ${L@Q}/$S.lck ${tmp@Q}/lock.orig && echo "d: lock untouched by stop"
"\${V[@]}" status $S
rm ${L@Q}/$S.lck
"\${V[@]}" stop --fast $S >/dev/null 2>&1; echo "d: stop --fast=\$?"
EOS
out=$("${E[@]}" -- bash "$tmp/d.sh" 2>&1)
has "d: start under a vzctl lock: exit 9 at once" "d: start=9" "$out"
has "d: the error names the holder" "VE $S is locked by process $holder" "$out"
has "d: the foreign lock is untouched by start" "d: lock untouched by start" "$out"
has "d: the foreign lock is untouched by stop" "d: lock untouched by stop" "$out"
has "d: not started" "CTID $S exist unmounted down" "$out"
has "d: started once the lock was gone" "d: start unlocked=0" "$out"
has "d: stop under a vzctl lock: exit 9 at once" "d: stop=9" "$out"
has "d: still running" "CTID $S exist mounted running" "$out"
has "d: stopped once the lock was gone" "d: stop --fast=0" "$out"
kill $holder
nothing_left "after part d" "$H" $S "$vzemu" "$tmp/state"

finish test-parallel || { echo "scratch: $tmp"; exit 1; }
