#!/usr/bin/env bash
# One rule per value (issue 12, item 3): a host name, a template or profile name, a VEID and
# an IP address are accepted or refused alike by every way into a config:
#   set --save, create's options and VEID, define of a seed-format document, define of a
#   libvirt-format document, and (for accepted values) dumpxml | define into another VE.
# The verdict of each row is written in the table below, by hand: accepted (exit 0, and the
# same config value on every path) or refused (exit 21, nothing written). A template that is
# valid but has no cache fails create with 91 (the lookup), an invalid one with 21 before any
# lookup: valid names have a cache and a profile planted, invalid ones none, so a check done
# only after the lookup shows as exit 91 (or the profile's "not found").
# Usage: test-value-rules.sh VZLITE FIXTURES_DIR
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

conf=$("$fixtures/make-demo-host.sh" "$tmp/host")
H=$tmp/host
echo 'IPV6="yes"' >>"$conf"
V() { "$vzlite" -q --global-config "$conf" "$@"; }
cache=$H/template/cache/demo-x86_64.tar.gz

# run LABEL WANT CMD...: CMD exits WANT (0 or 21); prints nothing, counts.
run() {
	local label=$1 want=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	local got=$?
	if [ "$got" -eq "$want" ]; then ok; else bad "$label: exit $got, expected $want: $(head -c 300 "$tmp/err")"; fi
	return "$got"
}
# run_stdin LABEL WANT FILE CMD...: the same with FILE on standard input.
run_file() {
	local label=$1 want=$2 file=$3
	shift 3
	"$@" "$file" >"$tmp/out" 2>"$tmp/err"
	local got=$?
	if [ "$got" -eq "$want" ]; then ok; else bad "$label: exit $got, expected $want: $(head -c 300 "$tmp/err")"; fi
	return "$got"
}
xml_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e "s/'/\&apos;/g" <<<"$1"; }
get() { V get "$1" "$2" 2>/dev/null; }
# No config and no private area for VEID $1 (a refusal wrote nothing).
nothing_for() {
	if [ -e "$H/conf/$1.conf" ] || [ -e "$H/private/$1" ]; then bad "$2: something left for VE $1"; else ok; fi
}
# roundtrip LABEL FROM TO KEY: dumpxml FROM, define it as TO; TO's KEY equals FROM's.
roundtrip() {
	V dumpxml "$2" >"$tmp/rt.xml" || { bad "$1: dumpxml $2"; return; }
	sed -e "s,<name>$2</name>,<name>$3</name>," -e '/<uuid>/d' "$tmp/rt.xml" >"$tmp/rt-in.xml"
	run_file "$1: define of dumpxml" 0 "$tmp/rt-in.xml" V define &&
		check "$1: round trip keeps $4" "$(get "$2" "$4")" "$(get "$3" "$4")"
}
next=1000
newid() { next=$((next + 1)); id=$next; }

# --- host names -------------------------------------------------------------------------
long63=$(printf 'a%.0s' {1..63})
long64=$(printf 'a%.0s' {1..64})
long253=$long63.$long63.$long63.$(printf 'b%.0s' {1..61})
ok_hosts=(web_01.example.com fedora105 k120.example a h-1.x "$long63" "$long253" WEB.Example)
bad_hosts=('bad_host!' 'a b' '' 'a..b' '.lead' 'trail.' '-x' 'x-' 'a;reboot' 'a$b' "$long64"
	"$long253.c" 'a/b' 'é.example')
