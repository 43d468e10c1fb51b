#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The VE's own network configuration (issue 16 item 4; vzctl-behaviour.md §5.6, §3.2 step 10,
# §3.6 step 12), under vzemu, on busybox-init VEs made from vps.basic, in a network namespace
# and a mount namespace this test made. Expected values are written here from the document:
#  1. Debian family (OSTEMPLATE debian-7.0-x86_64): after start, from inside the VE (a process
#     entered into it, the host's `ip`/`hostname` in its namespaces): lo up; venet0 up with
#     127.0.0.2/8, 10.77.0.2/32 (venet0:0), 10.77.1.5/24 (venet0:1); the default route dev
#     venet0; hostname = the short name; /etc/network/interfaces (its non-comment lines),
#     /etc/hostname, /etc/hosts, /etc/resolv.conf as the dist scripts write them;
#  2. Red Hat family (centos-6-x86_64), no /etc/hostname: 127.0.0.1/32 and 10.77.0.3/32, the
#     hostname is the FQDN, ifcfg-venet0, ifcfg-venet0:0 (a stale ifcfg-venet0:7 removed),
#     /etc/sysconfig/network (GATEWAY gone, HOSTNAME=), NAMESERVER/SEARCHDOMAIN inherit from
#     the host's resolv.conf (the test's own, bind-mounted in its mount namespace);
#  3. hostile trees of both families: /etc/hostname, /etc/resolv.conf, /etc/hosts,
#     /etc/network, /etc/sysconfig are links to files and directories of the test's scratch
#     ("the host"): every host file is unchanged (checksums), the VE's network comes up, the
#     refusals are warnings and the start succeeds;
#  4. a live `set --hostname` changes the host name inside the running VE; --dry-run tells
#     the in-VE work and changes nothing;
#  5. vzemu's execve record: the start executes no program but the VE's init.
# Usage: test-inside.sh VZLITE FIXTURES_DIR SHARED_FIXTURES_DIR VZEMU ABI_CLIENT
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?} shared=${3-} vzemu=${4:?} client=${5:?}
command -v ip >/dev/null || skip "no ip (iproute2)"
unshare -n true 2>/dev/null || skip "cannot make a network namespace"
. "$(dirname "$0")/../lifecycle/lifecycle-host.sh"
lifecycle_host net-inside "$shared" "$vzemu" "$fixtures" "$@"
V=("$vzlite" --global-config "$conf")
mk=$(dirname "$0")/../tools/make-busybox-template.sh
"$mk" "$H/template/cache" debian-7.0-x86_64 >/dev/null && "$mk" "$H/template/cache" centos-6-x86_64 >/dev/null ||
	{ bad "templates"; finish test-net-inside; exit 1; }

make_ve() { # VEID OSTEMPLATE SET-OPTIONS...
	local id=$1 ost=$2
	shift 2
	"${V[@]}" create "$id" --ostemplate "$ost" --config vps.basic >/dev/null 2>&1 &&
		"${V[@]}" set "$id" "$@" --save >/dev/null 2>&1
	check "create and configure VE $id ($ost)" 0 $?
}
make_ve 4801 debian-7.0-x86_64 --ipadd 10.77.0.2 --ipadd 10.77.1.5/24 \
	--hostname ve1.example.org --nameserver "10.77.0.53 10.77.0.54" \
	--searchdomain example.org
P1=$H/private/4801
# its init is given nothing to run (as test-venet.sh's item 6): no child of the init can
# make a call before the start's end and so enter item 5's execve record
printf '::ctrlaltdel:/sbin/reboot\n' >"$P1/etc/inittab"
mkdir "$P1/etc/network" # as Debian has it (vzlite, as vzctl's scripts, makes no directory)
printf 'nameserver 1.1.1.1\nsearch old.example\noptions ndots:2\n' >"$P1/etc/resolv.conf"
chmod 600 "$P1/etc/resolv.conf" # set_dns.sh makes it 644
make_ve 4802 centos-6-x86_64 --ipadd 10.77.0.3 --hostname rh.example.org \
	--nameserver inherit --searchdomain inherit
