#!/usr/bin/env bash
# Size and start-up time of the static musl vzlite (tools/static/build-static.sh) against
# a glibc build: `vzlite --help`, and `vzlite status` of a VE that is not configured (it reads
# vz.conf, then fails on the absent /dev/vzctl: start-up plus an error path), each run RUNS
# times alternately, median and 90th percentile in microseconds. The glibc figure's
# size counts the shared libraries it loads. Not a test.
# Usage: bench/static-bench.sh STATIC_VZLITE GLIBC_VZLITE [RUNS]
set -euo pipefail
static=${1:?static vzlite} glibc=${2:?glibc vzlite} runs=${3:-200}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# a host tree with no VE (configs are read from conf/ beside vz.conf)
mkdir -p "$tmp/conf"
printf 'VE_ROOT=%s/root/$VEID\nVE_PRIVATE=%s/private/$VEID\n' "$tmp" "$tmp" >"$tmp/vz.conf"

libs_size() { # the binary plus every shared library ldd names
	local total f
	total=$(stat -L -c %s "$1")
	for f in $(ldd "$1" 2>/dev/null | grep -o '/[^ ]*' || true); do
		total=$((total + $(stat -L -c %s "$f")))
	done
	echo "$total"
}
printf 'size: static %d bytes; glibc build %d bytes (%d with its shared libraries)\n' \
	"$(stat -L -c %s "$static")" "$(stat -L -c %s "$glibc")" "$(libs_size "$glibc")"

python3 - "$static" "$glibc" "$runs" "$tmp" <<'PY'
import os, sys, time
static, glibc, runs, tmp = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
cases = {
    "--help": ["--help"],
    "status, no VE and no /dev/vzctl": ["--global-config", tmp + "/vz.conf", "--proc-root", tmp,
                               "status", "4711"],
}
null = os.open(os.devnull, os.O_WRONLY)
def once(prog, args):
    t = time.perf_counter_ns()
    pid = os.posix_spawn(prog, [prog] + args, os.environ,
                         file_actions=[(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)])
    os.waitpid(pid, 0)
    return (time.perf_counter_ns() - t) / 1000
for name, args in cases.items():
    got = {static: [], glibc: []}
    for _ in range(runs):
        for prog in (static, glibc):
            got[prog].append(once(prog, args))
    for prog, label in ((static, "static musl"), (glibc, "glibc")):
        t = sorted(got[prog])
        print(f"start-up, {name}, {label}: median {t[len(t) // 2]:.0f} us, "
              f"p90 {t[len(t) * 9 // 10]:.0f} us ({runs} runs)")
PY
