# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# The virsh steps of test-virsh.sh, sourced by it under vzemu in its prepared namespace
# (/usr/sbin/vzctl and /usr/sbin/vzlist are the vzlite under test, /etc/vz the temporary
# host). Each step: what virsh prints (libvirt-openvz.md §5), the argv libvirt passed (the
# trace's exec lines, §3), and the result as vzlite itself, the VE's config file and the
# emulated kernel's /proc files show it. Expected values are the document's.
pass=$VZL_COMPAT_PASS fail=$VZL_COMPAT_FAIL tmp=$VZL_COMPAT_TMP
shared=${3-}
C=/etc/vz/conf TR=$tmp/trace
sample=$shared/ve-vps.basic.conf-sample

# vs ARGS...: virsh -c openvz:///system ARGS; sets rc, out and err
vs() {
	virsh -c openvz:///system "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	out=$(cat "$tmp/out") err=$(cat "$tmp/err")
}
# the value of KEY in VEID's config as a vzctl config line carries it: KEY="VALUE"
cfg() { sed -n "s/^$2=\"\\(.*\\)\"\$/\\1/p" "$C/$1.conf"; }
sample_val() { sed -n "s/^$1=\"\\(.*\\)\"\$/\\1/p" "$sample"; }
status() { "$vzlite" status "$1" 2>&1; }
# barrier and limit of beancounter VEID's resource RES in the kernel's /proc/user_beancounters
ub() {
	awk -v id="$1" -v res="$2" '
		$1 ~ /^[0-9]+:$/ { cur = substr($1, 1, length($1) - 1); $1 = "" ; $0 = $0 }
		cur == id && $1 == res { print $4, $5 }' /proc/user_beancounters
}
# the exec lines of the front ends: virsh's argv as the trace renders it (C literals)
# (the end of the argv list with "])", or only its beginning with has_argv_prefix)
argv_seen() { grep -F "exec execve(\"/usr/sbin/$1\", [\"/usr/sbin/$1\", $2" "$TR" >/dev/null; }
has_argv() { if argv_seen "$2" "$3])"; then ok "$1"; else bad "$1: no exec /usr/sbin/$2 [$3] in the trace"; fi; }
has_argv_prefix() { if argv_seen "$2" "$3"; then ok "$1"; else bad "$1: no exec /usr/sbin/$2 [$3...] in the trace"; fi; }
# the emulator's event lines (anchored: the exec line of this grep holds the words too)
created_events() { grep -cE "^[0-9]+ vzemu: VE $1 created:" "$TR"; }
list_row() { grep -E "^ *$1 +$2 +$3\$" <<<"$out" >/dev/null; }

page_kib=$(($(getconf PAGESIZE) / 1024))
ncpu=$(nproc --all)
U101=7a9c2f4e-1b3d-4e5f-8a6b-0c1d2e3f4a5b
U102=3e1f5a7c-9b2d-4c6e-8f0a-1b2c3d4e5f60

# ---- connect (§2): /proc/vz through vzemu, /etc/vz/conf, vzlist V1, vzctl --help C1 ----
vs uri
case $err in *"no connection driver available"*) skip "libvirt was built without the OpenVZ driver: $err" ;; esac
check "virsh uri" "0 openvz:///system" "$rc $out"
[ "$rc" = 0 ] || { bad "cannot connect: $err"; finish test-virsh; exit 1; }
has_match "connect: virsh's access(/proc/vz, W_OK) answered by vzemu (§2)" "$TR" \
	'^[0-9]+ (access|faccessat)\((AT_FDCWD, )?"/proc/vz", W_OK\) = 0$'
has_argv "connect runs vzlist -a -ovpsid,status -H (V1)" vzlist '"-a", "-ovpsid,status", "-H"'
has_argv "connect runs vzctl --help (C1)" vzctl '"--help"'

