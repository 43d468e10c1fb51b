#!/usr/bin/env bash
# vzlite create and destroy on a host tree in a temporary directory, with the emulated
# kernel where the kernel is asked (status, destroy). Checks the result, every refusal
# (nothing changed after it), hostile caches, a SIGKILL in the middle of an extraction,
# the leftovers of interrupted runs, and two creates racing for one VEID.
# Usage: test-create.sh VZLITE FIXTURES_DIR VZEMU ABI_CLIENT
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?} vzemu=${3:?} client=${4:?}
tmp=$(mktemp -d)
emu_setup "$vzemu" "$tmp"
state=$tmp/state
conf=$("$fixtures/make-demo-host.sh" "$tmp/host")
H=$tmp/host
V=("$vzlite" --global-config "$conf")
emu() { "$vzemu" --state "$state" -- "$@"; }
status() { emu "${V[@]}" status "$1"; }
# Everything a VE can own on this host, to prove that a refused command changed nothing.
host_state() { snapshot --contents -x "$H/template" "$H" | md5sum; }
# After a refused create: nothing of that VE (testlib's nothing_left), and nothing at all on
# the host but VE 101's.
refused_clean() { # VEID WHAT
	local left
	nothing_left "$2" "$H" "$1"
	left=$(ls -A "$H/private" "$H/lock" "$H/root"; ls "$H/conf" | grep -v '^ve-small.conf-sample$' | grep -v destroyed)
	check "$2: nothing left behind" "" "$(grep -v ':$' <<<"$left" | grep -v '^$' | grep -v '^101$' | grep -v '^101.conf$')"
}

# 1. A create.
"${V[@]}" create 101 --ostemplate demo-x86_64 --hostname web1 --ipadd 10.1.2.3 --ipadd 10.1.2.4 2>"$tmp/err"
check "create exit" 0 $?
check "create says so" "VE 101 created" "$(cat "$tmp/err")"
check "file from the cache" "demo" "$(cat "$H/private/101/etc/hostname")"
check "symlink from the cache" "../bin/true" "$(readlink "$H/private/101/sbin/init")"
check "sticky /tmp" "1777" "$(stat -c %a "$H/private/101/tmp")"
check "private area mode" "755" "$(stat -c %a "$H/private/101")"
[ -d "$H/root/101" ] && ok || bad "root mount point not made"
cfg=$(cat "$H/conf/101.conf")
# The profile's lines come first, unchanged (vzctl copies the sample).
check "profile lines kept" "$(head -n 5 "$H/conf/ve-small.conf-sample")" "$(head -n 5 "$H/conf/101.conf")"
has "OSTEMPLATE" 'OSTEMPLATE="demo-x86_64"' "$cfg"
has "VE_PRIVATE unexpanded" "VE_PRIVATE=\"$H/private/\$VEID\"" "$cfg"
has "VE_ROOT unexpanded" "VE_ROOT=\"$H/root/\$VEID\"" "$cfg"
has "VE_LAYOUT" 'VE_LAYOUT="simfs"' "$cfg"
has "ORIGIN_SAMPLE" 'ORIGIN_SAMPLE="small"' "$cfg"
has "HOSTNAME" 'HOSTNAME="web1"' "$cfg"
has "IP_ADDRESS" 'IP_ADDRESS="10.1.2.3 10.1.2.4"' "$cfg"
grep -q '^#UUID:' <<<"$cfg" && bad "create wrote a UUID line (libvirt's define must own it)" || ok
check "no staging, marker or lock left" "" "$(ls -A "$H/lock"; ls "$H/private" | grep -v '^101$' | grep -v '^101.conf$')"
check "status after create" "CTID 101 exist unmounted down" "$(status 101)"

