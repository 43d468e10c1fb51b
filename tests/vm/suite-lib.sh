# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=sh
#
# The assertions of the VM suites and their reading of the host (the kernel's files, the
# configs), POSIX sh (busybox sh in the VM, any sh under vzemu):
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

# --- the host: vzlite, the configs and the kernel's files ---
VZL_BIN=${VZL_BIN:-vzlite}
VZL_CONF=${VZL_CONF:-/etc/vz/vz.conf}
CONFDIR=${VZL_CONF%/*}/conf
vzl() { "$VZL_BIN" --global-config "$VZL_CONF" "$@"; }

# gconf NAME VEID: the global config's NAME with $VEID expanded
gconf() {
	sed -n "s/^$1=\"\{0,1\}\([^\"]*\)\"\{0,1\}.*/\1/p" "$VZL_CONF" | tail -n 1 |
		sed "s/\\\$VEID/$2/g; s/\\\${VEID}/$2/g"
}
# vconf VEID NAME: the VE config's NAME, unquoted
vconf() { sed -n "s/^$2=\"\{0,1\}\([^\"]*\)\"\{0,1\}.*/\1/p" "$CONFDIR/$1.conf" | tail -n 1; }
# pair VALUE: a beancounter value of a config as "barrier limit"
pair() {
	case $1 in *:*) b=${1%%:*} l=${1#*:} ;; *) b=$1 l=$1 ;; esac
	[ "$b" = unlimited ] && b=9223372036854775807
	[ "$l" = unlimited ] && l=9223372036854775807
	echo "$b $l"
}
# ubrows: the VE's /proc/user_beancounters (on stdin) as "uid-or-- resource barrier limit"
ubrows() {
	awk 'NR > 2 { if ($1 ~ /:$/) { u = $1; i = 2 } else { u = "-"; i = 1 }
		print u, $i, $(i + 3), $(i + 4) }'
}
# fsweight ID: the node's weight on /proc/fairsched2 (nothing without the node)
fsweight() { awk -v id="$1" 'NR > 2 && $1 == id { print $2 }' /proc/fairsched2; }
# veaddrs VEID: the VE's addresses on /proc/vz/veinfo, or "none" without its line
veaddrs() {
	awk -v v="$1" '$1 == v { s = ""; for (i = 4; i <= NF; i++) s = s " " $i; print "line" s; f = 1 }
		END { if (!f) print "none" }' /proc/vz/veinfo
}
# kquota VEID: the VE's quota on /proc/vz/vzquota as "path|soft hard|isoft ihard"
kquota() {
	awk -v q="$1:" '$1 == q { p = $2; n = 2; next }
		n > 0 && $1 == "1k-blocks" { b = $3 " " $4; n-- }
		n > 0 && $1 == "inodes" { i = $3 " " $4; n-- }
		END { if (p != "") print p "|" b "|" i }' /proc/vz/vzquota
}
# leftovers VEID: what of a running or half-made VE remains, or nothing: its line on
# veinfo, its fair-scheduler node, its disk quota, a mount at or below its root, its lock
leftovers() {
	r=$(gconf VE_ROOT "$1")
	[ "$(veaddrs "$1")" = none ] || printf 'veinfo '
	[ -z "$(fsweight "$1")" ] || printf 'fairsched-node '
	[ -z "$(kquota "$1")" ] || printf 'quota '
	awk -v r="$r" '$2 == r || index($2, r "/") == 1 { printf "mount %s ", $2 }' /proc/mounts
	[ ! -e "$(gconf LOCKDIR "$1")/$1.lck" ] || printf 'lock '
	echo
}
status() { vzl status "$1" 2>&1; }

UBS="KMEMSIZE LOCKEDPAGES PRIVVMPAGES SHMPAGES NUMPROC PHYSPAGES VMGUARPAGES OOMGUARPAGES
NUMTCPSOCK NUMFLOCK NUMPTY NUMSIGINFO TCPSNDBUF TCPRCVBUF OTHERSOCKBUF DGRAMRCVBUF
NUMOTHERSOCK NUMFILE DCACHESIZE"
# ub_as_configured WHAT VEID: every beancounter of the config, as the VE itself reads it
ub_as_configured() {
	out=$(vzl exec "$2" cat /proc/user_beancounters 2>&1)
	check "$1: exec cat /proc/user_beancounters" 0 $?
	rows=$(echo "$out" | ubrows)
	check "$1: the VE sees its own beancounter only" "$2:" \
		"$(echo "$rows" | awk '$1 != "-" { print $1 }' | sort -u | tr '\n' ' ' | sed 's/ $//')"
	for ub in $UBS; do
		v=$(vconf "$2" "$ub")
		[ -n "$v" ] || continue
		lc=$(echo "$ub" | tr 'A-Z' 'a-z')
		check "$1: $lc barrier and limit as configured" "$(pair "$v")" \
			"$(echo "$rows" | awk -v n="$lc" '$2 == n { print $3, $4 }')"
	done
}
