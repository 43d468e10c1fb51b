#!/usr/bin/env bash
# create, define and destroy as step tables (lib/step.h):
#  1. the --dry-run plan equals, line for line, the steps the engine logged (-vv) in the
#     real run of the same command, and its kernel-call lines equal vzemu's trace of that run;
#  2. a failure at each step in turn, made by an obstacle planted on the host (a directory
#     where the lock file goes, a read-only bind mount of conf/, private/ or root/, a mount
#     on the private area, a non-empty private area), and at each kernel call destroy makes
#     (vzemu --fail): the command fails and the host tree equals its snapshot from before,
#     so nothing is left behind. Mounts happen in a mount namespace this test makes;
#  3. every kernel call a real run makes (read off vzemu's trace) failed in turn, for create,
#     define and destroy: the command fails, names the VE, the host equals its snapshot.
# Not injected: create's syncfs and commit steps (no obstacle makes syncfs(2) or a rename
# within one directory fail for root; the kill sweep covers the commit), destroy's steps
# after the first removal (past it nothing can be put back; checked apart below).
# Usage: test-steps.sh VZLITE FIXTURES_DIR VZEMU
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?} vzemu=${3:?}
if [ -z "${VZL_IN_MOUNT_NS:-}" ]; then
	command -v unshare >/dev/null || { echo "no unshare"; exit 77; }
	unshare -m --propagation private true 2>/dev/null || { echo "cannot make a mount namespace"; exit 77; }
	VZL_IN_MOUNT_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
tmp=$(mktemp -d)
emu_setup "$vzemu" "$tmp"
state=$tmp/state
conf=$("$fixtures/make-demo-host.sh" "$tmp/host")
H=$tmp/host
V=("$vzlite" --global-config "$conf")
printf "<domain type='openvz'><name>120</name><hostname>d120.example</hostname><filesystem><template>demo-x86_64</template></filesystem></domain>" >"$tmp/120.xml"
sed 's,d120.example,r120.example,' "$tmp/120.xml" >"$tmp/120b.xml"
E=("$vzemu" --state "$state")
D=("${E[@]}" -- "${V[@]}") # destroy asks the kernel whether the VE runs
mkdir -p "$tmp/empty"
CREATE=(create 120 --ostemplate demo-x86_64 --hostname k120.example)

# Everything the commands may touch, for snapshot (names, types, modes and sizes, not times).
trees=("$H/conf" "$H/private" "$H/root" "$H/lock" "$H/vzquota")
reset() { rm -rf "$H/private/120" "$H/private/120".* "$H/root/120" "$H/conf/120.conf" "$H/conf/120.conf".* "$H"/conf/.120.conf.* "$H/lock/120.lck" "$H/vzquota/quota.120"; }
ro() { mount --bind "$1" "$1" && mount -o remount,bind,ro "$1"; }

# 1. Plan and run: the "# " lines of --dry-run against the "VE 120: " lines of -vv.
plan_vs_run() { # NAME ARGS...
	local name=$1
	shift
	local plan run
	# define prints the config after the plan: the plan ends with the unlock.
	local out calls trace
	out=$("${V[@]}" --dry-run "$@" 2>/dev/null | sed '/^# unlock /q')
	plan=$(sed -n 's/^# //p' <<<"$out")
	calls=$(grep -v '^# ' <<<"$out")
	: >"$tmp/plan.trace"
	run=$("$vzemu" --state "$state" --trace "$tmp/plan.trace" -- "${V[@]}" -vv "$@" 2>&1 >/dev/null | grep '^vzlite: VE 120: ' | sed 's/^vzlite: VE 120: //' |
		grep -v 'exists; kept, not extracted$')  # an info message of the check step, not a step
	check "$name: exit" 0 $?
	[ "$(wc -l <<<"$plan")" -ge 3 ] && ok || bad "$name: a plan of fewer than 3 lines: [$plan]"
	check "$name: dry-run plan equals the steps run" "$plan" "$run"
	# The kernel calls of the plan are the trace's lines without pid and result.
	trace=$(sed -E -e '/^[0-9]+ vzemu: /d' -e 's/^[0-9]+ //' -e 's/ = (-1 E[A-Z0-9]+|[0-9]+|\?)( \(.*\))?$//' "$tmp/plan.trace")
	check "$name: dry-run kernel calls equal the trace" "$calls" "$trace"
}
reset
plan_vs_run create "${CREATE[@]}"
plan_vs_run destroy destroy 120
plan_vs_run "define (new)" define "$tmp/120.xml"
plan_vs_run "define (existing)" define "$tmp/120b.xml"
# A define of a kept private area (nothing extracted): root, then the config.
"${D[@]}" destroy 120 >/dev/null 2>&1
mkdir -p "$H/private/120" && echo x >"$H/private/120/file"
plan_vs_run "define (kept private area)" define "$tmp/120.xml"
reset

