#!/usr/bin/env bash
# list -a with 1,000 configured VEs (250 running, /proc given as fixture files), outside
# the emulator. Prints the median and the worst of N runs in ms. With a second build
# directory the two binaries run alternately on the same host tree (before/after figures
# from one run, under the same load). Not a test.
# Usage: bench/list-bench.sh BUILD_DIR [RUNS] [OTHER_BUILD_DIR]
set -euo pipefail
build=${1:?build dir} runs=${2:-20} other=${3-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/host" <<'PY'
import sys
sys.path.insert(0, "tests/list")
import vzlist_model
vzlist_model.make_host(sys.argv[1], n_conf=1000, n_run=250)
PY
dirs=("$build")
[ -n "$other" ] && dirs+=("$other")
for d in "${dirs[@]}"; do
	"$d/cmd/vzlite" --global-config "$tmp/host/vz.conf" --proc-root "$tmp/host/proc" list -a >/dev/null
done
for _ in $(seq "$runs"); do
	for i in "${!dirs[@]}"; do
		s=$(date +%s%N)
		"${dirs[$i]}/cmd/vzlite" --global-config "$tmp/host/vz.conf" --proc-root "$tmp/host/proc" list -a >/dev/null
		echo $(( ($(date +%s%N) - s) / 1000 )) >>"$tmp/t$i"
	done
done
for i in "${!dirs[@]}"; do
	sort -n "$tmp/t$i" | awk -v d="${dirs[$i]}" '{ a[NR] = $1 } END {
		printf "list -a, 1000 VEs (%s): median %.1f ms, worst %.1f ms (%d runs)\n", d,
		       a[int((NR + 1) / 2)] / 1000, a[NR] / 1000, NR }'
done