# ---- version (C1): `vzctl version X.Y.Z` with only LC_ALL=C, shown as the hypervisor ------
first=$(env -i LC_ALL=C /usr/sbin/vzctl --help 2>/dev/null | head -n 1)
if [[ $first =~ ^vzctl\ version\ ([0-9]+)\.([0-9]+)\.([0-9]+) ]]; then
	ok "vzctl --help, empty environment: [$first]"
	maj=${BASH_REMATCH[1]} min=${BASH_REMATCH[2]} mic=${BASH_REMATCH[3]}
	vs version
	has "virsh version: the hypervisor is vzctl's version" \
		"Running hypervisor: OpenVZ $maj.$min.$mic" "$out"
	# ≥ 3.0.23, so that libvirt passes bridges through --netif_add (§3.1 C7)
	check "version ≥ 3.0.23" 1 $((maj * 1000000 + min * 1000 + mic >= 3000023))
else
	bad "vzctl --help's first line must start with 'vzctl version X.Y.Z': [$first]"
fi

# ---- list --all: nothing yet ---------------------------------------------------------------
vs list --all --name
check "list --all on an empty host" "0 " "$rc $out"

# ---- define without a template (C2, C8, C9, the UUID append §4.2) --------------------------
cat >"$tmp/101.xml" <<XML
<domain type='openvz'>
  <name>101</name>
  <uuid>$U101</uuid>
  <memory unit='KiB'>262144</memory>
  <currentMemory unit='KiB'>262144</currentMemory>
  <vcpu>1</vcpu>
  <os><type>exe</type><init>/sbin/init</init></os>
</domain>
XML
vs define "$tmp/101.xml"
check "define 101" "0" "$rc"
has "define 101: virsh says so" "Domain '101' defined from $tmp/101.xml" "$out"
has_argv "define: vzctl --quiet create 101 --name 101 (C2)" vzctl \
	'"--quiet", "create", "101", "--name", "101"'
has_argv "define: vzctl --quiet set 101 --cpus 1 --save (C8)" vzctl \
	'"--quiet", "set", "101", "--cpus", "1", "--save"'
has_argv "define: vzctl --quiet set 101 --kmemsize 268435456 --save (C9)" vzctl \
	'"--quiet", "set", "101", "--kmemsize", "268435456", "--save"'
check "define 101: vzlite status" "CTID 101 exist unmounted down" "$(status 101)"
check "define 101: exactly one #UUID: line, the document's uuid" "#UUID: $U101" \
	"$(grep '^#UUID:' "$C/101.conf")"
check "define 101: an empty line before it (libvirt's own append)" "" \
	"$(grep -B1 '^#UUID:' "$C/101.conf" | head -n 1)"
check "define 101: CPUS" "1" "$(cfg 101 CPUS)"
check "define 101: KMEMSIZE as two decimals" "268435456:268435456" "$(cfg 101 KMEMSIZE)"
check "define 101: NAME" "101" "$(cfg 101 NAME)"
check "define 101: OSTEMPLATE from DEF_OSTEMPLATE" "busybox-x86_64" "$(cfg 101 OSTEMPLATE)"
check "define 101: ONBOOT as the profile has it (dominfo needs it, §6.3)" "no" "$(cfg 101 ONBOOT)"
check "define 101: no duplicate keys" "" \
	"$(grep -oE '^[A-Z0-9_]+=' "$C/101.conf" | sort | uniq -d | paste -sd' ')"
for k in DISKSPACE PRIVVMPAGES VMGUARPAGES; do
	check "define 101: $k is the profile's, two plain decimals (§4.1)" "$(sample_val $k)" \
		"$(cfg 101 $k | grep -E '^[0-9]+:[0-9]+$')"
done
vs list --all
if list_row - 101 "shut off"; then ok "list --all: 101 shut off"; else bad "list --all: [$out]"; fi
check "vzlite list -a: 101 stopped" "101 stopped" \
	"$("$vzlite" list -a -H -o ctid,status | sed 's/^ *//')"

# ---- define with a template (C3): libvirt 9.0.0 garbles --ostemplate (§6.1) -----------------
cat >"$tmp/102.xml" <<XML
<domain type='openvz'>
  <name>102</name>
  <uuid>$U102</uuid>
  <memory unit='KiB'>262144</memory>
  <vcpu>1</vcpu>
  <os><type>exe</type></os>
  <devices>
    <filesystem type='template'><source name='busybox-x86_64'/><target dir='/'/></filesystem>
  </devices>
