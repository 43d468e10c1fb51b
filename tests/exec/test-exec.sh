#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# vzlite exec and enter (vzctl-behaviour.md §3.7, §8 item 6) on the busybox-init VE
# (tests/tools/make-busybox-template.sh, vps.basic) under vzemu:
#  1. exec: the command's own exit status; argv exactly as given; stdin, stdout and stderr
#     relayed (1 MB through cat, byte for byte); --shell as vzctl; -t gives a pty of the
#     VE's devpts; the command sees the VE's processes only and the VE's host name; a
#     command killed by signal N gives 128+N; signals sent to vzlite reach the command;
#     vzlite's own failures: 31 not running, 127 not found, each with its message, and
#     --json tells them apart; the kernel calls in §3.7's order;
#  2. enter through a real pty (pty-drive.py): the host terminal raw while the shell runs,
#     a command run, a resize reaching the shell, "entered into" / "exited from", the
#     termios restored after a normal exit and after vzlite is killed by SIGTERM; --exec;
#  3. a sweep: each kernel call of exec fails in turn (vzemu --fail): a clear error, not the
#     command's status, and nothing left (no process added to the VE, no lock, no mount).
# Everything that needs the VE's mounts runs in one vzemu run (each run has its own mount
# namespace), with its results written to files the checks below read.
# Usage: test-exec.sh VZLITE FIXTURES_DIR SHARED_FIXTURES_DIR VZEMU
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?} shared=${3-} vzemu=${4:?}
. "$here/../lifecycle/lifecycle-host.sh"
lifecycle_host exec "$shared" "$vzemu" "$fixtures" "$@"
command -v python3 >/dev/null || skip "no python3 for the pty harness"
V=("$vzlite" --global-config "$conf")
E=("$vzemu" --state "$tmp/state")
VEID=101 P=$H/private/101 R=$H/root/101
O=$tmp/out
mkdir -p "$O"
"${V[@]}" create $VEID --ostemplate busybox-x86_64 --config vps.basic >/dev/null 2>&1
check "create" 0 $?
mkfifo "$P/run/svc.pid" "$P/tmp/ready"
mknod "$P/dev/tty2" c 4 2 # the VE's second console, as fuller templates have it
head -c 1000000 /dev/urandom >"$tmp/big"
drive=("python3" "$here/pty-drive.py")

# 1 and 2: one run. `r NAME CMD...` runs CMD with stdout/stderr in $O/NAME.{out,err}, its
# exit status in $O/NAME.rc.
cat >"$tmp/main.sh" <<EOS
V=(${V[*]@Q}) drive=(${drive[*]@Q})
r() { local n=\$1; shift; "\$@" >$O/\$n.out 2>$O/\$n.err; echo \$? >$O/\$n.rc; }
"\${V[@]}" start $VEID >$O/start.out 2>&1 || exit 1
timeout 20 cat $R/run/svc.pid >/dev/null # the init's sysinit (host name) is done
r trace-mark true
r exit7 "\${V[@]}" exec $VEID -- sh -c 'exit 7'
r argv "\${V[@]}" exec $VEID -- printf '%s\n' 'a b' "c'd" '' '\$HOME *'
echo hi | r stdin "\${V[@]}" exec $VEID -- cat
r big "\${V[@]}" exec $VEID -- cat <$tmp/big
r streams "\${V[@]}" exec $VEID -- sh -c 'echo to-out; echo to-err >&2; exit 3'
r shell "\${V[@]}" exec $VEID --shell 'echo \$((2+3)) "x  y"; exit 4'
r hostname "\${V[@]}" exec $VEID -- hostname
# a host descriptor without close-on-exec (77) must not reach the VE: ls sees its stdio
# and its own directory descriptor only
r fds "\${V[@]}" exec $VEID -- ls /proc/self/fd 77<$tmp/big
hostname >$O/host-hostname.out
r procs "\${V[@]}" exec $VEID -- sh -c 'cat /proc/1/comm; for p in /proc/[0-9]*; do cat \$p/comm; done'
r killed "\${V[@]}" exec $VEID -- sh -c 'kill -9 \$\$'
r json "\${V[@]}" exec --json $VEID -- sh -c 'exit 5'
r notfound "\${V[@]}" exec --json $VEID -- no-such-command
# a signal to vzlite reaches the command: one it traps, one that ends it
"\${V[@]}" exec $VEID -- sh -c 'trap "echo got-TERM; exit 9" TERM; echo >/tmp/ready; while :; do sleep 1 & wait; done' >$O/sigterm.out 2>&1 &
pid=\$!; timeout 20 cat $R/tmp/ready; kill -TERM \$pid; wait \$pid; echo \$? >$O/sigterm.rc
"\${V[@]}" exec $VEID -- sh -c 'echo >/tmp/ready; exec sleep 1000' >$O/sigint.out 2>&1 &
pid=\$!; timeout 20 cat $R/tmp/ready; kill -INT \$pid; wait \$pid; echo \$? >$O/sigint.rc
# the pty: the VE's devpts, mounted as its own init scripts would
r devpts "\${V[@]}" exec $VEID -- mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts
r tty "\${V[@]}" exec -t $VEID -- tty
printf 'line1\npartial' | r tty-eof timeout 20 "\${V[@]}" exec -t $VEID -- cat
# enter through a real terminal
# the shell's prompt comes through the relay, which made the terminal raw before it began
r enter "\${drive[@]}" expect:'entered into CT $VEID' expect:'# ' raw \
	send:'hostname; echo mark-\$((6*7))\r' expect:mark-42 \
	winsize:33:101 send:'stty size\r' expect:'33 101' \
	send:'exit 3\r' expect:'exited from CT $VEID' -- "\${V[@]}" enter $VEID
