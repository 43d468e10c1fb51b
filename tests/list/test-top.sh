#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# vzlite top -b against /proc fixture files (--proc-root): three running VEs, two frames.
# The beancounters and vestat are FIFOs written once per frame (so each frame reads its own
# values, no sleeps): CPU % and the refusals are the differences between the frames. The
# expected rows are written here from the fixture values (RAM = physpages held * 4 KiB,
# DISK = quota usage / 1024, CPU % = (user+nice+system) delta / uptime delta).
# Usage: test-top.sh VZLITE FIXTURES_DIR
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?}
[ "$(getconf PAGESIZE)" = 4096 ] || skip "the expected RAM figures assume 4 KiB pages"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
conf=$("$fixtures/make-demo-host.sh" "$tmp/host")
P=$tmp/proc
mkdir -p "$P/vz"
V=("$vzlite" --global-config "$conf" --proc-root "$P")

printf '%10u %5u %5u\n' 103 0 1 102 0 12 101 0 5 0 0 150 >"$P/vz/veinfo"
cat >"$P/vz/vzquota" <<'Q'
qid: path            usage      softlimit      hardlimit       time     expire
101: /vz/private/101
  1k-blocks         204800        1048576        1153434          0          0
  inodes              3000         200000         220000          0          0
Q
# beancounters: VEID PHYSPAGES_HELD NUMPROC_FAILCNT NUMFILE_FAILCNT per VE
ubc() {
	printf 'Version: 2.5\n'
	printf '%10s  %-12s %20s %20s %20s %20s %20s\n' uid resource held maxheld barrier limit failcnt
	local id phys np nf
	while read -r id phys np nf; do
		printf '%10s  %-12s %20s %20s %20s %20s %20s\n' "$id:" kmemsize 1 1 10 10 0 \
			'' numproc 3 3 100 100 "$np" '' physpages "$phys" "$phys" 0 262144 0 \
			'' numfile 9 9 500 500 "$nf"
	done
}
vestat() {
	printf '%-251s\n' 'Version: 2.2'
	printf '%20s %20s %20s %20s %20s\n' VEID user nice system uptime
	local id u ni s up
	while read -r id u ni s up; do printf "%20s %20s %20s %20s %20s\n" "$id" "$u" "$ni" "$s" "$up"; done
}
frame1_ubc() { ubc <<<$'103 256 0 1\n102 51200 0 0\n101 25600 2 0'; }
frame2_ubc() { ubc <<<$'103 256 0 1\n102 51200 0 0\n101 25600 5 0'; }
frame1_vestat() { vestat <<<$'103 10 0 0 1000\n102 0 0 0 1000\n101 100 0 50 1000'; }
frame2_vestat() { vestat <<<$'103 30 10 0 1200\n102 0 0 0 1200\n101 200 0 100 1200'; }
# two frames: the beancounters and vestat are FIFOs, which block top's open until the test
# writes them. Frame 2's are written only after frame 1 was printed.
put() { # FUNCTION FIFO: its output into the FIFO, giving up when top never opens it
	"$1" >"$tmp/frame"
	timeout 30 cp "$tmp/frame" "$2" || echo "vzlite top did not read $2"
}
top2() { # TOP ARGS...: two frames; prints what top printed
	rm -f "$P/user_beancounters" "$P/vz/vestat" "$tmp/out"
	mkfifo "$P/user_beancounters" "$P/vz/vestat" "$tmp/out"
	timeout 30 "${V[@]}" top -b -n 2 -d 0 "$@" >"$tmp/out" 2>&1 &
	local pid=$! fd l
	local n=0
	exec {fd}<"$tmp/out"
	put frame1_ubc "$P/user_beancounters"
	put frame1_vestat "$P/vz/vestat"
	while [ $n -lt 5 ] && IFS= read -r -t 30 l <&"$fd"; do echo "$l"; n=$((n + 1)); done
	put frame2_ubc "$P/user_beancounters"
	put frame2_vestat "$P/vz/vestat"
	cat <&"$fd"
	exec {fd}<&-
	wait "$pid"
}
one_frame() {
	rm -f "$P/user_beancounters" "$P/vz/vestat"
	frame1_ubc >"$P/user_beancounters"
	frame1_vestat >"$P/vz/vestat"
}
head() { printf 'vzlite top: 3 running VEs, sorted by %s\n' "$1"
	printf '%10s %6s %6s %8s %9s %8s %6s  %s\n' CTID NPROC CPU% 'RAM(MB)' 'DISK(MB)' FAILCNT +FAIL REFUSING; }
row() { printf '%10s %6s %6s %8s %9s %8s %6s  %s\n' "$@"; }
r101a=$(row 101 5 - 100 200 2 - numproc) r102a=$(row 102 12 - 200 - 0 - -)
r103a=$(row 103 1 - 1 - 1 - numfile)
r101b=$(row 101 5 75.0 100 200 5 3 'numproc(+3)') r102b=$(row 102 12 0.0 200 - 0 0 -)
r103b=$(row 103 1 15.0 1 - 1 0 numfile)

out=$(top2)
check "top -b -n 2: exit 0" 0 $?
check "two frames, sorted by the refusals (new ones, then the total)" \
	"$(head fail; echo "$r101a"; echo "$r103a"; echo "$r102a"; echo; head fail
	echo "$r101b"; echo "$r103b"; echo "$r102b")" "$out"

out=$(top2 -s cpu)
check "-s cpu: the first frame (no CPU yet) by id, the second by CPU %" \
	"$(head cpu; echo "$r101a"; echo "$r102a"; echo "$r103a"; echo; head cpu
	echo "$r101b"; echo "$r103b"; echo "$r102b")" "$out"

one_frame
check "-s ram" "$(head ram; echo "$r102a"; echo "$r101a"; echo "$r103a")" \
	"$("${V[@]}" top -b -n 1 -s ram 2>&1)"
check "-s nproc" "$(head nproc; echo "$r102a"; echo "$r101a"; echo "$r103a")" \
	"$("${V[@]}" top -b -n 1 -s nproc 2>&1)"
check "-s disk (no quota last, by id)" "$(head disk; echo "$r101a"; echo "$r102a"; echo "$r103a")" \
	"$("${V[@]}" top -b -n 1 -s disk 2>&1)"
check "-s ctid" "$(head ctid; echo "$r101a"; echo "$r102a"; echo "$r103a")" \
	"$("${V[@]}" top -b -n 1 -s ctid 2>&1)"

# bad input: exit 20, the option and the fix named
out=$("${V[@]}" top -b -n 0 2>&1)
check "-n 0: exit 20" 20 $?
has "-n 0: says what is allowed" "-n '0': the number of frames is a whole number from 1" "$out"
out=$("${V[@]}" top -b -s speed 2>&1)
check "-s speed: exit 20" 20 $?
has "-s speed: lists the keys" "sort by fail, ctid, nproc, cpu, ram or disk" "$out"
out=$("${V[@]}" top -b -d soon 2>&1)
check "-d soon: exit 20" 20 $?
# no vestat: a clear error naming the file
rm -f "$P/vz/vestat"
out=$("${V[@]}" top -b -n 1 2>&1)
[ $? -ne 0 ] && ok "no vestat: fails" || bad "no vestat: exit 0"
has "no vestat: names the file" "$P/vz/vestat" "$out"
finish test-top
