# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=sh
#
# The lifecycle of a busybox-init VE on an OpenVZ kernel, POSIX sh, run as root in VE 0:
# in the VM on the real kernel (tests/vm/run-vm.sh) and under vzemu (test-suite-emu.sh),
# so the result lines of the two runs can be compared.
#   create from the busybox template with vps.basic, an address → start (the VE's own
#   /proc/user_beancounters read through exec holds the configured barriers and limits, the
#   fair-scheduler node has the weight of CPUUNITS, the disk quota is on with DISKSPACE and
#   DISKINODES, the venet address is on /proc/vz/veinfo) → exec → live set (numproc,
#   cpuunits: the kernel's files show the new values) → stop → start → stop → destroy, with
#   nothing left after stop and destroy.
#   Failures the kernel makes: an address another running VE holds, a VE without an init
#   (a limit the kernel enforces: suite-refused-limit.sh, VM only). Each: the exit code and message, then nothing
#   left behind.
# Expectations come from vzctl-behaviour.md (exit codes §7.1, start §3.2, stop §3.3) and
# kernel-abi.md (§8 beancounters, §9 fair scheduler, §12 stop, §13 /proc files).
# Environment: VZL_BIN (the vzlite binary, default vzlite), VZL_CONF (the global config,
# default /etc/vz/vz.conf; profiles and VE configs in its directory's conf/). The template
# cache busybox-x86_64 (tests/tools/make-busybox-template.sh) and ve-vps.basic.conf-sample
# must be in place.
# Usage: sh suite-lifecycle.sh
. "${0%/*}/suite-lib.sh"

A=101 B=102 C=103 D=104 IP=10.77.0.9
P=$(gconf VE_PRIVATE $A) R=$(gconf VE_ROOT $A)

# --- the life of VE A ---
vzl create $A --ostemplate busybox-x86_64 --config vps.basic >/dev/null 2>&1
check "create" 0 $?
vzl set $A --ipadd $IP --save >/dev/null 2>&1
check "set --ipadd on a stopped VE" 0 $?
vzl start $A >/dev/null 2>&1
check "start" 0 $?
check "status after start" "CTID $A exist mounted running" "$(status $A)"
ub_as_configured "start" $A
# CPUUNITS 1000: vzctl's weight 500000/1000 = 500; the kernel keeps 512000/500 shares and
# shows 512000/shares
check "start: the fair-scheduler node has the weight of CPUUNITS 1000" 500 "$(fsweight $A)"
read -r DS DH <<EOS
$(vconf $A DISKSPACE | tr ':' ' ')
EOS
read -r IS IH <<EOS
$(vconf $A DISKINODES | tr ':' ' ')
EOS
check "start: the disk quota on for the private area with DISKSPACE and DISKINODES" \
	"$P|$DS $DH|$IS $IH" "$(kquota $A)"
check "start: the venet address on /proc/vz/veinfo" "line $IP" "$(veaddrs $A)"
check "exec: a command's output" "hello" "$(vzl exec $A echo hello 2>&1)"
check "exec: pid 1 of the VE is its init" "init" "$(vzl exec $A cat /proc/1/comm 2>&1)"
vzl exec $A sh -c 'exit 3' >/dev/null 2>&1
check "exec: a command's exit status" 3 $?

vzl set $A --numproc 300:330 --cpuunits 2000 --save >/dev/null 2>&1
check "live set --numproc --cpuunits" 0 $?
check "live set: numproc in the VE's beancounter" "300 330" \
	"$(vzl exec $A cat /proc/user_beancounters 2>&1 | ubrows | awk '$2 == "numproc" { print $3, $4 }')"
check "live set: the node's weight of CPUUNITS 2000" 250 "$(fsweight $A)"
check "live set: saved" "300:330 2000" "$(vconf $A NUMPROC) $(vconf $A CPUUNITS)"

# --- an address another running VE holds (exit 78, VZ_IP_INUSE) ---
vzl create $C --ostemplate busybox-x86_64 --config vps.basic >/dev/null 2>&1
check "create a second VE" 0 $?
vzl set $C --ipadd $IP --save >/dev/null 2>&1
check "set the running VE's address on the second" 0 $?
out=$(vzl start $C 2>&1)
check "start with an address in use: exit 78" 78 $?
has "start with an address in use: names the VE holding it" "in use by VE $A" "$out"
check "start with an address in use: status" "CTID $C exist unmounted down" "$(status $C)"
check "start with an address in use: nothing left" "" "$(leftovers $C)"
check "start with an address in use: the other VE keeps it" "line $IP" "$(veaddrs $A)"

# --- stop, start, stop ---
vzl stop $A >/dev/null 2>&1
check "stop" 0 $?
check "status after stop" "CTID $A exist unmounted down" "$(status $A)"
check "stop: nothing left" "" "$(leftovers $A)"
vzl start $A >/dev/null 2>&1
check "start again" 0 $?
check "start again: numproc as saved by set" "300 330" \
	"$(vzl exec $A cat /proc/user_beancounters 2>&1 | ubrows | awk '$2 == "numproc" { print $3, $4 }')"
check "start again: the weight of the saved CPUUNITS" 250 "$(fsweight $A)"
vzl stop --fast $A >/dev/null 2>&1
check "stop --fast" 0 $?
check "stop --fast: nothing left" "" "$(leftovers $A)"

# --- no init in the VE (exit 47, VZ_FS_BAD_TMPL) ---
vzl create $D --ostemplate busybox-x86_64 --config vps.basic >/dev/null 2>&1
check "create a VE for the missing init" 0 $?
rm -f "$(gconf VE_PRIVATE $D)/sbin/init"
out=$(vzl start $D 2>&1)
check "start without an init: exit 47" 47 $?
has "start without an init: says so" "unable to start init" "$out"
check "start without an init: status" "CTID $D exist unmounted down" "$(status $D)"
check "start without an init: nothing left" "" "$(leftovers $D)"

# --- destroy ---
for v in $A $C $D; do
	vzl destroy $v >/dev/null 2>&1
	check "destroy VE $v" 0 $?
done
check "destroy: status" "CTID $A deleted unmounted down" "$(status $A)"
check "destroy: nothing left" "" "$(leftovers $A)"
check "destroy: no private area, root or config" "" \
	"$(ls -d "$P" "$R" "$CONFDIR/$A.conf" "$(gconf VZQUOTA_DIR $A)/quota.$A" 2>/dev/null)"
# The beancounter outlives the VE until its last reference goes (kernel-abi §8.1); what the
# kernel holds then is reported, not judged
echo "# beancounters still listed: $(awk 'NR > 2 && $1 ~ /:$/ { printf "%s ", $1 }' /proc/user_beancounters)"

suite_end lifecycle