V create 101 || bad "create 101"
host_row() { # VALUE WANT
	local h=$1 want=$2 label="hostname '${1:0:20}'"
	local x; x=$(xml_escape "$h")
	run "$label: set --save" "$want" V set 101 --hostname "$h" --save
	[ "$want" = 0 ] && check "$label: set's value" "$h" "$(get 101 HOSTNAME)"
	newid; local c=$id
	run "$label: create" "$want" V create "$c" --hostname "$h"
	[ "$want" = 0 ] && check "$label: create's value" "$h" "$(get "$c" HOSTNAME)"
	[ "$want" = 0 ] || nothing_for "$c" "$label: create"
	newid; local s=$id
	printf "<domain type='openvz'><name>%s</name><hostname>%s</hostname></domain>" "$s" "$x" >"$tmp/d.xml"
	run_file "$label: define (seed)" "$want" "$tmp/d.xml" V define
	[ "$want" = 0 ] && check "$label: seed value" "$h" "$(get "$s" HOSTNAME)"
	[ "$want" = 0 ] || nothing_for "$s" "$label: seed define"
	newid; local l=$id
	printf "<domain type='openvz'><name>%s</name><metadata><vz:ve xmlns:vz='urn:vzlite:ve:1'><vz:hostname>%s</vz:hostname></vz:ve></metadata></domain>" "$l" "$x" >"$tmp/d.xml"
	run_file "$label: define (libvirt)" "$want" "$tmp/d.xml" V define
	[ "$want" = 0 ] && check "$label: libvirt value" "$h" "$(get "$l" HOSTNAME)"
	[ "$want" = 0 ] || nothing_for "$l" "$label: libvirt define"
	if [ "$want" = 0 ]; then
		newid
		roundtrip "$label" "$c" "$id" HOSTNAME
	fi
}
for h in "${ok_hosts[@]}"; do host_row "$h" 0; done
for h in "${bad_hosts[@]}"; do host_row "$h" 21; done
# A config file with a bad HOSTNAME: skipped with a warning when read, an error in validate.
cp "$H/conf/ve-small.conf-sample" "$H/conf/150.conf"
echo 'HOSTNAME="good.example"' >>"$H/conf/150.conf"
V validate 150 >"$tmp/out" 2>&1
check "config with a good HOSTNAME: validate exit" 0 $?
sed -i 's/good.example/bad_host!/' "$H/conf/150.conf"
check "config with a bad HOSTNAME: get prints nothing" "" "$(get 150 HOSTNAME)"
"$vzlite" --global-config "$conf" get 150 HOSTNAME >/dev/null 2>"$tmp/err"
has "config with a bad HOSTNAME: warns, naming the value" 'HOSTNAME: "bad_host!"' "$(cat "$tmp/err")"
V validate 150 >"$tmp/out" 2>&1
check "config with a bad HOSTNAME: validate exit" 2 $?
has "config with a bad HOSTNAME: validate names it" 'HOSTNAME' "$(cat "$tmp/out")"

# --- template and profile names -------------------------------------------------------
ok_names=(demo-x86_64 centos-6-x86_64 'a$(id)' Fedora_20.minimal 'a+b' x..y)
bad_names=('a b' '.hidden' 'x/y' '' '../up' '/abs' 'tab	x')
for n in "${ok_names[@]}"; do
	mkdir -p "$(dirname "$H/template/cache/$n.tar.gz")" "$(dirname "$H/conf/ve-$n.conf-sample")"
	[ -e "$H/template/cache/$n.tar.gz" ] || cp "$cache" "$H/template/cache/$n.tar.gz"
	[ -e "$H/conf/ve-$n.conf-sample" ] || cp "$H/conf/ve-small.conf-sample" "$H/conf/ve-$n.conf-sample"
