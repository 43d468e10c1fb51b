#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The vzctl and vzlist front ends (issue 18) with the argv libvirt 9.0.0 passes
# (libvirt-openvz.md §3): the vzlite binary called through symlinks named vzctl and vzlist,
# a demo host at /etc/vz (an overlay over /etc in a private mount namespace, proved by
# comparing /proc/self/ns/mnt before and after), the running part under vzemu. Expected
# bytes are written from the doc (printf '%10d %s\n'), never taken from a run.
# Usage: test-front.sh VZLITE FIXTURES SHARED_FIXTURES VZEMU
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/../lifecycle/lifecycle-host.sh"
vzlite=$1 fixtures=$2 shared=$3 vzemu=$4
[ -n "${VZL_NS_BEFORE:-}" ] || export VZL_NS_BEFORE=$(readlink /proc/self/ns/mnt)
lifecycle_host front "$shared" "$vzemu" "$fixtures" "$@"
now=$(readlink /proc/self/ns/mnt)
if [ -n "$VZL_NS_BEFORE" ] && [ "$now" != "$VZL_NS_BEFORE" ]; then ok; else
	bad "not in a private mount namespace ($now); not touching /etc"; finish test-front; exit 1
fi
# /etc/vz is the demo host: an overlay over /etc whose upper layer holds the link.
mkdir -p "$tmp/etc-up" "$tmp/etc-work" "$tmp/bin"
ln -s "$H" "$tmp/etc-up/vz"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$tmp/etc-up,workdir=$tmp/etc-work" /etc ||
	skip "cannot mount an overlay over /etc"
cp "$shared/ve-basic.conf-sample" "$H/conf/"
sed -i 's/^DEF_OSTEMPLATE=.*/DEF_OSTEMPLATE="busybox-x86_64"/; s/^CONFIGFILE=.*/CONFIGFILE="basic"/' "$H/vz.conf"
ln -s "$vzlite" "$tmp/bin/vzctl"
ln -s "$vzlite" "$tmp/bin/vzlist"
C=$tmp/bin/vzctl
# vzlist reads /proc/vz: each call runs under the emulator (its state is kept in $tmp/state).
L() { "$vzemu" --state "$tmp/state" -- "$tmp/bin/vzlist" "$@"; }
cfg=$H/conf/101.conf

# C1: --help with an empty environment; the first line starts "vzctl version X.Y.Z".
out=$(env -i "$C" --help)
check "--help with env -i: exit" 0 $?
case $(head -n1 <<<"$out") in "vzctl version 4.11.1 (vzlite "*")") ok ;; *) bad "--help first line: $(head -n1 <<<"$out")" ;; esac
out=$(env -i LC_ALL=C "$C" --version | head -n1)
case $out in "vzctl version 4.11.1 "*) ok ;; *) bad "--version: $out" ;; esac

# C3 / §6.1: the garbled --ostemplate libvirt 9.0.0 passes is refused, bytes escaped.
out=$("$C" --quiet create 101 --name 101 --ostemplate $'\xc0\x5c\xdf\xa8%V' 2>&1)
check "garbled --ostemplate: exit 21" 21 $?
has "garbled --ostemplate: the bytes escaped" '"\xc0\x5c\xdf\xa8%V"' "$out"
has "garbled --ostemplate: the way out" "without <filesystem>" "$out"
[ ! -e "$cfg" ] && [ ! -e "$H/private/101" ] && ok || bad "garbled --ostemplate left a VE behind"
out=$("$C" --quiet create 101 --name 101 --ostemplate "" 2>&1)
check "empty --ostemplate: exit 21" 21 $?
# A CT that is neither a number nor a VE's name (vzctl: exit 21).
out=$("$C" --quiet create foo --name foo 2>&1)
check "non-numeric CT: exit 21" 21 $?
has "non-numeric CT: says so" "Bad CT ID foo" "$out"
out=$("$C" --quiet frobnicate 101 2>&1)
check "unknown command: exit 20" 20 $?

