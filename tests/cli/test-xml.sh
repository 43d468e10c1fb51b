#!/usr/bin/env bash
# vzlite define / dumpxml / get on a host tree in a temporary directory (docs/xml.md):
#  - the round trip of §C.4 for every profile of the upstream fixtures: a VE created from
#    the profile, dumpxml, define into another VEID, dumpxml again: the same document apart
#    from <name> and <uuid>, and the same canonical value for every key of both configs;
#  - the seed proposal's example document (fixtures/xml/seed-101.xml);
#  - libvirt's documented example (fixtures/xml/libvirt-101.xml);
#  - refusals through the CLI change nothing on disk; --dry-run writes nothing.
# Usage: test-xml.sh VZLITE FIXTURES_DIR [UPSTREAM_FIXTURES_DIR]
set -uo pipefail
vzlite=${1:?} fixtures=${2:?} upstream=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { if [ "$2" = "$3" ]; then ok; else bad "$1: expected [$2], got [$3]"; fi; }
has() { if grep -qF -- "$2" <<<"$3"; then ok; else bad "$1: no [$2] in [$3]"; fi; }

conf=$("$fixtures/make-demo-host.sh" "$tmp/host")
H=$tmp/host
V=("$vzlite" --global-config "$conf")
snapshot() { (cd "$H" && find . -printf '%p %m %s %T@\n' | sort) | md5sum; }
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
before=$(snapshot)
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
check "refusals and the dry run changed nothing" "$before" "$(snapshot)"

# 3. libvirt's example document (xml.md §B.4's output with <memory> set and a prefix).
"${V[@]}" define "$fixtures/xml/libvirt-101.xml" 2>"$tmp/err"
check "libvirt define exit" 0 $?
cfg=$(cat "$H/conf/101.conf")
has "libvirt KMEMSIZE" 'KMEMSIZE="2936832"' "$cfg"
has "libvirt PRIVVMPAGES" 'PRIVVMPAGES="65536:69632"' "$cfg"
has "libvirt VMGUARPAGES" 'VMGUARPAGES="33792:unlimited"' "$cfg"
has "libvirt CPUS" 'CPUS="2"' "$cfg"
has "libvirt DISKSPACE" 'DISKSPACE="1048576:1153024"' "$cfg"
has "libvirt IP_ADDRESS" 'IP_ADDRESS="192.0.2.101 2001:db8::101/64"' "$cfg"
has "libvirt NETIF" 'NETIF="ifname=eth0,bridge=br0,mac=00:18:51:C1:05:EE,host_ifname=veth101.0"' "$cfg"
has "libvirt UUID" '#UUID: 2f9dc69f-0e70-4d05-9f5e-eea21fda6c21' "$cfg"
has "libvirt description" 'DESCRIPTION="web server"' "$cfg"

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

echo "test-xml.sh: $pass passed, $fail failed ($n upstream profiles)"
[ "$fail" -eq 0 ]
