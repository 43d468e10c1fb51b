#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# venet addresses and their host side (issue 16 items 1 and 2; vzctl-behaviour.md §5.1-§5.3,
# §3.2 step 10.1, §3.3 steps 3 and 6, §3.6; kernel-abi.md §4), under vzemu, in a network
# namespace this test makes (checked: /proc/self/ns/net differs from the caller's) with an
# uplink (one end of a veth pair, 192.0.2.1/24, 2001:db8:1::1/64) and vzemu's host venet0. The state
# is read back with iproute2 (the test's reader; vzlite executes nothing):
#  1. start of a VE with IP_ADDRESS="10.1.0.1 10.1.0.2/24 2001:db8:5::1/64": the kernel's
#     map (/proc/vz/veinfo), exactly one route per address dev venet0 (IPv4 with
#     VE_ROUTE_SRC_DEV's address as src), exactly one proxy entry per address on the uplink
#     (NEIGHBOUR_DEVS unset: all neighbour devices; never venet0, lo loopback), the veip
#     file "ADDR ADDR ADDR "; the sysctls reported, not changed; stop removes all of it;
#  2. 50 addresses given with commas: 50 routes, 50 proxy entries, all removed by stop;
#  3. set --ipadd / --ipdel / --ipdel all on the running VE; a bad address is named;
#  4. two VEs: the second one's start with the first one's address fails with 78 naming
#     the first VE, and leaves the first one's host side as it was; the same live;
#  5. a VE stopped from inside: status cleans up its routes, proxy entries and veip file;
#  6. start and stop execute no program but the VE's init;
#  7. every kernel call position of a start with addresses failed in turn: no route, proxy
#     entry, address in the kernel or veip file is left.
# Usage: test-venet.sh VZLITE FIXTURES_DIR SHARED_FIXTURES_DIR VZEMU ABI_CLIENT
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?} shared=${3-} vzemu=${4:?} client=${5:?}
command -v ip >/dev/null || skip "no iproute2 to read the state back"
. "$(dirname "$0")/net-host.sh"
net_own_namespace "$0" "$@"
net_uplink 2001:db8:1::1/64
. "$(dirname "$0")/../lifecycle/lifecycle-host.sh"
lifecycle_host venet "$shared" "$vzemu" "$fixtures" "$@"
check "in a network namespace of its own" yes \
	"$([ "$(readlink /proc/self/ns/net)" != "$VZL_OUTER_NET_NS" ] && echo yes)"
V=("$vzlite" --global-config "$conf")
E=("$vzemu" --state "$tmp/state")
VEIP=$tmp/veip
printf 'IPV6="yes"\nVEIP_DIR="%s"\nVE_ROUTE_SRC_DEV="uplink0"\n' "$VEIP" >>"$conf"
"$vzemu" --state "$tmp/state" --host-venet -- true
# (its kind is vzemu's: a bridge the VEs' venet0 join, see test-packet.sh)
has "vzemu made the host's venet0, up" "venet0" \
	"$(ip -o link show up | grep -E ': venet0: <' | cut -d' ' -f2 | tr -d :)"
A=4801 B=4802
for v in $A $B; do
	"${V[@]}" create $v --ostemplate busybox-x86_64 --config vps.basic >/dev/null 2>&1
	check "create $v" 0 $?
done

# The host side as iproute2 shows it: routes dev venet0 in any table that vzlite made (not
# the kernel's own for venet0's link-local address), proxy entries, the veip file.
routes() { ip -4 route show table all dev venet0 | grep -v 'proto kernel' | grep -Ev '^(local|multicast|broadcast) ' | sort; }
routes6() { ip -6 route show table all dev venet0 | grep -v 'proto kernel' | grep -Ev '^(local|multicast|anycast) ' | sort; }
proxies() { ip neigh show proxy | sort; }
veip() { cat "$VEIP/$1" 2>/dev/null || echo "(no veip file)"; }
state() { echo "routes:"; routes; routes6; echo "proxies:"; proxies; echo "veip $1: $(veip "$1")"; }
# the addresses of VE $1 in the kernel's map (/proc/vz/veinfo), one a line, sorted
kaddrs() { awk -v v="$1" '$1 == v { for (i = 4; i <= NF; i++) print $i }' /proc/vz/veinfo | sort; }
# script FILE: a script run in one vzemu run (one mount namespace for start and stop)
run() { "${E[@]}" --trace "$tmp/$1.trace" -- bash "$tmp/$1.sh" >"$tmp/$1.out" 2>&1; out=$(cat "$tmp/$1.out"); }
H_STATE=$(declare -f routes routes6 proxies veip state kaddrs)

