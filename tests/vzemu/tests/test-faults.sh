#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# vzemu-faults: --fail CALL:ERRNO[:NTH] works for a system call (setublimit), an ioctl by
# request name (VZCTL_ENV_CREATE_DATA) and an ioctl sub-command (VZCTL_QUOTA_NEW_CTL/VZ_DQ_ON
# and plain VZ_DQ_ON); the injected call changes nothing in the model (which only renders it
# for the trace, as it renders every answered call), and a failed VE create
# leaves what the kernel would leave: no VE, no fairsched node, the beancounter still there
# while a process holds it (kernel-abi.md §12.3 item 4, §8.3). A --fail naming no call and a
# state that cannot be used are refused, naming what is wrong. CALL@PATH fails a plain
# filesystem call (open, getdents64, rename) on one path only. Exit 0 pass, 1 fail, 77 skip.
set -u
. "$(dirname "$0")/../../lib/testlib.sh"

VZEMU=${VZEMU:-vzemu}
CLIENT=${VZEMU_ABI_CLIENT:-vzemu-abi-client}
T=${VZEMU_TEST_TMP:-$(mktemp -d /tmp/vzemu-test.XXXXXX)}

emu_setup "$VZEMU" "$T"
mkdir -p "$T/quota-root"
ST=$T/state
TR=$T/trace
EMU=("$VZEMU" --state "$ST" --trace "$TR")
# What the process that did setluid sees after the failure (it still holds the bc)
LOOK='echo "--- veinfo"; cat /proc/vz/veinfo; echo "--- fairsched"; cat /proc/fairsched
	echo "--- ubc"; cat /proc/user_beancounters'

# 1. A system call: setublimit
"${EMU[@]}" --fail setublimit:ENOMEM -- "$CLIENT" create 4401 --on-fail "$LOOK" > "$T/1.out"
has_match "setublimit fail with ENOMEM" "$T/1.out" '^error: setublimit: ENOMEM$'
has_match "traced as injected, with the kernel's names" "$TR" \
	'^[0-9]+ setublimit\(4401, UB_KMEMSIZE, \{2752512, 2936012\}\) = -1 ENOMEM \(injected\)$'
hasnt_match "the injected setublimit set no limit" "$T/1.out" '^ +4401: +kmemsize +[0-9]+ +[0-9]+ +2752512 '
hasnt_match "no VE 4401" "$T/1.out" '^ +4401 '
has_match "bc 4401 held by the setluid process" "$T/1.out" '^ +4401: '

# 2. An ioctl by request name: VZCTL_ENV_CREATE_DATA
"${EMU[@]}" --fail VZCTL_ENV_CREATE_DATA:EBUSY -- "$CLIENT" create 4402 --on-fail "$LOOK" \
	> "$T/2.out"
has_match "create fail with EBUSY" "$T/2.out" '^error: VZCTL_ENV_CREATE_DATA: EBUSY$'
has_match "traced as injected, decoded" "$TR" \
	'^[0-9]+ ioctl\(/dev/vzctl, VZCTL_ENV_CREATE_DATA, \{veid=4402, flags=VE_CREATE\|VE_EXCLUSIVE, class_id=0, data=\{iptables_mask=0x[0-9a-f]+, feature_mask=0x[0-9a-f]+, known_features=0x[0-9a-f]+, total_vcpus=0\}, datalen=32\}\) = -1 EBUSY \(injected\)$'
sed -n '/^--- veinfo/,/^--- fairsched/p' "$T/2.out" > "$T/2.veinfo"
sed -n '/^--- fairsched/,/^--- ubc/p' "$T/2.out" > "$T/2.fairsched"
hasnt_match "failed create: no VE 4402 in /proc/vz/veinfo" "$T/2.veinfo" '^ +4402 '
hasnt_match "failed create: no fairsched node 4402 in /proc/fairsched" "$T/2.fairsched" ' 4402 '
has_match "failed create: bc 4402 stays while held (§12.3)" "$T/2.out" '^ +4402: '
check "failed create: VE_TEST gives ESRCH" "-3" "$("${EMU[@]}" -- "$CLIENT" test 4402)"
# The NTH form, a name for the errno by number; the sub-command alone; a create that is
# not injected works afterwards (nothing left over)
"${EMU[@]}" --fail VE_CREATE:16:2 -- "$CLIENT" create 4402 > "$T/2b.out"
has_match "VE_CREATE:16:2 leaves the first create alone" "$T/2b.out" '^created 4402$'
"$VZEMU" --state "$ST" --wait-ve 4402=running --timeout 20 || bad "--wait-ve 4402=running"
"${EMU[@]}" -- "$CLIENT" enter 4402 -- "$CLIENT" reboot halt > /dev/null 2>&1
"$VZEMU" --state "$ST" --wait-ve 4402=gone --timeout 20 || bad "--wait-ve 4402=gone"