done
name_row() { # VALUE WANT
	local n=$1 want=$2 label="template '$1'"
	local x; x=$(xml_escape "$n")
	run "$label: set --save" "$want" V set 101 --ostemplate "$n" --save
	[ "$want" = 0 ] && check "$label: set's value" "$n" "$(get 101 OSTEMPLATE)"
	newid; local c=$id
	run "$label: create" "$want" V create "$c" --ostemplate "$n"
	[ "$want" = 0 ] && check "$label: create's value" "$n" "$(get "$c" OSTEMPLATE)"
	[ "$want" = 0 ] || nothing_for "$c" "$label: create"
	newid; local s=$id
	printf "<domain type='openvz'><name>%s</name><filesystem><template>%s</template></filesystem></domain>" "$s" "$x" >"$tmp/d.xml"
	run_file "$label: define (seed)" "$want" "$tmp/d.xml" V define
	[ "$want" = 0 ] && check "$label: seed value" "$n" "$(get "$s" OSTEMPLATE)"
	[ "$want" = 0 ] || nothing_for "$s" "$label: seed define"
	newid; local l=$id
	printf "<domain type='openvz'><name>%s</name><devices><filesystem type='template'><source name='%s'/><target dir='/'/></filesystem></devices></domain>" "$l" "$x" >"$tmp/d.xml"
	run_file "$label: define (libvirt)" "$want" "$tmp/d.xml" V define
	[ "$want" = 0 ] && check "$label: libvirt value" "$n" "$(get "$l" OSTEMPLATE)"
	[ "$want" = 0 ] || nothing_for "$l" "$label: libvirt define"
	if [ "$want" = 0 ]; then
		newid
		roundtrip "$label" "$c" "$id" OSTEMPLATE
	fi
	# The same name as a profile: create --config, seed <profile>, libvirt <vz:profile>.
	label="profile '$n'"
	newid; c=$id
	run "$label: create --config" "$want" V create "$c" --config "$n"
	[ "$want" = 0 ] && check "$label: create's ORIGIN_SAMPLE" "$n" "$(get "$c" ORIGIN_SAMPLE)"
	[ "$want" = 0 ] || nothing_for "$c" "$label: create"
	newid; s=$id
	printf "<domain type='openvz'><name>%s</name><profile>%s</profile></domain>" "$s" "$x" >"$tmp/d.xml"
	run_file "$label: define (seed)" "$want" "$tmp/d.xml" V define
	[ "$want" = 0 ] && check "$label: seed ORIGIN_SAMPLE" "$n" "$(get "$s" ORIGIN_SAMPLE)"
	newid; l=$id
	printf "<domain type='openvz'><name>%s</name><metadata><vz:ve xmlns:vz='urn:vzlite:ve:1'><vz:profile>%s</vz:profile></vz:ve></metadata></domain>" "$l" "$x" >"$tmp/d.xml"
	run_file "$label: define (libvirt)" "$want" "$tmp/d.xml" V define
	[ "$want" = 0 ] && check "$label: libvirt ORIGIN_SAMPLE" "$n" "$(get "$l" ORIGIN_SAMPLE)"
	[ "$want" = 0 ] || nothing_for "$l" "$label: libvirt define"
}
for n in "${ok_names[@]}"; do name_row "$n" 0; done
for n in "${bad_names[@]}"; do name_row "$n" 21; done
# Valid but missing: the lookup fails (91), after the name was found good.
run "template 'nothere': create" 91 V create 199 --ostemplate nothere
has "template 'nothere': the lookup says so" "no template cache" "$(cat "$tmp/err")"
nothing_for 199 "template 'nothere'"
# An invalid name is refused with set's message, before any lookup.
V set 101 --ostemplate 'a b' --save 2>"$tmp/set.err"
V create 199 --ostemplate 'a b' 2>"$tmp/create.err"
has "create refuses 'a b' with set's message" \
	"$(sed 's/^.*OSTEMPLATE: /OSTEMPLATE: /' "$tmp/set.err")" "$(cat "$tmp/create.err")"