r enter-term "\${drive[@]}" expect:'entered into CT $VEID' expect:'# ' raw send:'echo up-\$((1+1))\r' \
	expect:up-2 kill:15 -- "\${V[@]}" enter $VEID
r enter-exec "\${drive[@]}" expect:'typed-9' send:'exit\r' -- \
	"\${V[@]}" enter $VEID --exec echo 'typed-\$((3*3))'
# the console (VE_CONFIGURE_OPEN_TTY): what the VE writes to its /dev/tty2 shows, what is
# typed reaches a VE process reading it, a second attachment is refused while one is on,
# "Esc ." detaches only at the start of a line
r console "\${drive[@]}" expect:'Attached to CT $VEID console 2' raw \
	run:"${V[*]@Q} exec $VEID -- sh -c 'echo from-ve-\\\$((2*3)) >/dev/tty2'" expect:from-ve-6 \
	send:'typed-in\r' run:"${V[*]@Q} exec $VEID -- sh -c 'read l </dev/tty2; echo \\"echoed:\\\$l\\" >/dev/tty2'" \
	expect:echoed:typed-in \
	run:"${V[*]@Q} console $VEID 2 >$O/busy.out 2>&1; echo \\\$? >$O/busy.rc" \
	send:'x\e.' run:"${V[*]@Q} exec $VEID -- sh -c 'echo still-\\\$((1+2)) >/dev/tty2'" expect:still-3 \
	send:'\r\e.' -- "\${V[@]}" console $VEID 2
r console-bad "\${V[@]}" console $VEID 13
"\${V[@]}" stop --fast $VEID >$O/stop.out 2>&1
r console-stopped "\${drive[@]}" expect:'Attached to CT $VEID console 1' send:'\e.' -- "\${V[@]}" console $VEID
r stopped "\${V[@]}" exec $VEID -- sh
r stopped-json "\${V[@]}" exec --json $VEID -- sh
r enter-stopped "\${drive[@]}" -- "\${V[@]}" enter $VEID
EOS
"${E[@]}" --trace "$tmp/main.trace" -- bash "$tmp/main.sh" >"$tmp/main.log" 2>&1
check "start and the run" 0 $?
echo "# the main run: ${SECONDS}s since the test began"
out() { cat "$O/$1.out"; }
err() { cat "$O/$1.err"; }
rc() { cat "$O/$1.rc"; }