# 3. An ioctl sub-command: VZCTL_QUOTA_NEW_CTL with VZ_DQ_ON (both spellings). Root under
# vzemu is the target host's root (README: capabilities), so every step not injected
# succeeds, also where this machine's root lacks CAP_SYS_RESOURCE.
q() { # q CREATE ON STATUS OFF DESTROY: expected results; X! = injected
	local names=(VZ_DQ_CREATE VZ_DQ_ON VZ_DQ_STATUS VZ_DQ_OFF VZ_DQ_DESTROY) out=() i=0 r
	for r in "$@"; do
		out+=("${names[i]} ${r%!}")
		i=$((i + 1))
	done
	(IFS='|'; echo "${out[*]}")
}
"${EMU[@]}" -- "$CLIENT" quota 4403 "$T/quota-root" > "$T/3a.out"
check "quota without faults" "$(q 0 0 1 0 0)" "$(paste -sd'|' "$T/3a.out")"
"${EMU[@]}" --fail VZCTL_QUOTA_NEW_CTL/VZ_DQ_ON:EBUSY -- "$CLIENT" quota 4404 "$T/quota-root" \
	> "$T/3b.out"
check "VZCTL_QUOTA_NEW_CTL/VZ_DQ_ON:EBUSY fail ON only; the quota stays STARTING" \
	"$(q 0 EBUSY! 0 EALREADY 0)" "$(paste -sd'|' "$T/3b.out")"
has_match "traced as injected" "$TR" \
	"^[0-9]+ ioctl\\(/dev/vzctl, VZCTL_QUOTA_NEW_CTL, \\{cmd=VZ_DQ_ON, quota_id=4404, ve_root=$T/quota-root\\}\\) = -1 EBUSY \\(injected\\)\$"
"${EMU[@]}" --fail VZ_DQ_ON:EPERM -- "$CLIENT" quota 4405 "$T/quota-root" > "$T/3c.out"
check "VZ_DQ_ON:EPERM (sub-command alone)" \
	"$(q 0 EPERM! 0 EALREADY 0)" "$(paste -sd'|' "$T/3c.out")"
has_match "traced as injected" "$TR" \
	"^[0-9]+ ioctl\\(/dev/vzctl, VZCTL_QUOTA_NEW_CTL, \\{cmd=VZ_DQ_ON, quota_id=4405, ve_root=$T/quota-root\\}\\) = -1 EPERM \\(injected\\)\$"
"${EMU[@]}" --fail VZ_DQ_OFF:EPERM -- "$CLIENT" quota 4406 "$T/quota-root" > "$T/3d.out"
check "a rule for another sub-command leaves VZ_DQ_ON alone" \
	"$(q 0 0 1 EPERM! EBUSY)" "$(paste -sd'|' "$T/3d.out")"

# 4. Bad specifications are refused before anything runs
"$VZEMU" --state "$ST" --fail setublimit -- true 2> "$T/4.err"
check "--fail without ERRNO: exit 125" 125 $?
"$VZEMU" --state "$ST" --fail setublimit:ENOTANERRNO -- true 2> /dev/null
check "--fail with an unknown errno: exit 125" 125 $?

# A misspelt call name would never fire (and a rollback test would pass without testing
# anything): refused with the near names, and the command does not run
"$VZEMU" --state "$ST" --fail setulimit:ENOMEM -- touch "$T/ran" 2> "$T/4b.err"
check "--fail with a misspelt call: exit 125" 125 $?
has_match "... names it and the near name" "$T/4b.err" \
	"^vzemu: --fail 'setulimit:ENOMEM': no intercepted call is named 'setulimit'; near: setublimit\$"
