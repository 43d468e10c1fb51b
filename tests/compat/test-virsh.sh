#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Debian's unmodified `virsh -c openvz:///system` (libvirt 9.0.0, whose OpenVZ driver is
# compiled into libvirt.so and forks /usr/sbin/vzctl and /usr/sbin/vzlist) drives vzlite.
# Expected values come from shared/docs/libvirt-openvz.md (§2 connect, §3 argv, §4 files,
# §5 commands, §6 bugs), never from a run; each virsh step is checked through vzlite itself
# (status, the config file, list) and, for the kernel's side, the emulated /proc files.
#
# Layout, all of it only in a private mount namespace this script makes (and proves: its
# /proc/self/ns/mnt differs from the caller's, recorded before unshare):
#   /usr/sbin  overlay whose upper layer holds vzctl and vzlist, symlinks to VZLITE;
#   /etc       overlay with an empty vz/, on which the temporary host ($tmp/host:
#              vz.conf, conf/ve-vps.basic.conf-sample, a busybox template cache) is bound.
# Then one vzemu run executes this script's second half, so virsh's access("/proc/vz") and
# open("/proc/vz/vestat") and the front ends' kernel calls are all answered by the emulator,
# and every VE mount lives in that run's namespace. HOME and XDG dirs point into $tmp.
# Usage: test-virsh.sh VZLITE FIXTURES_DIR SHARED_FIXTURES_DIR VZEMU
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/testlib.sh"
vzlite=${1:?} shared=${3-} vzemu=${4:?}

# ---- second half: under vzemu, in the prepared namespace ----------------------------------
if [ "${VZL_COMPAT_STAGE:-}" = inner ]; then
	. "$here/virsh-steps.sh"
	exit $?
fi

# ---- first half: checks, the namespace, the host ------------------------------------------
[ "$(id -u)" = 0 ] || skip "needs root"
command -v virsh >/dev/null || skip "no virsh (Debian: libvirt-clients)"
[ -n "$shared" ] && [ -f "$shared/ve-vps.basic.conf-sample" ] ||
	skip "no upstream fixtures (ve-vps.basic.conf-sample)"
# libvirt runs `vzctl --help` with only LC_ALL=C in its environment: an AddressSanitizer
# vzlite would start LeakSanitizer, which cannot run under vzemu's ptrace, and fail. For such
# a build the front ends are two-line wrappers that put detect_leaks=0 back and exec vzlite
# under the same argv[0]; otherwise they are plain symlinks, as a packager installs them.
asan=0
grep -q __asan_init "$vzlite" 2>/dev/null && asan=1
[ -x "$vzemu" ] || skip "no vzemu ($vzemu)"
# Before the vzctl front end existed, vzlite called as vzctl was vzlite's own CLI.
probe=$(mktemp -d /tmp/vzl-compat-probe.XXXXXX) && ln -s "$vzlite" "$probe/vzctl"
fe=$(env -i LC_ALL=C "$probe/vzctl" --help 2>&1 | head -n 1)
rm -rf "$probe"
case $fe in vzlite* | *"Usage: vzlite"*) skip "this vzlite has no vzctl front end (called as vzctl it is vzlite: [$fe])" ;; esac

if [ -z "${VZL_COMPAT_PARENT_NS:-}" ]; then
	parent=$(readlink /proc/self/ns/mnt)
	[ -n "$parent" ] || skip "cannot read /proc/self/ns/mnt"
	unshare -m --propagation private true 2>/dev/null || skip "cannot make a mount namespace"
	VZL_COMPAT_PARENT_NS=$parent exec unshare -m --propagation private bash "$0" "$@"
fi
# Every mount below is guarded by this: never in the caller's namespace.
in_own_ns() {
	local me
	me=$(readlink /proc/self/ns/mnt)
	[ -n "$me" ] && [ "$me" != "$VZL_COMPAT_PARENT_NS" ]
}
if ! in_own_ns; then
	echo "test-virsh: not in a private mount namespace ($(readlink /proc/self/ns/mnt)); refusing to mount" >&2
	exit 1
