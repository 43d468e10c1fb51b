#!/usr/bin/env bash
# vzlite define / dumpxml / get on a host tree in a temporary directory (docs/xml.md):
#  - the round trip of §C.4 for every profile of the upstream fixtures: a VE created from
#    the profile, dumpxml, define into another VEID, dumpxml again: the same document apart
#    from <name> and <uuid>, and the same canonical value for every key of both configs;
#  - the seed proposal's example document (fixtures/xml/seed-101.xml);
#  - libvirt's documented example (fixtures/xml/libvirt-101.xml);
#  - refusals through the CLI change nothing on disk; --dry-run writes nothing;
#  - values set accepts (quotes, '$', '_' in a host name, '$(...)' in a template) round-trip;
#  - bytes XML or JSON cannot hold: the output parses, or the command fails clearly.
# Usage: test-xml.sh VZLITE FIXTURES_DIR [UPSTREAM_FIXTURES_DIR]
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?} upstream=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

conf=$("$fixtures/make-demo-host.sh" "$tmp/host")
H=$tmp/host
V=("$vzlite" --global-config "$conf")
keys() { grep -ho '^[A-Z][A-Z0-9_]*=' "$@" | tr -d = | sort -u; }

# 1. The seed proposal's example, verbatim, on a host with its template and profile.
cp "$H/template/cache/demo-x86_64.tar.gz" "$H/template/cache/gentoo-20060317-i686-stage3.tar.gz"
cat >"$H/conf/ve-vps.basic.conf-sample" <<'PROFILE'
# a vps.basic-like profile
KMEMSIZE="2752512:2936012"
NUMPROC="65:65"
PRIVVMPAGES="49152:53575"
DISKSPACE="1048576:1153434"
DISKINODES="200000:220000"
QUOTATIME="0"
CPUUNITS="1000"
PROFILE
"${V[@]}" define "$fixtures/xml/seed-101.xml" 2>"$tmp/err"
check "seed define exit" 0 $?
cfg=$(cat "$H/conf/105.conf")
has "seed template" 'OSTEMPLATE="gentoo-20060317-i686-stage3"' "$cfg"
has "seed first-level quota" 'DISKSPACE="10485760:10485760"' "$cfg"
has "seed second-level quota" 'VZLITE_UGID_QUOTA="u:500:5242880:5242880:0:0"' "$cfg"
has "seed QUOTAUGIDLIMIT" 'QUOTAUGIDLIMIT="100"' "$cfg"
has "seed QUOTAUGIDLIMIT said" "QUOTAUGIDLIMIT set to 100" "$(cat "$tmp/err")"
has "seed profile UBC" 'KMEMSIZE="2752512:2936012"' "$cfg"
has "seed profile inodes" 'DISKINODES="200000:220000"' "$cfg"
has "seed IP" 'IP_ADDRESS="192.168.1.105"' "$cfg"
has "seed nameserver" 'NAMESERVER="192.168.1.1"' "$cfg"
has "seed hostname" 'HOSTNAME="fedora105"' "$cfg"
has "seed ORIGIN_SAMPLE" 'ORIGIN_SAMPLE="vps.basic"' "$cfg"
has "seed ONBOOT" 'ONBOOT="no"' "$cfg"
check "seed UUID line last, after an empty line" \
	"$(printf '\n#UUID: 8509a1d4-1569-4467-8b37-4e433a1ac7b1')" "$(tail -n 2 "$H/conf/105.conf")"
check "one UUID line" 1 "$(grep -c '^#UUID:' "$H/conf/105.conf")"
check "seed private area extracted" "demo" "$(cat "$H/private/105/etc/hostname")"
check "get by name" "10485760:10485760" "$("${V[@]}" get 105 DISKSPACE)"
check "get --json" '{"KMEMSIZE": "2752512:2936012", "HOSTNAME": "fedora105"}' \
	"$("${V[@]}" get 105 KMEMSIZE HOSTNAME --json)"

