#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# quota-emu: `vzlite quota` under vzemu on a private area the test builds (files of many
# sizes, hard links, a sparse file, a 150-level deep tree, files of several uids and gids).
# The usage the kernel is given (the trace's VZ_DQ_CREATE and ADDSTAT lines) is checked
# against the test's own count: `du -s -B1` and `du -s --inodes` (allocated bytes and
# inodes, each inode once: what quotacheck counts, see test_scan.py), and per uid/gid a sum
# of st_blocks x 512 over unique inodes from find. The sequence: on -> limits changed live
# -> off -> the file (read with quotafmt.py) -> a file added while off -> on again (no
# rescan: the stored usage) -> a host crash (kernel state gone, the file still says on) ->
# on rescans. Second level: limits of uids 500, 501 and gid 600 reach the kernel, survive
# off/on and show in `quota -t`. Each quota ioctl of on and off failed in turn (--fail):
# afterwards nothing on in the kernel, the file unchanged. Corrupt files: exit 60, the
# recovery named, nothing changed. A file the test wrote byte by byte is read by vzlite.
# Usage: test-quota-emu.sh VZLITE FIXTURES VZEMU QUOTAFMT_DIR. Exit 0 pass, 1 fail, 77 skip.
set -u
. "$(dirname "$0")/../lib/testlib.sh"

VZLITE=$1 FIXTURES=$2 VZEMU=$3 QFMT=$4
T=${VZEMU_TEST_TMP:-$(mktemp -d /tmp/quota-emu.XXXXXX)}
emu_setup "$VZEMU" "$T"
python3 -c "import sys; sys.path.insert(0, '$QFMT'); import quotafmt; \
	sys.exit(0 if quotafmt.supported() else 1)" || skip "quotafmt reads x86_64 files only"

HOST=$T/host
CONF=$("$FIXTURES/make-demo-host.sh" "$HOST")
ST=$T/state TR=$T/trace
P=$HOST/private/101 QF=$HOST/vzquota/quota.101
cat > "$HOST/conf/101.conf" <<EOF
DISKSPACE="100000:200000"
DISKINODES="50000:60000"
QUOTATIME="600"
QUOTAUGIDLIMIT="100"
VZLITE_UGID_QUOTA="u:500:1000:2000:10:20 u:501:3000:4000:30:40 g:600:5000:6000:50:60"
EOF

vz() { "$VZEMU" --state "$ST" --trace "$TR" "$@"; } # vz [--fail X] -- vzlite ARGS
q() { vz -- "$VZLITE" --global-config "$CONF" "$@"; }
qf() { python3 -c "import sys; sys.path.insert(0, '$QFMT'); import quotafmt, json; \
	print(json.dumps(quotafmt.parse(open('$QF', 'rb').read())))"; }