</domain>
XML
vs define "$tmp/102.xml"
check "define 102 with a template is refused" "1" "$((rc != 0))"
# the bytes libvirt passed, as the trace renders them
garbled=$(grep -F '"--quiet", "create", "102", "--name", "102", "--ostemplate", "' "$TR" |
	sed 's/.*"--ostemplate", "\(.*\)"\])$/\1/' | head -n 1)
has_argv_prefix "define 102: vzctl --quiet create 102 --name 102 --ostemplate ... (C3)" vzctl \
	'"--quiet", "create", "102", "--name", "102", "--ostemplate", '
case $garbled in
busybox-x86_64) bad "libvirt passed the real template name: the test's premise (§6.1) is wrong" ;;
*'\x'*)
	esc=$(grep -oE '\\x[0-9a-f]{2}' <<<"$garbled" | head -n 1)
	if grep -qiF -- "$esc" <<<"$err"; then ok "define 102: the message shows the bytes escaped ($esc)"; else bad "define 102: no $esc (from [$garbled]) in [$err]"; fi
	;;
*) ok "define 102: libvirt passed [$garbled] this time" ;;
esac
printf '     virsh said: %s\n' "$err"
has "define 102: the message names --ostemplate" "ostemplate" "$err"
if grep -qiE 'filesystem|DEF_OSTEMPLATE|vzlite' <<<"$err"; then ok "define 102: the message gives the way out"; else bad "define 102: no way out in [$err]"; fi
check "define 102: nothing created (vzlite status)" "CTID 102 deleted unmounted down" "$(status 102)"
check "define 102: no config, no name link, no private area" "" \
	"$(ls -d "$C/102.conf" /etc/vz/names/102 /etc/vz/private/102 2>/dev/null)"

# ---- start (V2, C10) ------------------------------------------------------------------------
vs start 101
check "start 101" "0" "$rc"
has "start 101: virsh says so" "Domain '101' started" "$out"
has_argv "start: vzlist 101 -ostatus -H (V2)" vzlist '"101", "-ostatus", "-H"'
has_argv "start: vzctl --quiet start 101 (C10)" vzctl '"--quiet", "start", "101"'
check "start 101: vzlite status" "CTID 101 exist mounted running" "$(status 101)"
check "start 101: the VE was created once" "1" "$(created_events 101)"
vs list --all
if list_row 101 101 running; then ok "list --all: 101 running"; else bad "list --all: [$out]"; fi
check "start 101: /proc/vz/vestat lists it (§4)" "101" "$(awk '$1 == 101 { print $1 }' /proc/vz/vestat)"

# ---- dominfo (vestat, ONBOOT) and domstate --------------------------------------------------
vs dominfo 101
check "dominfo 101" "0" "$rc"
check "dominfo 101: nothing on stderr (cputime read from vestat)" "" "$err"
has_match "dominfo: virsh's open of /proc/vz/vestat was answered by vzemu" "$TR" \
	'^[0-9]+ open(at)?\((AT_FDCWD, )?"/proc/vz/vestat", O_RDONLY[^)]*\) = [0-9]+$'
# virsh prints State to Used memory only when GetInfo, which needs the VE's vestat row,
# succeeds; "CPU time" only when it is not 0, and vzemu's CPU times are 0
for want in "Id: +101" "Name: +101" "UUID: +$U101" "OS Type: +exe" "State: +running" \
	"CPU\(s\): +1" "Max memory: .*" "Autostart: +disable"; do
	if grep -Eq "^$want\$" <<<"$out"; then ok "dominfo: /$want/"; else bad "dominfo: no /^$want\$/ in [$out]"; fi
done
vs domstate 101
check "domstate 101" "0 running" "$rc $out"

