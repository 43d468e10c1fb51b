# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by the network tests: the network namespace each runs in, made by itself.

# net_own_namespace SCRIPT ARGS...: run SCRIPT again in a network namespace of its own (the
# first time; VZL_OUTER_NET_NS names the caller's). A test that finds itself in its caller's
# namespace fails at once: it would change the host's network.
net_own_namespace() {
	local script=$1
	shift
	if [ -z "${VZL_OUTER_NET_NS:-}" ]; then
		[ "$(id -u)" = 0 ] || skip "needs root"
		unshare -n true 2>/dev/null || skip "cannot make a network namespace"
		VZL_OUTER_NET_NS=$(readlink /proc/self/ns/net) exec unshare -n bash "$script" "$@"
	fi
	if [ "$(readlink /proc/self/ns/net)" = "$VZL_OUTER_NET_NS" ]; then
		echo "FAIL - not in a network namespace of its own" >&2
		exit 1
	fi
}

# net_uplink [IPV6/PREFIX]: lo up and uplink0 with 192.0.2.1/24 (and the IPv6 address), one
# end of a veth pair whose peer stays down, so it is no neighbour device (this machine's
# kernel may lack the dummy driver). Once: not again after lifecycle_host's re-execution.
net_uplink() {
	[ -z "${VZL_IN_MOUNT_NS:-}" ] || return 0
	ip link set lo up
	ip link add uplink0 type veth peer name peer0 && ip addr add 192.0.2.1/24 dev uplink0 &&
		{ [ -z "${1:-}" ] || ip -6 addr add "$1" dev uplink0 nodad; } &&
		ip link set uplink0 up || {
		echo "FAIL - cannot make the uplink" >&2
		exit 1
	}
}