jget() { python3 -c "import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
kernel_has() { "$VZEMU" --state "$ST" -- cat /proc/vz/vzquota | grep -c '^101: '; }

# ---- the private area ----
mkdir -p "$P/files" "$P/links/sub" "$P/users"
i=0
for size in 0 1 511 4095 4096 4097 100000 1048576; do
	head -c "$size" /dev/urandom > "$P/files/f$i"; i=$((i + 1))
done
head -c 50000 /dev/zero > "$P/links/a"
ln "$P/links/a" "$P/links/b"; ln "$P/links/a" "$P/links/sub/c"
truncate -s 1G "$P/files/sparse"; printf x | dd of="$P/files/sparse" bs=1 seek=500000000 conv=notrunc status=none
d=$P/deep; for i in $(seq 150); do d=$d/d; done; mkdir -p "$d"; echo deep > "$d/leaf"
for u in 500 501 502 1000; do
	mkdir -p "$P/users/$u"; head -c $((u * 7)) /dev/urandom > "$P/users/$u/data"
	chown -R "$u:$((u + 100))" "$P/users/$u"
done
chgrp 600 "$P/files/f6"
ln "$P/users/500/data" "$P/users/501/link-to-500" # one inode, counted for uid 500 once
mknod "$P/files/fifo" p; ln -s /etc/passwd "$P/files/outside"
sync

# The test's own count of the whole tree and of one uid or gid (st_blocks x 512, each inode once)
count() { echo "$(du -s -B1 "$P" | cut -f1) $(du -s --inodes "$P" | cut -f1)"; }
count_id() { # count_id %U|%G ID
	find "$P" -printf "$1 %i %b\n" | awk -v id="$2" '$1 == id && !seen[$2]++ { b += $3 * 512; n++ }
		END { printf "%d %d\n", b, n }'
}
read -r SPACE0 INODES0 <<<"$(count)"
read -r U500_B U500_I <<<"$(count_id %U 500)"
read -r G600_B G600_I <<<"$(count_id %G 600)"
[ "$SPACE0" -lt $((1 << 30)) ] || bad "the sparse file is not sparse here: $SPACE0 bytes"

# ---- 1. on: a scan; the kernel gets the test's count ----
: > "$TR"
out=$(q quota 101 on); check "on exits 0" 0 $?
has "on says it scanned (no file yet)" "recalculated" "$out"
has_match "VZ_DQ_CREATE carries the usage the test counts" "$TR" \
	"VZ_DQ_CREATE, quota_id=101, qstat=\{bhardlimit=204800000, bsoftlimit=102400000, bcurrent=$SPACE0, ihardlimit=60000, isoftlimit=50000, icurrent=$INODES0, bexpire=600, iexpire=600\}\}\) = 0"
has_match "second level configured" "$TR" \
	"VZ_DQ_UGID_SETCONFIG, quota_id=101, .*config=\{limit=100, count=0, flags=VZDQUG_ON\}\}\) = 0"
has_match "uid 500: its usage and limits reach the kernel (ADDSTAT)" "$TR" \
	"\{USRQUOTA 500: space=$U500_B/1024000/2048000, inodes=$U500_I/10/20\}"
has_match "uid 501: its limits reach the kernel" "$TR" "\{USRQUOTA 501: space=[0-9]+/3072000/4096000, inodes=[0-9]+/30/40\}"
has_match "gid 600: its usage and limits reach the kernel" "$TR" \
	"\{GRPQUOTA 600: space=$G600_B/5120000/6144000, inodes=$G600_I/50/60\}"
has_match "VZ_DQ_ON on the private area" "$TR" "VZ_DQ_ON, quota_id=101, ve_root=$P\}\) = 0"
check "the file says on" 1 "$(qf | jget "d['flags'] & 1")"
j=$(q --json quota 101); check "quota --json: on" True "$(jget "d['on']" <<<"$j")"
check "quota --json: the kernel's usage = du -B1" "$SPACE0" "$(jget "d['space']['usage']" <<<"$j")"
check "quota --json: the kernel's inodes = du --inodes" "$INODES0" "$(jget "d['inodes']['usage']" <<<"$j")"

# ---- 2. limits changed live ----
: > "$TR"
q set 101 --diskspace 300000:400000 --diskinodes 70000:80000 --save > /dev/null
check "set --diskspace on a running quota exits 0" 0 $?
has_match "VZ_DQ_SETLIMIT with the new limits" "$TR" \
	"VZ_DQ_SETLIMIT, quota_id=101, qstat=\{bhardlimit=409600000, bsoftlimit=307200000, .*ihardlimit=80000, isoftlimit=70000, .*bexpire=600, iexpire=600\}\}\) = 0"
has_match "uid 500's limit pushed with VZ_DQ_UGID_SETLIMIT" "$TR" \
	"VZ_DQ_UGID_SETLIMIT, .*limit=\{type=USRQUOTA, id=500, dqb_bhardlimit=2000, dqb_bsoftlimit=1000, dqb_ihardlimit=20, dqb_isoftlimit=10, dqb_valid=QIF_BLIMITS\|QIF_ILIMITS\}\}\) = 0"
j=$(q --json quota 101)
check "the kernel has the new soft limit" 307200000 "$(jget "d['space']['soft']" <<<"$j")"
out=$(q quota 101 -t)
has_match_text() { if grep -Eq -- "$2" <<<"$3"; then ok "$1"; else bad "$1: no /$2/ in [$3]"; fi; }
has_match_text "-t: uid 500 with its limits" "^ +user +500 +1k-blocks +[0-9]+ +1000 +2000" "$out"
has_match_text "-t: uid 501 with its limits" "^ +user +501 +inodes +[0-9]+ +30 +40" "$out"
has_match_text "-t: gid 600 with its limits" "^ *group +600 +1k-blocks +[0-9]+ +5000 +6000" "$out"
has_match_text "stat: 1k-blocks line as vzquota" "^ +1k-blocks +$(((SPACE0 + 1023) / 1024)) +300000 +400000" "$out"

# ---- 2b. one uid's limit: --ugidlimit (set, replace, remove), live and saved ----
cp "$HOST/conf/101.conf" "$T/101.conf.before"
: > "$TR"
q set 101 --ugidlimit u:502:7000:8000:70:80 --ugidlimit g:600:5500:6500:55:65 --save > /dev/null
check "set --ugidlimit exits 0" 0 $?
has_match "uid 502's new limit reaches the kernel" "$TR" \
	"VZ_DQ_UGID_SETLIMIT, .*limit=\{type=USRQUOTA, id=502, dqb_bhardlimit=8000, dqb_bsoftlimit=7000, dqb_ihardlimit=80, dqb_isoftlimit=70, dqb_valid=QIF_BLIMITS\|QIF_ILIMITS\}\}\) = 0"
has_match "gid 600's replaced limit reaches the kernel" "$TR" \
	"VZ_DQ_UGID_SETLIMIT, .*limit=\{type=GRPQUOTA, id=600, dqb_bhardlimit=6500, dqb_bsoftlimit=5500, dqb_ihardlimit=65, dqb_isoftlimit=55, dqb_valid=QIF_BLIMITS\|QIF_ILIMITS\}\}\) = 0"
check "the config: 600 replaced in place of its entry, 502 added, one line changed" \
	'VZLITE_UGID_QUOTA="u:500:1000:2000:10:20 u:501:3000:4000:30:40 g:600:5500:6500:55:65 u:502:7000:8000:70:80"' \
	"$(diff "$T/101.conf.before" "$HOST/conf/101.conf" | sed -n 's/^> //p')"
q set 101 --ugidlimit u:502:0:0:0:0 --ugidlimit g:600:5000:6000:50:60 --save > /dev/null
check "set --ugidlimit with no limit exits 0" 0 $?
check "the config as it was: 502 removed, 600 back" "" "$(diff "$T/101.conf.before" "$HOST/conf/101.conf")"
for bad in u:502:1:2:3 x:502:1:2:3:4 u:-1:1:2:3:4 "u:502:1:2:3:4 u:503:1:2:3:4" u:502:1:2:3:4:5; do
	out=$(q set 101 --ugidlimit "$bad" --save 2>&1)
	check "--ugidlimit '$bad' refused with exit 21" 21 $?
	has "--ugidlimit '$bad': the syntax named" "u|g:ID:BSOFT:BHARD:ISOFT:IHARD" "$out"
done
check "refused --ugidlimit changed nothing" "" "$(diff "$T/101.conf.before" "$HOST/conf/101.conf")"

# ---- 3. off: the usage saved in the file (read by the test's own parser) ----
: > "$TR"
out=$(q quota 101 off); check "off exits 0" 0 $?
has_match "off: VZ_DQ_OFF then the usage read back then destroyed" "$TR" "VZ_DQ_DESTROY, quota_id=101\}\) = 0"
check "nothing on in the kernel after off" 0 "$(kernel_has)"
f=$(qf)
check "file: QUOTA_ON cleared" 0 "$(jget "d['flags'] & 1" <<<"$f")"
check "file: usage = du -B1" "$SPACE0" "$(jget "d['stat']['bcur']" <<<"$f")"
check "file: inodes = du --inodes" "$INODES0" "$(jget "d['stat']['icur']" <<<"$f")"
check "file: the live soft limit" 307200000 "$(jget "d['stat']['bsoft']" <<<"$f")"
check "file: path" "$P" "$(jget "d['path']" <<<"$f")"
check "file: uid 500 record" "$U500_B 1024000 2048000 $U500_I 10 20" \
	"$(jget "' '.join(str(r['stat'][k]) for r in d['records'] if r['type'] == 0 and r['id'] == 500 for k in ('bcur', 'bsoft', 'bhard', 'icur', 'isoft', 'ihard'))" <<<"$f")"
check "file: gid 600 record" "$G600_B 5120000 6144000 $G600_I 50 60" \
	"$(jget "' '.join(str(r['stat'][k]) for r in d['records'] if r['type'] == 1 and r['id'] == 600 for k in ('bcur', 'bsoft', 'bhard', 'icur', 'isoft', 'ihard'))" <<<"$f")"

# ---- 4. a file added while off; on again: no rescan, the stored usage ----
head -c 300000 /dev/urandom > "$P/added-while-off"; sync
read -r SPACE1 INODES1 <<<"$(count)"
[ "$SPACE1" -gt "$SPACE0" ] || bad "the added file did not change du"
: > "$TR"
out=$(q quota 101 on); check "on again exits 0" 0 $?
case $out in *recalculated*) bad "on again rescanned: $out" ;; *) ok "on again: no rescan" ;; esac
has_match "on again: the stored usage, not the tree's" "$TR" "VZ_DQ_CREATE, .*bcurrent=$SPACE0, .*icurrent=$INODES0,"
has_match "limits survive off/on (uid 501)" "$TR" "\{USRQUOTA 501: space=[0-9]+/3072000/4096000, inodes=[0-9]+/30/40\}"
has_match "limits survive off/on (gid 600)" "$TR" "\{GRPQUOTA 600: space=$G600_B/5120000/6144000, inodes=$G600_I/50/60\}"