# 2. Refusals change nothing.
before=$(host_state)
"${V[@]}" create 101 --ostemplate demo-x86_64 >/dev/null 2>"$tmp/err"
check "create over an existing VE: exit 44" 44 $?
has "names the private area" "private area $H/private/101 already exists" "$(cat "$tmp/err")"
"${V[@]}" create 101 --config small --ostemplate demo-x86_64 >/dev/null 2>"$tmp/err"
check "create over an existing config with a named profile: exit 82" 82 $?
has "names the config" "a config already exists ($H/conf/101.conf), so profile 'small' cannot be applied" "$(cat "$tmp/err")"
"${V[@]}" create 102 --ostemplate demo-x86_64.tar.gz >/dev/null 2>"$tmp/err"
check "template named with its suffix: exit 91" 91 $?
has "suggests the name without the suffix" "drop '.tar.gz' and use --ostemplate demo-x86_64, whose cache is $H/template/cache/demo-x86_64.tar.gz" "$(cat "$tmp/err")"
"${V[@]}" create 102 --ostemplate other.tar.xz >/dev/null 2>"$tmp/err"
check "unknown template named with a suffix: exit 91" 91 $?
has "suggests the name without the suffix" "drop '.tar.xz' and use --ostemplate other" "$(cat "$tmp/err")"
for verb in create destroy status; do
	"${V[@]}" $verb 0 >/dev/null 2>"$tmp/err"
	check "$verb 0: exit 21" 21 $?
	has "$verb 0: says why" "only set actions are allowed for CT0" "$(cat "$tmp/err")"
done
"${V[@]}" create 102 --ostemplate demo-x86_64 --ipadd 10.1.2.300 >/dev/null 2>"$tmp/err"
check "bad --ipadd: exit 21" 21 $?
has "bad --ipadd names the parameter" "IP_ADDRESS" "$(cat "$tmp/err")"
"${V[@]}" create 102 --ostemplate ../cache/demo-x86_64 >/dev/null 2>&1
check "template name with /: exit 21" 21 $?
"${V[@]}" create 102 --ostemplate nothere >/dev/null 2>&1
check "missing cache: exit 91" 91 $?
printf '%d\n\n' $$ >"$H/lock/102.lck"
"${V[@]}" create 102 --ostemplate demo-x86_64 >/dev/null 2>"$tmp/err"
check "locked by a live process: exit 9" 9 $?
has "names the holder" "locked by process $$" "$(cat "$tmp/err")"
rm -f "$H/lock/102.lck"
check "refusals changed nothing" "$before" "$(host_state)"

# 3. Hostile and broken caches: exit 48, a message naming the entry, nothing left.
mkdir -p "$tmp/evil/d" "$tmp/sentinel"
ln -s "$tmp/sentinel" "$tmp/evil/d/link"
tar -C "$tmp/evil" -cf "$H/template/cache/evil1.tar" d/link
printf 'owned\n' >"$tmp/payload"
tar -C "$tmp" -rf "$H/template/cache/evil1.tar" --transform 's,^payload$,d/link/owned,' payload
dd if=/dev/urandom of="$tmp/rand" bs=64k count=4 status=none
tar -C "$tmp" -czf "$tmp/whole.tar.gz" rand
head -c $(( $(stat -c %s "$tmp/whole.tar.gz") / 2 )) "$tmp/whole.tar.gz" >"$H/template/cache/cut.tar.gz"
printf 'not an archive\n' >"$H/template/cache/text.tar"
for t in evil1 cut text; do
	"${V[@]}" create 103 --ostemplate $t >/dev/null 2>"$tmp/err-$t"
	check "cache $t: exit 48" 48 $?
	check "cache $t: one error line" 1 "$(wc -l <"$tmp/err-$t")"
	refused_clean 103 "cache $t"
done
has "the escape names the entry" "entry 'd/link/owned'" "$(cat "$tmp/err-evil1")"
check "nothing written through the planted link" "" "$(ls -A "$tmp/sentinel")"
check "status after failed creates" "CTID 103 deleted unmounted down" "$(status 103)"

# 4. Leftovers of interrupted runs are settled by the next create and by destroy.
# A create's marker is its pending config (<VEID>.conf.vzlite-creating), renamed onto the
# config as the last step. A kill before the private area was renamed into place is rolled
# back; after it, the tree is complete and the create is completed, never removed.
pending() { sed "s,^,," "$H/conf/ve-small.conf-sample" >"$H/conf/104.conf.vzlite-creating"
	printf 'VE_PRIVATE="%s/private/$VEID"\nVE_ROOT="%s/root/$VEID"\nOSTEMPLATE="demo-x86_64"\n' \
		"$H" "$H" >>"$H/conf/104.conf.vzlite-creating"; }