# 2. One failure per step: OBSTACLE is a shell command planted before, UNDO after.
fails_clean() { # NAME WANT_EXIT WANT_TEXT OBSTACLE UNDO ARGS...
	local name=$1 want=$2 text=$3 obstacle=$4 undo=$5 before after out
	shift 5
	eval "$obstacle"
	before=$(snapshot "${trees[@]}")
	out=$("$@" 2>&1)
	check "$name: exit" "$want" $?
	has "$name: message" "$text" "$out"
	after=$(snapshot "${trees[@]}")
	eval "$undo"
	check "$name: host as before" "$before" "$after"
	nothing_left "$name" "$H" 120 "$vzemu" "$state"
}
# create, and define of a new VE (the same rows), each step in turn.
for op in create define; do
	if [ $op = create ]; then args=("${V[@]}" "${CREATE[@]}"); else args=("${V[@]}" define "$tmp/120.xml"); fi
	fails_clean "$op: lock" 3 "$H/lock/120.lck" "mkdir $H/lock/120.lck" "rmdir $H/lock/120.lck" "${args[@]}"
	fails_clean "$op: settle" 41 "$H/private/120.tmp/m" \
		"mkdir -p $H/private/120.tmp/m && mount --bind $tmp/empty $H/private/120.tmp/m" \
		"umount $H/private/120.tmp/m; rm -rf $H/private/120.tmp" "${args[@]}"
	[ $op = create ] && fails_clean "$op: private area not empty" 44 "already exists and is not empty" \
		"mkdir -p $H/private/120 && echo x >$H/private/120/f" "rm -rf $H/private/120" "${args[@]}"
	fails_clean "$op: pending config" 139 "$H/conf: Read-only" "ro $H/conf" "umount $H/conf" "${args[@]}"
	# the first-level quota file (§3.1 step 11), made after the private area is in place
	[ $op = create ] && fails_clean "$op: quota file" 61 "cannot open quota file $H/vzquota/quota.120" \
		"ro $H/vzquota" "umount $H/vzquota" "${args[@]}"
	fails_clean "$op: extract" 48 "$H/private/120.tmp" "ro $H/private" "umount $H/private" "${args[@]}"
	fails_clean "$op: root" 49 "$H/root/120" "ro $H/root" "umount $H/root" "${args[@]}"
	fails_clean "$op: rename" 48 "cannot move $H/private/120.tmp into place" \
		"mkdir -p $H/private/120 && mount --bind $tmp/empty $H/private/120" \
		"umount $H/private/120; rmdir $H/private/120" "${args[@]}"
done
# The exit codes above that are not vzctl's fixed ones: read them off the real run.
# define of a kept private area: the root, then the config.
keep="mkdir -p $H/private/120 && echo x >$H/private/120/f"
fails_clean "define kept: root" 49 "$H/root/120" "$keep; ro $H/root" "umount $H/root; rm -rf $H/private/120" "${V[@]}" define "$tmp/120.xml"
fails_clean "define kept: config" 139 "$H/conf: Read-only" "$keep; ro $H/conf" "umount $H/conf; rm -rf $H/private/120" "${V[@]}" define "$tmp/120.xml"
# re-define: the lock, the read under it (a template the VE was not made from), the rewrite.
"${V[@]}" define "$tmp/120.xml" >/dev/null 2>&1 || bad "define for the re-define cases"
fails_clean "re-define: lock" 3 "$H/lock/120.lck" "mkdir $H/lock/120.lck" "rmdir $H/lock/120.lck" "${V[@]}" define "$tmp/120b.xml"
sed 's,demo-x86_64,other-x86_64,' "$tmp/120b.xml" >"$tmp/120c.xml"
fails_clean "re-define: read" 21 "was made from template demo-x86_64" ":" ":" "${V[@]}" define "$tmp/120c.xml"
fails_clean "re-define: rewrite" 139 "$H/conf: Read-only" "ro $H/conf" "umount $H/conf" "${V[@]}" define "$tmp/120b.xml"
# destroy: the lock, the kernel's two calls, the refusal of a mount, the move aside.
fails_clean "destroy: lock" 3 "$H/lock/120.lck" "mkdir $H/lock/120.lck" "rmdir $H/lock/120.lck" "${D[@]}" destroy 120
for nth in 1 2; do
	fails_clean "destroy: kernel call $nth" $((nth == 1 ? 5 : 7)) "VE 120" ":" ":" "${E[@]}" --fail VZCTL_ENV_CREATE:EPERM:$nth -- "${V[@]}" destroy 120