# ---- 5. host crash while on: the kernel forgets, the file says on; next on rescans ----
"$VZEMU" --state "$ST" --reset -- true
check "the crash left the file marked on" 1 "$(qf | jget "d['flags'] & 1")"
: > "$TR"
out=$(q quota 101 on); check "on after the crash exits 0" 0 $?
has "on after the crash rescans" "recalculated" "$out"
has_match "the rescan's usage = du of the tree with the added file" "$TR" \
	"VZ_DQ_CREATE, .*bcurrent=$SPACE1, .*icurrent=$INODES1,"
q quota 101 off > /dev/null || bad "off after the crash test"

# ---- 6. every quota ioctl of on and off failed in turn: nothing on, the file unchanged ----
for call in VZ_DQ_STATUS VZ_DQ_CREATE VZ_DQ_UGID_SETCONFIG VZ_DQ_UGID_SETGRACE VZ_DQ_UGID_ADDSTAT VZ_DQ_ON; do
	sum=$(md5sum < "$QF")
	err=$(vz --fail "$call:EIO" -- "$VZLITE" --global-config "$CONF" quota 101 on 2>&1 >/dev/null)
	check "on with $call failing exits 60" 60 $?
	has "on with $call failing names the call" "$call" "$err"
	check "on with $call failing: nothing on in the kernel" 0 "$(kernel_has)"
	check "on with $call failing: the file unchanged" "$sum" "$(md5sum < "$QF")"