leftover() { # KIND: build what a run killed at that point leaves for VE 104
	rm -rf "$H/private/104"* "$H/conf/104.conf"* "$H/conf/.104.conf"*
	case $1 in
	staging) mkdir -p "$H/private/104.tmp/etc"; ln -s "$tmp/sentinel" "$H/private/104.tmp/etc/x" ;;
	pending-staging) pending; mkdir -p "$H/private/104.tmp/a"
		ln -s "$tmp/sentinel" "$H/private/104.tmp/a/escape"
		: >"$H/conf/.104.conf.vzlite-creating.123.abc" ;;
	pending-only) pending ;;
	destroying) mkdir -p "$H/private/104.vzlite-destroying/usr"
		ln -s "$tmp/sentinel" "$H/private/104.vzlite-destroying/usr/x" ;;
	esac
}
touch "$tmp/sentinel/keep"
for k in staging pending-staging pending-only destroying; do
	leftover $k
	check "leftover $k: status" "CTID 104 deleted unmounted down" "$(status 104)"
	"${V[@]}" create 104 --ostemplate demo-x86_64 >/dev/null 2>&1
	check "leftover $k: create succeeds" 0 $?
	check "leftover $k: only the new VE remains" "104 104.conf" "$({ ls -A "$H/private"; ls -A "$H/conf"; } | grep '104' | sort | paste -sd' ')"
	emu "${V[@]}" destroy 104 >/dev/null 2>&1
	rm -f "$H/conf/104.conf.destroyed"
	leftover $k
	emu "${V[@]}" destroy 104 >/dev/null 2>&1
	check "leftover $k: destroy cleans it" "0 " "$? $({ ls -A "$H/private"; ls -A "$H/conf"; } | grep '104' | sort | paste -sd' ')"
done
# Killed after the rename, before the commit: a complete tree and the pending config.
ref=$tmp/ref104
mkdir -p "$ref" && tar -C "$ref" -xzf "$H/template/cache/demo-x86_64.tar.gz"
complete_after_rename() { leftover none; pending; cp -a "$ref" "$H/private/104"; }
complete_after_rename
"${V[@]}" create 104 --ostemplate demo-x86_64 >/dev/null 2>"$tmp/err"
check "renamed, not committed: create exits 44" 44 $?
has "says the create was completed" "an interrupted create had made its private area $H/private/104, and it was completed now" "$(cat "$tmp/err")"
check "renamed, not committed: the VE is complete" "CTID 104 exist unmounted down" "$(status 104)"
diff -r --no-dereference "$ref" "$H/private/104" >/dev/null && ok || bad "completed tree differs from the template"
check "renamed, not committed: the config is the pending one" 'OSTEMPLATE="demo-x86_64"' "$(grep ^OSTEMPLATE "$H/conf/104.conf")"
[ -e "$H/conf/104.conf.vzlite-creating" ] && bad "marker left after completing" || ok
complete_after_rename
emu "${V[@]}" destroy 104 >/dev/null 2>&1
check "renamed, not committed: destroy removes the completed VE" "0 104.conf.destroyed" "$? $({ ls -A "$H/private"; ls -A "$H/conf"; } | grep '104' | sort | paste -sd' ')"
rm -f "$H/conf/104.conf.destroyed"

# A complete VE whose config is moved aside, with a marker of an older version beside it:
# no command removes the tree on that marker (issue 10, item 4).
"${V[@]}" create 107 --ostemplate demo-x86_64 >/dev/null 2>&1
check "create 107" 0 $?
touch -d @1000000000 "$H/private/107/etc/hostname" # re-extraction would restore the cache's time
mv "$H/conf/107.conf" "$tmp/107.conf.aside"
: >"$H/private/107.vzlite-creating"
tree107() { snapshot --times "$H/private/107" | md5sum; }
t107=$(tree107)
"${V[@]}" create 107 --ostemplate demo-x86_64 >/dev/null 2>&1
check "stale marker, no config: create refuses the existing private area" 44 $?
check "stale marker: create kept the tree" "$t107" "$(tree107)"
printf "<domain type='openvz'><name>107</name><filesystem><template>demo-x86_64</template></filesystem></domain>" >"$tmp/107.xml"
: >"$H/private/107.vzlite-creating"
"${V[@]}" define "$tmp/107.xml" >/dev/null 2>&1
check "stale marker: define keeps the private area" 0 $?
check "stale marker: define kept the tree" "$t107" "$(tree107)"
[ -e "$H/private/107.vzlite-creating" ] && bad "old marker kept" || ok
rm "$H/conf/107.conf"
: >"$H/private/107.vzlite-creating"
emu "${V[@]}" destroy 107 >/dev/null 2>&1
check "stale marker, no config: destroy says there is no VE" 14 $?
check "stale marker: destroy kept the tree" "$t107" "$(tree107)"
mv "$tmp/107.conf.aside" "$H/conf/107.conf"
emu "${V[@]}" destroy 107 >/dev/null 2>&1
check "destroy 107" 0 $?
rm -f "$H/conf/107.conf.destroyed"

