# The prelude of a lifecycle test, sourced after tests/lib/testlib.sh.
# lifecycle_host NAME SHARED_FIXTURES VZEMU FIXTURES_DIR "$@": skips without vzctl's
# vps.basic sample; runs the test again in a private mount namespace of its own (the test's
# arguments are "$@"); sets up the emulator (emu_setup) and a demo host with vps.basic and a
# busybox-init template cache (tests/tools/make-busybox-template.sh). Sets tmp, conf and H.
lifecycle_host() {
	local name=$1 shared=$2 vzemu=$3 fixtures=$4
	shift 4
	[ -n "$shared" ] && [ -f "$shared/ve-vps.basic.conf-sample" ] ||
		skip "no upstream fixtures (ve-vps.basic.conf-sample)"
	if [ -z "${VZL_IN_MOUNT_NS:-}" ]; then
		unshare -m --propagation private true 2>/dev/null || skip "cannot make a mount namespace"
		VZL_IN_MOUNT_NS=1 exec unshare -m --propagation private bash "$0" "$@"
	fi
	tmp=$(mktemp -d "/tmp/vzl-$name.XXXXXX")
	emu_setup "$vzemu" "$tmp"
	conf=$("$fixtures/make-demo-host.sh" "$tmp/host")
	H=$tmp/host
	cp "$shared/ve-vps.basic.conf-sample" "$H/conf/"
	"$(dirname "${BASH_SOURCE[0]}")/../tools/make-busybox-template.sh" "$H/template/cache" >/dev/null
	case $? in
	0) ;;
	77) skip "no static busybox (Debian: busybox-static)" ;;
	*) bad "make-busybox-template.sh failed"; finish "test-$name"; exit 1 ;;
	esac
}

# vzctl's order of the beancounters a start sets (vzctl-behaviour.md §3.2 step 9.3) that
# vps.basic gives (SWAPPAGES unset), for the tests' expected call sequences.
VPS_BASIC_UB_ORDER=(KMEMSIZE LOCKEDPAGES PRIVVMPAGES SHMPAGES NUMPROC PHYSPAGES VMGUARPAGES
	OOMGUARPAGES NUMTCPSOCK NUMFLOCK NUMPTY NUMSIGINFO TCPSNDBUF TCPRCVBUF OTHERSOCKBUF
	DGRAMRCVBUF NUMOTHERSOCK NUMFILE DCACHESIZE NUMXTENT)