check "exec sh -c 'exit 7': exit 7" 7 "$(rc exit7)"
check "exec sh -c 'exit 7': nothing from vzlite" "" "$(err exit7)"
check "argv exactly: spaces, quotes, empty, \$ and * kept" \
	"$(printf '%s\n' 'a b' "c'd" '' '$HOME *')" "$(out argv)"
check "argv: exit 0" 0 "$(rc argv)"
check "stdin relayed" "hi" "$(out stdin)"
check "1 MB of stdin through cat, byte for byte" "$(sha1sum <"$tmp/big")" "$(sha1sum <"$O/big.out")"
check "stdout and stderr kept apart: stdout" "to-out" "$(out streams)"
check "stdout and stderr kept apart: stderr" "to-err" "$(err streams)"
check "stdout and stderr kept apart: exit 3" 3 "$(rc streams)"
check "--shell runs the line with a shell" "5 x  y" "$(out shell)"
check "--shell: the shell's exit status" 4 "$(rc shell)"
check "the VE's host name (its init set it from /etc/hostname)" "busybox" "$(out hostname)"
[ "$(out host-hostname)" != busybox ] && ok "the host's name is another" ||
	bad "the host's name is busybox too: the check proves nothing"
check "no host descriptor reaches the command" "0 1 2 3" "$(out fds | tr '\n' ' ' | sed 's/ $//')"
check "pid 1 is the VE's init" init "$(out procs | head -1)"
# the glob is expanded before the first cat runs: init, the service's sleep, the command
check "only the VE's processes: init, its service, the command" \
	"init sh sleep" "$(out procs | tail -n +2 | sort -u | tr '\n' ' ' | sed 's/ $//')"