# create over an existing config goes on with it (vzctl-behaviour.md §1.3): its values are
# kept, the profile is not applied, the command line wins.
"${V[@]}" set 108 --hostname kept.example --cpuunits 777 --save >/dev/null 2>&1
check "set --save of a new VE" 0 $?
"${V[@]}" create 108 --ipadd 10.9.9.9 >/dev/null 2>"$tmp/err"
check "create over a saved config: exit 0" 0 $?
has "warns that the profile is not applied" "$H/conf/108.conf exists; continuing with it, no profile applied" "$(cat "$tmp/err")"
cfg=$(cat "$H/conf/108.conf")
has "config value kept" 'HOSTNAME="kept.example"' "$cfg"
has "config value kept (cpuunits)" 'CPUUNITS="777"' "$cfg"
has "command line applied" 'IP_ADDRESS="10.9.9.9"' "$cfg"
has "OSTEMPLATE from DEF_OSTEMPLATE" 'OSTEMPLATE="demo-x86_64"' "$cfg"
grep -q '^KMEMSIZE=' <<<"$cfg" && bad "the profile was applied over an existing config" || ok
check "status after create over a saved config" "CTID 108 exist unmounted down" "$(status 108)"
"${V[@]}" set 109 --hostname h109 --save >/dev/null 2>&1
"${V[@]}" create 109 --hostname cli109 >/dev/null 2>&1
check "create over a saved config with --hostname" 'HOSTNAME="cli109"' "$(grep ^HOSTNAME= "$H/conf/109.conf")"
for v in 108 109; do emu "${V[@]}" destroy $v >/dev/null 2>&1; rm -f "$H/conf/$v.conf.destroyed"; done
check "the sentinel survived every cleanup" "keep" "$(ls "$tmp/sentinel")"

# 5. SIGKILL in the middle of an extraction: status never shows the VE, the next create works.
big=$tmp/big
mkdir -p "$big/etc"
for d in $(seq 1 60); do mkdir -p "$big/usr/$d"; for f in $(seq 1 400); do : >"$big/usr/$d/$f"; done; done
tar -C "$big" -czf "$H/template/cache/big.tar.gz" .
"${V[@]}" create 105 --ostemplate big & pid=$!
# Wait (without sleeping) until the extraction has written something, then kill it.
until [ -n "$(ls -A "$H/private/105.tmp/usr" 2>/dev/null)" ] || ! kill -0 $pid 2>/dev/null; do
	check "during the extraction" "CTID 105 deleted unmounted down" "$(status 105)"
done
kill -9 $pid 2>/dev/null && ok || bad "create finished before it could be killed (make the cache bigger)"
wait $pid 2>/dev/null
check "after the kill" "CTID 105 deleted unmounted down" "$(status 105)"
[ -e "$H/conf/105.conf" ] && bad "killed create left a config" || ok
"${V[@]}" create 105 --ostemplate big >/dev/null 2>&1
check "create after the kill" 0 $?
check "status after the second create" "CTID 105 exist unmounted down" "$(status 105)"
check "no leftover beside it" "105" "$(ls "$H/private" | grep '^105')"
check "all files there" 24000 "$(find "$H/private/105/usr" -type f | wc -l)"

# 6. Two creates racing for one VEID: one wins, the other fails and changes nothing.
"${V[@]}" create 106 --ostemplate big >/dev/null 2>"$tmp/e1" & p1=$!
"${V[@]}" create 106 --ostemplate big >/dev/null 2>"$tmp/e2" & p2=$!
wait $p1; r1=$?; wait $p2; r2=$?
codes=$(printf '%s\n' $r1 $r2 | sort -n | paste -sd' ')
case $codes in "0 9" | "0 82") ok ;; *) bad "racing creates exited $codes" ;; esac
check "race: one VE" "CTID 106 exist unmounted down" "$(status 106)"
check "race: no leftover" "106" "$(ls "$H/private" | grep '^106')"