# C2: create without a template: the profile (ve-basic: no ONBOOT, 2G:2.2G, unlimited)
# written as libvirt reads it (libvirt-openvz.md §4.1, §6.3), no #UUID line.
"$C" --quiet create 101 --name 101 >"$tmp/create.out" 2>&1
check "create 101 --name 101: exit" 0 $?
check "create: no #UUID line" 0 "$(grep -c '#UUID' "$cfg")"
check "create: ONBOOT added" 'ONBOOT="no"' "$(grep '^ONBOOT=' "$cfg")"
check "create: NAME" 'NAME="101"' "$(grep '^NAME=' "$cfg")"
check "create: DISKSPACE 2G:2.2G in KiB" 'DISKSPACE="2097152:2306867"' "$(grep '^DISKSPACE=' "$cfg")"
check "create: unlimited as LONG_MAX" 'VMGUARPAGES="33792:9223372036854775807"' "$(grep '^VMGUARPAGES=' "$cfg")"
bad_ub=$(grep -E '^(KMEMSIZE|LOCKEDPAGES|PRIVVMPAGES|SHMPAGES|NUMPROC|PHYSPAGES|VMGUARPAGES|OOMGUARPAGES|NUMTCPSOCK|NUMFLOCK|NUMPTY|NUMSIGINFO|TCPSNDBUF|TCPRCVBUF|OTHERSOCKBUF|DGRAMRCVBUF|NUMOTHERSOCK|DCACHESIZE|NUMFILE|NUMIPTENT|SWAPPAGES|DISKSPACE|DISKINODES)=' "$cfg" | grep -vE '^[A-Z]+="[0-9]+:[0-9]+"$')
check "create: every UB and disk pair is two plain decimals" "" "$bad_ub"
check "create: no duplicate keys" "" "$(sed -n 's/^\([A-Z_0-9]*\)=.*/\1/p' "$cfg" | sort | uniq -d)"

"$C" --quiet create 102 --name 102 >/dev/null 2>&1
check "create 102: exit" 0 $?
cfg2=$H/conf/102.conf
# C4, C5, C19: set with --save first, last, or alone.
out=$("$C" set 102 --save 2>&1)
check "set --save alone: exit 0" 0 $?
has "set --save alone: nothing to save" "No changes" "$out"
"$C" --quiet set 102 --save --diskspace 1048576:1153024
check "set --save --diskspace (--save first): exit" 0 $?
check "--diskspace saved" 'DISKSPACE="1048576:1153024"' "$(grep '^DISKSPACE=' "$cfg2")"
"$C" --quiet set 102 --diskspace 1153024 --save
check "--diskspace single value: both halves" 'DISKSPACE="1153024:1153024"' "$(grep '^DISKSPACE=' "$cfg2")"
# C18: the literal LONG_MAX limit.
"$C" --quiet set 102 --vmguarpages 50000:9223372036854775807 --save
check "--vmguarpages B:LONG_MAX: exit" 0 $?
check "--vmguarpages B:LONG_MAX saved" 'VMGUARPAGES="50000:9223372036854775807"' "$(grep '^VMGUARPAGES=' "$cfg2")"
# C9, C17: a single value is barrier = limit, written twice.
"$C" --quiet set 102 --kmemsize 268435456 --save
check "--kmemsize single value" 'KMEMSIZE="268435456:268435456"' "$(grep '^KMEMSIZE=' "$cfg2")"
"$C" --quiet set 102 --privvmpages 49152:75000 --save
check "--privvmpages B:L" 'PRIVVMPAGES="49152:75000"' "$(grep '^PRIVVMPAGES=' "$cfg2")"
# C6: repeated --ipadd, C16 --onboot, C8 --cpus.
"$C" --quiet set 102 --ipadd 192.0.2.9 --ipadd 2001:db8::9 --save
check "--ipadd twice" 'IP_ADDRESS="192.0.2.9 2001:db8::9"' "$(grep '^IP_ADDRESS=' "$cfg2")"
"$C" --quiet set 102 --onboot yes --save && "$C" --quiet set 102 --cpus 2 --save
check "--onboot and --cpus" 'ONBOOT="yes"|CPUS="2"' "$(grep -E '^(ONBOOT|CPUS)=' "$cfg2" | paste -sd'|')"
# C7: 5 and 4 fields, a generated host name with a trailing dot.
"$C" --quiet set 102 --netif_add eth0,00:18:51:5b:ea:bf,veth102.0,52:54:00:a3:bb:80,br0 --save
check "--netif_add with a bridge: exit" 0 $?
"$C" --quiet set 102 --netif_add eth1,52:54:00:7a:5c:9c,veth102.1.,52:54:00:1b:15:79 --save
check "--netif_add, trailing-dot host name: exit" 0 $?
has "--netif_add: the trailing-dot name kept" "host_ifname=veth102.1.," "$(grep '^NETIF=' "$cfg2")"
has "--netif_add: the bridge kept" "bridge=br0" "$(grep '^NETIF=' "$cfg2")"

