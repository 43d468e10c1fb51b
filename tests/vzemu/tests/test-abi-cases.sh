#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# vzemu-abi-cases: `vzemu-abi-client cases` (abi-cases.h) under vzemu on a freshly reset
# state. The same program, built static, passes on the real 042stab kernel
# (tests/vzemu/README.md, "The raw-ABI cases on the real kernel"): every rule it checks is
# the kernel's. Each case prints its own line; this test passes when all of them did.
# Exit 0 pass, 1 fail, 77 skip.
set -u
. "$(dirname "$0")/../../lib/testlib.sh"

VZEMU=${VZEMU:-vzemu}
CLIENT=${VZEMU_ABI_CLIENT:-vzemu-abi-client}
T=${VZEMU_TEST_TMP:-$(mktemp -d /tmp/vzemu-test.XXXXXX)}

emu_setup "$VZEMU" "$T"
mkdir -p "$T/work"
"$VZEMU" --state "$T/state" --reset --trace "$T/trace" -- "$CLIENT" cases --dir "$T/work" \
	> "$T/out" 2>&1
rc=$?
cat "$T/out"
check "abi-client cases exits 0" 0 "$rc"
has_match "every case passed (summary line)" "$T/out" \
	'^SUITE abi-cases: [0-9]+ passed, 0 failed$'
hasnt_match "no FAIL line" "$T/out" '^FAIL - '
finish vzemu-abi-cases
