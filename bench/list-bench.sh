#!/usr/bin/env bash
# list -a with 1,000 configured VEs (250 running, /proc given as fixture files), outside
# the emulator. Prints the median and the worst of N runs in ms. Not a test.
# Usage: bench/list-bench.sh BUILD_DIR [RUNS]
set -euo pipefail
build=${1:?build dir} runs=${2:-20}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/host" <<'PY'
import sys
sys.path.insert(0, "tests/list")
import vzlist_model
vzlist_model.make_host(sys.argv[1], n_conf=1000, n_run=250)
PY
cmd=("$build/cmd/vzlite" --global-config "$tmp/host/vz.conf" --proc-root "$tmp/host/proc" list -a)
"${cmd[@]}" >/dev/null
for _ in $(seq "$runs"); do
	s=$(date +%s%N)
	"${cmd[@]}" >/dev/null
	echo $(( ($(date +%s%N) - s) / 1000 ))
done | sort -n | awk '{ a[NR] = $1 } END { printf "list -a, 1000 VEs: median %.1f ms, worst %.1f ms (%d runs)\n", a[int((NR + 1) / 2)] / 1000, a[NR] / 1000, NR }'