done
fails_clean "destroy: mount inside" 41 "$H/private/120/bin" "mount --bind $tmp/empty $H/private/120/bin" "umount $H/private/120/bin" "${D[@]}" destroy 120
fails_clean "destroy: move aside" 3 "cannot move the private area" "ro $H/private" "umount $H/private" "${D[@]}" destroy 120
# 3. Every kernel call position: the calls a real run makes are read off vzemu's trace, and
# the run is repeated with the Nth call of that name failed (EIO: no call of these has a
# meaning for it), for each call in turn. The command must fail, name the VE, and leave the
# host as it was. create asks the kernel whether it has the VE's disk quota before it makes the
# quota file (§3.1 step 11: vzctl's `vzquota stat`, then `init`); define makes no kernel call.
call_positions() { # TRACE: "NAME NTH" per intercepted call, in order
	awk '$2 != "vzemu:" {
		if ($2 ~ /^ioctl\(/) { name = $3; sub(/,$/, "", name) } else { name = $2; sub(/\(.*/, "", name) }
		print name, ++seen[name]
	}' "$1"
}
sweep() { # NAME MIN_CALLS ARGS...
	local name=$1 min=$2 n=0 before after out code
	shift 2
	: >"$tmp/sweep.trace"
	"${E[@]}" --trace "$tmp/sweep.trace" -- "${V[@]}" "$@" >/dev/null 2>&1 || bad "$name: the run to trace failed"
	call_positions "$tmp/sweep.trace" >"$tmp/sweep.calls"
	"${undo_run[@]}"
	while read -r call nth; do
		n=$((n + 1))
		before=$(snapshot "${trees[@]}")
		out=$("${E[@]}" --fail "$call:EIO:$nth" -- "${V[@]}" "$@" 2>&1)
		code=$?
		[ $code -ne 0 ] && ok || bad "$name: $call #$nth failed, yet the command succeeded"
		has "$name: $call #$nth: the VE named" "120" "$out"
		after=$(snapshot "${trees[@]}")
		check "$name: $call #$nth: host as before" "$before" "$after"
		nothing_left "$name: $call #$nth" "$H" 120 "$vzemu" "$state"
	done <"$tmp/sweep.calls"
	[ $n -ge "$min" ] && ok || bad "$name: $n kernel calls traced, expected at least $min"
	echo "# $name: $n kernel call positions failed in turn"
}
reset
undo_run=(reset)
sweep "create: calls" 3 "${CREATE[@]}"
check "create: the kernel's handle, its probe, and whether it has quota 120" \
	"openat 1|VZCTL_ENV_CREATE 1|VZCTL_QUOTA_NEW_CTL 1" "$(paste -sd'|' "$tmp/sweep.calls")"
sweep "define: calls" 0 define "$tmp/120.xml"
check "define makes no kernel call yet" "" "$(cat "$tmp/sweep.calls")"
"${V[@]}" define "$tmp/120.xml" >/dev/null 2>&1 || bad "define for the destroy sweep"
# destroy: a traced run removes the VE, so it is made again before the sweep.
undo_run=(eval 'reset; "${V[@]}" define "$tmp/120.xml" >/dev/null 2>&1')
sweep "destroy: calls" 3 destroy 120
# Past the removal nothing comes back: a config that cannot be renamed is named, the VE's
# config stays, so the destroy can be run again.
ro "$H/conf"
out=$("${D[@]}" destroy 120 2>&1)
[ $? -ne 0 ] && ok || bad "destroy with conf/ read-only succeeded"
has "destroy: config rename named" "cannot rename $H/conf/120.conf" "$out"
umount "$H/conf"
[ -f "$H/conf/120.conf" ] && [ ! -e "$H/private/120" ] && ok || bad "destroy after removal: config kept, private area gone"
"${D[@]}" destroy 120 >/dev/null 2>&1 && ok || bad "destroy again after the failure"
# What vzctl keeps of a destroyed VE: its config as 120.conf.destroyed, nothing else.
check "nothing of VE 120 left" "120.conf.destroyed" "$(ls -A "$H/private" "$H/root" "$H/lock" "$H/conf" | grep '^120' | paste -sd' ')"
nothing_left "destroy" "$H" 120 "$vzemu" "$state"

finish test-steps
