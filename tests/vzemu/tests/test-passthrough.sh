#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# vzemu-passthrough: ordinary programs run unchanged under vzemu, and nothing that acts on the
# host (OpenVZ calls, reboot, sethostname, mounts) reaches it. Runs as root; everything that
# mounts or sets a hostname happens in namespaces vzemu makes. Exit 0 pass, 1 fail, 77 skip.
#
# Environment: VZEMU, VZEMU_ABI_CLIENT (set by ctest), VZEMU_TEST_TMP (scratch directory).
set -u
. "$(dirname "$0")/../../lib/testlib.sh"

VZEMU=${VZEMU:-vzemu}
CLIENT=${VZEMU_ABI_CLIENT:-vzemu-abi-client}
T=${VZEMU_TEST_TMP:-$(mktemp -d /tmp/vzemu-test.XXXXXX)}

emu_setup "$VZEMU" "$T"
ST=$T/state
TR=$T/trace
EMU=("$VZEMU" --state "$ST" --trace "$TR")

host_name=$(hostname)
host_uts=$(readlink /proc/self/ns/uts)

# 1. Ordinary programs: pipes, file I/O, fork + exec, exit status, signals
out=$("${EMU[@]}" -- sh -c '
	echo hello world | tr a-z A-Z | cat
	echo data > "$1/file" && cat "$1/file"
	sh -c "exit 7"; echo "child status $?"
	seq 1 2000 | sort -rn | head -1
	ls / > /dev/null && echo ls-ok
	stat -c %F / ; id -u ; date +%Y > /dev/null && echo date-ok
	ip -o link show lo > /dev/null && echo ip-ok
	exec env true' sh "$T")
check "pipes, file I/O, fork+exec, coreutils, ip" \
	"HELLO WORLD|data|child status 7|2000|ls-ok|directory|0|date-ok|ip-ok" "$(echo "$out" | paste -sd'|')"
"${EMU[@]}" -- sh -c 'exit 42'
check "exit status is passed through" 42 $?
"${EMU[@]}" -- sh -c 'kill -TERM $$'
check "death by signal is 128+signal" 143 $?
out=$("${EMU[@]}" -- sh -c 'for i in 1 2 3 4 5 6 7 8; do (echo $i &) ; done | sort -n | paste -sd,')
check "background children" "1,2,3,4,5,6,7,8" "$out"

# 2. 2.6.32 fidelity: system calls the 042stab kernel lacks are ENOSYS, unless --no-2632
check "memfd_create is ENOSYS (2.6.32)" "error: memfd_create: ENOSYS" "$("${EMU[@]}" -- "$CLIENT" memfd)"
check "--no-2632 lets it through" "ok" "$("${EMU[@]}" --no-2632 -- "$CLIENT" memfd)"

# 3. OpenVZ calls are answered by the model, not by the host (where they do not exist)
check "host kernel has no getluid" "error: getluid: ENOSYS" "$("$CLIENT" getluid)"
check "getluid under vzemu" "0" "$("${EMU[@]}" -- "$CLIENT" getluid)"
has_match "getluid traced" "$TR" '^[0-9]+ getluid\(\) = 0$'
check "/dev/vzctl is a character device" "character special file" \
	"$("${EMU[@]}" -- stat -c %F /dev/vzctl)"
check "/proc/vz exists" "yes" "$("${EMU[@]}" -- sh -c 'test -d /proc/vz && echo yes')"
# access(W_OK) on /proc/vz, libvirt's openvz gate: fs/namei.c generic_permission lets
# CAP_DAC_OVERRIDE write any directory, so root passes; without the capability it does not
acc='import os; print(os.access("/proc/vz", os.W_OK))'
check "access(/proc/vz, W_OK) as root" "True" "$("${EMU[@]}" -- python3 -c "$acc")"
has_match "access W_OK traced" "$TR" '^[0-9]+ (access|faccessat)\((AT_FDCWD, )?"/proc/vz", W_OK\) = 0$'
check "access(/proc/vz, W_OK) without CAP_DAC_OVERRIDE" "False" \
	"$("${EMU[@]}" -- capsh --drop=cap_dac_override -- -c "exec python3 -c '$acc'")"
out=$("${EMU[@]}" -- cat /proc/vz/veinfo)
case $out in *" 0 "*) ok "/proc/vz/veinfo is served" ;; *) bad "/proc/vz/veinfo: [$out]" ;; esac
has_match "/proc/vz/veinfo open traced" "$TR" 'open(at)?\(.*"/proc/vz/veinfo", O_RDONLY.*\) = [0-9]+$'

# 4. Fault injection
check "--fail getluid:EPERM" "error: getluid: EPERM" \
	"$("${EMU[@]}" --fail getluid:EPERM -- "$CLIENT" getluid)"
has_match "injected fault traced" "$TR" '^[0-9]+ getluid\(.*\) = -1 EPERM \(injected\)$'
check "--fail ...:2 fail the second call only" "0|error: getluid: ENOSPC" \
	"$("${EMU[@]}" --fail getluid:ENOSPC:2 -- sh -c "$CLIENT getluid; $CLIENT getluid" | paste -sd'|')"

# 5. Nothing acts on the host: reboot, sethostname, host-level calls
out=$("${EMU[@]}" -- "$CLIENT" reboot restart)
check "reboot from the host is refused" "error: reboot: EPERM" "$out"
has_match "reboot traced" "$TR" '^[0-9]+ reboot\(0xfee1dead, 0x28121969, LINUX_REBOOT_CMD_RESTART, 0\) = -1 EPERM$'
check "host sethostname is refused" "error: sethostname: EPERM" \
	"$("${EMU[@]}" -- "$CLIENT" sethostname vzemu-evil)"