# 7. destroy refuses a running or mounted VE, and removes everything of a stopped one.
out=$(emu "$client" create 101)
grep -q '^init [0-9]*$' <<<"$out" && ok || bad "abi-client create 101: $out"
emu "${V[@]}" destroy 101 >/dev/null 2>"$tmp/err"
check "destroy a running VE: exit 32" 32 $?
has "says to stop it" "VE 101 is running; stop it first" "$(cat "$tmp/err")"
# the library's message names the VE itself: the CLI does not name it a second time
check "names the VE once" "vzlite: VE 101 is running; stop it first" "$(cat "$tmp/err")"
# The dry run makes the same read-only check and refuses alike, changing nothing.
before=$(host_state)
emu "${V[@]}" --dry-run destroy 101 >/dev/null 2>"$tmp/err"
check "dry-run destroy of a running VE: exit 32" 32 $?
has "dry run says to stop it" "VE 101 is running; stop it first" "$(cat "$tmp/err")"
check "dry-run destroy of a running VE changed nothing" "$before" "$(host_state)"
"$vzemu" --state "$state" --reset -- true
emu sh -c 'mount -t simfs "$1" "$2" && "$3" --global-config "$4" destroy 101' sh \
	"$H/private/101" "$H/root/101" "$vzlite" "$conf" >/dev/null 2>"$tmp/err"
check "destroy a mounted VE: exit 41" 41 $?
[ -f "$H/private/101/etc/hostname" ] && ok || bad "refused destroy removed files"
ln -s "$tmp/sentinel" "$H/private/101/etc/planted"
ln -s "$tmp/sentinel/keep" "$H/private/101/planted-file"
: >"$H/vzquota/quota.101"
emu "${V[@]}" destroy 101 2>"$tmp/err"
check "destroy exit" 0 $?
check "destroy says so" "VE 101 destroyed" "$(cat "$tmp/err")"
check "private area gone" "" "$(ls "$H/private" | grep '^101')"
[ -e "$H/root/101" ] && bad "root left" || ok
[ -e "$H/vzquota/quota.101" ] && bad "quota file left" || ok
[ -f "$H/conf/101.conf.destroyed" ] && [ ! -e "$H/conf/101.conf" ] && ok || bad "config not kept as .destroyed"
check "links inside were not followed" "keep" "$(ls "$tmp/sentinel")"
check "status after destroy" "CTID 101 deleted unmounted down" "$(status 101)"
emu "${V[@]}" destroy 101 >/dev/null 2>&1
check "destroy of a missing VE: exit 14" 14 $?
"${V[@]}" destroy 105 >/dev/null 2>&1
check "destroy without a kernel: exit 5" 5 $?
[ -d "$H/private/105" ] && ok || bad "destroy without a kernel removed the VE"

# 8. A quota file a killed create left empty (made, locked, killed before its first write)
# holds nothing: the next create of that VE fills it. A non-empty corrupt one is refused
# and nothing of the VE stays behind.
: >"$H/vzquota/quota.108"
"${V[@]}" create 108 --ostemplate demo-x86_64 >/dev/null 2>"$tmp/err"
check "create over an empty quota file: exit" 0 $?
check "create over an empty quota file: says nothing" "" "$(grep -v 'created' "$tmp/err")"
[ "$(stat -c %s "$H/vzquota/quota.108")" -gt 0 ] && ok || bad "the empty quota file was not filled"
printf 'garbage' >"$H/vzquota/quota.109"
"${V[@]}" create 109 --ostemplate demo-x86_64 >/dev/null 2>"$tmp/err"
check "create over a corrupt quota file: exit 60" 60 $?
has "names the corrupt file" "quota.109 is corrupt" "$(cat "$tmp/err")"
check "nothing of VE 109 left" "" "$(ls "$H/private" "$H/conf" "$H/root" | grep '^109')"
check "the refused quota file is kept as it was (the message says nothing changed)" garbage \
	"$(cat "$H/vzquota/quota.109" 2>&1)"

finish test-create