fi
ok "private mount namespace: $(readlink /proc/self/ns/mnt), the caller's $VZL_COMPAT_PARENT_NS"
guarded_mount() {
	in_own_ns || { echo "test-virsh: refusing to mount outside the test's namespace" >&2; exit 1; }
	mount "$@" || { bad "mount $*"; finish test-virsh; exit 1; }
}

tmp=$(mktemp -d /tmp/vzl-compat.XXXXXX)
emu_setup "$vzemu" "$tmp"
H=$tmp/host
"$here/../../fixtures/make-demo-host.sh" "$H" >/dev/null || { bad "make-demo-host.sh"; exit 1; }
cp "$shared/ve-vps.basic.conf-sample" "$H/conf/"
# the profile libvirt's `vzctl create` (no --config) uses, and the template it gets (§3.1 C2)
sed -i 's/^CONFIGFILE=.*/CONFIGFILE="vps.basic"/; s/^DEF_OSTEMPLATE=.*/DEF_OSTEMPLATE="busybox-x86_64"/' \
	"$H/vz.conf"
"$here/../tools/make-busybox-template.sh" "$H/template/cache" >/dev/null
case $? in
0) ;;
77) skip "no static busybox (Debian: busybox-static)" ;;
*) bad "make-busybox-template.sh failed"; finish test-virsh; exit 1 ;;
esac
mkdir -p "$tmp"/{sbin-u,sbin-w,etc-u/vz,etc-w,home}
for fe in vzctl vzlist; do
	if [ $asan = 1 ]; then
		printf '#!/bin/bash\nASAN_OPTIONS=detect_leaks=0:halt_on_error=1 exec -a "$0" %q "$@"\n' \
			"$vzlite" >"$tmp/sbin-u/$fe"
		chmod 755 "$tmp/sbin-u/$fe"
	else
		ln -s "$vzlite" "$tmp/sbin-u/$fe"
	fi
done
guarded_mount -t overlay overlay -o "lowerdir=/usr/sbin,upperdir=$tmp/sbin-u,workdir=$tmp/sbin-w" /usr/sbin
guarded_mount -t overlay overlay -o "lowerdir=/etc,upperdir=$tmp/etc-u,workdir=$tmp/etc-w" /etc
guarded_mount --bind "$H" /etc/vz
at_exit "umount /etc/vz /etc /usr/sbin 2>/dev/null"
# the mounts are there, and only here
for fe in vzctl vzlist; do
	if [ $asan = 1 ]; then
		has "/usr/sbin/$fe runs the vzlite under test (AddressSanitizer wrapper)" \
			"exec -a \"\$0\" $(printf %q "$vzlite") " "$(cat /usr/sbin/$fe)"
	else
		check "/usr/sbin/$fe is the vzlite under test" "$vzlite" "$(readlink /usr/sbin/$fe)"
	fi
done
check "/etc/vz is the temporary host" "$(stat -c %d:%i "$H")" "$(stat -c %d:%i /etc/vz)"
check "the caller (pid $PPID) sees none of the mounts" "" "$(grep -F "$tmp" "/proc/$PPID/mountinfo")"

VZL_COMPAT_STAGE=inner VZL_COMPAT_TMP=$tmp VZL_COMPAT_PASS=$pass VZL_COMPAT_FAIL=$fail \
	HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/.config XDG_CACHE_HOME=$tmp/home/.cache \
	XDG_RUNTIME_DIR=$tmp/home/run \
	"$vzemu" --state "$tmp/state" --trace "$tmp/trace" -- bash "$0" "$@"
rc=$?
[ $rc = 0 ] || [ $rc = 77 ] || fail=$((fail + 1)) # the inner half printed its own verdict
exit $rc