P2=$H/private/4802
rm "$P2/etc/hostname"
mkdir -p "$P2/etc/sysconfig/network-scripts"
printf 'GATEWAY=10.0.0.1\nFOO=bar\n' >"$P2/etc/sysconfig/network"
printf 'DEVICE=venet0:7\n' >"$P2/etc/sysconfig/network-scripts/ifcfg-venet0:7"
# the host's resolv.conf the inherit reads (bind-mounted in the run's mount namespace)
printf '# host\nnameserver 192.0.2.1\ndomain a.example\nsearch b.example c.example\nnameserver 192.0.2.2\n' \
	>"$tmp/host-resolv.conf"

# 3. hostile trees: links to "host" files and directories in the scratch
S=$tmp/scratch
mkdir -p "$S/netdir" "$S/sysconfig/network-scripts"
for f in hostname resolv.conf hosts; do echo "host $f" >"$S/$f"; done
echo "host interfaces" >"$S/netdir/interfaces"
echo "HOSTNAME=host" >"$S/sysconfig/network"
echo "DEVICE=eth0" >"$S/sysconfig/network-scripts/ifcfg-venet0"
for id in 4803 4804; do
	ost=debian-7.0-x86_64
	[ $id = 4804 ] && ost=centos-6-x86_64
	make_ve $id $ost --ipadd 10.77.2.$((id - 4800)) --hostname evil$id.example.org \
		--nameserver 10.77.0.53 --searchdomain example.org
	for f in hostname resolv.conf hosts; do ln -sfn "$S/$f" "$H/private/$id/etc/$f"; done
	ln -sfn "$S/netdir" "$H/private/$id/etc/network"
	ln -sfn "$S/sysconfig" "$H/private/$id/etc/sysconfig"
done
sums() { find "$S" -type f -print0 | sort -z | xargs -0 sha256sum; }
before=$(sums)

cat >"$tmp/inner.sh" <<EOS
V=(${V[*]@Q})
mount --bind $tmp/host-resolv.conf /etc/resolv.conf
inv() { local id=\$1; shift; $client enter \$id -- "\$@" 2>&1; }
show() { # what the test reads inside VE \$1
	echo "[\$1] hostname=\$(inv \$1 hostname)"
	inv \$1 ip -o link show lo | grep -q '[<,]UP[,>]' && echo "[\$1] lo up"
	inv \$1 ip -o link show venet0 | grep -q '[<,]UP[,>]' && echo "[\$1] venet0 up"
	inv \$1 ip -o -4 addr show dev venet0 |
		awk -v v=\$1 '{ for (i = 5; i < NF; i++) if (\$i == "scope") { l = \$(i + 2); sub(/[\\\\]\$/, "", l); print "[" v "] addr " \$4 " " l; break } }'
	inv \$1 ip -4 route show | sed "s/^/[\$1] route /"
}
"\${V[@]}" start 4801 2>&1; echo "start 4801=\$?"
/bin/true end-of-start
show 4801
mkdir $tmp/snap && cp -a $H/private/4801/etc/hosts $H/private/4801/etc/hostname $tmp/snap/
"\${V[@]}" start 4802 2>&1; echo "start 4802=\$?"
show 4802
for id in 4803 4804; do
	"\${V[@]}" start \$id 2>&1; echo "start \$id=\$?"
	show \$id
done
"\${V[@]}" --dry-run set 4801 --hostname dry.example.org 2>&1 | sed 's/^/dry: /'
echo "after dry: \$(inv 4801 hostname)"
"\${V[@]}" set 4801 --hostname live.example.org 2>&1; echo "set=\$?"
echo "after set: \$(inv 4801 hostname)"
cat $H/private/4801/etc/hostname | sed 's/^/hostname file after set: /'
for id in 4801 4802 4803 4804; do "\${V[@]}" stop --fast \$id >/dev/null 2>&1; echo "stop \$id=\$?"; done
EOS
unshare -n "$vzemu" --state "$tmp/state" --host-venet --trace "$tmp/trace" -- bash "$tmp/inner.sh" >"$tmp/out" 2>&1
out=$(cat "$tmp/out")
echo "$out" | sed 's/^/  | /'