[ -e "$T/ran" ] && bad "... but the command ran" || ok "... and the command did not run"
"$VZEMU" --state "$ST" --fail VZCTL_QUOTA_NEW_CTL/VZ_DQ_OM:EBUSY -- true 2> "$T/4c.err"
check "--fail with a misspelt sub-command: exit 125" 125 $?
has_match "... near names" "$T/4c.err" "no intercepted call is named 'VZ_DQ_OM'; near: VZ_DQ_ON, VZ_DQ_OFF"
"$VZEMU" --state "$ST" --fail execve:EPERM -- true 2> /dev/null
check "--fail on a call that is only recorded (execve): exit 125" 125 $?
for spec in setublimit:ENOMEM VZCTL_ENV_CREATE_DATA:EBUSY VE_CREATE:16:2 VZ_DQ_UGID_SETLIMIT:EIO \
	VZCTL_QUOTA_NEW_CTL/VZ_DQ_ON:EBUSY VENETCTL_VE_IP_MAP/VE_IP_ADD:EEXIST simfs:EPERM \
	openat:EACCES reboot:EPERM sethostname:EPERM ioprio_set:EINVAL; do
	"$VZEMU" --state "$ST" --fail "$spec" -- true
	check "--fail $spec is accepted" 0 $?
done

# 6. A plain filesystem call on one path: CALL@PATH (README: Fault injection). The rule counts
# only the calls on its PATH; the others, and the calls it does not fire on, reach the kernel.
PY=$(command -v python3) || skip "no python3 (renames by renameat)"
F=$T/fs
mkdir -p "$F/d" "$F/other" && : > "$F/d/a" && : > "$F/other/b" && echo hi > "$F/d/f"
ln -sfn "$F/d" "$F/link"
# getdents64 of a descriptor whose path is the rule's; another directory is listed
: > "$TR"
"${EMU[@]}" --fail "getdents64@$F/d:EIO" -- sh -c "ls '$F/other'; ls '$F/d'" > "$T/6a.out" 2>&1
check "getdents64@DIR: the other directory listed, DIR refused with EIO" \
	"b|ls: reading directory '$F/d': Input/output error" "$(paste -sd'|' "$T/6a.out")"
check "... traced with the descriptor's path; the other directory's getdents64 not traced" \
	"getdents64(FD<$F/d>, ...) = -1 EIO (injected)" \
	"$(grep -v ' vzemu: ' "$TR" | sed 's/^[0-9]* //; s/^getdents64([0-9]*</getdents64(FD</')"
# openat: the 2nd open of the file fails, through a relative path; the rule's directory named
# through a link (its links are resolved when vzemu starts); the 1st and 3rd opens work
: > "$TR"
"${EMU[@]}" --fail "openat@$F/link/f:EACCES:2" -- \
	sh -c "cd '$F/d' && cat f && cat '$F/other/b' && cat f; cat '$F/d/f'" > "$T/6b.out" 2>&1
check "openat@FILE:EACCES:2: only the second open of FILE fails" \
	"hi|cat: f: Permission denied|hi" "$(paste -sd'|' "$T/6b.out")"
check "... one injected line, relative path and flags as given" \
	'openat(AT_FDCWD, "f", O_RDONLY) = -1 EACCES (injected)' \
	"$(grep -v ' vzemu: ' "$TR" | sed 's/^[0-9]* //')"
# renameat (either of its paths) and rename; the failed rename leaves both names as they were
"${EMU[@]}" --fail "renameat@$F/d/g:EXDEV" -- "$PY" -c "import os
fd = os.open('$F/d', os.O_RDONLY)
os.rename('f', 'g', src_dir_fd=fd, dst_dir_fd=fd)" > "$T/6c.out" 2>&1
has "renameat@NEW: the rename over NEW fails with EXDEV" "OSError: [Errno 18] Invalid cross-device link: 'f' -> 'g'" "$(cat "$T/6c.out")"
has_match "... traced with both descriptors" "$TR" \
	"^[0-9]+ renameat\\([0-9]+<$F/d>, \"f\", [0-9]+<$F/d>, \"g\"\\) = -1 EXDEV \\(injected\\)\$"
"${EMU[@]}" --fail "rename@$F/d/f:EPERM" -- "$PY" -c "import os
os.rename('$F/other/b', '$F/other/c')
os.rename('$F/d/f', '$F/other/f')" > "$T/6d.out" 2>&1
has "rename@OLD: moving OLD away fails with EPERM" "PermissionError: [Errno 1] Operation not permitted: '$F/d/f' -> '$F/other/f'" "$(cat "$T/6d.out")"
check "... the other rename done, the failed ones changed nothing" "a f|c" \
	"$(ls "$F/d" | paste -sd' ')|$(ls "$F/other" | paste -sd' ')"
