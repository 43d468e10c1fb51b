#!/usr/bin/env bash
# A SIGKILL of create before every one of its system calls (killat counts the entries of all
# its threads and kills the process group at the Nth), then one of create, destroy or define
# in turn. After each kill there is either no config, or a complete VE and no marker (the
# marker never outlives a finished create); a private area without config exists only with
# the marker and is complete. The next command then keeps or cleans exactly what it should:
# create and define complete or roll back and never delete or re-extract a complete tree,
# destroy leaves nothing. "Complete" is checked against the cache extracted by tar.
# A second sweep kills before every call that changes a directory or syncs (their count does
# not depend on thread timing), so each boundary between the steps of create is hit for sure.
# Usage: test-kill-sweep.sh VZLITE FIXTURES_DIR VZEMU KILLAT
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?} vzemu=${3:?} killat=${4:?}
command -v flock >/dev/null || { echo "no flock"; exit 77; }
tmp=$(mktemp -d)
emu_setup "$vzemu" "$tmp"
state=$tmp/state
"$killat" 0 "$tmp/rep" true && [ "$(cut -d' ' -f1 "$tmp/rep")" = exited ] ||
	{ echo "killat cannot trace here"; exit 77; }
conf=$("$fixtures/make-demo-host.sh" "$tmp/host")
H=$tmp/host
V=("$vzlite" --global-config "$conf")
CREATE=("${V[@]}" create 120 --ostemplate demo-x86_64 --hostname k120.example)
printf "<domain type='openvz'><name>120</name><hostname>k120.example</hostname><filesystem><template>demo-x86_64</template></filesystem></domain>" >"$tmp/120.xml"
ref=$tmp/ref
mkdir "$ref" && tar -C "$ref" --numeric-owner -xpzf "$H/template/cache/demo-x86_64.tar.gz"

P=$H/private/120 C=$H/conf/120.conf M=$H/conf/120.conf.vzlite-creating
reset() { rm -rf "$P" "$P".* "$H/root/120" "$C" "$C".* "$H"/conf/.120.conf.* "$H/lock/120.lck"; }
same_tree() { diff -r --no-dereference "$ref" "$P" >/dev/null; }
leftovers() { ls -A "$H/private" "$H/conf" "$H/root" | grep '120' | sort | paste -sd' '; }
config_ok() { grep -qx 'OSTEMPLATE="demo-x86_64"' "$C" && grep -qx 'HOSTNAME="k120.example"' "$C"; }

# The expectation for the config: an uninterrupted create, checked on its own terms.
"$killat" 0 "$tmp/rep" "${CREATE[@]}" 2>/dev/null
read -r how code total <"$tmp/rep"
check "uninterrupted create" "exited 0" "$how $code"
same_tree && ok || bad "uninterrupted create: tree differs from the cache"
config_ok && ok || bad "uninterrupted create: config lacks OSTEMPLATE or HOSTNAME"
expected_config=$(cat "$C")
[ "${total:-0}" -gt 100 ] && ok || bad "only ${total:-?} system calls counted"