# 1. start and stop with three addresses
echo 'IP_ADDRESS="10.1.0.1 10.1.0.2/24 2001:db8:5::1/64"' >>"$H/conf/$A.conf"
cat >"$tmp/one.sh" <<EOS
V=(${V[*]@Q}); VEIP=$VEIP
$H_STATE
"\${V[@]}" start $A 2>&1; echo "start=\$?"
echo "=== started"; state $A; echo "=== veinfo"; kaddrs $A; echo "=== end"
echo "=== forward \$(cat /proc/sys/net/ipv4/ip_forward)"
"\${V[@]}" stop --fast $A 2>&1; echo "stop=\$?"
echo "=== stopped"; state $A
EOS
run one
has "1. start" "start=0" "$out"
# §5.2: "ip route add IP dev venet0 src <first non-127 address of VE_ROUTE_SRC_DEV>" for IPv4,
# "ip route add IP dev venet0" for IPv6 (host routes /32, /128: §5.3); "ip neigh add proxy IP
# dev DEV" on each neighbour device; veip: "IP " appended per address
check "1. after start: routes, proxy entries, veip file as §5.2 gives" "routes:
10.1.0.1 scope link src 192.0.2.1 
10.1.0.2 scope link src 192.0.2.1 
2001:db8:5::1 metric 1024 pref medium
proxies:
10.1.0.1 dev uplink0 proxy 
10.1.0.2 dev uplink0 proxy 
2001:db8:5::1 dev uplink0 proxy 
veip $A: 10.1.0.1 10.1.0.2 2001:db8:5::1 " \
	"$(sed -n '/^=== started$/,/^=== veinfo$/p' "$tmp/one.out" | sed '1d;$d')"
check "1. the kernel's map has the three addresses (kernel-abi.md §13.3's form)" "10.1.0.1
10.1.0.2
2001:db8:5:0:0:0:0:1" "$(sed -n '/^=== veinfo$/,/^=== end$/p' "$tmp/one.out" | sed '1d;$d')"
has "1. ip_forward reported" "host sysctl net.ipv4.ip_forward is 0" "$out"
has "1. IPv6 forwarding reported" "host sysctl net.ipv6.conf.all.forwarding is 0" "$out"
has "1. proxy_ndp of the uplink reported" "host sysctl net.ipv6.conf.uplink0.proxy_ndp is 0" "$out"
has "1. ip_forward not changed" "=== forward 0" "$out"
has "1. stop" "stop=0" "$out"
check "1. after stop: nothing left" "routes:
proxies:
veip $A: (no veip file)" "$(sed -n '/^=== stopped$/,$p' "$tmp/one.out" | sed '1d')"
# with the sysctls set, nothing is reported
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 net.ipv6.conf.uplink0.proxy_ndp=1
run one
has "1. start with the sysctls set" "start=0" "$out"
hasnt_match "1. nothing reported with the sysctls set" "$tmp/one.out" "host sysctl"

# 2. 50 addresses, given with commas
list=$(seq -f '10.2.0.%g' 1 50 | paste -sd,)
"${V[@]}" set $A --ipdel all --save >/dev/null 2>&1
"${V[@]}" set $A --ipadd "$list" --save >/dev/null 2>&1
check "2. set --ipadd with commas" 0 $?
check "2. saved blank-separated" "IP_ADDRESS=\"$(seq -f '10.2.0.%g' 1 50 | paste -sd' ')\"" \
	"$(grep '^IP_ADDRESS=' "$H/conf/$A.conf")"
run one
has "2. start with 50 addresses" "start=0" "$out"
check "2. 50 routes" 50 "$(sed -n '/^=== started$/,/^proxies:$/p' "$tmp/one.out" | grep -c 'scope link src 192.0.2.1')"
check "2. 50 proxy entries" 50 "$(sed -n '/^proxies:$/,/^veip/p' "$tmp/one.out" | sed -n '/^=== veinfo/q;p' | grep -c 'dev uplink0 proxy')"
check "2. 50 addresses in the veip file" "$(seq -f '10.2.0.%g ' 1 50 | tr -d '\n')" \
	"$(sed -n "s/^veip $A: //p" "$tmp/one.out" | head -1)"
check "2. after stop: nothing left" "routes:
proxies:
veip $A: (no veip file)" "$(sed -n '/^=== stopped$/,$p' "$tmp/one.out" | sed '1d')"

