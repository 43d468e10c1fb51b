#!/usr/bin/env bash
# The per-VE lock ($LOCKDIR/<VEID>.lck, vzctl-behaviour.md §1.6) as the commands use it:
# concurrent `set --save` on different keys lose nothing, a vzctl-style lock of a live
# process stops a command with exit 9, a stale one is taken over, and a lock path that is
# not a regular file is named with what it is. Also the stale temporary files of killed saves.
# Usage: test-lock.sh VZLITE FIXTURES [main|pidns]
#   main:  everything that needs no namespace.
#   pidns: the lock of a live process in a fresh pid namespace (unshare -pfm --mount-proc),
#          so /proc/<pid> is first looked up after the lock was written; exits 77 (skip)
#          when this machine cannot make that namespace.
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?vzlite binary}
fixtures=${2:?fixtures dir}
part=${3:-main}
if [ "$part" = pidns ] && [ -z "${VZL_IN_PIDNS:-}" ]; then
	if ! unshare -pfm --mount-proc true 2>/dev/null; then
		echo "test-lock: cannot create a pid namespace here; skipped"
		exit 77
	fi
	VZL_IN_PIDNS=1 exec unshare -pfm --mount-proc bash "$0" "$@"
fi
tmp=$(mktemp -d)
holders=()
cleanup() {
	local p
	for p in "${holders[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

expect() {
	local want=$1; shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	local got=$?
	out=$(cat "$tmp/out"); err=$(cat "$tmp/err")
	if [ "$got" -eq "$want" ]; then ok; else bad "$* exited $got, expected $want; stderr: $err"; fi
}
contains() { if grep -qF -- "$2" <<<"$1"; then ok; else bad "$3: no '$2' in: $1"; fi; }
holds() { if eval "$1"; then ok; else bad "$2"; fi; }

conf=$("$fixtures/make-demo-host.sh" "$tmp/host")
host=$tmp/host
V() { "$vzlite" --global-config "$conf" "$@"; }

# A process that stays alive until the test ends; its pid in $holder. It is started before
# any lock naming it is written, as a vzctl holding that lock would be.
start_holder() {
	sleep 100000 &
	holder=$!
	holders+=("$holder")
}

# The lock of a live process written before anything read /proc/<pid> (the procfs entry is
# made at first lookup, so its ctime is no start time): create must stop with exit 9 and
# leave the lock and everything else alone. Runs inside a fresh pid and mount namespace.
pidns_part() {
	local lock=$host/lock/201.lck
	start_holder
	printf '%d\n\n' "$holder" >"$lock"
	cp "$lock" "$tmp/lock.orig"
	# Let the wall clock pass the lock's mtime by a whole second (file times and the old
	# ctime check have second resolution): a condition polled, not a guessed delay.
	until [ "$(date +%s)" -gt "$(stat -c %Y "$lock")" ]; do sleep 0.05; done
	expect 9 V create 201
	contains "$err" "locked by process $holder" "a live holder is named"
	contains "$err" "sleep 100000" "the holder's command line is shown"
	holds 'cmp -s "$lock" "$tmp/lock.orig"' "the live holder's lock was changed or removed"
	holds '[ ! -e "$host/private/201" ] && [ ! -e "$host/conf/201.conf" ]' \
		"a refused create left something behind"
	# Once the holder is gone the lock is stale: create takes it over and releases it.
	kill "$holder"
	wait "$holder" 2>/dev/null
	expect 0 V create 201
	holds '[ -e "$host/conf/201.conf" ] && [ ! -e "$lock" ]' \
		"a stale lock was not taken over and released"
}

if [ "$part" = pidns ]; then
	pidns_part
	echo "test-lock (pidns): $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
fi

ct=$host/conf/101.conf
cp "$fixtures/conf/ve-small.conf-sample" "$ct"

# 1. Two concurrent saves of different keys, 50 rounds: both changes are in the file
#    every round, and both commands succeed (the second waits for the first's lock).
lost=0 failed=0
for round in $(seq 1 50); do
	n=$((2000 + round)) m=$((9000 + round))
	V set 101 --numproc "$n" --save >/dev/null 2>"$tmp/err1" &
	a=$!
	V set 101 --numfile "$m" --save >/dev/null 2>"$tmp/err2" &
	b=$!
	wait "$a" || { failed=$((failed + 1)); echo "round $round: set --numproc: $(cat "$tmp/err1")" >&2; }
	wait "$b" || { failed=$((failed + 1)); echo "round $round: set --numfile: $(cat "$tmp/err2")" >&2; }
	if ! grep -qx "NUMPROC=\"$n:$n\"" "$ct" || ! grep -qx "NUMFILE=\"$m:$m\"" "$ct"; then
		lost=$((lost + 1))
		echo "round $round: wanted NUMPROC=$n and NUMFILE=$m, file has" \
			"$(grep -E '^(NUMPROC|NUMFILE)=' "$ct" | tr '\n' ' ')" >&2
	fi
done
holds '[ "$lost" -eq 0 ]' "concurrent set --save lost a change in $lost of 50 rounds"
holds '[ "$failed" -eq 0 ]' "concurrent set --save failed $failed times"
holds '[ ! -e "$host/lock/101.lck" ]' "the lock is left behind after the saves"

# 2. validate --fix --save writes the config: it takes the lock too.
start_holder
printf '%d\n\n' "$holder" >"$host/lock/101.lck"
sed -i 's/^NUMPROC=.*/NUMPROC="240:250"/' "$ct"
cp "$ct" "$tmp/orig"
expect 1 V validate 101 --fix --save
contains "$err" "locked by process $holder" "validate --save under a vzctl lock"
holds 'cmp -s "$ct" "$tmp/orig"' "validate --fix --save wrote while locked"
expect 2 V validate 101 # only reading: no lock needed
# set: exit 9 as vzctl's VZ_LOCKED, the file untouched, the lock kept.
expect 9 V set 101 --numproc 300 --save
contains "$err" "VE 101 is locked by process $holder" "set names the holder"
holds 'cmp -s "$ct" "$tmp/orig"' "set --save wrote while locked"
holds '[ "$(cat "$host/lock/101.lck")" = "$holder" ]' "a live holder's lock was touched"
# The holder ends without unlocking (killed): its lock is stale and taken over.
kill "$holder"
wait "$holder" 2>/dev/null
expect 0 V validate 101 --fix --save
holds 'grep -qx "NUMPROC=\"250:250\"" "$ct" && [ ! -e "$host/lock/101.lck" ]' \
	"validate --fix --save after the holder died"

# 3. A live pid written into a lock long before that process started: the pid was reused,
#    the lock is stale.
start_holder
printf '%d\n\n' "$holder" >"$host/lock/101.lck"
touch -d '@1000000000' "$host/lock/101.lck"
expect 0 V set 101 --numproc 301 --save
holds '[ ! -e "$host/lock/101.lck" ]' "a reused pid's lock was not taken over"

# 4. Lock paths that are not regular files: a clear error naming the path and what it is,
#    nothing created, the path left as it was. A FIFO must not hang (old: blocked forever).
lockdir=$host/lock
mkfifo "$lockdir/510.lck"
expect 3 timeout 30 "$vzlite" --global-config "$conf" create 510
contains "$err" "the lock file $lockdir/510.lck is a FIFO (named pipe), not a regular file" "FIFO lock"
contains "$err" "rm $lockdir/510.lck" "FIFO lock: how to fix"
holds '[ -p "$lockdir/510.lck" ] && [ ! -e "$host/private/510" ] && [ ! -e "$host/conf/510.conf" ]' \
	"create with a FIFO lock changed something"
mkdir "$lockdir/511.lck"
expect 3 V create 511
contains "$err" "the lock file $lockdir/511.lck is a directory, not a regular file" "directory lock"
contains "$err" "rmdir $lockdir/511.lck" "directory lock: how to fix"
holds '[ -d "$lockdir/511.lck" ] && [ ! -e "$host/private/511" ]' "create with a directory lock"
ln -s "$tmp/nowhere" "$lockdir/512.lck"
expect 3 V create 512
contains "$err" "the lock file $lockdir/512.lck is a symbolic link to $tmp/nowhere, which does not exist" "dangling link lock"
holds '[ -L "$lockdir/512.lck" ] && [ ! -e "$tmp/nowhere" ] && [ ! -e "$host/conf/512.conf" ] && [ ! -e "$host/private/512" ]' \
	"create with a dangling link lock"
echo "precious" >"$tmp/victim"
ln -s "$tmp/victim" "$lockdir/513.lck"
expect 3 V set 513 --numproc 5 --save
contains "$err" "the lock file $lockdir/513.lck is a symbolic link to $tmp/victim;" "link lock"
holds '[ "$(cat "$tmp/victim")" = precious ] && [ ! -e "$host/conf/513.conf" ]' "set with a link lock"

# 5. Temporary files of killed saves (.101.conf.<pid>.<hex>): the next save removes those of
#    dead processes and of reused pids, never a live writer's, nothing else.
true &
dead=$!
wait "$dead"
start_holder
live=$holder
start_holder
reused=$holder
printf 'x\n' >"$host/conf/.101.conf.$dead.1f2e3d"
printf 'x\n' >"$host/conf/.101.conf.$live.4a5b"
printf 'x\n' >"$host/conf/.101.conf.$reused.6c7d"
touch -d '@1000000000' "$host/conf/.101.conf.$reused.6c7d"
printf 'x\n' >"$host/conf/.101.conf.bak"
printf 'x\n' >"$host/conf/.102.conf.$dead.88"
expect 0 V set 101 --numproc 302 --save
holds '[ ! -e "$host/conf/.101.conf.$dead.1f2e3d" ]' "a dead process's temporary file was kept"
holds '[ ! -e "$host/conf/.101.conf.$reused.6c7d" ]' "a reused pid's temporary file was kept"
holds '[ -e "$host/conf/.101.conf.$live.4a5b" ]' "a live process's temporary file was removed"
holds '[ -e "$host/conf/.101.conf.bak" ] && [ -e "$host/conf/.102.conf.$dead.88" ]' \
	"files that are not 101.conf's temporary files were removed"
holds 'grep -qx "NUMPROC=\"302:302\"" "$ct"' "the save itself"

# 6. The temporaries a lock is linked from (<VEID>.lck.<pid>.XXXXXX), left by a command
#    killed while taking a lock: the next command taking any lock removes those whose writer
#    is gone (dead or reused pid), empty or not; a live writer's, vzctl's (<VEID>.lckXXXXXX)
#    and other files stay.
lockdir=$host/lock
: >"$lockdir/101.lck.$dead.a1B2c3"
printf '%d\n\n' "$dead" >"$lockdir/102.lck.$dead.d4E5f6"
: >"$lockdir/101.lck.$reused.g7H8i9"
touch -d '@1000000000' "$lockdir/101.lck.$reused.g7H8i9"
: >"$lockdir/101.lck.$live.j1K2l3"
: >"$lockdir/101.lckM4n5O6"
: >"$lockdir/101.lck.$dead.toolong"
expect 0 V set 101 --numproc 303 --save
holds '[ ! -e "$lockdir/101.lck.$dead.a1B2c3" ] && [ ! -e "$lockdir/102.lck.$dead.d4E5f6" ]' \
	"a dead process's lock temporary was kept"
holds '[ ! -e "$lockdir/101.lck.$reused.g7H8i9" ]' "a reused pid's lock temporary was kept"
holds '[ -e "$lockdir/101.lck.$live.j1K2l3" ]' "a live process's lock temporary was removed"
holds '[ -e "$lockdir/101.lckM4n5O6" ] && [ -e "$lockdir/101.lck.$dead.toolong" ]' \
	"files that are not vzlite's lock temporaries were removed"
holds '[ ! -e "$lockdir/101.lck" ] && grep -qx "NUMPROC=\"303:303\"" "$ct"' "the set under the lock"

finish test-lock
