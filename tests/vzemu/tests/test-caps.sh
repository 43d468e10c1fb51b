#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# vzemu-caps: the capabilities the model sees are those of the target host's root
# (README.md, "Capabilities"). Root under vzemu is accepted by every call the kernel lets
# a fully privileged root make, also where this machine withholds a capability (commonly
# CAP_SYS_RESOURCE), and the kernel's errnos for bad arguments are what it gets; a process
# that gave a capability up (capset, the bounding set, a non-root uid) is refused with the
# kernel's errno. Every expected value below is the 042stab source's, cited per block.
# Exit 0 pass, 1 fail, 77 skip.
set -u
. "$(dirname "$0")/../../lib/testlib.sh"

VZEMU=${VZEMU:-vzemu}
CLIENT=${VZEMU_ABI_CLIENT:-vzemu-abi-client}
T=${VZEMU_TEST_TMP:-$(mktemp -d /tmp/vzemu-test.XXXXXX)}

emu_setup "$VZEMU" "$T"
mkdir -p "$T/qroot"
ST=$T/state
TR=$T/trace
EMU=("$VZEMU" --state "$ST" --trace "$TR")
bnd=$(sed -n 's/^CapBnd:\t*//p' /proc/1/status)
echo "# this machine's root bounding set: $bnd (CAP_SYS_RESOURCE $(( 0x$bnd >> 24 & 1 )))"
run() { "${EMU[@]}" -- "$@" 2>&1; }
joined() { paste -sd'|' -; }

# 1. Fully privileged root. kernel/bc/sys.c do_setublimit: CAP_SYS_RESOURCE, host, then
# resource < UB_RESOURCES (EINVAL), both values <= UB_MAXVALUE = LONG_MAX (EINVAL), then
# the beancounter must exist (ENOENT); no barrier <= limit rule.
check "setublimit by root" ok "$(run "$CLIENT" setublimit 0 0 100 200)"
check "setublimit barrier > limit is accepted" ok "$(run "$CLIENT" setublimit 0 1 300 200)"
check "setublimit resource 99: EINVAL" "error: setublimit: EINVAL" \
	"$(run "$CLIENT" setublimit 0 99 1 2)"
check "setublimit above UB_MAXVALUE: EINVAL" "error: setublimit: EINVAL" \
	"$(run "$CLIENT" setublimit 0 0 0x8000000000000000 0x8000000000000000)"
check "setublimit of no beancounter: ENOENT" "error: setublimit: ENOENT" \
	"$(run "$CLIENT" setublimit 4711 0 1 2)"
has_match "setublimit traced = 0" "$TR" '^[0-9]+ setublimit\(0, UB_KMEMSIZE, \{100, 200\}\) = 0$'
grep -E '^ +0: +kmemsize|^ +lockedpages' <("${EMU[@]}" -- cat /proc/user_beancounters) \
	> "$T/ubc"
has_match "/proc/user_beancounters shows the new kmemsize barrier/limit" "$T/ubc" \
	'^ +0: +kmemsize +[0-9]+ +[0-9]+ +100 +200 +0$'
has_match "... and lockedpages 300/200" "$T/ubc" '^ +lockedpages +[0-9]+ +[0-9]+ +300 +200 +0$'

# kernel/bc/statd.c do_ubstat: UBPARMNUM = UB_RESOURCES (25, include/bc/beancounter.h),
# then the DAC capability, an unknown id ESRCH; after a successful read arg2 must
# point to a ubnotifrq_t, else EFAULT.
check "ubstat UBPARMNUM" 25 "$(run "$CLIENT" ubstat 0x050000 0 0 0)"
check "ubstat READ_ONE of no beancounter: ESRCH" "error: ubstat: ESRCH" \
	"$(run "$CLIENT" ubstat 0x010000 4711 0 100)"
check "ubstat READ_ONE with arg2 NULL: EFAULT" "error: ubstat: EFAULT" \
	"$(run "$CLIENT" ubstat 0x010000 0 0 100)"

# fs/quota/vzdquota/vzdq_mgmt.c do_vzquotactl: CAP_SYS_RESOURCE and CAP_SYS_ADMIN, then
# the command. The first level, every command:
check "quota lifecycle by root" \
	"VZ_DQ_CREATE 0|VZ_DQ_ON 0|VZ_DQ_STATUS 1|VZ_DQ_OFF 0|VZ_DQ_DESTROY 0" \
	"$(run "$CLIENT" quota 4501 "$T/qroot" | joined)"
# The second level (vzdq_ugid.c do_vzquotaugidctl), every command, and bad arguments:
# ADDSTAT/SETGRACE need STARTING (EBUSY); GETSTAT: index < 0 EINVAL, vmalloc(0) ENOMEM;
# SETLIMIT/SETINFO of no quota ESRCH, the others ENOENT; unknown commands EINVAL;
# vzquota_destroy of a WORKING quota EBUSY, of none ENOENT; vzquota_off_file of a quota not
# in file mode EINVAL; vzquota_on_file id 0 EINVAL; vzquota_create id 0 EINVAL;
# vzquota_get_status of none ESRCH.
cat > "$T/ugid.expected" <<'EOF'
VZ_DQ_CREATE 0
VZ_DQ_UGID_SETCONFIG 0
VZ_DQ_UGID_ADDSTAT 1
VZ_DQ_UGID_SETGRACE 0
VZ_DQ_UGID_GETSTAT 1
record 1000/0
VZ_DQ_UGID_GETGRACE 0
grace 600/600
VZ_DQ_UGID_GETCONFIG 0
config 10 1 0x32
VZ_DQ_ON 0
VZ_DQ_UGID_SETLIMIT 0
VZ_DQ_UGID_SETINFO 0
VZ_DQ_SETLIMIT 0
VZ_DQ_GETSTAT 0
ADDSTAT-while-on EBUSY
GETSTAT-size-0 ENOMEM
GETSTAT-index-negative EINVAL
SETLIMIT-no-quota ESRCH
GETCONFIG-no-quota ENOENT
UGID-cmd-99 EINVAL
DESTROY-while-on EBUSY
OFF_FILE-not-file-mode EINVAL
ON_FILE-id-0 EINVAL
VZ_DQ_OFF_FORCED 0
VZ_DQ_DESTROY 0
CREATE-id-0 EINVAL
STATUS-no-quota ESRCH
DESTROY-no-quota ENOENT
DQ-cmd-99 EINVAL
EOF
run "$CLIENT" quota-ugid 4502 "$T/qroot" > "$T/ugid.out"
check "every ugid command and the bad arguments" "$(joined < "$T/ugid.expected")" \
	"$(joined < "$T/ugid.out")"
