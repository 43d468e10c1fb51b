#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Start/stop benchmark (issue #14), not a test: wall time and system-call count of
# `vzlite start` and `vzlite stop` of one busybox-init VE (tests/tools/make-busybox-template.sh,
# the vps.basic profile) under vzemu, against `true` under vzemu in the same run (the anchor:
# what starting any program costs there). Medians of RUNS rounds.
#
# Wall times: all commands of a round run in one vzemu run (one emulated kernel, one mount
# namespace), timed by bash's $EPOCHREALTIME around each (no fork for the clock). Besides
# start, stop (graceful: the VE's own busybox halt, which sleeps inside the VE) and
# stop --fast, `start --dry-run` walks the same steps without a kernel call or a mount: the
# work vzlite does in user space.
# System calls: strace -f cannot trace under vzemu (both use ptrace/seccomp on the same
# processes), so one more round runs each command under `perf record -e
# raw_syscalls:sys_enter` (every entry, the OpenVZ calls vzemu answers included) and counts
# the entries of processes named vzlite: vzlite and its children up to the exec of the VE's
# init (the init and the VE's halt are the VE's programs, not vzlite's).
# Usage: bench/lifecycle-bench.sh [BUILD_DIR]   Environment: RUNS (default 9), SHARED (the
# shared/ directory with fixtures-upstream/, default ../shared beside the checkout).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
runs=${RUNS:-9}
shared=${SHARED:-$here/../../shared}
vzlite=$build/cmd/vzlite vzemu=$build/tests/vzemu/vzemu
[ "$(id -u)" = 0 ] || { echo "lifecycle-bench: run as root" >&2; exit 1; }
[ -x "$vzlite" ] && [ -x "$vzemu" ] || { echo "lifecycle-bench: build $build first" >&2; exit 1; }
[ -f "$shared/fixtures-upstream/ve-vps.basic.conf-sample" ] ||
	{ echo "lifecycle-bench: no $shared/fixtures-upstream/ve-vps.basic.conf-sample" >&2; exit 1; }
if [ -z "${VZL_IN_MOUNT_NS:-}" ]; then
	VZL_IN_MOUNT_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
perf_ok=1
perf stat -e raw_syscalls:sys_enter -x, -o /dev/null -- true 2>/dev/null || perf_ok=0

tmp=$(mktemp -d /tmp/vzl-bench.XXXXXX)
E=("$vzemu" --state "$tmp/state")
trap '"${E[@]}" --reset -- true >/dev/null 2>&1; rm -rf "$tmp"' EXIT
"${E[@]}" --reset -- true
conf=$("$here/../fixtures/make-demo-host.sh" "$tmp/host")
cp "$shared/fixtures-upstream/ve-vps.basic.conf-sample" "$tmp/host/conf/"
"$here/../tests/tools/make-busybox-template.sh" "$tmp/host/template/cache" >/dev/null
V=("$vzlite" --global-config "$conf")
"${V[@]}" create 101 --ostemplate busybox-x86_64 --config vps.basic >/dev/null 2>&1

# One round: each command timed, "NAME MICROSECONDS" per line.
cat >"$tmp/round.sh" <<EOS
V=(${V[*]@Q})
t() {
	local name=\$1 t0 t1; shift
	t0=\$EPOCHREALTIME; "\$@" >/dev/null 2>&1 || echo "FAILED \$name" >&2; t1=\$EPOCHREALTIME
	echo "\$name \$(( (\${t1/./} - \${t0/./}) ))"
}
for i in \$(seq $runs); do
	t true /bin/true
	t start-dry-run "\${V[@]}" --dry-run start 101
	t start "\${V[@]}" start 101
	t stop-fast "\${V[@]}" stop --fast 101
	t start "\${V[@]}" start 101
	t stop "\${V[@]}" stop 101