# 2. Refusals change nothing: a second define of the same UUID, hostile documents.
before=$(snapshot --times "$H")
sed 's,<name>105</name>,<name>106</name>,' "$fixtures/xml/seed-101.xml" >"$tmp/dup.xml"
"${V[@]}" define "$tmp/dup.xml" >/dev/null 2>"$tmp/err"
check "UUID in use: exit 21" 21 $?
has "UUID in use: says so" "already used by" "$(cat "$tmp/err")"
printf '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><domain type="openvz"><name>107</name><hostname>&x;</hostname></domain>' >"$tmp/xxe.xml"
"${V[@]}" define "$tmp/xxe.xml" >/dev/null 2>"$tmp/err"
check "XXE: exit 21" 21 $?
has "XXE: DOCTYPE refused" "DOCTYPE is not allowed" "$(cat "$tmp/err")"
{ printf "<domain type='openvz'><name>107</name>"; head -c $((100 * 1024 * 1024)) /dev/zero | tr '\0' ' '; printf '</domain>'; } >"$tmp/big.xml"
"${V[@]}" define "$tmp/big.xml" >/dev/null 2>"$tmp/err"
check "100 MiB: exit 21" 21 $?
has "100 MiB: size limit" "more than the limit" "$(cat "$tmp/err")"
rm -f "$tmp/big.xml"
sed 's,<name>105</name>,<name>107</name>,; /<uuid>/d; s,<hostname>fedora105</hostname>,<hostname>a</hostname><bogus/>,' \
	"$fixtures/xml/seed-101.xml" >"$tmp/unknown.xml"
"${V[@]}" define "$tmp/unknown.xml" >/dev/null 2>"$tmp/err"
check "unknown element: exit 21" 21 $?
has "unknown element: line and element" "line 11, <bogus>: unknown element" "$(cat "$tmp/err")"
sed 's,<name>105</name>,<name>107</name>,; /<uuid>/d' "$fixtures/xml/seed-101.xml" >"$tmp/dry.xml"
out=$("${V[@]}" define "$tmp/dry.xml" --dry-run 2>"$tmp/err")
check "dry run: exit" 0 $?
has "dry run prints the config" 'HOSTNAME="fedora105"' "$out"
has "dry run prints a UUID line" '#UUID: ' "$out"
check "refusals and the dry run changed nothing" "$before" "$(snapshot --times "$H")"

# 3. libvirt's example document (xml.md §B.4's output with <memory> set and a prefix).
"${V[@]}" define "$fixtures/xml/libvirt-101.xml" 2>"$tmp/err"
check "libvirt define exit" 0 $?
cfg=$(cat "$H/conf/101.conf")
has "libvirt KMEMSIZE" 'KMEMSIZE="2936832:2936832"' "$cfg"
has "libvirt PRIVVMPAGES" 'PRIVVMPAGES="65536:69632"' "$cfg"
has "libvirt VMGUARPAGES" 'VMGUARPAGES="33792:9223372036854775807"' "$cfg"
has "libvirt CPUS" 'CPUS="2"' "$cfg"
has "libvirt DISKSPACE" 'DISKSPACE="1048576:1153024"' "$cfg"
has "libvirt IP_ADDRESS" 'IP_ADDRESS="192.0.2.101 2001:db8::101/64"' "$cfg"
has "libvirt NETIF" 'NETIF="ifname=eth0,bridge=br0,mac=00:18:51:C1:05:EE,host_ifname=veth101.0"' "$cfg"
has "libvirt UUID" '#UUID: 2f9dc69f-0e70-4d05-9f5e-eea21fda6c21' "$cfg"
has "libvirt description" 'DESCRIPTION="web server"' "$cfg"
# dumpxml gives NETIF back from its typed value: libvirt's <mac> in lower case, the
# extension's host-mac and mac-filter as the config wrote them.
printf 'NETIF="ifname=eth0,mac=00:18:51:C1:05:EE,host_mac=00:18:51:aB:cD:Ef,mac_filter=off;ifname=eth1,bridge=br1"\n' \
	>"$H/conf/199.conf"
out=$("${V[@]}" dumpxml 199)
has "dumpxml NETIF: mac" "<mac address='00:18:51:c1:05:ee'/>" "$out"
has "dumpxml NETIF: host-mac as written" "<vz:veth guest='eth0' host-mac='00:18:51:aB:cD:Ef' mac-filter='off'/>" "$out"
has "dumpxml NETIF: second device" "$(printf "      <source bridge='br1'/>\n      <guest dev='eth1'/>")" "$out"