# ---- dumpxml: filesystem from OSTEMPLATE + DISKSPACE, memtune from PRIVVMPAGES/VMGUARPAGES --
IFS=: read -r ds_b ds_l <<<"$(sample_val DISKSPACE)"
IFS=: read -r pv_b pv_l <<<"$(sample_val PRIVVMPAGES)"
IFS=: read -r vg_b _ <<<"$(sample_val VMGUARPAGES)"
vs dumpxml 101
check "dumpxml 101" "0" "$rc"
for want in "<domain type='openvz' id='101'>" "<uuid>$U101</uuid>" "<filesystem type='template'" \
	"<source name='busybox-x86_64'/>" "<target dir='/'/>" \
	"<space_hard_limit unit='bytes'>$((ds_l * 1024))</space_hard_limit>" \
	"<space_soft_limit unit='bytes'>$((ds_b * 1024))</space_soft_limit>" "<memtune>" \
	"<hard_limit unit='KiB'>$((pv_l * page_kib))</hard_limit>" \
	"<soft_limit unit='KiB'>$((pv_b * page_kib))</soft_limit>" \
	"<min_guarantee unit='KiB'>$((vg_b * page_kib))</min_guarantee>"; do
	has "dumpxml: $want" "$want" "$out"
done

# ---- setvcpus (C8, clamped to the host's CPUs) ---------------------------------------------
want_cpus=$((ncpu < 2 ? ncpu : 2))
vs setvcpus 101 2
check "setvcpus 101 2" "0" "$rc"
has_argv "setvcpus: vzctl --quiet set 101 --cpus $want_cpus --save (C8)" vzctl \
	"\"--quiet\", \"set\", \"101\", \"--cpus\", \"$want_cpus\", \"--save\""
check "setvcpus: CPUS in the config" "$want_cpus" "$(cfg 101 CPUS)"
vs dominfo 101
if grep -Eq "^CPU\\(s\\): +$want_cpus\$" <<<"$out"; then ok "dominfo: CPU(s) $want_cpus"; else bad "dominfo after setvcpus: [$out]"; fi

# ---- memtune --hard-limit (V5, C17) and --min-guarantee (C18) -------------------------------
vs memtune 101 --hard-limit 300000
check "memtune --hard-limit 300000" "0 " "$rc $err"
hl=$((300000 / page_kib))
has_argv "memtune: vzlist --no-header -oprivvmpages.b,privvmpages.l 101 (V5)" vzlist \
	'"--no-header", "-oprivvmpages.b,privvmpages.l", "101"'
has_argv "memtune: vzctl --quiet set 101 --privvmpages $pv_b:$hl --save (C17)" vzctl \
	"\"--quiet\", \"set\", \"101\", \"--privvmpages\", \"$pv_b:$hl\", \"--save\""
check "memtune --hard-limit: PRIVVMPAGES in the config" "$pv_b:$hl" "$(cfg 101 PRIVVMPAGES)"
check "memtune --hard-limit: the running VE's beancounter" "$pv_b $hl" "$(ub 101 privvmpages)"
vs memtune 101 --min-guarantee 200000
check "memtune --min-guarantee 200000" "0 " "$rc $err"
mg=$((200000 / page_kib))
has_argv "memtune: vzctl --quiet set 101 --vmguarpages $mg:9223372036854775807 --save (C18)" vzctl \
	"\"--quiet\", \"set\", \"101\", \"--vmguarpages\", \"$mg:9223372036854775807\", \"--save\""
check "memtune --min-guarantee: VMGUARPAGES in the config" "$mg:9223372036854775807" \
	"$(cfg 101 VMGUARPAGES)"
check "memtune --min-guarantee: the running VE's beancounter" "$mg 9223372036854775807" \
	"$(ub 101 vmguarpages)"
vs dumpxml 101
has "dumpxml after memtune: hard_limit" "<hard_limit unit='KiB'>$((hl * page_kib))</hard_limit>" "$out"
has "dumpxml after memtune: min_guarantee" "<min_guarantee unit='KiB'>$((mg * page_kib))</min_guarantee>" "$out"

# ---- autostart (C16) -----------------------------------------------------------------------
vs autostart 101
check "autostart 101" "0" "$rc"
has_argv "autostart: vzctl --quiet set 101 --onboot yes --save (C16)" vzctl \
	'"--quiet", "set", "101", "--onboot", "yes", "--save"'