check "a command killed by SIGKILL: 128+9" 137 "$(rc killed)"
check "a command's status is not vzlite's: no message" "" "$(err killed)"
json_field() { python3 -c 'import json, sys
d = json.loads(sys.stdin.read().strip().splitlines()[-1])
v = d
for k in sys.argv[1:]:
    v = v[k]
print(json.dumps(v))' "$@"; }
check "--json: exit 5" 5 "$(rc json)"
check "--json: started, its status" "true 5 5 null null" \
	"$(for k in started exit_code status signal error; do err json | json_field $k; done | tr '\n' ' ' | sed 's/ $//')"
check "not found: 127 as a shell" 127 "$(rc notfound)"
has "not found: the message names the command and the VE" \
	"vzlite: VE $VEID: cannot execute 'no-such-command' in VE $VEID: No such file or directory" \
	"$(err notfound)"
check "not found --json: not started, 127, step exec" 'false|127|"exec"' \
	"$(err notfound | json_field started)|$(err notfound | json_field exit_code)|$(err notfound | json_field error step)"
check "SIGTERM to vzlite reached the command (its trap ran)" "got-TERM" "$(out sigterm)"
check "SIGTERM: the command's own exit status" 9 "$(rc sigterm)"
check "SIGINT to vzlite ended the command: 128+2" 130 "$(rc sigint)"
check "mount devpts inside the VE" 0 "$(rc devpts)"
has_match "-t: the command's terminal is a pty of the VE" "$O/tty.out" '^/dev/pts/[0-9]+.?$'
check "-t: exit 0" 0 "$(rc tty)"
# printf's one write reaches the pty at once and is echoed then; cat writes what it read
# after that: "line1", then the partial line, sent by the first EOF key; the second ends cat
check "-t: the end of stdin ends the command (the EOF key)" 0 "$(rc tty-eof)"
check "-t: the echo, then what cat got" "line1|partialline1|partial" \
	"$(tr -d '\r' <"$O/tty-eof.out" | paste -sd'|')"

check "enter: the steps" "raw=yes|exit=3|termios=restored" "$(out enter | paste -sd'|')"
has "enter: the command ran in the VE" "busybox" "$(err enter)"
has "enter: the resize reached the shell" "33 101" "$(err enter)"
check "enter killed by SIGTERM" "raw=yes|exit=143|termios=restored" "$(out enter-term | paste -sd'|')"
has "enter killed: says it left" "exited from CT $VEID" "$(err enter-term)"
check "enter --exec: typed into the shell, which stays open" "exit=0|termios=restored" \
	"$(out enter-exec | paste -sd'|')"
check "console: the steps" "raw=yes|exit=0|termios=restored" "$(out console | paste -sd'|')"
has "console: detached" "Detached from CT $VEID" "$(err console)"
check "console: a second attachment while one is on: exit 7" 7 "$(rc busy)"
has "console: a second attachment: the message" \
	"vzlite: VE $VEID: console 2 is attached elsewhere already" "$(cat "$O/busy.out")"
check "console 13: exit 21" 21 "$(rc console-bad)"
has "console 13: the message" "give 1 to 12" "$(err console-bad)"
check "console of a stopped VE: attaches (consoles outlive it), Esc . detaches" \
	"exit=0|termios=restored" "$(out console-stopped | paste -sd'|')"
check "exec on a stopped VE: 31" 31 "$(rc stopped)"
check "exec on a stopped VE: the message" \
	"vzlite: VE $VEID: not running; start it first (vzlite start $VEID)" "$(err stopped)"
check "exec --json on a stopped VE: not started, 31, step state" 'false|31|"state"' \
	"$(err stopped-json | json_field started)|$(err stopped-json | json_field exit_code)|$(err stopped-json | json_field error step)"
check "enter on a stopped VE: 31, terminal untouched" "exit=31|termios=restored" \
	"$(out enter-stopped | paste -sd'|')"
has "enter on a stopped VE: the message" "not running" "$(err enter-stopped)"

# The kernel calls of one exec, in §3.7's order (kernel-abi.md §12.2): the handle and
# vzctl's probe, VE_TEST (running?), then in the child setluid and VE_ENTER.
calls() {
	awk '$2 != "vzemu:" {
		if ($2 ~ /^ioctl\(/) { a = $3; b = $5; gsub(/,/, "", a); gsub(/[,}]/, "", b); name = a " " b } else { name = $2; sub(/\(.*/, "", name) }
		print name }' "$@"
}
# the second vzlite of the run (the first is the start)
awk '/vzemu: exec execve\("[^"]*\/vzlite"/ { n++ } n == 2' "$tmp/main.trace" >"$tmp/exit7.trace"
check "exec: the kernel calls in §3.7's order" \
	"openat|VZCTL_ENV_CREATE flags=0|VZCTL_ENV_CREATE flags=VE_TEST|setluid|VZCTL_ENV_CREATE flags=VE_ENTER" \
	"$(calls "$tmp/exit7.trace" | paste -sd'|')"
has_match "exec: setluid of the VE" "$tmp/exit7.trace" "setluid\\($VEID\\) = 0"
has_match "exec: VE_ENTER of the VE" "$tmp/exit7.trace" "veid=$VEID, flags=VE_ENTER.* = $VEID"
nothing_left "after exec and enter" "$H" $VEID "$vzemu" "$tmp/state"

# 3. each kernel call of exec fails in turn, after a start in the same run. The position of
# a call is counted over the run (vzemu --fail's NTH): the start's calls come first.
"${E[@]}" --trace "$tmp/ref.trace" -- bash -c "${V[*]@Q} start $VEID >/dev/null 2>&1 &&
	timeout 20 cat $R/run/svc.pid >/dev/null && ${V[*]@Q} exec $VEID -- sh -c 'exit 0' &&
	${V[*]@Q} stop --fast $VEID >/dev/null 2>&1"
check "sweep: the reference run" 0 $?
awk '/vzemu: exec execve\("[^"]*\/vzlite"/ { n++ } n == 2 { exit } $2 != "vzemu:" {
	if ($2 ~ /^ioctl\(/) { name = $3; sub(/,$/, "", name) } else { name = $2; sub(/\(.*/, "", name) }
	seen[name]++ }
	END { for (k in seen) print k, seen[k] }' "$tmp/ref.trace" >"$tmp/start.counts"
awk '/vzemu: exec execve\("[^"]*\/vzlite"/ { n++ } n == 2 && $2 != "vzemu:" {
	if ($2 ~ /^ioctl\(/) { name = $3; sub(/,$/, "", name) } else { name = $2; sub(/\(.*/, "", name) }
	print name }' "$tmp/ref.trace" >"$tmp/exec.calls"
cat >"$tmp/sweep.sh" <<EOS
V=(${V[*]@Q})
"\${V[@]}" start $VEID >/dev/null 2>&1 || { echo "start failed"; exit 1; }
timeout 20 cat $R/run/svc.pid >/dev/null
ls $R/proc | grep -c '^[0-9]' | sed 's/^/before=/'
"\${V[@]}" exec $VEID -- sh -c 'echo ran; exit 0' 2>&1; echo "rc=\$?"
ls $R/proc | grep -c '^[0-9]' | sed 's/^/after=/'
"\${V[@]}" stop --fast $VEID >/dev/null 2>&1; echo "stop=\$?"
EOS
# the run position (vzemu's NTH) of the K-th call of exec's own
nth_of() {
	local k=$1 call
	call=$(sed -n "${k}p" "$tmp/exec.calls")
	echo $(($(awk -v c="$call" '$1 == c { print $2 }' "$tmp/start.counts") +
		$(head -n "$k" "$tmp/exec.calls" | grep -cx "$call")))
}
check "sweep: exec's calls in the reference run" \
	"openat|VZCTL_ENV_CREATE|VZCTL_ENV_CREATE|setluid|VZCTL_ENV_CREATE" \
	"$(paste -sd'|' "$tmp/exec.calls")"
# K (exec's K-th call: 1 the handle, 2 the probe, 3 VE_TEST, 4 setluid, 5 VE_ENTER), the
# errno injected, how many tries in a row fail, the exit status the rules give: a handle
# that fails is 5 (VZ_BAD_KERNEL), VE_TEST failing 7, its ESRCH "not running" 31, setluid
# 18 (VZ_SETLUID_ERROR), VE_ENTER failing 7, its ESRCH 31; one EBUSY is retried (vzctl
# tries four times, 1 s apart) and the command runs; four in a row give up with 7.
n=0
while read -r k errno times want; do
	nth=$(nth_of "$k")
	call=$(sed -n "${k}p" "$tmp/exec.calls")
	fails=()
	# a rule that fires hides the call from the rules after it: TIMES rules of the same
	# NTH fail that call and the TIMES-1 after it
	for ((t = 0; t < times; t++)); do fails+=(--fail "$call:$errno:$nth"); done
	n=$((n + 1))
	what="exec call $k ($call #$nth) failing with $errno x$times"
	# exec relays stdin: not this loop's
	out=$("${E[@]}" "${fails[@]}" -- bash "$tmp/sweep.sh" </dev/null 2>&1)
	check "$what: exit" "$want" "$(sed -n 's/^rc=//p' <<<"$out")"
	if [ "$want" = 0 ]; then
		has "$what: retried, the command ran" "ran" "$out"
	else
		grep -qx ran <<<"$out" && bad "$what: the command ran" || ok "$what: the command did not run"
		has "$what: a message from vzlite naming the VE" "vzlite: VE $VEID" "$out"
	fi
	check "$what: no process left in the VE" \
		"$(sed -n 's/^before=//p' <<<"$out")" "$(sed -n 's/^after=//p' <<<"$out")"
	has "$what: the VE stops" "stop=0" "$out"
	nothing_left "$what" "$H" $VEID "$vzemu" "$tmp/state"
done <<'EOF'
1 EIO 1 5
2 EIO 1 5
2 ESRCH 1 5
3 EIO 1 7
3 ESRCH 1 31
4 EIO 1 18
5 EIO 1 7
5 ESRCH 1 31
5 EBUSY 1 0
5 EBUSY 4 7
EOF
check "sweep: every row of the table ran" 10 "$n"
echo "# sweep: $(wc -l <"$tmp/exec.calls") kernel calls of exec, $n failures injected; ${SECONDS}s since the test began"

finish test-exec || { echo "scratch: $tmp"; exit 1; }
rm -rf "$tmp"