# 3. live --ipadd / --ipdel; 4. a conflict between two VEs
"${V[@]}" set $A --ipdel all --save >/dev/null 2>&1
"${V[@]}" set $A --ipadd 10.1.0.1 --save >/dev/null 2>&1
echo 'IP_ADDRESS="10.1.0.9 10.1.0.3"' >>"$H/conf/$B.conf"
cat >"$tmp/live.sh" <<EOS
V=(${V[*]@Q}); VEIP=$VEIP
$H_STATE
"\${V[@]}" start $A 2>&1; echo "start=\$?"
"\${V[@]}" set $A --ipadd 10.1.0.3 --save 2>&1; echo "ipadd=\$?"
echo "=== ipadd"; state $A; kaddrs $A; echo "=== end"
"\${V[@]}" set $A --ipdel 10.1.0.1 --save 2>&1; echo "ipdel=\$?"
echo "=== ipdel"; state $A; kaddrs $A; echo "=== end"
"\${V[@]}" set $A --ipadd 10.1.0.300 --save 2>&1; echo "bad=\$?"
"\${V[@]}" start $B 2>&1; echo "conflict start=\$?"
echo "=== conflict"; state $A; echo "B running: \$(grep -c "^ *$B " /proc/vz/veinfo)"; veip $B; echo "=== end"
"\${V[@]}" set $B --ipdel 10.1.0.3 --save >/dev/null 2>&1
"\${V[@]}" start $B 2>&1; echo "start B=\$?"
"\${V[@]}" set $A --ipadd 10.1.0.9 2>&1; echo "live conflict=\$?"
"\${V[@]}" stop --fast $B >/dev/null 2>&1
echo "=== live conflict"; state $A; kaddrs $A; echo "=== end"
"\${V[@]}" set $A --ipdel all --save 2>&1; echo "ipdel all=\$?"
echo "=== ipdel all"; state $A; kaddrs $A; echo "=== end"
"\${V[@]}" stop --fast $A 2>&1; echo "stop=\$?"
EOS
run live
sect() { sed -n "/^=== $1\$/,/^=== end\$/p" "$tmp/live.out" | sed '1d;$d'; }
has "3. start" "start=0" "$out"
has "3. --ipadd live" "ipadd=0" "$out"
check "3. after --ipadd: 10.1.0.3's route, proxy entry, veip line and map entry" "routes:
10.1.0.1 scope link src 192.0.2.1 
10.1.0.3 scope link src 192.0.2.1 
proxies:
10.1.0.1 dev uplink0 proxy 
10.1.0.3 dev uplink0 proxy 
veip $A: 10.1.0.1 10.1.0.3 
10.1.0.1
10.1.0.3" "$(sect ipadd)"
has "3. --ipdel live" "ipdel=0" "$out"
check "3. after --ipdel 10.1.0.1: only 10.1.0.3 left" "routes:
10.1.0.3 scope link src 192.0.2.1 
proxies:
10.1.0.3 dev uplink0 proxy 
veip $A: 10.1.0.3 
10.1.0.3" "$(sect ipdel)"
has "3. a bad address: exit 21" "bad=21" "$out"
has "3. a bad address is named" '"10.1.0.300"' "$out"
has "4. a start with another VE's address: 78" "conflict start=78" "$out"
has "4. the other VE is named" "address 10.1.0.3 is in use by VE $A" "$out"
check "4. the first VE's host side is as it was, the second VE is not running" "routes:
10.1.0.3 scope link src 192.0.2.1 
proxies:
10.1.0.3 dev uplink0 proxy 
veip $A: 10.1.0.3 
B running: 0
(no veip file)" "$(sect conflict)"
has "4. the second VE starts without the address" "start B=0" "$out"
has "4. live --ipadd of another VE's address: 78" "live conflict=78" "$out"
has "4. live: the other VE is named" "address 10.1.0.9 is in use by VE $B" "$out"
has "3. --ipdel all" "ipdel all=0" "$out"
check "3. after --ipdel all: nothing (the veip file empty)" "routes:
proxies:
veip $A: " "$(sect 'ipdel all')"
check "4. after the live conflict: the first VE as it was" "routes:
10.1.0.3 scope link src 192.0.2.1 
proxies:
10.1.0.3 dev uplink0 proxy 
veip $A: 10.1.0.3 
10.1.0.3" "$(sect 'live conflict')"
has "3. stop" "stop=0" "$out"