check "autostart: ONBOOT" "yes" "$(cfg 101 ONBOOT)"
vs dominfo 101
if grep -Eq '^Autostart: +enable$' <<<"$out"; then ok "dominfo: Autostart enable"; else bad "dominfo after autostart: [$out]"; fi
vs autostart --disable 101
check "autostart --disable 101" "0 no" "$rc $(cfg 101 ONBOOT)"

# ---- domhostname (V4) ----------------------------------------------------------------------
vs domhostname 101
check "domhostname of a VE without HOSTNAME fails" "1" "$((rc != 0))"
has "domhostname: unset (§3.2 V4)" "Hostname of '101' is unset" "$err"
has_argv "domhostname: vzlist -o hostname 101 -H (V4)" vzlist '"-o", "hostname", "101", "-H"'
"$vzlite" set 101 --hostname ct101.example.org --save >/dev/null 2>&1
check "vzlite set --hostname" "0" "$?"
vs domhostname 101
check "domhostname 101" "0 ct101.example.org" "$rc $out"
check "the VE's own hostname (vzlite exec)" "ct101.example.org" "$("$vzlite" exec 101 -- hostname 2>&1)"

# ---- reboot (C12) --------------------------------------------------------------------------
vs reboot 101
check "reboot 101" "0" "$rc"
has "reboot: virsh says so" "Domain '101' is being rebooted" "$out"
has_argv "reboot: vzctl --quiet restart 101 (C12)" vzctl '"--quiet", "restart", "101"'
check "reboot: a new VE 101 was created (second create event)" "2" "$(created_events 101)"
check "reboot: vzlite status" "CTID 101 exist mounted running" "$(status 101)"

# ---- shutdown (C11) ------------------------------------------------------------------------
vs shutdown 101
check "shutdown 101" "0" "$rc"
has "shutdown: virsh says so" "Domain '101' is being shutdown" "$out"
has_argv "shutdown: vzctl --quiet stop 101 (C11)" vzctl '"--quiet", "stop", "101"'
check "shutdown: vzlite status" "CTID 101 exist unmounted down" "$(status 101)"
vs domstate 101
check "domstate after shutdown" "0 shut off" "$rc $out"
check "shutdown: gone from /proc/vz/vestat" "" "$(awk '$1 == 101' /proc/vz/vestat)"

# ---- destroy (C11 too) ---------------------------------------------------------------------
vs start 101
check "start 101 again" "0 CTID 101 exist mounted running" "$rc $(status 101)"
vs destroy 101
check "destroy 101" "0" "$rc"
has "destroy: virsh says so" "Domain '101' destroyed" "$out"
check "destroy: vzlite status" "CTID 101 exist unmounted down" "$(status 101)"

# ---- undefine (C15: `vzctl --quiet start destroy 101`, §6.2) --------------------------------
vs start 101
check "start 101 before undefine" "0" "$rc"
vs undefine 101
check "undefine of a running VE fails (libvirt does not stop it)" "1" "$((rc != 0))"
printf '     virsh said: %s\n' "$err"
has_argv "undefine: vzctl --quiet start destroy 101 (C15)" vzctl \
	'"--quiet", "start", "destroy", "101"'
check "undefine of a running VE: it still runs, config kept" "CTID 101 exist mounted running 1" \
	"$(status 101) $([ -f "$C/101.conf" ] && echo 1)"
vs destroy 101
vs undefine 101
check "undefine 101 (works, unlike real vzctl)" "0" "$rc"
has "undefine: virsh says so" "Domain '101' has been undefined" "$out"
check "undefine: vzlite status" "CTID 101 deleted unmounted down" "$(status 101)"
check "undefine: no config, no private area" "" "$(ls -d "$C/101.conf" /etc/vz/private/101 2>/dev/null)"
vs list --all --name
check "list --all after undefine" "0 " "$rc $out"
check "the kernel has no VE 101" "" "$(awk '$1 == 101' /proc/vz/veinfo)"

finish test-virsh
