#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Run the lifecycle suite (and any other suite) on a real OpenVZ 6 kernel in a VM.
# Builds an initramfs (vm-init.sh as /init, Debian's static busybox, the static vzlite,
# /etc/vz/vz.conf and vps.basic, the suites and extra programs) and an ext4 disk for /vz
# (the busybox template cache; quota and simfs then run on a real filesystem as on a
# host), boots qemu-system-x86_64 with the given kernel, runs every suite as root in VE 0
# and powers off. Prints the suites' result lines, the kernel's problem lines and a
# summary; the whole console goes to the log.
#
# Usage: run-vm.sh --kernel BZIMAGE [--vzlite STATIC_VZLITE] [--shared FIXTURES_DIR]
#            [--abi-client STATIC_CLIENT] [--suite FILE]... [--add FILE]... [--no-lifecycle]
#            [--timeout S] [--mem MB]
#            [--accel auto|tcg|kvm] [--log FILE] [--keep DIR]
#   --kernel   the OpenVZ kernel (env VZL_VM_KERNEL); without one the run is skipped (77)
#   --vzlite   a statically linked vzlite (env VZL_VM_VZLITE), installed as /usr/sbin/vzlite
#   --shared   the directory of ve-vps.basic.conf-sample (env VZL_SHARED_FIXTURES; default
#              ../shared/fixtures-upstream beside the checkout)
#   --abi-client  the emulator's raw-ABI client built static (env VZL_VM_ABI_CLIENT): its
#              case suite (`vzemu-abi-client cases`, tests/vzemu/README.md) runs as a suite,
#              so every rule vzemu models is checked against this kernel
#   --suite    one more suite: a POSIX sh script (run with busybox sh) or a static program;
#              run in /tmp with VZL_BIN and VZL_CONF set; its exit status is its verdict;
#              a sh suite may source suite-lib.sh from its own directory
#   --add      a static program copied to /usr/local/bin (on the suites' PATH)
#   --no-lifecycle  leave out suite-lifecycle.sh and suite-refused-limit.sh
#   --accel    auto (default): KVM when /dev/kvm can be opened and the guest boots with it,
#              else TCG
# Exit: 0 every suite passed; 1 a check failed, a suite exited non-zero or ended without
# its summary; 2 a kernel oops, panic or BUG on the console; 3 timeout or the guest died
# before it finished; 4 usage or harness error; 77 no kernel given.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
die() { echo "run-vm: $*" >&2; exit 4; }

kernel=${VZL_VM_KERNEL:-} vzlite=${VZL_VM_VZLITE:-} shared=${VZL_SHARED_FIXTURES:-}
abi_client=${VZL_VM_ABI_CLIENT:-}
timeout=900 mem=768 accel=${VZL_VM_ACCEL:-auto} log= keep= lifecycle=1
suites=() adds=()
while [ $# -gt 0 ]; do
	case $1 in
	--kernel | --vzlite | --abi-client | --shared | --suite | --add | --timeout | --mem | --accel | --log | --keep)
		[ $# -ge 2 ] || die "$1 needs a value"
		case $1 in
		--kernel) kernel=$2 ;;
		--vzlite) vzlite=$2 ;;
		--abi-client) abi_client=$2 ;;
		--shared) shared=$2 ;;
		--suite) suites+=("$2") ;;
		--add) adds+=("$2") ;;
		--timeout) timeout=$2 ;;
		--mem) mem=$2 ;;
		--accel) accel=$2 ;;
		--log) log=$2 ;;
		--keep) keep=$2 ;;
		esac
		shift 2 ;;
	--no-lifecycle) lifecycle=0; shift ;;
	-h | --help) sed -n '/^# Usage:/,/^# Exit:/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument $1 (see --help)" ;;
	esac
done

if [ -z "$kernel" ]; then
	echo "SKIP: no OpenVZ kernel given (--kernel BZIMAGE or VZL_VM_KERNEL); the VM test did not run"
	exit 77
fi
[ -f "$kernel" ] || die "no kernel image at $kernel"
[[ $timeout =~ ^[1-9][0-9]*$ ]] || die "--timeout: a number of seconds, not $timeout"
[[ $mem =~ ^[1-9][0-9]*$ ]] || die "--mem: a number of MiB, not $mem"
case $accel in auto | tcg | kvm) ;; *) die "--accel: auto, tcg or kvm, not $accel" ;; esac
[ -n "$shared" ] || shared=$top/../shared/fixtures-upstream
sample=$shared/ve-vps.basic.conf-sample
[ -f "$sample" ] || die "no $sample (give --shared DIR or VZL_SHARED_FIXTURES)"
for tool in qemu-system-x86_64 cpio mkfs.ext4 file gzip; do
	command -v "$tool" >/dev/null || die "$tool is missing (Debian: qemu-system-x86, cpio, e2fsprogs, file)"
