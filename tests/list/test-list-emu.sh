#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# vzlite list under vzemu (issue 15 item 4): 200 configured VEs (vzlist_model.py's
# configs), 50 of them running in the emulated kernel, made with the ABI client (create;
# setublimit on six resources; VENETCTL_VE_IP_MAP addresses; fairsched weight and rate;
# a vzquota with usage and limits on half of them). In the same vzemu run the emulator's
# /proc files are dumped and every `vzlite list` case of the model runs (default, -a, -S,
# -H, -1, -o with each field and with all of them, -s, -h/-N/-d, -n, -t, -j). The model
# then computes the rows from the configs, the dumped /proc files and vzlist's rules
# (vzctl-behaviour.md §3.13), never from vzlite's output, and compares.
# Usage: test-list-emu.sh VZLITE FIXTURES_DIR VZEMU ABI_CLIENT
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} vzemu=${3:?} client=${4:?}
model=$(dirname "$0")/vzlist_model.py
tmp=$(mktemp -d /tmp/vzl-listemu.XXXXXX)
emu_setup "$vzemu" "$tmp"
python3 "$model" emu-setup "$tmp/host" "$client" "$vzlite" >"$tmp/run.sh"
check "the model wrote the configs and the run" 0 $?
"$vzemu" --state "$tmp/state" -- bash "$tmp/run.sh"
check "the vzemu run: setup, /proc dumps and list cases" 0 $?
out=$(python3 "$model" emu-check "$tmp/host")
rc=$?
grep -v '^ok ' <<<"$out"
check "vzlite list agrees with vzlist's rules on the emulator's inputs" 0 $rc
finish list-emu