# 5. stopped from inside: status cleans up
"${V[@]}" set $A --ipadd 10.1.0.1,2001:db8:5::1 --save >/dev/null 2>&1
mkfifo "$tmp/req" "$tmp/ack"
( while read -r n <"$tmp/req"; do "$vzemu" --state "$tmp/state" --wait-ve "$n=gone" --timeout 30 >/dev/null 2>&1; echo $? >"$tmp/ack"; done ) &
at_exit "kill $! 2>/dev/null"
cat >"$tmp/inside.sh" <<EOS
V=(${V[*]@Q}); VEIP=$VEIP
$H_STATE
"\${V[@]}" start $A 2>&1; echo "start=\$?"
echo "=== started"; state $A
$client enter $A -- chroot $H/root/$A /sbin/poweroff -f >/dev/null 2>&1
echo $A >$tmp/req; read -r r <$tmp/ack; echo "gone=\$r"
"\${V[@]}" status $A
echo "=== status"; state $A
EOS
run inside
has "5. start" "start=0" "$out"
has "5. the VE stopped from inside" "gone=0" "$out"
has "5. status: down" "CTID $A exist unmounted down" "$out"
has "5. routes and proxy entries were there" "10.1.0.1 dev uplink0 proxy" "$(sed -n '/=== started/,/gone=/p' "$tmp/inside.out")"
check "5. after status: nothing left" "routes:
proxies:
veip $A: (no veip file)" "$(sed -n '/^=== status$/,$p' "$tmp/inside.out" | sed '1d')"

# 6. no program executed but the VE's init: the VE's own init is given nothing to run (an
# inittab with only a ctrl-alt-del action), so every other exec would be vzlite's
printf '::ctrlaltdel:/sbin/reboot\n' >"$H/private/$A/etc/inittab"
"${E[@]}" --trace "$tmp/exec.trace" -- bash -c "${V[*]@Q} start $A && ${V[*]@Q} stop --fast $A" >"$tmp/exec.out" 2>&1
check "6. start and stop ($(tr '\n' ' ' <"$tmp/exec.out"))" 0 $?
check "6. start and stop execute nothing but the VE's init" 'execve("/sbin/init", ["init", "-z", "      "])' \
	"$(grep ' vzemu: exec ' "$tmp/exec.trace" | grep -v 'vzlite"\|bash"' | sed 's/^.*exec //')"

# 7. the failure sweep over a start with addresses
"${E[@]}" --trace "$tmp/sweep.trace" -- bash -c "${V[*]@Q} start $A && ${V[*]@Q} stop --fast $A" >/dev/null 2>&1
awk '/exec execve\("\/sbin\/init"/ || (/vzemu: exec execve\("[^"]*\/vzlite"/ && ++n == 2) { exit } $2 != "vzemu:" {
	if ($2 ~ /^ioctl\(/) { name = $3; sub(/,$/, "", name) } else { name = $2; sub(/\(.*/, "", name) }
	print name, ++seen[name]
}' "$tmp/sweep.trace" >"$tmp/sweep.calls"
check "7. the start maps both addresses" 2 "$(grep -c '^VENETCTL_VE_IP_MAP ' "$tmp/sweep.calls")"
cat >"$tmp/sweep.sh" <<EOS
V=(${V[*]@Q}); VEIP=$VEIP
$H_STATE
"\${V[@]}" start $A 2>&1 >/dev/null | grep -o "inside the VE\|its network configuration inside was not done" | sort -u; rc=\${PIPESTATUS[0]}; echo "start=\$rc"
[ \$rc != 0 ] || "\${V[@]}" stop --fast $A >/dev/null 2>&1
echo "=== after"; state $A; grep -c "^ *$A " /proc/vz/veinfo
EOS
while read -r call nth; do
	out=$("${E[@]}" --fail "$call:EIO:$nth" -- bash "$tmp/sweep.sh" 2>&1)
	[ "$call $nth" = "mount 3" ] && continue # the VE's /sys: ignored, as vzctl (lifecycle)
	# a failure inside the VE (the entered child that writes its network files) is a warning,
	# as vzctl ignores its dist scripts' errors: the start goes on and says so; any other
	# position fails the start
	if grep -qx "start=0" <<<"$out"; then
		has "7. $call #$nth failed inside the VE: a warning, the start goes on" "inside" "$out"
	else
		has "7. $call #$nth failed: start fails" "start=" "$(grep '^start=' <<<"$out")"
	fi
	check "7. $call #$nth: nothing left" "routes:
proxies:
veip $A: (no veip file)
0" "$(sed -n '/^=== after$/,$p' <<<"$out" | sed '1d')"
done <"$tmp/sweep.calls"
finish test-venet