# vzlist on the stopped VE (V1-V5), expected bytes from the doc.
check "V1 -a -ovpsid,status -H" "$(printf '%10d %s\n' 101 stopped 102 stopped | od -c)" "$(L -a -ovpsid,status -H | od -c)"
check "V2 102 -ostatus -H" "$(printf 'stopped\n' | od -c)" "$(L 102 -ostatus -H | od -c)"
check "V3 102 -ovpsid -H" "$(printf '%10d\n' 102 | od -c)" "$(L 102 -ovpsid -H | od -c)"
check "-o LIST detached equals -oLIST" "$(L -a -ovpsid,status -H | od -c)" "$(L -a -o vpsid,status -H | od -c)"
check "CT after the options" "$(printf '%10d\n' 102 | od -c)" "$(L -ovpsid -H 102 | od -c)"
check "V4 -o hostname unset" "-" "$(L -o hostname 102 -H)"
check "V5 privvmpages from the config" "$(printf '%10d %10d\n' 49152 75000)" "$(L --no-header -oprivvmpages.b,privvmpages.l 102)"
check "V6 vmguarpages LONG_MAX" "$(printf '%10d %s\n' 50000 9223372036854775807)" "$(L --no-header -ovmguarpages.b,vmguarpages.l 102)"
check "V7 running only: none" "" "$(L -ovpsid -H 2>/dev/null)"
check "V8 -S: the stopped ones" "$(printf '%10d\n' 101 102)" "$(L -ovpsid -H -S)"
out=$(L 999 -ovpsid -H 2>&1)
check "named absent CT: exit 1" 1 $?
out=$(L -ovpsid -H 2>&1)
check "nothing running, none named: exit 0" 0 $?
check "nothing running: the message" "Container(s) not found" "$out"

# Under vzemu: start, status, the running lists, the undefine shim refused while it runs,
# stop, then `start destroy 101` (C15) destroys it.
cat >"$tmp/run.sh" <<EOS
"$C" --quiet start 101; echo "start=\$?"
mv $cfg $cfg.away
"$tmp/bin/vzlist" -a -ovpsid,status -H >$tmp/noconf.vzlist
"$vzlite" --global-config "$conf" list -a -H -ovpsid,status >$tmp/noconf.vzlite
mv $cfg.away $cfg
"$tmp/bin/vzlist" -a -ovpsid,status -H | od -c >$tmp/v1.run
"$tmp/bin/vzlist" -ovpsid -H | od -c >$tmp/v7.run
"$tmp/bin/vzlist" -ovpsid -H -S >$tmp/v8.run 2>&1; echo "v8=\$?"
"$C" --quiet chkpnt 101 --suspend 2>$tmp/chk.err; echo "chkpnt=\$?"
"$C" --quiet chkpnt 101 --resume 2>/dev/null; echo "resume=\$?"
"$C" --quiet start destroy 101 2>$tmp/shim.err; echo "shim-running=\$?"
"$C" --quiet restart 101; echo "restart=\$?"
"$C" --quiet stop 101; echo "stop=\$?"
"$C" --quiet start destroy 101; echo "shim=\$?"
EOS
out=$("$vzemu" --state "$tmp/state" -- bash "$tmp/run.sh" 2>&1)
check "the running sequence" "start=0|v8=0|chkpnt=16|resume=17|shim-running=32|restart=0|stop=0|shim=0" "$(paste -sd'|' <<<"$out")"
check "vzlist: a running VE without a config is not listed (libvirt would fail)" \
	"$(printf '%10d %s' 102 stopped)" "$(cat "$tmp/noconf.vzlist")"
check "vzlite list: it is, as vzctl's vzlist lists it" \
	"$(printf '%10d %s\n' 101 running 102 stopped)" "$(cat "$tmp/noconf.vzlite")"
check "V1 running" "$(printf '%10d %s\n' 101 running 102 stopped | od -c)" "$(cat "$tmp/v1.run")"
check "V7 running" "$(printf '%10d\n' 101 | od -c)" "$(cat "$tmp/v7.run")"
check "V8 while running: the stopped one" "$(printf '%10d\n' 102)" "$(cat "$tmp/v8.run")"
has "chkpnt: says it is not supported" "not supported" "$(cat "$tmp/chk.err")"
[ ! -e "$cfg" ] && [ ! -e "$H/private/101" ] && ok || bad "start destroy 101 left the VE"
finish test-front