# 1. Debian family
has "1. start" "start 4801=0" "$out"
has "1. hostname: the short name (debian-set_hostname.sh)" "[4801] hostname=ve1" "$out"
has "1. lo up" "[4801] lo up" "$out"
has "1. venet0 up" "[4801] venet0 up" "$out"
check "1. venet0's IPv4 addresses and labels" "$(printf '%s\n' \
	"[4801] addr 127.0.0.2/8 venet0" "[4801] addr 10.77.0.2/32 venet0:0" \
	"[4801] addr 10.77.1.5/24 venet0:1")" "$(grep '^\[4801\] addr' <<<"$out")"
has_match "1. default route dev venet0" "$tmp/out" '^\[4801\] route default dev venet0 '
check "1. /etc/network/interfaces (non-comment lines)" "$(printf '%s\n' \
	'auto lo' 'iface lo inet loopback' '' 'auto venet0' 'iface venet0 inet manual' \
	$'\tup ifconfig venet0 up' $'\tup ifconfig venet0 127.0.0.2' \
	$'\tup route add default dev venet0' $'\tdown route del default dev venet0' \
	$'\tdown ifconfig venet0 down' '' 'auto venet0:0' 'iface venet0:0 inet static' \
	$'\taddress 10.77.0.2' $'\tnetmask 255.255.255.255' '' 'auto venet0:1' \
	'iface venet0:1 inet static' $'\taddress 10.77.1.5' $'\tnetmask 255.255.255.0')" \
	"$(grep -v '^#' "$P1/etc/network/interfaces" | sed '1{/^$/d}')"
check "1. /etc/hosts (change_hostname)" "$(printf '%s\n' '127.0.0.1 localhost.localdomain localhost' \
	'# Auto-generated hostname. Please do not remove this comment.' \
	'10.77.0.2 ve1.example.org ve1' '::1 localhost6')" "$(cat "$tmp/snap/hosts")"
check "1. /etc/hostname: the short name" ve1 "$(cat "$tmp/snap/hostname")"
check "1. /etc/resolv.conf (set_dns.sh)" "$(printf '%s\n' 'search example.org' 'options ndots:2' \
	'nameserver 10.77.0.53' 'nameserver 10.77.0.54')" "$(cat "$P1/etc/resolv.conf")"
check "1. resolv.conf mode 644" 644 "$(stat -c %a "$P1/etc/resolv.conf")"

# 2. Red Hat family
has "2. start" "start 4802=0" "$out"
has "2. hostname: the FQDN" "[4802] hostname=rh.example.org" "$out"
has "2. venet0 up" "[4802] venet0 up" "$out"
check "2. venet0's IPv4 addresses" "$(printf '%s\n' "[4802] addr 127.0.0.1/32 venet0" \
	"[4802] addr 10.77.0.3/32 venet0:0")" "$(grep '^\[4802\] addr' <<<"$out")"
has_match "2. default route dev venet0" "$tmp/out" '^\[4802\] route default dev venet0 '
N=$P2/etc/sysconfig/network-scripts
check "2. ifcfg-venet0" "$(printf '%s\n' DEVICE=venet0 BOOTPROTO=static ONBOOT=yes 'ARPCHECK="no"' \
	IPADDR=127.0.0.1 NETMASK=255.255.255.255 BROADCAST=0.0.0.0)" "$(cat "$N/ifcfg-venet0")"
check "2. ifcfg-venet0:0" "$(printf '%s\n' DEVICE=venet0:0 ONBOOT=yes 'ARPCHECK="no"' \
	IPADDR=10.77.0.3 NETMASK=255.255.255.255)" "$(cat "$N/ifcfg-venet0:0")"
check "2. the stale alias removed" "ifcfg-venet0 ifcfg-venet0:0" "$(ls "$N" | tr '\n' ' ' | sed 's/ $//')"
check "2. /etc/sysconfig/network" "$(printf '%s\n' FOO=bar 'NETWORKING="yes"' 'GATEWAYDEV="venet0"' \
	'HOSTNAME="rh.example.org"')" "$(cat "$P2/etc/sysconfig/network")"