done
# static: the guest has no dynamic loader or libraries
is_static() { file -L "$1" 2>/dev/null | grep -q 'statically linked'; }
is_elf() { [ "$(head -c 4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]; }
[ -n "$vzlite" ] || die "no static vzlite (--vzlite FILE or VZL_VM_VZLITE; tools/static builds one)"
is_static "$vzlite" || die "$vzlite is not a statically linked program"
busybox=${BUSYBOX:-/bin/busybox}
is_static "$busybox" || die "no static busybox at $busybox (Debian: busybox-static)"
for f in "${adds[@]}"; do
	is_static "$f" || die "--add $f: not a statically linked program"
done
[ -z "$abi_client" ] || is_static "$abi_client" ||
	die "--abi-client $abi_client: not a statically linked program (tools/static builds one)"
for f in "${suites[@]}"; do
	[ -f "$f" ] || die "--suite $f: no such file"
	! is_elf "$f" || is_static "$f" || die "--suite $f: a program, but not statically linked"
done

if [ -n "$keep" ]; then
	mkdir -p "$keep" && work=$(cd "$keep" && pwd) && rm -rf "$work/initramfs" "$work/vz" ||
		die "cannot use $keep"
else
	work=$(mktemp -d /tmp/vzl-vm.XXXXXX) || die "no scratch directory"
	trap 'rm -rf "$work"' EXIT
fi
[ -n "$log" ] || log=$work/console.log
root=$work/initramfs vz=$work/vz
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,etc/vz/conf,vm/suites,proc,sys,dev,tmp,root} \
	"$root"/var/{lib/vzctl/veip,vzquota,tmp,lock} "$vz"/{template/cache,private,root,lock} ||
	die "cannot make the trees in $work"
chmod 1777 "$root/tmp" "$root/var/tmp"
cp "$busybox" "$root/bin/busybox" && cp "$vzlite" "$root/usr/sbin/vzlite" &&
	cp "$here/vm-init.sh" "$root/init" && chmod 755 "$root/init" ||
	die "cannot copy busybox, vzlite or the init"
for f in "${adds[@]}"; do
	cp "$f" "$root/usr/local/bin/" || die "cannot copy $f"
done
# a host's vz.conf, as vzctl's package installs it, trimmed to what vzlite reads
cat >"$root/etc/vz/vz.conf" <<'CONF'
VIRTUOZZO=yes
LOCKDIR=/vz/lock
VE0CPUUNITS=1000
LOGGING=no
DISK_QUOTA=yes
TEMPLATE=/vz/template
VE_ROOT=/vz/root/$VEID
VE_PRIVATE=/vz/private/$VEID
VZQUOTA_DIR=/var/vzquota
VEIP_DIR=/var/lib/vzctl/veip
CONFIGFILE="vps.basic"
VE_LAYOUT=simfs
CONF
cp "$sample" "$root/etc/vz/conf/" || die "cannot copy $sample"
printf 'export VZL_BIN=/usr/sbin/vzlite VZL_CONF=/etc/vz/vz.conf\n' >"$root/vm/env"
BUSYBOX=$busybox "$top/tests/tools/make-busybox-template.sh" "$vz/template/cache" >/dev/null ||
	die "make-busybox-template.sh failed"
# the suites: NAME COMMAND per line of /vm/suites.list
: >"$root/vm/suites.list"
cp "$here/suite-lib.sh" "$root/vm/suites/" || die "cannot copy suite-lib.sh"
[ $lifecycle = 0 ] || suites=("$here/suite-lifecycle.sh" "$here/suite-refused-limit.sh" "${suites[@]}")
n=0
for f in "${suites[@]}"; do
	n=$((n + 1))
	name=$(basename "$f")
	dest=/vm/suites/$n-$name
	cp "$f" "$root$dest" || die "cannot copy $f"
	if is_elf "$f"; then
		chmod 755 "$root$dest"
		echo "$name $dest" >>"$root/vm/suites.list"
	else
		echo "$name sh $dest" >>"$root/vm/suites.list"
	fi
done
if [ -n "$abi_client" ]; then
	n=$((n + 1))
	cp "$abi_client" "$root/usr/local/bin/vzemu-abi-client" || die "cannot copy $abi_client"
	mkdir -p "$root/tmp/abi-cases"
	echo "abi-cases /usr/local/bin/vzemu-abi-client cases --dir /tmp/abi-cases" >>"$root/vm/suites.list"
fi
[ $n -gt 0 ] || die "no suite to run (--no-lifecycle, no --abi-client and no --suite)"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initramfs.gz" ||
	die "cannot pack the initramfs"
# the features of 2.6.32's ext4 (no metadata_csum, 64bit, orphan_file), whatever mke2fs.conf says
MKE2FS_CONFIG=/dev/null mkfs.ext4 -q -F -L vz -b 4096 -I 256 \
	-O has_journal,extent,huge_file,flex_bg,dir_nlink,extra_isize \
	-d "$vz" "$work/vz.img" 256M >"$work/mkfs.out" 2>&1 || { cat "$work/mkfs.out" >&2; false; } || die "mkfs.ext4 -d failed"

# boot ACCEL [PROBE]: QEMU's status; the console in $log. With PROBE, QEMU is stopped when
# the guest has not reached VE 0 within 15 s (nested KVM can hang in the first
# instructions) and the status is 125.
# elevator=noop: this kernel's CFQ oopses on the first read of a virtio disk
# (cfq_insert_request, NULL pointer, during the partition scan)
boot() {
	local a=$1 probe=${2:-} pid i
	echo "run-vm: booting $(basename "$kernel") ($a, ${mem} MiB, timeout ${timeout} s), console: $log"
	rm -f "$work/qemu.rc" "$work/qemu.pid"
	{
		timeout -k 5 "$timeout" qemu-system-x86_64 -accel "$a" -m "$mem" -smp 2 -nographic \
			-no-reboot -nodefaults -serial stdio -pidfile "$work/qemu.pid" \
			-kernel "$kernel" -initrd "$work/initramfs.gz" \
			-drive "file=$work/vz.img,format=raw,if=virtio" \
			-append "console=ttyS0,115200 panic=1 oops=panic rdinit=/init printk.time=1 elevator=noop" \
			</dev/null 2>&1
		echo $? >"$work/qemu.rc"
	} | tr -d '\r' >"$log" &
	pid=$!
	if [ -n "$probe" ]; then
		for ((i = 0; i < 150; i++)); do
			grep -q '^=== VM INIT ' "$log" 2>/dev/null && break
			kill -0 $pid 2>/dev/null || break
			sleep 0.1 # polls the console for the guest's marker, up to 15 s
		done
		if ! grep -q '^=== VM INIT ' "$log"; then
			[ ! -s "$work/qemu.pid" ] || kill "$(cat "$work/qemu.pid")" 2>/dev/null
			wait $pid
			return 125
		fi
	fi
	wait $pid
	return "$(cat "$work/qemu.rc" 2>/dev/null || echo 3)"
}
t0=$(date +%s.%N)
if [ "$accel" = auto ]; then
	accel=tcg
	if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		boot kvm probe
		qrc=$?
		[ $qrc = 125 ] && echo "run-vm: KVM did not boot the guest; TCG" || accel=kvm
	fi
	if [ "$accel" = tcg ]; then
		t0=$(date +%s.%N)
		boot tcg
		qrc=$?
	fi
else
	boot "$accel"
	qrc=$?
fi
wall=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

# --- the verdict ---
grep -E '^(ok   - |FAIL - |SUITE |# |=== VM )' "$log"
problems=$(grep -E 'Oops|Kernel panic|BUG:|kernel BUG|general protection fault|Unable to handle kernel' "$log")
warnings=$(grep -c 'WARNING: at' "$log")
rc=0
fails=$(grep -c '^FAIL - ' "$log")
ends=$(grep -c '^=== VM SUITE-END ' "$log")
bad_ends=$(grep '^=== VM SUITE-END ' "$log" | grep -vc ' rc=0 ')
# a sh suite of ours ends with its summary line
summaries=$(grep -c '^SUITE [^ ]*: [0-9]* passed, [0-9]* failed' "$log")
want=0
[ $lifecycle = 0 ] || want=2
[ -z "$abi_client" ] || want=$((want + 1))
if [ -n "$problems" ]; then
	echo "run-vm: the kernel reported a problem:"
	echo "$problems"
	rc=2
elif [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "run-vm: timeout after $timeout s"
	rc=3
elif ! grep -q '^=== VM DONE ' "$log"; then
	echo "run-vm: the guest stopped before every suite ran (QEMU status $qrc); see $log"
	tail -n 20 "$log"
	rc=3
elif [ "$fails" -gt 0 ] || [ "$bad_ends" -gt 0 ] || [ "$ends" -ne "$n" ] || [ "$summaries" -lt "$want" ]; then
	rc=1
fi
boot_s=$(sed -n 's/^=== VM INIT uptime=\([0-9.]*\) ===$/\1/p' "$log")
done_s=$(sed -n 's/^=== VM DONE uptime=\([0-9.]*\) ===$/\1/p' "$log")
echo "run-vm: $n suites, $fails failed checks, $((ends - bad_ends)) of $n suites passed;" \
	"boot ${boot_s:-?} s, suites $(awk -v a="${boot_s:-0}" -v b="${done_s:-0}" 'BEGIN { print b - a }') s" \
	"(guest clock), wall ${wall} s ($accel); kernel WARNINGs: $warnings; RESULT rc=$rc"
exit $rc
