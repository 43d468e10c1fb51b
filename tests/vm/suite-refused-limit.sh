# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=sh
#
# A limit the kernel enforces on the start itself, in the VM only (vzemu charges numproc to
# processes in VEs only, not to the host's VE-creating child; see tests/vm/README.md):
# part of the lifecycle suite's failures. (Its helpers are the lifecycle suite's.)
# The lifecycle of a busybox-init VE on an OpenVZ kernel, POSIX sh, run as root in VE 0:
# in the VM on the real kernel (tests/vm/run-vm.sh) and under vzemu (test-suite-emu.sh),
# so the result lines of the two runs can be compared.
#   create from the busybox template with vps.basic, an address → start (the VE's own
#   /proc/user_beancounters read through exec holds the configured barriers and limits, the
#   fair-scheduler node has the weight of CPUUNITS, the disk quota is on with DISKSPACE and
#   DISKINODES, the venet address is on /proc/vz/veinfo) → exec → live set (numproc,
#   cpuunits: the kernel's files show the new values) → stop → start → stop → destroy, with
#   nothing left after stop and destroy.
#   Failures the kernel makes: an address another running VE holds, a VE without an init
#   (a limit the kernel enforces: suite-refused-limit.sh, VM only). Each: the exit code and message, then nothing
#   left behind.
# Expectations come from vzctl-behaviour.md (exit codes §7.1, start §3.2, stop §3.3) and
# kernel-abi.md (§8 beancounters, §9 fair scheduler, §12 stop, §13 /proc files).
# Environment: VZL_BIN (the vzlite binary, default vzlite), VZL_CONF (the global config,
# default /etc/vz/vz.conf; profiles and VE configs in its directory's conf/). The template
# cache busybox-x86_64 (tests/tools/make-busybox-template.sh) and ve-vps.basic.conf-sample
# must be in place.
# Usage: sh suite-lifecycle.sh
. "${0%/*}/suite-lib.sh"
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

B=102
# --- a limit the kernel enforces on the start: no process allowed (NUMPROC 0:0) ---
# setublimit stores it (kernel-abi §8.4); the fork of the VE's first process is charged to
# the new beancounter and refused with ENOMEM (kernel/fork.c, ub_task_charge) ⇒ exit 6
vzl create $B --ostemplate busybox-x86_64 --config vps.basic >/dev/null 2>&1
check "create a VE for the refused limit" 0 $?
vzl set $B --numproc 0:0 --save >/dev/null 2>&1
check "set --numproc 0:0 (accepted as a value)" 0 $?
out=$(vzl start $B 2>&1)
check "start at NUMPROC 0:0: exit 6 (VZ_RESOURCE_ERROR)" 6 $?
has "start at NUMPROC 0:0: names the VE" "VE $B" "$out"
check "start at NUMPROC 0:0: status" "CTID $B exist unmounted down" "$(status $B)"
check "start at NUMPROC 0:0: nothing left" "" "$(leftovers $B)"

vzl stop --fast $B >/dev/null 2>&1 # only when the start was not refused (a failure above)
vzl destroy $B >/dev/null 2>&1
check "destroy VE $B" 0 $?
suite_end refused-limit