# 4. The round trip for every upstream profile (copied into the host tree, never the repo).
roundtrip() { # VEID NEWVEID LABEL
	local a=$1 b=$2 what=$3
	"${V[@]}" dumpxml "$a" >"$tmp/$a.xml" || { bad "$what: dumpxml $a"; return; }
	sed -e "s,<name>$a</name>,<name>$b</name>," -e '/<uuid>/d' "$tmp/$a.xml" >"$tmp/$b.in.xml"
	"${V[@]}" -q define "$tmp/$b.in.xml" 2>"$tmp/err" || { bad "$what: define $b: $(cat "$tmp/err")"; return; }
	"${V[@]}" dumpxml "$b" >"$tmp/$b.xml"
	check "$what: same document apart from name and uuid" \
		"$(grep -v -e '<name>' -e '<uuid>' "$tmp/$a.xml")" \
		"$(grep -v -e '<name>' -e '<uuid>' "$tmp/$b.xml")"
	local k diff=
	# define adds ONBOOT="no" where it is unset (xml.md §0.1 step 4): the same for vzctl.
	for k in $(keys "$H/conf/$a.conf" "$H/conf/$b.conf"); do
		va=$("${V[@]}" get "$a" "$k") vb=$("${V[@]}" get "$b" "$k")
		[ "$k" = ONBOOT ] && va=${va:-no}
		[ "$va" = "$vb" ] || diff="$diff $k"
	done
	check "$what: same config values" "" "$diff"
	check "$what: the copy has its own UUID" 1 "$(grep -c '^#UUID: ' "$H/conf/$b.conf")"
}
roundtrip 105 205 "seed VE"
roundtrip 101 201 "libvirt VE"
n=0
if [ -n "$upstream" ] && [ -d "$upstream" ]; then
	veid=300
	for f in "$upstream"/ve-*.conf-sample*; do
		base=$(basename "$f")
		name=${base#ve-}
		suffix=${name#*.conf-sample}
		name=${name%%.conf-sample*}${suffix:+-${suffix#.}}
		cp "$f" "$H/conf/ve-$name.conf-sample"
		veid=$((veid + 1))
		if ! "${V[@]}" -q create "$veid" --config "$name" 2>"$tmp/err"; then
			bad "create from profile $name: $(cat "$tmp/err")"
			continue
		fi
		roundtrip "$veid" $((veid + 100)) "profile $name"
		n=$((n + 1))
	done
	[ "$n" -ge 10 ] && ok || bad "only $n upstream profiles round-tripped"
fi
# 5. A re-define of the same VE keeps its UUID; undefine removes it.
uuid=$(tail -n 1 "$H/conf/201.conf")
sed 's,<name>101</name>,<name>201</name>,; /<uuid>/d; s,<vcpu placement=.static.>2</vcpu>,,; s,cpus=.2.,cpus='"'"'3'"'"',' "$tmp/101.xml" >"$tmp/re.xml"
"${V[@]}" -q define "$tmp/re.xml"
check "re-define exit" 0 $?
check "re-define keeps the UUID" "$uuid" "$(tail -n 1 "$H/conf/201.conf")"
check "re-define changed CPUS" 3 "$("${V[@]}" get 201 CPUS)"

# 6. What `set` accepts, define accepts (xml.md §C.4, one rule per value): values vzctl
# takes and users have, saved by `set --save`, through dumpxml and define (to another VEID
# and onto the same VE) come back unchanged. Expected values are the inputs themselves.
tab=$(printf '\t')
desc="say \"hi\" \$HOME \`id\` \\o/ & <b> 'q' a${tab}b café ☕ ]]>"
declare -A want=(
	[DESCRIPTION]=$desc
	[HOSTNAME]=web_01.example.com
	[OSTEMPLATE]='a$(id)'
	[SEARCHDOMAIN]='a_b.example c$d'
	[NAMESERVER]='192.0.2.53 ns_$1'
	[VE_ROOT]="$H/root o\$x/\$VEID"
	[IP_ADDRESS]='192.0.2.7/24 2001:db8::7'
	[CPULIMIT]=25
	[NETIF]='ifname=e$1,bridge=br_0,mac=00:18:51:AA:BB:CC,host_ifname=v$x.0,host_mac=00:18:51:AA:BB:CD,mac_filter=on'
)
tricky_set() { # VEID: the tricky values, by set --save (NETIF as vzctl writes it: set has no --netif_add yet)
	"${V[@]}" -q set "$1" --description "$desc" --hostname web_01.example.com \
		--ostemplate 'a$(id)' --searchdomain 'a_b.example c$d' --nameserver '192.0.2.53 ns_$1' \
		--root "$H/root o\$x/\$VEID" --ipadd 192.0.2.7/24 --ipadd 2001:db8::7 --cpulimit 25 \
		--save || bad "set --save of the tricky values for $1"
	printf 'NETIF="%s"\n' "${want[NETIF]}" >>"$H/conf/$1.conf"
}
expect_inputs() { # VEID LABEL
	local k diff=
	for k in "${!want[@]}"; do
		[ "$("${V[@]}" get "$1" "$k")" = "${want[$k]}" ] || diff="$diff $k=[$("${V[@]}" get "$1" "$k")]"
	done
	check "$2: the values given" "" "$diff"
}
# define writes ONBOOT="no" where it is unset (xml.md §0.1 step 4), which is vzctl's default.
all_values() {
	local k v
	for k in $(keys "$H/conf/$1.conf" | grep -vx ONBOOT) ONBOOT; do
		v=$("${V[@]}" get "$1" "$k")
		[ "$k" = ONBOOT ] && v=${v:-no}
		echo "$k=$v"
	done
}
cp "$H/template/cache/demo-x86_64.tar.gz" "$H/template/cache/a\$(id).tar.gz"
# A VE created from the odd template, then given the values: the full round trip of §4.
"${V[@]}" -q create 610 --ostemplate 'a$(id)' 2>"$tmp/err" || bad "create 610: $(cat "$tmp/err")"
tricky_set 610
expect_inputs 610 "set --save"
roundtrip 610 710 "tricky values"
expect_inputs 710 "tricky values defined into 710"
# Re-defining a VE from its own dumpxml changes no value.
before_values=$(all_values 610)
"${V[@]}" dumpxml 610 >"$tmp/610-again.xml"
"${V[@]}" -q define "$tmp/610-again.xml" 2>"$tmp/err"
check "re-define 610 from its dumpxml: exit" 0 $?
check "re-define 610 from its dumpxml: same values" "$before_values" "$(all_values 610)"
# A config made by set alone (no create, no profile values).
tricky_set 620
"${V[@]}" dumpxml 620 >"$tmp/620.xml" || bad "dumpxml 620"
before_values=$(all_values 620)
"${V[@]}" -q define "$tmp/620.xml" 2>"$tmp/err"
check "re-define of a set-only config: exit" 0 $?
check "re-define of a set-only config: same values" "$before_values" "$(all_values 620)"
sed -e 's,<name>620</name>,<name>720</name>,' -e '/<uuid>/d' "$tmp/620.xml" >"$tmp/720.xml"
"${V[@]}" -q define "$tmp/720.xml" 2>"$tmp/err"
check "set-only config defined into 720: exit" 0 $?
expect_inputs 720 "set-only config defined into 720"
# The create-time rule stays: a template name is a path component.
sed -e 's,<name>620</name>,<name>721</name>,' -e '/<uuid>/d' -e "s,name='a\$(id)',name='../a',"  \
	"$tmp/620.xml" >"$tmp/721.xml"
"${V[@]}" define "$tmp/721.xml" >/dev/null 2>"$tmp/err"
check "template '../a': exit" 21 $?
has "template '../a': names the value and the rule" 'OSTEMPLATE: "../a" is not a single name' "$(cat "$tmp/err")"
check "template '../a': nothing written" "" "$(ls "$H/conf/721.conf" "$H/private/721" 2>/dev/null)"

# 7. Bytes a document cannot hold (a Latin-1 DESCRIPTION as old vzctl hosts have): every
# output parses with a real parser, or the command fails naming the VE, the parameter, the
# byte's offset and the fix, and prints nothing on stdout.
# Bytes decoded strictly: sys.stdin's text layer would smuggle bad bytes in as surrogates.
parses_json() { python3 -c 'import json, sys; json.loads(sys.stdin.buffer.read().decode("utf-8"))' 2>/dev/null; }
parses_xml() { python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.stdin.buffer)' 2>/dev/null; }
printf 'DESCRIPTION="caf\xe9"\nHOSTNAME="h1"\n' >"$H/conf/630.conf"
out=$("${V[@]}" dumpxml 630 2>"$tmp/err")
check "Latin-1 DESCRIPTION: dumpxml exit" 21 $?
check "Latin-1 DESCRIPTION: dumpxml prints nothing" "" "$out"
has "Latin-1 DESCRIPTION: dumpxml names VE, parameter, offset" \
	"VE 630: DESCRIPTION: byte 0xe9 at offset 3 of the value is not UTF-8" "$(cat "$tmp/err")"
has "Latin-1 DESCRIPTION: dumpxml says the fix" "vzlite set 630 --description VALUE --save" "$(cat "$tmp/err")"
for cmd in "get 630 DESCRIPTION --json" "show 630 --json"; do
	out=$("${V[@]}" $cmd 2>"$tmp/err")
	check "Latin-1 DESCRIPTION: $cmd exit" 21 $?
	check "Latin-1 DESCRIPTION: $cmd prints nothing" "" "$out"
	has "Latin-1 DESCRIPTION: $cmd names VE, parameter, offset" \
		"VE 630: DESCRIPTION: byte 0xe9 at offset 3 of the value is not UTF-8" "$(cat "$tmp/err")"
	has "Latin-1 DESCRIPTION: $cmd says the fix" "vzlite set 630 --description VALUE --save" "$(cat "$tmp/err")"
done
check "Latin-1 DESCRIPTION: plain get prints the bytes as they are" "$(printf 'caf\xe9')" \
	"$("${V[@]}" get 630 DESCRIPTION)"
"${V[@]}" -q set 630 --description 'café' --save
"${V[@]}" dumpxml 630 | parses_xml
check "after the fix: dumpxml parses" "0 0" "${PIPESTATUS[*]}"
check "after the fix: get --json" '{"DESCRIPTION": "café"}' "$("${V[@]}" get 630 DESCRIPTION --json)"
# A sweep of odd bytes: not UTF-8, overlong, surrogate, U+FFFF, control characters (in a
# key vzlite does not know, so the file keeps it), a key XML cannot carry.
cases=('caf\xe9' '\xc0\xaf' '\xed\xa0\x80' 'a\xef\xbf\xbfb' 'a\x01b\x1fc' 'x\xff' '\xf4\x90\x80\x80' 'ok')
i=0
for bytes in "${cases[@]}"; do
	i=$((i + 1)) veid=$((640 + i))
	printf "DESCRIPTION=\"$bytes\"\nX_ODD=\"$bytes\"\nHOSTNAME=\"h\"\n" >"$H/conf/$veid.conf"
	[ "$bytes" = ok ] && printf 'lower_key="1"\n' >>"$H/conf/$veid.conf"
	for cmd in "dumpxml $veid" "get $veid DESCRIPTION X_ODD --json" "show $veid --json"; do
		"${V[@]}" $cmd >"$tmp/out" 2>"$tmp/err"
		rc=$?
		if [ "$rc" -eq 0 ]; then
			case $cmd in
			dumpxml*) parses_xml <"$tmp/out" && ok || bad "$cmd ($bytes): exit 0 but not XML" ;;
			*) parses_json <"$tmp/out" && ok || bad "$cmd ($bytes): exit 0 but not JSON: $(cat "$tmp/out")" ;;
			esac
		elif [ "$rc" -eq 21 ] && [ ! -s "$tmp/out" ] && grep -q "VE $veid: " "$tmp/err"; then
			ok
		else
			bad "$cmd ($bytes): exit $rc, stdout [$(cat "$tmp/out")], stderr [$(cat "$tmp/err")]"
		fi
	done
done
# Control characters are escaped in JSON and read back as they were.
check "control characters in JSON" 'a\x01b\x1fc' "$("${V[@]}" get 645 X_ODD --json |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["X_ODD"].encode("unicode_escape").decode())')"
"${V[@]}" dumpxml 645 >/dev/null 2>"$tmp/err"
has "control character: dumpxml says so" "X_ODD: byte 0x01 at offset 1 of the value is a control character" "$(cat "$tmp/err")"
"${V[@]}" dumpxml 648 >/dev/null 2>"$tmp/err"
has "a key XML cannot carry: dumpxml says which" 'the key "lower_key", which XML cannot carry' "$(cat "$tmp/err")"

finish test-xml.sh "($n upstream profiles)"
