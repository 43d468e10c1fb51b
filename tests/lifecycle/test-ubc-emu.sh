#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# vzlite ubc on a running busybox-init VE under vzemu whose numproc a test drove into
# refusals: NUMPROC 12:12, and the VE's service (written into the private area before the
# start) starts sleepers, each from a subshell, until the kernel refuses a fork (ENOMEM),
# then tries REFUSE - 1 more, each refused once. `vzlite ubc` then names numproc with
# exactly REFUSE refusals, marks it grown since the look before the forks, a third look
# reports no growth, and --json has every field.
# Usage: test-ubc-emu.sh VZLITE FIXTURES_DIR SHARED_FIXTURES_DIR VZEMU
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?} shared=${3-} vzemu=${4:?}
. "$(dirname "$0")/lifecycle-host.sh"
lifecycle_host ubc "$shared" "$vzemu" "$fixtures" "$@"
V=("$vzlite" --global-config "$conf")
E=("$vzemu" --state "$tmp/state")
VEID=4712 P=$H/private/4712 BAR=12 REFUSE=3
"${V[@]}" create $VEID --ostemplate busybox-x86_64 --config vps.basic 2>/dev/null
check "create" 0 $?
sed -i "s/^NUMPROC=.*/NUMPROC=\"$BAR:$BAR\"/" "$H/conf/$VEID.conf"
# The service: waits for the go, then fills the VE. A subshell that fails to fork exits
# non-zero (ash), its parent stays: each try below the barrier costs one refusal. At most
# 100 tries, so that a kernel that never refuses ends the loop too.
cat >"$P/etc/init.d/svc" <<EOS
read go < /run/go
n=0
while [ \$n -lt 100 ] && ( /bin/sleep 2147483647 & ); do n=\$((n + 1)); done
i=1
while [ \$i -lt $REFUSE ]; do ( /bin/sleep 2147483647 & ); i=\$((i + 1)); done
echo "started \$n" > /run/filled
exec /bin/sleep 2147483647
EOS
mkfifo "$P/run/go" "$P/run/filled"
cat >"$tmp/ubc.sh" <<EOS
V=(${V[*]@Q})
"\${V[@]}" start $VEID >/dev/null 2>&1; echo "start=\$?"
"\${V[@]}" ubc $VEID > $tmp/look1 2>&1; echo "look1=\$?"
echo go > $P/run/go
timeout 30 cat $P/run/filled
"\${V[@]}" ubc $VEID > $tmp/look2 2>&1; echo "look2=\$?"
"\${V[@]}" ubc $VEID > $tmp/look3 2>&1; echo "look3=\$?"
"\${V[@]}" ubc $VEID --json > $tmp/look.json 2>&1; echo "json=\$?"
"\${V[@]}" stop $VEID >/dev/null 2>&1; echo "stop=\$?"
EOS
"${E[@]}" --trace "$tmp/ubc.trace" -- bash "$tmp/ubc.sh" >"$tmp/ubc.out" 2>&1
out=$(cat "$tmp/ubc.out")
has "start" "start=0" "$out"
# init, the service and BAR - 3 sleepers: one slot left for a subshell, none for its child
has "the service filled the VE" "started $((BAR - 3))" "$out"
has "first look" "look1=0" "$out"
has_match "first look: numproc not refused yet" "$tmp/look1" "^  numproc +[0-9]+ +[0-9]+ +$BAR +$BAR +0\$"
has_match "second look: numproc refused $REFUSE times, marked, +$REFUSE" "$tmp/look2" \
	"^! numproc +$BAR +$BAR +$BAR +$BAR +$REFUSE +\\+$REFUSE\$"
has "second look: in plain words" \
	"numproc: $REFUSE fork()s refused (new processes and threads, ENOMEM), $REFUSE since the last look; barrier $BAR reached" \
	"$(cat "$tmp/look2")"
has_match "third look: no growth" "$tmp/look3" "^! numproc .* $REFUSE\$"
has "third look: the line without growth" \
	"numproc: $REFUSE fork()s refused (new processes and threads, ENOMEM); barrier $BAR reached" \
	"$(cat "$tmp/look3")"
has_match "the emulator traced each refused fork with the kernel's errno" "$tmp/ubc.trace" \
	"^[0-9]+ (fork|clone)\(\) = -1 ENOMEM \(numproc: a new task of bc $VEID refused"
check "one trace line per refusal" "$REFUSE" \
	"$(grep -cE '^[0-9]+ (fork|clone)\(\) = -1 ENOMEM' "$tmp/ubc.trace")"
check "--json: every field, numproc's values" "ok" "$(python3 - "$tmp/look.json" $VEID $BAR $REFUSE <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
veid, bar, refuse = map(int, sys.argv[2:])
keys = {"resource", "held", "maxheld", "barrier", "limit", "failcnt", "previous_failcnt",
        "failcnt_grew", "refused", "message"}
assert d["veid"] == veid and d["first_look"] is False, d
assert all(set(r) == keys for r in d["resources"]), d
n = [r for r in d["resources"] if r["resource"] == "numproc"][0]
assert (n["maxheld"], n["barrier"], n["limit"], n["failcnt"]) == (bar, bar, bar, refuse), n
assert n["previous_failcnt"] == refuse and n["failcnt_grew"] == 0 and n["refused"], n
others = [r for r in d["resources"] if r["resource"] != "numproc"]
assert others and all(r["failcnt"] == 0 and r["message"] is None for r in others), others
print("ok")
PY
)"
has "stop" "stop=0" "$out"
finish test-ubc-emu
