#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# vzemu-concurrent: vzemu runs sharing one --state directory behave as users of one kernel.
# 8 creators start at once: VEs 4301..4304 once each, VE 4300 four times (VE_CREATE|
# VE_EXCLUSIVE: exactly one wins, the others get EACCES — kernel/ve/vecalls.c:
# real_env_create), while readers cat /proc/vz/veinfo and /proc/user_beancounters in a loop.
# Then: every vzemu run succeeded, every reader output is well-formed, the state file is
# intact, every VE is listed, a long-lived run sees what other runs changed, and every VE
# leaves the list once its init exits. Exit 0 pass, 1 fail, 77 skip.
set -u
. "$(dirname "$0")/../../lib/testlib.sh"

VZEMU=${VZEMU:-vzemu}
CLIENT=${VZEMU_ABI_CLIENT:-vzemu-abi-client}
T=${VZEMU_TEST_TMP:-$(mktemp -d /tmp/vzemu-test.XXXXXX)}

emu_setup "$VZEMU" "$T"
ST=$T/state
EMU=("$VZEMU" --state "$ST" --trace "$T/trace")
VES="4300 4301 4302 4303 4304"
for v in $VES; do mkfifo "$T/release-$v"; done
released=
cleanup() {
	[ -n "$released" ] && return
	for v in $VES; do timeout 2 sh -c "echo x > '$T/release-$v'" 2> /dev/null; done
}
at_exit cleanup

# A run that stays alive across the others' changes (its supervisor keeps its cached state)
mkfifo "$T/long-ready" "$T/long-go"
"${EMU[@]}" -- sh -c 'cat /proc/vz/veinfo > "$0/long-1"; echo > "$0/long-ready"
	read x < "$0/long-go"; cat /proc/vz/veinfo > "$0/long-2"' "$T" &
long=$!
timeout 20 cat "$T/long-ready" > /dev/null || bad "the long-lived run did not start"

# 8 creators and 3 readers, all at once
i=0
for v in 4300 4301 4300 4302 4300 4303 4300 4304; do
	i=$((i + 1))
	"${EMU[@]}" -- "$CLIENT" create "$v" -- sh -c 'read x < "$0"' "$T/release-$v" \
		> "$T/create-$i.out" 2>&1 &
	pids+=($!)
done
for r in 1 2 3; do
	"${EMU[@]}" -- sh -c 'for i in $(seq 10); do
		cat /proc/vz/veinfo || echo "READ FAILED"
		cat /proc/user_beancounters > /dev/null || echo "UBC READ FAILED"
	done' > "$T/reader-$r.out" 2>&1 &
	pids+=($!)
done
# creators exit 0 (won) or 1 (lost, "error: ..."); 125 would be vzemu failing
rcs=
for p in "${pids[@]}"; do wait "$p"; rcs="$rcs $?"; done
check "exit statuses of 8 creators and 3 readers" "0 0 0 0 0 0 0 0 0 0 0" \
	"$(echo $rcs | tr ' ' '\n' | sed 's/^1$/0/' | paste -sd' ')"

for v in $VES; do
	n=$(cat "$T"/create-*.out | grep -c "^created $v\$")
	check "exactly one VE_CREATE of $v won" 1 "$n"
done
check "the 3 losers for 4300 got EACCES" 3 \
	"$(cat "$T"/create-*.out | grep -c '^error: VZCTL_ENV_CREATE_DATA: EACCES$')"
check "the trace agrees: one create of 4300 returned 4300" 1 \
	"$(grep -Ec '^[0-9]+ ioctl\(/dev/vzctl, VZCTL_ENV_CREATE_DATA, \{veid=4300, flags=VE_CREATE\|VE_EXCLUSIVE, class_id=0, data=\{iptables_mask=0x1c000007, feature_mask=0x205, known_features=0x205, total_vcpus=0\}, datalen=32\}\) = 4300$' "$T/trace")"
check "the trace agrees: three returned EACCES" 3 \
	"$(grep -Ec '^[0-9]+ ioctl\(/dev/vzctl, VZCTL_ENV_CREATE_DATA, \{veid=4300, flags=VE_CREATE\|VE_EXCLUSIVE, class_id=0, data=\{iptables_mask=0x1c000007, feature_mask=0x205, known_features=0x205, total_vcpus=0\}, datalen=32\}\) = -1 EACCES$' "$T/trace")"

# Readers saw whole files only: every veinfo line is "veid class numproc [ips]"
bad_lines=$(cat "$T"/reader-*.out | grep -Evc '^ +[0-9]+ +[0-9]+ +[0-9]+( .*)?$')
check "readers saw well-formed /proc/vz/veinfo, no failed reads" 0 "$bad_lines"
check "state file intact" "vzemu-model-state 1" "$(head -1 "$ST/state")"

for v in $VES; do
	"$VZEMU" --state "$ST" --wait-ve "$v=running" --timeout 20 ||
		bad "--wait-ve $v=running"
done
"${EMU[@]}" -- cat /proc/vz/veinfo > "$T/veinfo"
for v in $VES; do
	grep -Eq "^ +$v +0 " "$T/veinfo" && ok "VE $v listed" || bad "VE $v not listed"
done

# The long-lived run reloads what the others wrote
echo go > "$T/long-go"
wait "$long"
check "long-lived run: no VE before" 1 "$(grep -c . "$T/long-1")"
check "long-lived run: all 5 VEs after (it saw the other runs' changes)" 6 "$(grep -c . "$T/long-2")"

# The inits exit: every VE leaves the list
for v in $VES; do timeout 20 sh -c "echo go > '$T/release-$v'" || bad "init of $v gone early"; done
for v in $VES; do
	"$VZEMU" --state "$ST" --wait-ve "$v=gone" --timeout 20 || bad "--wait-ve $v=gone"
done
check "only the host is left in /proc/vz/veinfo" 1 \
	"$("${EMU[@]}" -- cat /proc/vz/veinfo | grep -c .)"
check "state file intact at the end" "vzemu-model-state 1" "$(head -1 "$ST/state")"
released=1 # every VE is gone: no init reads its FIFO any more

if ! finish test-concurrent; then
	echo "$fail check(s) failed; trace: $T/trace"
	exit 1
fi
exit 0