# vzdq_mgmt.c vzquota_read_proc: with both capabilities every quota, with its id and path
# (CAP_SYS_ADMIN); 1 GiB = 1048576 1k-blocks
check "quota 4503 created" 0 "$(run "$CLIENT" quotactl create 4503)"
check "quota 4503 on" 0 "$(run "$CLIENT" quotactl on 4503 "$T/qroot")"
"${EMU[@]}" -- cat /proc/vz/vzquota > "$T/vzquota.root"
has_match "/proc/vz/vzquota: id and path" "$T/vzquota.root" "^4503: $T/qroot\$"
has_match "/proc/vz/vzquota: limits" "$T/vzquota.root" \
	'^  1k-blocks +0 +1048576 +1048576 +0 +0$'

# 2. Capabilities given up. abi-client --drop-cap N: prctl(PR_CAPBSET_DROP, N) + capset.
check "dropped CAP_SYS_RESOURCE: setublimit EPERM" "error: setublimit: EPERM" \
	"$(run "$CLIENT" --drop-cap 24 setublimit 0 0 1 2)"
has_match "... traced" "$TR" '^[0-9]+ setublimit\(0, UB_KMEMSIZE, \{1, 2\}\) = -1 EPERM$'
check "dropped CAP_SYS_RESOURCE: every quota step EPERM" \
	"VZ_DQ_CREATE EPERM|VZ_DQ_ON EPERM|VZ_DQ_STATUS EPERM|VZ_DQ_OFF EPERM|VZ_DQ_DESTROY EPERM" \
	"$(run "$CLIENT" --drop-cap 24 quota 4504 "$T/qroot" | joined)"
check "dropped CAP_SYS_RESOURCE: ugid EPERM" "VZ_DQ_CREATE EPERM|VZ_DQ_UGID_SETCONFIG EPERM" \
	"$(run "$CLIENT" --drop-cap 24 quota-ugid 4504 "$T/qroot" | head -2 | joined)"
# do_setublimit needs CAP_SYS_RESOURCE only; do_vzquotactl needs CAP_SYS_ADMIN too
check "dropped CAP_SYS_ADMIN: setublimit still ok" ok \
	"$(run "$CLIENT" --drop-cap 21 setublimit 0 0 1 2)"
check "dropped CAP_SYS_ADMIN: quota EPERM" "error: create: EPERM" \
	"$(run "$CLIENT" --drop-cap 21 quotactl create 4504)"
# ubstat: CAP_DAC_OVERRIDE or CAP_DAC_READ_SEARCH
check "dropped both DAC capabilities: ubstat EPERM" "error: ubstat: EPERM" \
	"$(run "$CLIENT" --drop-cap 1 --drop-cap 2 ubstat 0x010000 0 0 100)"
check "dropped one DAC capability: ubstat answers" "error: ubstat: EFAULT" \
	"$(run "$CLIENT" --drop-cap 1 ubstat 0x010000 0 0 100)"

# Through other programs: the drop is inherited by children and across exec
if command -v capsh > /dev/null; then
	check "capsh --drop=cap_sys_resource: setublimit of a child EPERM" \
		"error: setublimit: EPERM" \
		"$(run capsh --drop=cap_sys_resource -- -c "$CLIENT setublimit 0 0 1 2")"
	check "capsh --drop=cap_sys_admin: setublimit ok" ok \
		"$(run capsh --drop=cap_sys_admin -- -c "$CLIENT setublimit 0 0 1 2")"
	# vzquota_read_proc without CAP_SYS_RESOURCE: only the quota of the reader's root
	# (none here): the header alone
	run capsh --drop=cap_sys_resource -- -c "cat /proc/vz/vzquota" > "$T/vzquota.dropped"
	check "/proc/vz/vzquota without CAP_SYS_RESOURCE: header only" 1 \
		"$(wc -l < "$T/vzquota.dropped")"
	has_match "... which is the header" "$T/vzquota.dropped" '^qid: path +usage +softlimit'
else
	echo "SKIP - capsh (libcap2-bin) is not installed: the capsh checks did not run"
fi
if command -v setpriv > /dev/null; then
	check "non-root uid: setublimit EPERM" "error: setublimit: EPERM" \
		"$(run setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$CLIENT" setublimit 0 0 1 2)"
fi
check "quota 4503 off" 0 "$(run "$CLIENT" quotactl off 4503)"
check "quota 4503 destroyed" 0 "$(run "$CLIENT" quotactl destroy 4503)"

if ! finish test-caps; then
	echo "$fail check(s) failed; trace: $TR"
	exit 1
fi
exit 0
