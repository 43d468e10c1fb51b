#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# veth devices (NETIF, vzctl-behaviour.md §5.4; kernel-abi.md §5) of a busybox-init VE under
# vzemu, in a network namespace this test made (its own /proc/self/ns/net, compared with the
# one it was started in), with a dummy (or ifb) "uplink" (the host's first Ethernet device, whose MAC
# vzctl's generated MACs hash) and a bridge br0 made here:
#  1. start with NETIF="ifname=eth0,bridge=br0,mac_filter=on": the host side veth101.0 and
#     the VE's eth0 exist (read with ip/bridge here, in the VE's namespace with nsenter), the
#     host side is up and enslaved to br0, both MACs are vzctl's for the config form
#     (computed below from §5.4's rule, in Python), mac_filter=on is DENY in /proc/vz/veth;
#  2. --netif_add eth1,,,,br0 live: vzctl's command-line form (VE MAC from eth1, host MAC from
#     veth101.1), on br0, saved in NETIF; --ifname eth0 --mac_filter off: allow;
#     --netif_del eth1: gone, NETIF without it; a bad MAC: refused naming it, nothing changed;
#  3. stop: no veth device left on the host, also when the VE's network namespace outlives
#     the VE (a reference held here): stop removes the host side itself;
#  4. the execve record of start and stop: no program but the VE's init;
#  5. a sweep: each VETHCTL_VE_HWADDR of a start and a call after them fail in turn, a bridge
#     that does not exist, a host name another device has: the start fails (130 for veth),
#     no veth is left, and the undo removed the pairs (VE_ETH_DEL) before the VE stopped.
# Usage: test-veth.sh VZLITE FIXTURES_DIR SHARED_FIXTURES_DIR VZEMU
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?} shared=${3-} vzemu=${4:?}
. "$(dirname "$0")/net-host.sh"
net_own_namespace "$0" "$@"
. "$(dirname "$0")/../lifecycle/lifecycle-host.sh"
lifecycle_host veth "$shared" "$vzemu" "$fixtures" "$@"
inner=$(readlink /proc/self/ns/net)
if [ "$inner" = "$VZL_OUTER_NET_NS" ] || [ -z "$inner" ]; then
	bad "not in a network namespace of the test's own ($inner)"
	finish test-veth
	exit 1
fi
ok "in a network namespace of our own ($inner, started in $VZL_OUTER_NET_NS)"
command -v bridge >/dev/null && command -v nsenter >/dev/null || skip "no bridge/nsenter (iproute2, util-linux)"

ip link set lo up
# the uplink: a dummy device, or an ifb one where the dummy driver is missing (both Ethernet)
ip link add uplink0 address 02:00:5e:10:20:30 type dummy 2>/dev/null ||
	ip link add uplink0 address 02:00:5e:10:20:30 type ifb || skip "no dummy or ifb devices"
ip link add br0 type bridge || skip "no bridge devices"
ip link set br0 up
HWID=02:00:5e:10:20:30

V=("$vzlite" --global-config "$conf")
E=("$vzemu" --state "$tmp/state")
VEID=101 cfg=$H/conf/101.conf
"${V[@]}" create $VEID --ostemplate busybox-x86_64 --config vps.basic >/dev/null 2>&1
check "create" 0 $?
# each run of vzemu has its own mount namespace: start and stop run in different ones
echo 'DISK_QUOTA="no"' >>"$cfg"
echo 'NETIF="ifname=eth0,bridge=br0,mac_filter=on"' >>"$cfg"

