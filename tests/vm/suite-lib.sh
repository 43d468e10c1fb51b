# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=sh
#
# The assertions of the VM suites, POSIX sh (busybox sh in the VM, any sh under vzemu):
# one result line per check, "ok   - WHAT" or "FAIL - WHAT: expected [..], got [..]",
# both on stdout so the console keeps their order, and a closing line
# "SUITE NAME: N passed, M failed" from suite_end, whose status is the verdict.
# WHAT never holds a value of the run, so the lines of two runs (the VM's, the emulator's)
# can be compared line by line.

suite_pass=0 suite_fail=0

ok() { suite_pass=$((suite_pass + 1)); echo "ok   - $1"; }
bad() { suite_fail=$((suite_fail + 1)); echo "FAIL - $1"; }

# check WHAT EXPECTED ACTUAL: the two strings are equal
check() {
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected [$2], got [$3]"; fi
}

# has WHAT NEEDLE TEXT: TEXT holds NEEDLE (a fixed string)
has() {
	case $3 in
	*"$2"*) ok "$1" ;;
	*) bad "$1: no [$2] in [$3]" ;;
	esac
}

# suite_end NAME: the closing line; fails when a check failed
suite_end() {
	echo "SUITE $1: $suite_pass passed, $suite_fail failed"
	[ "$suite_fail" -eq 0 ]
}