ops=(create destroy define)
declare -A count
stamp=1000000000 # an mtime no extraction gives: a re-extracted tree loses it
STEPS=rename,renameat,renameat2,mkdir,mkdirat,rmdir,unlink,unlinkat,syncfs,fsync,fdatasync,chmod,fchmod,fchmodat
# One kill: before the Nth counted call of create (every call, or --only STEPS), then the
# checks of the state it left, the command OP and the checks of its result.
one_kill() { # N OP [--only STEPS]
	local n=$1 op=$2 kind r want before left
	shift 2
	reset
	"$killat" "$@" $n "$tmp/rep" "${CREATE[@]}" >"$tmp/out" 2>&1
	read -r how _ <"$tmp/rep"
	# The state the kill left.
	if [ -e "$H/lock/120.lck" ] && ! flock -n "$H/lock/120.lck" true; then bad "kill $n: lock still held"; fi
	if [ -e "$C" ]; then
		kind=created
		[ -e "$M" ] || [ -e "$P.vzlite-creating" ] && bad "kill $n: a marker outlived the finished create"
		[ -e "$P.tmp" ] && bad "kill $n: staging left beside a finished create"
		same_tree || bad "kill $n: config written, private area incomplete"
		[ "$(cat "$C")" = "$expected_config" ] || bad "kill $n: config differs from the expected"
		[ -d "$H/root/120" ] || bad "kill $n: root missing beside a finished create"
	elif [ -e "$P" ]; then
		kind=renamed
		[ -e "$M" ] || bad "kill $n: a private area without config or marker"
		same_tree || bad "kill $n: private area in place but incomplete"
	else
		kind=early
	fi
	count[$kind]=$((${count[$kind]:-0} + 1))
	if [ "$how" != killed ] && [ $kind != created ]; then
		bad "kill $n: create finished ($(cat "$tmp/rep")) without a VE: $(cat "$tmp/out")"
	fi
	[ $kind = early ] || touch -h -d @$stamp "$P/etc/hostname"
	before=$(ls -A "$H/private" "$H/conf" | grep '120')
	case $op in
	create) "${CREATE[@]}" >/dev/null 2>&1 ;;
	destroy) "$vzemu" --state "$state" -- "${V[@]}" destroy 120 >/dev/null 2>&1 ;;
	define) "${V[@]}" define "$tmp/120.xml" >/dev/null 2>&1 ;;
	esac
	r=$?
	left=$(leftovers)
	# Whatever the kill left of its lock (the file or the temporary it links) is gone now.
	nothing_left "kill $n ($kind), then $op" "$H" 120
	case $op/$kind in
	create/early) want=0 ;;
	create/* | define/renamed) want=44 ;;
	define/*) want=0 ;;
	destroy/early) want=0; [ -n "$before" ] || want=14 ;; # nothing at all: no such VE
	destroy/*) want=0 ;;
	esac
	[ "$r" = "$want" ] || bad "kill $n ($kind), then $op: exit $r, expected $want"
	if [ $op = destroy ]; then
		[ -z "$(sed 's/120.conf.destroyed//' <<<"$left")" ] || bad "kill $n ($kind), then destroy left: $left"
		return
	fi
	same_tree || bad "kill $n ($kind), then $op: private area not complete"
	config_ok || bad "kill $n ($kind), then $op: config not complete"
	[ "$left" = "120 120 120.conf" ] || bad "kill $n ($kind), then $op: left $left"
	[ $op = create ] && [ "$(cat "$C")" != "$expected_config" ] && bad "kill $n ($kind), then create: config differs"
	if [ $kind != early ] && [ "$(stat -c %Y "$P/etc/hostname")" != $stamp ]; then
		bad "kill $n ($kind), then $op: the complete tree was re-extracted"
	fi
	ok
}

# Every system call, until create runs to its end (thread timing moves the count a little).
for ((n = 1; n <= 2 * total; n++)); do
	one_kill $n ${ops[n % 3]}
	[ "$how" = killed ] || break
done
check "every system call of create was a kill point" "exited" "$how"
# Every step boundary, deterministically, each followed by each of the three commands.
for ((n = 1; n <= 2 * total; n++)); do
	for op in "${ops[@]}"; do one_kill $n $op --only $STEPS; done
	[ "$how" = killed ] || break
done
check "every step of create was a kill point" "exited" "$how"
steps=$((n - 1))
# Each state must have been reached, or the sweep proved less than it says.
for k in early renamed created; do
	[ "${count[$k]:-0}" -gt 0 ] && ok || bad "no kill left the state '$k'"
done
echo "$total system calls, $steps steps; kills leaving: early ${count[early]:-0}, renamed ${count[renamed]:-0}, created ${count[created]:-0}"

finish test-kill-sweep "($total system calls)"