done
EOS
"${E[@]}" -- bash "$tmp/round.sh" >"$tmp/times"
# The same with 1024 descriptors (the usual limit; the started init's child closes every
# descriptor up to the limit one by one, 2.6.32 has no close_range): rows named *@1024.
"${E[@]}" -- bash -c 'ulimit -n 1024 && exec bash "$0"' "$tmp/round.sh" | sed 's/ /@1024 /' >>"$tmp/times"

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
ms() { awk -v us="$1" 'BEGIN { printf "%.1f ms", us / 1000 }'; }
med() { awk -v n="$1" '$1 == n { print $2 }' "$tmp/times" | median; }

# System calls of one run of each, under perf.
calls() { # NAME COMMAND...: the syscall entries of processes named NAME
	local name=$1; shift
	perf record -q -e raw_syscalls:sys_enter -o "$tmp/perf.data" -- "$@" >/dev/null 2>&1 || true
	perf script -i "$tmp/perf.data" -F comm,trace 2>/dev/null |
		awk -v n="$name" '$1 == n { c++; if ($3 == 3) closes++ } END { print c + 0, closes + 0 }'
}
if [ $perf_ok = 1 ]; then
	cat >"$tmp/calls.sh" <<EOS
$(declare -f calls)
tmp=${tmp@Q}
V=(${V[*]@Q})
echo "true \$(calls true /bin/true)"
echo "start-dry-run \$(calls vzlite "\${V[@]}" --dry-run start 101)"
echo "start \$(calls vzlite "\${V[@]}" start 101)"
echo "stop-fast \$(calls vzlite "\${V[@]}" stop --fast 101)"
"\${V[@]}" start 101 >/dev/null 2>&1
echo "stop \$(calls vzlite "\${V[@]}" stop 101)"
EOS
	"${E[@]}" -- bash "$tmp/calls.sh" >"$tmp/calls"
fi
# The OpenVZ calls among them, from vzemu's trace of one start and one stop --fast; between
# them the VE's service is waited for (a FIFO), so the init's own calls are done by then.
: >"$tmp/trace"
rm -f "$tmp/host/private/101/run/svc.pid"
mkfifo "$tmp/host/private/101/run/svc.pid"
"${E[@]}" --trace "$tmp/trace" -- bash -c '"$@" start 101 >/dev/null 2>&1
	timeout 20 cat "$0/host/root/101/run/svc.pid" >/dev/null
	"$@" stop --fast 101 >/dev/null 2>&1' "$tmp" "${V[@]}"
kcalls() { # Nth vzlite run of the trace: its calls before the VE's init is executed
	awk -v want="$1" '/vzemu: exec execve\("[^"]*\/vzlite"/ { n++; next }
		/vzemu: exec execve\("\/sbin\/init"/ { done = n }
		n == want && done != n && $2 != "vzemu:" { c++ } END { print c + 0 }' "$tmp/trace"
}

echo "# vzlite start/stop under vzemu: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, kernel $(uname -r), $runs rounds, medians"
printf '%-18s %12s %10s %8s\n' command wall syscalls "of them close"
for n in true start-dry-run start stop-fast stop true@1024 start@1024 stop-fast@1024; do
	c="- -"
	[ $perf_ok = 1 ] && [ "${n%@*}" = "$n" ] && c=$(awk -v n=$n '$1 == n { print $2, $3 }' "$tmp/calls")
	printf '%-18s %12s %10s %8s\n' "$n" "$(ms "$(med $n)")" $c
done
echo "# OpenVZ kernel calls vzemu answered (its trace): start $(kcalls 1), stop --fast $(kcalls 2)"
echo "# vzlite's own part of a start = start - true: $(ms $(($(med start) - $(med true)))) ($(ulimit -n) descriptors)," \
	"$(ms $(($(med start@1024) - $(med true@1024)))) (1024 descriptors)"
echo "# syscall counts: one run each under perf record, entries of processes named vzlite; perf may" \
	"drop events under load, so the close count (the init's close loop) is a lower bound"
[ $perf_ok = 1 ] || echo "# no syscall counts: perf cannot record raw_syscalls:sys_enter here"
