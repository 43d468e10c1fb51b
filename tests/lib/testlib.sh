# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# The assertions every shell test shares, sourced by it:
#   . "$(dirname "$0")/../lib/testlib.sh"
# Each check counts into $pass or $fail; a failure prints one line saying what was
# expected and what came. `finish NAME [EXTRA]` prints the closing line
# "NAME: N passed, M failed[ EXTRA]" and returns 1 when anything failed.
# Exit 77 (`skip`) tells ctest the test could not run here. Besides the assertions:
# `at_exit` (cleanups run at exit), `emu_setup` (the prelude of a test under vzemu),
# `snapshot` (a listing of trees to compare before and after) and `nothing_left` (nothing
# of an unfinished operation on a VE remains).

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

# nothing_left WHAT HOST VEID [VZEMU STATE]: nothing of an unfinished or undone operation
# on VE VEID remains in the host tree HOST (fixtures/make-demo-host.sh's layout): no lock
# file (lock/VEID.lck, or a temporary of one), no staging area, marker, pending config or
# other temporary named for the VE in private/, root/ or conf/ (anything named VEID.* or
# .VEID.* there but the VE's config and a destroyed config), and no mount at or below HOST
# in this mount namespace. With VZEMU and STATE, also no VE VEID on /proc/vz/veinfo and no
# beancounter VEID on /proc/user_beancounters of that emulated kernel. One check; a failure
# lists what was found.
nothing_left() {
	local what=$1 host=$2 veid=$3 vzemu=${4:-} state=${5:-} found=() p mp
	for p in "$host/lock/$veid.lck"* "$host"/{private,root,conf}/{,.}"$veid".*; do
		[ -e "$p" ] || [ -L "$p" ] || continue # a pattern that matched nothing
		case ${p##*/} in "$veid.conf" | "$veid.conf.destroyed") continue ;; esac
		found+=("${p#"$host"/}")
	done
	while read -r _ _ _ _ mp _; do
		[ "$mp" = "$host" ] || [ "${mp#"$host"/}" != "$mp" ] && found+=("mount $mp")
	done </proc/self/mountinfo
	if [ -n "$vzemu" ]; then
		p=$("$vzemu" --state "$state" -- cat /proc/vz/veinfo /proc/user_beancounters)
		grep -Eq "^ *$veid " <<<"$p" && found+=("VE $veid in the kernel")
		grep -Eq "^ *$veid: " <<<"$p" && found+=("beancounter $veid")
	fi
	if [ ${#found[@]} -eq 0 ]; then ok "$what: nothing left"; else bad "$what: left behind: ${found[*]}"; fi
}

# snapshot [--times] [--inodes] [--contents] [-x PATH]... DIR...: a listing of the trees,
# sorted, to compare before and after: one line per entry (path, type, mode, size, link
# target; --times adds the mtime, --inodes the inode number), then with --contents one
# checksum line per regular file. -x leaves PATH and what is below it out.
snapshot() {
	local fmt='%p %y %m %s %l' prune=() contents=0
	while [ $# -gt 0 ]; do
		case $1 in
		--times) fmt+=' %T@' ;;
		--inodes) fmt+=' %i' ;;
		--contents) contents=1 ;;
		-x) prune+=(-path "$2" -prune -o); shift ;;
		*) break ;;
		esac
		shift
	done
	find "$@" "${prune[@]}" -printf "$fmt\n" | LC_ALL=C sort
	[ $contents = 0 ] || find "$@" "${prune[@]}" -type f -exec md5sum {} + | LC_ALL=C sort
}

# at_exit COMMAND: eval COMMAND when the test exits (one EXIT trap runs them all, the last
# added first).
at_exit_commands=()
at_exit() {
	at_exit_commands=("$1" "${at_exit_commands[@]}")
	trap 'for c in "${at_exit_commands[@]}"; do eval "$c"; done' EXIT
}

# emu_setup VZEMU DIR: the prelude of a test under vzemu. Skips unless root runs it, VZEMU
# exists and can run here (a machine without seccomp user notification, ptrace or
# namespaces); fails if it cannot run for another reason. DIR (emptied) is the test's
# scratch directory, DIR/state a freshly reset emulated kernel. At exit the kernel is reset
# again, which kills what VE processes are left, and DIR is removed unless a check failed
# (it then stays for its trace and logs).
emu_setup() {
	local vzemu=$1 dir=$2 out
	[ "$(id -u)" = 0 ] || skip "needs root"
	[ -x "$(command -v "$vzemu")" ] || skip "no vzemu binary ($vzemu)"
	rm -rf "$dir" && mkdir -p "$dir" || { bad "cannot make $dir"; exit 1; }
	if ! out=$("$vzemu" --state "$dir/state" --reset -- true 2>&1); then
		case $out in
		*seccomp*|*ptrace*|*unshare*|*private*) skip "vzemu cannot run here: $out" ;;
		esac
		bad "vzemu -- true: $out"
		exit 1
	fi
	at_exit "$(printf '%q ' "$vzemu" --state "$dir/state" --reset -- true) >/dev/null 2>&1
		[ \"\$fail\" -ne 0 ] || rm -rf $(printf '%q' "$dir")"
}

# finish NAME [EXTRA]: the closing line; the status is the verdict.
finish() {
	echo "$1: $pass passed, $fail failed${2:+ $2}"
	[ "$fail" -eq 0 ]
}