"${EMU[@]}" -- hostname vzemu-evil2 2> /dev/null && bad "hostname(1) succeeded on the host side"
has_match "sethostname traced" "$TR" '^[0-9]+ sethostname\("vzemu-evil2", 11\) = -1 EPERM$'
"${EMU[@]}" -- sh -c 'date -s @0' > /dev/null 2>&1 && bad "settimeofday/clock_settime succeeded"
[ "$(date +%Y)" -gt 2000 ] && ok "clock untouched" || bad "clock changed"
has_match "clock_settime traced" "$TR" '^[0-9]+ (clock_settime|settimeofday)\(.*\) = -1 EPERM$'

# 6. A VE's sethostname stays in the VE. The init reports through a FIFO: the test's read
# blocks until the init has written (timeout(1) is only a safety net).
mkfifo "$T/ve-name"
"${EMU[@]}" -- "$CLIENT" create 4242 --log "$T/ve.log" -- sh -c '
	hostname ve4242 && hostname > "$0/ve-name"; exec sleep 60' "$T" > "$T/create.out"
grep -q '^created 4242$' "$T/create.out" && ok "VE 4242 created" || { bad "create"; cat "$T/create.out"; }
check "VE hostname set inside the VE" "ve4242" "$(timeout 20 cat "$T/ve-name")"
has_match "VE sethostname traced" "$TR" '^[0-9]+ sethostname\("ve4242", 6\) = 0$'
"${EMU[@]}" -- "$CLIENT" enter 4242 -- "$CLIENT" reboot halt > /dev/null 2>&1
"$VZEMU" --state "$ST" --wait-ve 4242=gone --timeout 20
check "--wait-ve 4242=gone after reboot(HALT) in the VE" 0 $?
"${EMU[@]}" -- cat /proc/vz/veinfo | grep -q ' 4242 ' && bad "VE 4242 still listed after reboot(HALT)"
has_match "reboot inside the VE is answered by the model" "$TR" \
	'^[0-9]+ reboot\(0xfee1dead, 0x28121969, LINUX_REBOOT_CMD_HALT, 0\) = 0$'

# 7. A simfs mount is a bind mount inside vzemu's private mount namespace
mkdir -p "$T/private" "$T/root"
echo inside > "$T/private/marker"
out=$("${EMU[@]}" -- sh -c 'mount -t simfs "$0/private" "$0/root" && cat "$0/root/marker"' "$T" 2>&1)
check "simfs mount works as a bind mount" "inside" "$out"
grep -q " $T/root " /proc/self/mountinfo && bad "the simfs mount leaked to the host" || ok "mount stayed private"
has_match "mount traced" "$TR" "^[0-9]+ mount\(\"$T/private\", \"$T/root\", \"simfs\", .*\) = 0 \(simfs as bind mount\)$"

# 8. The host is as it was
check "host hostname unchanged" "$host_name" "$(hostname)"
check "host UTS namespace unchanged" "$host_uts" "$(readlink /proc/self/ns/uts)"

# 9. A call that would oops an OpenVZ kernel kills the caller and fail vzemu
"${EMU[@]}" -- "$CLIENT" create-plain 4243 > /dev/null 2> "$T/fatal.err"
check "VE_CREATE with VZCTL_ENV_CREATE: vzemu exits 125" 125 $?
has_match "FATAL on stderr" "$T/fatal.err" 'FATAL.*oops'
has_match "FATAL in the trace" "$TR" '^[0-9]+ ioctl\(/dev/vzctl, VZCTL_ENV_CREATE, .*VE_CREATE.*\) = \? \(FATAL'

# 10. Every program executed under vzemu is an event line with its path and argv
# (exec-trace.c); an exec the kernel refuses ran nothing and has none
"${EMU[@]}" -- sh -c '/nonexistent/prog x; /bin/true a "b c"; exit 0' 2> /dev/null
grep ' vzemu: exec ' "$TR" > "$T/exec.lines"
has_match "exec of the command" "$T/exec.lines" \
	'^[0-9]+ vzemu: exec execve\("[^"]*/sh", \["sh", "-c", "/nonexistent/prog x; /bin/true a \\"b c\\"; exit 0"\]\)$'
has_match "exec by the shell, with its argv" "$T/exec.lines" \
	'^[0-9]+ vzemu: exec execve\("/bin/true", \["/bin/true", "a", "b c"\]\)$'
check "a refused exec has no line" 0 "$(grep -c '"/nonexistent/prog"' "$T/exec.lines")"
# execveat: 2.6.32 lacks it (ENOSYS, no line); with --no-2632 it runs and is recorded
"${EMU[@]}" -- "$CLIENT" execveat /bin/true true x > "$T/execveat.out"
has_match "execveat on 2.6.32: ENOSYS" "$T/execveat.out" '^error: execveat: ENOSYS$'
"${EMU[@]}" --no-2632 -- "$CLIENT" execveat /bin/true true x
check "execveat with --no-2632 runs the program" 0 $?
has_match "execveat recorded with the descriptor's file" "$TR" \
	'^[0-9]+ vzemu: exec execveat\([0-9]+<(/usr)?/bin/true>, "", \["true", "x"\], AT_EMPTY_PATH\)$'

if ! finish test-passthrough; then
	echo "$fail check(s) failed; trace: $TR"
	exit 1
fi
exit 0