done
# A busy tree: EBUSY once is retried as vzquota does
: > "$TR"
vz --fail VZ_DQ_ON:EBUSY:1 -- "$VZLITE" --global-config "$CONF" quota 101 on > /dev/null
check "VZ_DQ_ON EBUSY once: retried, on" 0 $?
check "VZ_DQ_ON tried twice" 2 "$(grep -c 'VZ_DQ_ON,' "$TR")"
for call in VZ_DQ_OFF VZ_DQ_GETSTAT VZ_DQ_UGID_GETCONFIG VZ_DQ_UGID_GETGRACE VZ_DQ_UGID_GETSTAT VZ_DQ_DESTROY; do
	[ "$(kernel_has)" = 1 ] || q quota 101 on > /dev/null || bad "on before failing $call"
	sum=$(md5sum < "$QF")
	vz --fail "$call:EIO" -- "$VZLITE" --global-config "$CONF" quota 101 off 2>/dev/null >/dev/null
	check "off with $call failing exits 66" 66 $?
	check "off with $call failing: the file unchanged" "$sum" "$(md5sum < "$QF")"
	if [ "$call" = VZ_DQ_OFF ]; then
		check "off with VZ_DQ_OFF failing: the quota stays on" 1 "$(kernel_has)"
	else
		check "off with $call failing: nothing on in the kernel" 0 "$(kernel_has)"
		check "off with $call failing: the file still says on (next on rescans)" 1 "$(qf | jget "d['flags'] & 1")"
	fi
