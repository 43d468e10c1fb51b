#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Extraction benchmark (issue #6, item 7). Not a test.
#
# Builds (once, cached) a Debian 12 minbase template cache in .tar.gz, .tar.xz, .tar.zst and a
# multi-block -mt.tar.xz (bench/make-template.sh), then times, in the same run and
# interleaved, vzlite's extraction (tests/extract/vzl-extract: staging directory + rename, as
# create does), GNU tar as vzctl runs it (tar --numeric-owner -Sp -x[z|J|--zstd]), bsdtar -xp,
# the decoder alone into /dev/null and `cp -a` of the same tree from a tmpfs (the fastest
# creation of it measured here), on the disk and on a tmpfs. The tmpfs mounts are made in a
# private mount namespace, never on the host's. Prints medians with min/max, vzlite/tar,
# vzlite/bsdtar and vzlite/floor (the slower of decoding and copying), peak RSS, the load
# average before and after, and checks that vzlite's tree equals tar's; exits non-zero if not.
#
# Usage: bench/extract-bench.sh [BUILD_DIR]      (default: ./build)
# Environment: RUNS (default 7), CACHE_DIR (default ${XDG_CACHE_HOME:-/var/cache}/vzlite-bench),
#   SCRATCH (a directory on the disk to extract into; default /var/tmp/vzlite-bench),
#   TARGETS ("disk tmpfs"), JSON (file to append raw results to).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
driver=$build/tests/extract/vzl-extract
runs=${RUNS:-7}
targets=${TARGETS:-disk tmpfs}
scratch=${SCRATCH:-/var/tmp/vzlite-bench}

[ "$(id -u)" = 0 ] || { echo "extract-bench: run as root (owners, devices, mounts)" >&2; exit 1; }
[ -x "$driver" ] || { echo "extract-bench: build first: $driver is missing" >&2; exit 1; }
[ -x /usr/bin/time ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >&2
for tool in bsdtar zstd xz; do
	command -v "$tool" >/dev/null || {
		echo "extract-bench: installing libarchive-tools zstd xz-utils" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libarchive-tools zstd xz-utils >&2
		break
	}
done

cache=$("$here/make-template.sh" "${CACHE_DIR:-}")
name=debian-12-x86_64-minimal
caches=("$cache/$name.tar.gz" "$cache/$name.tar.zst" "$cache/$name.tar.xz"
	"$cache/$name-mt.tar.xz")

echo "# vzlite extraction benchmark: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, kernel $(uname -r)"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# driver $driver; caches in $cache:"
ls -l "${caches[@]}" | sed 's/^/#   /'

for target in $targets; do
	case $target in
	disk)
		mkdir -p "$scratch"
		echo "# disk: $scratch on $(findmnt -no FSTYPE,SOURCE --target "$scratch")"
		src=$(mktemp -d /tmp/vzlite-bench-src.XXXXXX)
		# The copy floor's source tree on a tmpfs, in a private mount namespace.
		unshare -m --propagation private sh -c '
			mount -t tmpfs -o size=1g,mode=0755 vzlite-bench-src "$1" &&
			shift && exec python3 "$@"' sh "$src" \
			"$here/extract-bench.py" --target disk --dir "$scratch/x" --driver "$driver" \
			--copy-src "$src" --runs "$runs" ${JSON:+--json "$JSON"} "${caches[@]}"
		rmdir "$src"
		rm -rf "$scratch/x"
		;;
	tmpfs)
		mnt=$(mktemp -d /tmp/vzlite-bench-tmpfs.XXXXXX)
		# A private mount namespace: the tmpfs never appears on the host.
		unshare -m --propagation private sh -c '
			mount -t tmpfs -o size=2g,mode=0755 vzlite-bench "$1" &&
			shift && exec python3 "$@"' sh "$mnt" \
			"$here/extract-bench.py" --target tmpfs --dir "$mnt/x" --driver "$driver" \
			--copy-src "$mnt/src" --runs "$runs" ${JSON:+--json "$JSON"} "${caches[@]}"
		rmdir "$mnt"
		;;
	*) echo "extract-bench: unknown target $target" >&2; exit 2 ;;
	esac
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
