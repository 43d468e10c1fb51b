#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The VM's lifecycle suite (suite-lifecycle.sh) under vzemu, the same script with the same
# expectations, run by Debian's static busybox sh as in the VM: its result lines are the
# emulator's side of the comparison with the real kernel (run-vm.sh prints the VM's).
# Runs in a mount and a network namespace of its own (vzemu --host-venet makes venet0 there).
# Usage: test-suite-emu.sh VZLITE FIXTURES_DIR SHARED_FIXTURES_DIR VZEMU
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?} shared=${3-} vzemu=${4:?}
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${VZL_IN_NET_NS:-}" ]; then
	[ "$(id -u)" = 0 ] || skip "needs root"
	unshare -n true 2>/dev/null || skip "cannot make a network namespace"
	VZL_IN_NET_NS=1 exec unshare -n bash "$0" "$@"
fi
. "$here/../lifecycle/lifecycle-host.sh"
lifecycle_host vm-suite "$shared" "$vzemu" "$fixtures" "$@"
ip link set lo up
"$vzemu" --state "$tmp/state" --host-venet -- true || { bad "vzemu --host-venet"; exit 1; }
# the suite's own files beside it, as in the VM
cp "$here/suite-lib.sh" "$here/suite-lifecycle.sh" "$tmp/"
# no sleeps inside: what a VE's stop waits for is the kernel's (the emulator's) answer
VZL_BIN=$vzlite VZL_CONF=$conf "$vzemu" --state "$tmp/state" -- \
	/bin/busybox sh "$tmp/suite-lifecycle.sh" >"$tmp/suite.out" 2>&1
rc=$?
cat "$tmp/suite.out"
check "the suite under vzemu exits 0" 0 $rc
has "the suite's summary line" "SUITE lifecycle: " "$(cat "$tmp/suite.out")"
finish test-vm-suite-emu || { echo "scratch: $tmp"; exit 1; }