done
[ "$(kernel_has)" = 0 ] || q quota 101 off > /dev/null

# ---- 7. corrupt files: exit 60 with the recovery, nothing changed ----
good=$T/good; cp "$QF" "$good"
corrupt() { # corrupt NAME PYTHON-EXPR-ON-b
	python3 -c "b = bytearray(open('$good', 'rb').read()); $2; open('$QF', 'wb').write(b)"
	local sum; sum=$(md5sum < "$QF")
	err=$(q quota 101 on 2>&1 >/dev/null)
	check "$1: on exits 60" 60 $?
	has "$1: the recovery is named" "vzlite quota 101 drop" "$err"
	check "$1: the file unchanged" "$sum" "$(md5sum < "$QF")"
	check "$1: nothing on in the kernel" 0 "$(kernel_has)"
}
corrupt "short file" "b = b[:50]"
corrupt "bad magic" "b[0] ^= 0xff"
corrupt "bad checksum" "b[-1] ^= 0x01"
cp "$good" "$QF"

# ---- 8. a file the test wrote byte by byte, read by vzlite ----
python3 - "$QFMT" "$QF" "$P" <<'EOF'
import sys
sys.path.insert(0, sys.argv[1])
import quotafmt
st = lambda bh, bs, bc, ih, is_, ic: {'bhard': bh, 'bsoft': bs, 'btime': 0, 'bcur': bc,
                                      'ihard': ih, 'isoft': is_, 'itime': 0, 'icur': ic}
gr = {'bexpire': 600, 'iexpire': 600, 'flags': 0}
q = {'flags': 4, 'stat': st(5 << 20, 4 << 20, 123 << 10, 900, 800, 77), 'grace': gr,
     'path': sys.argv[3], 'ugid_limit': 100, 'ugid_count': 0, 'ugid_flags': 0,
     'ugid_grace': [gr, gr],
     'records': [{'id': 4242, 'type': 0, 'stat': st(0, 0, 8192, 0, 0, 2), 'flags': 0}]}
open(sys.argv[2], 'wb').write(quotafmt.encode(q))
EOF
out=$(q quota 101 -t)
has_match_text "vzlite reads the test's file: usage and limits" "^ +1k-blocks +123 +4096 +5120" "$out"
has_match_text "vzlite reads the test's file: inodes" "^ +inodes +77 +800 +900" "$out"
has_match_text "vzlite reads the test's file: a uid record" "^ +user +4242 +1k-blocks +8 " "$out"
: > "$TR"
q quota 101 on > /dev/null; check "on from the test's file" 0 $?
has_match "on from the test's file: its stored usage" "$TR" "VZ_DQ_CREATE, .*bcurrent=125952, .*icurrent=77,"
q quota 101 off > /dev/null

# ---- 9. dry run: every quota ioctl decoded, nothing changed ----
sum=$(md5sum < "$QF")
out=$("$VZEMU" --state "$ST" -- "$VZLITE" --global-config "$CONF" --dry-run quota 101 on)
has "dry-run on: VZ_DQ_CREATE decoded" "cmd=VZ_DQ_CREATE, quota_id=101, qstat={bhardlimit=409600000" "$out"
has "dry-run on: ADDSTAT records decoded" "{USRQUOTA 500: space=" "$out"
has "dry-run on: VZ_DQ_ON decoded" "cmd=VZ_DQ_ON, quota_id=101, ve_root=$P" "$out"
check "dry-run on: nothing on" 0 "$(kernel_has)"
check "dry-run on: the file unchanged" "$sum" "$(md5sum < "$QF")"

# ---- 10. missing limits: vzctl's 63 and 64 ----
sed -i '/^DISKINODES=/d' "$HOST/conf/101.conf"
q quota 101 on > /dev/null 2>&1; check "on without DISKINODES exits 64" 64 $?

finish quota-emu