# vzctl's generated MAC (§5.4), written here from the document: 00:18:51 and three bytes of a
# 32-bit hash of "<name>:<VEID>:<hwid> " seeded with the VE id, bytes at bits 0, 8 and 15.
mac() {
	python3 - "$1" "$VEID" "$HWID" <<'EOF'
import sys
name, veid, hwid = sys.argv[1], int(sys.argv[2]), sys.argv[3]
data = ("%s:%d:%s " % (name, veid, hwid)).encode()
m = 0xffffffff
h = veid & m
for i in range(len(data) - 1):
    c = data[i] - 256 if data[i] > 127 else data[i]
    n = data[i + 1] - 256 if data[i + 1] > 127 else data[i + 1]
    h = (h + c) & m
    h = ((h << 16) ^ ((n << 11) & m) ^ h) & m
    h = (h + (h >> 11)) & m
for op, k in (("x", 3), ("+", 5), ("x", 4), ("+", 17), ("x", 25), ("+", 6)):
    h = (h ^ (h << k)) & m if op == "x" else (h + (h >> k)) & m
print("00:18:51:%02x:%02x:%02x" % (h & 255, (h >> 8) & 255, (h >> 15) & 255))
EOF
}
# link NAME: "MAC STATE master" of a host device, or nothing when it does not exist
link() {
	ip -o link show dev "$1" 2>/dev/null |
		sed -nE 's/.*<([^>]*)>.*( master ([^ ]+))?.* link\/ether ([0-9a-f:]+).*/\4 \1/p' |
		awk '{ split($2, f, ","); up = "down"; for (i in f) if (f[i] == "UP") up = "up"; print $1, up }'
}
master() { ip -o link show dev "$1" 2>/dev/null | sed -nE 's/.* master ([^ ]+) .*/\1/p'; }
# The VE's init (its host pid), for a look into its network namespace.
ve_init() { "${E[@]}" -- cat /proc/vz/veinfo >/dev/null; cut -d' ' -f1 "$tmp/state/supervisor/ve-$VEID"; }
ve_link() { nsenter -t "$(ve_init)" -n ip -o link show dev "$1" 2>/dev/null | sed -nE 's/.* link\/ether ([0-9a-f:]+).*/\1/p'; }
veth_proc() { "${E[@]}" -- cat /proc/vz/veth | tail -n +2 | awk '{ print $2, $4, $5, $6 }' | sort; }
vethdevs() { ip -o link show | sed -nE 's/^[0-9]+: (veth[^:@]*).*/\1/p' | sort | paste -sd' '; }

M0=$(mac veth101.0) # config form: the VE's MAC from the host name, the host's copies it
[ -n "$M0" ] || bad "the MAC computation failed"

# 1. start
: >"$tmp/start.trace"
out=$("${E[@]}" --trace "$tmp/start.trace" -- "${V[@]}" start $VEID 2>&1)
check "start ($out)" 0 $?
check "host side veth101.0: vzctl's MAC, up" "$M0 up" "$(link veth101.0)"
check "host side enslaved to br0" br0 "$(master veth101.0)"
has "bridge lists it as br0's port" "master br0" "$(bridge link show dev veth101.0)"
check "VE side eth0 in the VE's namespace, vzctl's MAC" "$M0" "$(ve_link eth0)"
check "no eth0 on the host" "" "$(ip -o link show dev eth0 2>/dev/null)"
check "/proc/vz/veth: the pair, mac_filter=on is deny" "veth101.0 eth0 $VEID deny" "$(veth_proc)"
has "start's trace: VE_ETH_ADD with the names and MACs" \
	"VETHCTL_VE_HWADDR, {veid=$VEID, op=VE_ETH_ADD, dev_addr=$M0, addrlen=6, dev_name=\"veth101.0\", dev_addr_ve=$M0, addrlen_ve=6, dev_name_ve=\"eth0\"}) = 0" \
	"$(cat "$tmp/start.trace")"
has "start's trace: the filter on" \
	"VETHCTL_VE_HWADDR, {veid=$VEID, op=VE_ETH_DENY_MAC_CHANGE, dev_name=\"veth101.0\"}) = 0" \
	"$(cat "$tmp/start.trace")"

# 2. live
M1=$(mac eth1) H1=$(mac veth101.1) # command-line form: each MAC from its own name
out=$("${E[@]}" -- "${V[@]}" set $VEID --netif_add eth1,,,,br0 --save 2>&1)
check "--netif_add eth1,,,,br0 ($out)" 0 $?
check "veth101.1: vzctl's host MAC, up" "$H1 up" "$(link veth101.1)"
check "veth101.1 on br0" br0 "$(master veth101.1)"
check "VE side eth1" "$M1" "$(ve_link eth1)"
check "saved NETIF" \
	"NETIF=\"ifname=eth0,bridge=br0,mac_filter=on;ifname=eth1,bridge=br0,mac=$M1,host_ifname=veth101.1,host_mac=$H1\"" \
	"$(grep '^NETIF=' "$cfg")"
check "eth0 kept" "$M0 up" "$(link veth101.0)"
out=$("${E[@]}" -- "${V[@]}" set $VEID --ifname eth0 --mac_filter off --save 2>&1)
check "--ifname eth0 --mac_filter off ($out)" 0 $?
check "/proc/vz/veth: eth0 allow, eth1 deny (the kernel's default)" \
	"veth101.0 eth0 $VEID allow|veth101.1 eth1 $VEID deny" "$(veth_proc | paste -sd'|')"
