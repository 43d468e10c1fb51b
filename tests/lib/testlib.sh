# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# The assertions every shell test shares, sourced by it:
#   . "$(dirname "$0")/../lib/testlib.sh"
# Each check counts into $pass or $fail; a failure prints one line saying what was
# expected and what came. `finish NAME [EXTRA]` prints the closing line
# "NAME: N passed, M failed[ EXTRA]" and returns 1 when anything failed.
# Exit 77 (`skip`) tells ctest the test could not run here.

pass=0 fail=0

ok() { pass=$((pass + 1)); [ $# -eq 0 ] || echo "ok   - $*"; }
bad() { fail=$((fail + 1)); echo "FAIL - $*" >&2; }
skip() { echo "SKIP: $*"; exit 77; }

# check DESCRIPTION EXPECTED ACTUAL: the two strings are equal.
check() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected [$2], got [$3]"; fi; }

# has DESCRIPTION NEEDLE TEXT: TEXT contains NEEDLE (a fixed string).
has() { if grep -qF -- "$2" <<<"$3"; then ok "$1"; else bad "$1: no [$2] in [$3]"; fi; }

# has_match DESCRIPTION FILE EXTENDED-REGEX: a line of FILE matches (FILE shown if none).
has_match() {
	if grep -Eq -- "$3" "$2"; then ok "$1"; else bad "$1: no /$3/ in $2"; cat "$2" >&2; fi
}
# hasnt_match DESCRIPTION FILE EXTENDED-REGEX: no line of FILE matches.
hasnt_match() {
	if grep -Eq -- "$3" "$2"; then bad "$1: /$3/ in $2"; cat "$2" >&2; else ok "$1"; fi
}

# finish NAME [EXTRA]: the closing line; the status is the verdict.
finish() {
	echo "$1: $pass passed, $fail failed${2:+ $2}"
	[ "$fail" -eq 0 ]
}