has_match "... traced" "$TR" "^[0-9]+ rename\\(\"$F/d/f\", \"$F/other/f\"\\) = -1 EPERM \\(injected\\)\$"
check "the calls on other paths not traced: the three injected lines only" 3 \
	"$(grep -vc ' vzemu: ' "$TR")"
# refused: the calls only intercepted for a path rule without one; a call that takes no path;
# a relative PATH; a sub-command with a path
"$VZEMU" --state "$ST" --fail getdents64:EIO -- touch "$T/ran" 2> "$T/6e.err"
check "--fail getdents64:EIO (no path): exit 125" 125 $?
has_match "... says it needs @PATH" "$T/6e.err" \
	"^vzemu: --fail 'getdents64:EIO': 'getdents64' can be failed only on a path: getdents64@PATH:ERRNO\\[:NTH\\]\$"
"$VZEMU" --state "$ST" --fail "setluid@$F/d:EIO" -- touch "$T/ran" 2> "$T/6f.err"
check "--fail setluid@PATH: exit 125" 125 $?
has_match "... lists the calls that take a path" "$T/6f.err" \
	"'setluid' cannot be failed on a path; CALL@PATH takes open, creat, openat, openat2, getdents, getdents64, rename, renameat, renameat2\$"
"$VZEMU" --state "$ST" --fail "openat@d/f:EIO" -- touch "$T/ran" 2> /dev/null
check "--fail openat@RELATIVE: exit 125" 125 $?
"$VZEMU" --state "$ST" --fail "VZCTL_QUOTA_NEW_CTL/VZ_DQ_ON@$F/d:EIO" -- touch "$T/ran" 2> /dev/null
check "--fail REQUEST/SUB@PATH: exit 125" 125 $?
[ -e "$T/ran" ] && bad "... but a command ran" || ok "... and no command ran"

# 5. A state that cannot be used is named, with the way out (--reset); nothing runs
"$VZEMU" --state "$ST" --reset -- true
echo garbage > "$ST/state"
"$VZEMU" --state "$ST" -- touch "$T/ran" 2> "$T/5a.err"
check "corrupt state file: exit 125" 125 $?
has_match "... names the file" "$T/5a.err" "^vzemu: state file $ST/state: line 1 is not \"vzemu-model-state 1\""
has_match "... suggests --reset" "$T/5a.err" "^vzemu: start a fresh kernel with: vzemu --state $ST --reset"
[ -e "$T/ran" ] && bad "... but the command ran" || ok "... and the command did not run"
"$VZEMU" --state "$ST" --wait-ve 1=gone --timeout 1 2> "$T/5b.err"
check "corrupt state file, --wait-ve: exit 125" 125 $?
has_match "... names the file" "$T/5b.err" "^vzemu: state file $ST/state: line 1 is not"
"$VZEMU" --state "$ST" --reset -- "$CLIENT" getluid > "$T/5c.out"
check "--reset recovers" 0 "$(cat "$T/5c.out")"
# corrupted while a run uses it: the call gets EIO, stderr and the trace say why
"${EMU[@]}" -- sh -c "printf 'vzemu-model-state 1\nbogus 1\n' > '$ST/state'; '$CLIENT' getluid" \
	> "$T/5d.out" 2> "$T/5d.err"
has_match "corrupted during a run: EIO" "$T/5d.out" '^error: getluid: EIO$'
has_match "... stderr names the line and --reset" "$T/5d.err" \
	"^vzemu: state file $ST/state: line 2 cannot be read: \"bogus 1\": calls answer EIO; vzemu --state $ST --reset starts a fresh kernel\$"
has_match "... so does the trace" "$TR" "^[0-9]+ vzemu: state file $ST/state: line 2 cannot be read"
"$VZEMU" --state "$ST" --reset -- true
: > "$T/afile"
"$VZEMU" --state "$T/afile" -- touch "$T/ran" 2> "$T/5e.err"
check "--state naming a file: exit 125" 125 $?
has_match "... says so" "$T/5e.err" "^vzemu: --state $T/afile: not a directory; name a directory"
[ -e "$T/ran" ] && bad "... but the command ran" || ok "... and the command did not run"

if ! finish test-faults; then
	echo "$fail check(s) failed; trace: $TR"
	exit 1
fi
exit 0