check "2. no /etc/hostname made" "" "$(ls "$P2/etc/hostname" 2>/dev/null)"
check "2. /etc/hosts" "$(printf '%s\n' '127.0.0.1 localhost.localdomain localhost' \
	'# Auto-generated hostname. Please do not remove this comment.' \
	'10.77.0.3 rh.example.org rh' '::1 localhost6')" "$(cat "$P2/etc/hosts")"
check "2. resolv.conf inherited (all nameservers; the last domain/search line)" \
	"$(printf '%s\n' 'search b.example c.example' 'nameserver 192.0.2.1' 'nameserver 192.0.2.2')" \
	"$(cat "$P2/etc/resolv.conf")"

# 3. hostile trees
check "3. no host file changed" "$before" "$(sums)"
for id in 4803 4804; do
	has "3. VE $id starts" "start $id=0" "$out"
	has "3. VE $id: venet0 up" "[$id] venet0 up" "$out"
	has "3. VE $id: its address" "[$id] addr 10.77.2.$((id - 4800))/32 venet0:0" "$out"
	has_match "3. VE $id: default route" "$tmp/out" "^\[$id\] route default dev venet0 "
done
# ELOOP in the words of the C library the binary was built with (glibc's or musl's: the
# static build runs this test too)
eloop='(Too many levels of symbolic links|Symbolic link loop)$'
has_match "3. a linked directory is refused with a warning" "$tmp/out" \
	"VE 4803: inside the VE: cannot write /etc/network/interfaces: $eloop"
has_match "3. a linked directory is refused with a warning (Red Hat)" "$tmp/out" \
	"VE 4804: inside the VE: cannot write /etc/sysconfig/network-scripts/ifcfg-venet0: $eloop"
for id in 4803 4804; do
	for f in hosts resolv.conf; do
		check "3. VE $id: the linked /etc/$f replaced by a file" "regular file" \
			"$(stat -c %F "$H/private/$id/etc/$f")"
	done
done
has "3. resolv.conf written in the hostile VE" "nameserver 10.77.0.53" "$(cat "$H/private/4804/etc/resolv.conf")"
check "3. the linked /etc/hostname replaced by a file" "regular file:evil4803" \
	"$(stat -c %F "$H/private/4803/etc/hostname"):$(cat "$H/private/4803/etc/hostname")"
has "3. hostname set in the hostile VE" "[4803] hostname=evil4803" "$out"

# 4. live set
has "4. dry run tells the in-VE work" "dry: # " "$out"
has "4. dry run: the host name inside" "sethostname; write /etc/hostname" "$out"
has "4. dry run changes nothing" "after dry: ve1" "$out"
has "4. live set" "set=0" "$out"
has "4. the host name changed inside" "after set: live" "$out"
has "4. and in /etc/hostname" "hostname file after set: live" "$out"
hasnt_match "4. not reported as 'not applied'" "$tmp/out" "HOSTNAME.*not applied"
for id in 4801 4802 4803 4804; do has "stop $id" "stop $id=0" "$out"; done

# 5. execve record of the first start: the processes that made its kernel calls (vzlite, its
# children, the one entered into the VE, the VE's init-to-be) execute nothing but the init.
# The whole trace is searched: the init's exec line may be written after start returned.
seg=$(awk '/vzemu: exec execve\("[^"]*\/vzlite"/ { n++ } n == 1 && /execve\("\/bin\/true"/ { exit } n == 1' "$tmp/trace")
pids=" $(awk '$2 != "vzemu:" { print $1 }' <<<"$seg" | sort -u | tr '\n' ' ')"
check "5. start executes no program but the VE's init" 'execve("/sbin/init", ["init", "-z", "      "])' \
	"$(awk -v p="$pids" '$3 == "exec" && index(p, " " $1 " ") && !/vzlite/ { sub(/^.*exec /, ""); print }' "$tmp/trace")"
finish test-net-inside