# --- VEIDs -------------------------------------------------------------------------------
ok_ids=(101 2147483644 555)
bad_ids=(-1 2147483648 2147483645 0105 +105 ' 105' 10a '' 50 100 1)
id_row() { # VALUE WANT
	local v=$1 want=$2 label="VEID '$1'"
	local x; x=$(xml_escape "$v")
	# 101 exists already; the others start with nothing.
	[ "$v" = 101 ] || rm -rf "$H/conf/$v.conf" "$H/private/$v"
	run "$label: set --save" "$want" V set "$v" --onboot yes --save
	if [ "$want" = 0 ] && [ "$v" != 101 ]; then rm -f "$H/conf/$v.conf"; fi
	if [ "$v" != 101 ]; then
		run "$label: create" "$want" V create "$v"
		[ "$want" = 0 ] || nothing_for "$v" "$label: create"
		# destroy needs the kernel; the defines below start from nothing again.
		[ "$want" = 0 ] && rm -rf "$H/conf/$v.conf" "$H/private/$v" "$H/root/$v"
	fi
	printf "<domain type='openvz'><name>%s</name><hostname>h</hostname></domain>" "$x" >"$tmp/d.xml"
	run_file "$label: define (seed)" "$want" "$tmp/d.xml" V define
	[ "$want" = 0 ] && check "$label: seed HOSTNAME" h "$(get "$v" HOSTNAME)"
	printf "<domain type='openvz'><name>%s</name><description>d</description></domain>" "$x" >"$tmp/d.xml"
	run_file "$label: define (libvirt)" "$want" "$tmp/d.xml" V define
	if [ "$want" = 0 ]; then
		check "$label: libvirt DESCRIPTION" d "$(get "$v" DESCRIPTION)"
		V dumpxml "$v" >"$tmp/rt.xml"
		run_file "$label: dumpxml | define onto itself" 0 "$tmp/rt.xml" V define
		has "$label: the document names it" "<name>$v</name>" "$(cat "$tmp/rt.xml")"
	fi
}
for v in "${ok_ids[@]}"; do id_row "$v" 0; done
for v in "${bad_ids[@]}"; do id_row "$v" 21; done
# VE 0 is the host: set acts on it, nothing makes a VE 0.
run "VEID 0: set --save" 0 V set 0 --onboot yes --save
run "VEID 0: create" 21 V create 0
printf "<domain type='openvz'><name>0</name><hostname>h</hostname></domain>" >"$tmp/d.xml"
run_file "VEID 0: define (seed)" 21 "$tmp/d.xml" V define

# --- addresses ----------------------------------------------------------------------------
ok_ips=(10.0.0.1 10.0.0.2/24 192.0.2.7/32 2001:db8::5/64 2001:DB8:0:0::7 ::2 10.0.0.3/024)
bad_ips=(10.0.0.300 10.0.0.1/33 ::1/129 0.0.0.0 :: '10.0.0.1;reboot' abc 10.0.0.1/ 10.0.0.1/-1
	'10.0.0.1/2 4' 1.2.3 '2001:db8::1/64/1' 10.0.0.1/0x8)
ip_row() { # VALUE WANT
	local a=$1 want=$2 label="address '$1'"
	local x; x=$(xml_escape "$a")
	sed -i '/^IP_ADDRESS=/d' "$H/conf/101.conf"
	run "$label: set --save" "$want" V set 101 --ipadd "$a" --save
	local canon; canon=$(get 101 IP_ADDRESS)
	newid; local c=$id
	run "$label: create" "$want" V create "$c" --ipadd "$a"
	[ "$want" = 0 ] && check "$label: create's value" "$canon" "$(get "$c" IP_ADDRESS)"
	[ "$want" = 0 ] || nothing_for "$c" "$label: create"
	newid; local s=$id
	printf "<domain type='openvz'><name>%s</name><devices><interface><ipaddress>%s</ipaddress></interface></devices></domain>" "$s" "$x" >"$tmp/d.xml"
	run_file "$label: define (seed)" "$want" "$tmp/d.xml" V define
	[ "$want" = 0 ] && check "$label: seed value" "$canon" "$(get "$s" IP_ADDRESS)"
	[ "$want" = 0 ] || nothing_for "$s" "$label: seed define"
	newid; local l=$id
	local addr=${a%%/*} prefix=
	[ "$addr" = "$a" ] || prefix=" prefix='$(xml_escape "${a#*/}")'"
	printf "<domain type='openvz'><name>%s</name><devices><interface type='ethernet'><ip address='%s'%s/></interface></devices></domain>" \
		"$l" "$(xml_escape "$addr")" "$prefix" >"$tmp/d.xml"
	run_file "$label: define (libvirt)" "$want" "$tmp/d.xml" V define
	[ "$want" = 0 ] && check "$label: libvirt value" "$canon" "$(get "$l" IP_ADDRESS)"
	[ "$want" = 0 ] || nothing_for "$l" "$label: libvirt define"
	if [ "$want" = 0 ]; then
		newid
		roundtrip "$label" "$c" "$id" IP_ADDRESS
	fi
}
for a in "${ok_ips[@]}"; do ip_row "$a" 0; done
for a in "${bad_ips[@]}"; do ip_row "$a" 21; done

finish test-value-rules.sh
