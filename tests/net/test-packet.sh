#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A packet crosses venet (issue 16, "Done when"): under `vzemu --host-venet`, in a network
# namespace this test makes (checked: /proc/self/ns/net differs from the caller's) with an
# uplink (one end of a veth pair, 192.0.2.1/24), a busybox-init VE with
# IP_ADDRESS=192.0.2.10 started by vzlite:
#  0. the host's venet0 (--host-venet) is a bridge, up (skipped without the bridge driver);
#  1. the VE's venet0 has its host side: vzv<VEID>, up, a port of the host's venet0;
#  2. a process inside the VE (vzlite exec) opens a TCP connection to 192.0.2.1, where a
#     listener of the test waits: the listener sees the VE's address as the peer and the
#     bytes the VE sent, the VE gets the bytes the listener sent back;
#  3. ping from inside the VE to 192.0.2.1, and from the host side to 192.0.2.10;
#  4. after `vzlite stop` the VE's host side is gone.
# Usage: test-packet.sh VZLITE FIXTURES_DIR SHARED_FIXTURES_DIR VZEMU ABI_CLIENT
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?} shared=${3-} vzemu=${4:?} client=${5:?}
: "$client"
command -v ip >/dev/null || skip "no iproute2"
command -v python3 >/dev/null || skip "no python3 for the host side's listener"
. "$(dirname "$0")/net-host.sh"
net_own_namespace "$0" "$@"
net_uplink
. "$(dirname "$0")/../lifecycle/lifecycle-host.sh"
lifecycle_host net-packet "$shared" "$vzemu" "$fixtures" "$@"
check "in a network namespace of its own" yes \
	"$([ "$(readlink /proc/self/ns/net)" != "$VZL_OUTER_NET_NS" ] && echo yes)"
V=("$vzlite" --global-config "$conf")
# vzemu's venet0 needs the bridge driver (a probe in this test's network namespace)
ip link add probe-br0 type bridge 2>/dev/null && ip link del probe-br0 ||
	skip "the kernel has no bridge driver for vzemu's venet0"
"$vzemu" --state "$tmp/state" --host-venet -- true
check "vzemu --host-venet" 0 $?
check "the host's venet0 is a bridge, up" venet0 \
	"$(ip -o link show up type bridge | cut -d' ' -f2 | tr -d :)"
A=4811
"${V[@]}" create $A --ostemplate busybox-x86_64 --config vps.basic >/dev/null 2>&1 &&
	"${V[@]}" set $A --ipadd 192.0.2.10 --save >/dev/null 2>&1
check "create VE $A with 192.0.2.10" 0 $?

# The host side's listener: one connection on 192.0.2.1:5011; it says "listening" on its
# stdout (a FIFO the test reads with a timeout) once the socket listens, then writes the
# peer's address and the bytes received to $tmp/got, and answers with its own bytes.
token=$RANDOM$RANDOM
cat >"$tmp/listen.py" <<'EOP'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.1", 5011))
s.listen(1)
s.settimeout(60)
print("listening", flush=True)
c, peer = s.accept()
c.settimeout(60)
data = b""
while not data.endswith(b"\n"):
    b = c.recv(4096)
    if not b:
        break
    data += b
with open(sys.argv[1], "w") as f:
    f.write("peer %s\n" % peer[0])
    f.write("got %s\n" % data.decode().strip())
c.sendall(("from-host-%s\n" % sys.argv[2]).encode())
c.close()
EOP
mkfifo "$tmp/ready"
python3 "$tmp/listen.py" "$tmp/got" "$token" >"$tmp/ready" 2>"$tmp/listen.err" &
at_exit "kill $! 2>/dev/null"
read -r -t 30 ready <"$tmp/ready"
check "the host side's listener listens" listening "${ready:-}"

# one vzemu run: start, the crossings, stop (vzlite executes the busybox applets inside)
cat >"$tmp/run.sh" <<EOS
V=(${V[*]@Q})
"\${V[@]}" start $A 2>&1; echo "start=\$?"
echo "host side: \$(ip -o link show vzv$A 2>&1)"
echo "in the VE: \$("\${V[@]}" exec $A -- /bin/busybox ip -o -4 addr show dev venet0 2>&1 | grep -o 'inet [^ ]*' | tr '\\n' ' ')"
echo "from-ve-$token" | timeout 60 "\${V[@]}" exec $A -- /bin/busybox nc 192.0.2.1 5011 >$tmp/nc.out 2>&1
echo "nc=\$?"
timeout 60 "\${V[@]}" exec $A -- /bin/busybox ping -c 1 -W 10 192.0.2.1 >$tmp/ping-ve.out 2>&1
echo "ping from the VE=\$?"
timeout 60 /bin/busybox ping -c 1 -W 10 192.0.2.10 >$tmp/ping-host.out 2>&1
echo "ping to the VE=\$?"
"\${V[@]}" stop --fast $A 2>&1; echo "stop=\$?"
echo "after stop: \$(ip -o link show vzv$A 2>&1)"
EOS
"$vzemu" --state "$tmp/state" --host-venet --trace "$tmp/trace" -- bash "$tmp/run.sh" >"$tmp/out" 2>&1
check "vzemu run" 0 $?
out=$(cat "$tmp/out")
echo "$out" | sed 's/^/  | /'
has "start" "start=0" "$out"
has_match "1. the VE's host side: vzv$A, up, a port of the host's venet0" "$tmp/out" \
	"^host side: [0-9]+: vzv$A@[^:]*: <[^>]*[<,]UP[,>].* master venet0 "
has_match "1. the VE's address on its venet0" "$tmp/out" "^in the VE: .*inet 192\.0\.2\.10/32 "
has "2. the VE's nc ends well" "nc=0" "$out"
check "2. the listener: the peer is the VE's address, the VE's bytes arrived" \
	"peer 192.0.2.10
got from-ve-$token" "$(cat "$tmp/got" 2>/dev/null)"
check "2. the VE got the host side's bytes" "from-host-$token" "$(cat "$tmp/nc.out")"
has "3. ping from the VE to 192.0.2.1" "ping from the VE=0" "$out"
has "3. one reply from 192.0.2.1" "64 bytes from 192.0.2.1:" "$(cat "$tmp/ping-ve.out")"
has "3. ping from the host side to 192.0.2.10" "ping to the VE=0" "$out"
has "3. one reply from 192.0.2.10" "64 bytes from 192.0.2.10:" "$(cat "$tmp/ping-host.out")"
has "4. stop" "stop=0" "$out"
has "4. after stop the VE's host side is gone" 'after stop: Device "vzv'$A'" does not exist.' "$out"
finish test-net-packet