before=$(cat "$cfg")
out=$("${E[@]}" -- "${V[@]}" set $VEID --ifname eth1 --mac 00:18:51:zz:00:01 --save 2>&1)
check "a bad MAC: exit 21" 21 $?
has "a bad MAC: named" "00:18:51:zz:00:01" "$out"
check "a bad MAC: config unchanged" "$before" "$(cat "$cfg")"
out=$("${E[@]}" -- "${V[@]}" set $VEID --netif_del eth1 --save 2>&1)
check "--netif_del eth1 ($out)" 0 $?
check "veth101.1 gone" "" "$(link veth101.1)"
check "VE side eth1 gone" "" "$(ve_link eth1)"
check "NETIF without eth1" 'NETIF="ifname=eth0,bridge=br0,mac_filter=off"' "$(grep '^NETIF=' "$cfg")"

# 3. stop. A reference to the VE's network namespace held here (a bind mount of it, in the
# test's own mount namespace) keeps the namespace, so the kernel's removal of the pairs
# with it cannot happen: the host side left must be removed by stop itself.
touch "$tmp/ve-netns"
mount --bind "/proc/$(ve_init)/ns/net" "$tmp/ve-netns" || bad "cannot hold the VE's netns"
: >"$tmp/stop.trace"
out=$("${E[@]}" --trace "$tmp/stop.trace" -- "${V[@]}" stop $VEID 2>&1)
check "stop ($out)" 0 $?
check "stop: no veth device on the host" "" "$(vethdevs)"
check "stop: /proc/vz/veth empty" "" "$(veth_proc)"
check "the VE's namespace held still has no eth0 (its pair went with the host side)" "" \
	"$(nsenter --net="$tmp/ve-netns" ip -o link show dev eth0 2>/dev/null)"
umount "$tmp/ve-netns"

# 4. what start and stop executed: programs run before the VE's init (after it, the VE's own
# programs run) other than vzlite itself; the init; nothing in stop
check "start executed no program before the VE's init" "" \
	"$(awk '/exec execve\("\/sbin\/init"/ { exit } / vzemu: exec / && !/\/vzlite"/' "$tmp/start.trace")"
has "start executed the VE's init" 'vzemu: exec execve("/sbin/init", ["init"' "$(cat "$tmp/start.trace")"
check "stop executed no program" "" "$(grep ' vzemu: exec ' "$tmp/stop.trace" | grep -v '/vzlite"')"

# 5. failures: nothing of a veth stays
sweep() { # NAME VZEMU_FAIL...: a start that must fail with no veth left
	local name=$1
	shift
	out=$("${E[@]}" "$@" -- "${V[@]}" start $VEID 2>&1)
	rc=$?
	[ $rc != 0 ] || { bad "$name: start succeeded"; "${E[@]}" -- "${V[@]}" stop --fast $VEID >/dev/null 2>&1; }
	check "$name: no veth device left" "" "$(vethdevs)"
	check "$name: no pair in the kernel" "" "$(veth_proc)"
	nothing_left "$name" "$H" $VEID "$vzemu" "$tmp/state"
}
sed -i 's/^NETIF=.*/NETIF="ifname=eth0,bridge=br0,mac_filter=on;ifname=eth1"/' "$cfg"
for n in 1 2 3; do
	sweep "VETHCTL_VE_HWADDR #$n fails" --fail VETHCTL_VE_HWADDR:EIO:$n
	check "VETHCTL_VE_HWADDR #$n: exit 130 (VZ_VETH_ERROR)" 130 "$rc"
done
sweep "the MAC filter call fails (by its sub-command)" --fail VE_ETH_DENY_MAC_CHANGE:EPERM
check "VE_ETH_DENY_MAC_CHANGE: exit 130" 130 "$rc"
sweep "a call after the veth row fails" --fail VZCTL_VE_MEMINFO:EIO --trace "$tmp/sweep.trace"
has "the start's undo removed each pair before the VE stopped" \
	"op=VE_ETH_DEL, dev_name=\"veth101.0\"}) = 0|op=VE_ETH_DEL, dev_name=\"veth101.1\"}) = 0" \
	"$(grep -o 'op=VE_ETH_DEL.*' "$tmp/sweep.trace" | paste -sd'|')"
sed -i 's/^NETIF=.*/NETIF="ifname=eth0,bridge=nosuchbr0"/' "$cfg"
sweep "a bridge that does not exist"
has "the bridge named" "nosuchbr0" "$out"
sed -i 's/^NETIF=.*/NETIF="ifname=eth0,host_ifname=uplink0"/' "$cfg"
sweep "a host name another device has"
has "the clash said" "a device of that name exists" "$out"
check "uplink0 untouched" "$HWID down" "$(link uplink0)"

finish test-veth
