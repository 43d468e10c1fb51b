#!/bin/bash
# Build (once) a realistic OS template cache for the extraction benchmark:
# debootstrap --variant=minbase bookworm, apt-get clean, tar --numeric-owner, then the
# .tar.gz (gzip -6 -n), .tar.xz (xz -6 -T1) and .tar.zst (zstd -19 -T1) caches, as
# shared/docs/perf-baseline.md built them, and a multi-block -mt.tar.xz (xz -6 -T2 with 2 MiB
# blocks: blocks small enough for two of liblzma's decoder threads within vzlite's memory
# bound; made from the .tar.zst when only it is missing). Prints the cache directory.
# The mirror is the one the machine's apt sources name (bench/apt-mirror.sh; APT_DIR, default
# /etc/apt, says where they are); without one it stops before building anything.
# Usage: bench/make-template.sh [CACHEDIR]   (default ${XDG_CACHE_HOME:-/var/cache}/vzlite-bench)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

cache=${1:-${XDG_CACHE_HOME:-/var/cache}/vzlite-bench}
name=debian-12-x86_64-minimal

multi_block() { # TAR-STREAM-ON-STDIN OUT
	xz -6 -T2 --block-size=2MiB -c >"$1.part" && mv "$1.part" "$1"
}

if [ -s "$cache/$name.tar.gz" ] && [ -s "$cache/$name.tar.xz" ] && [ -s "$cache/$name.tar.zst" ]; then
	if [ ! -s "$cache/$name-mt.tar.xz" ]; then
		echo "make-template: making the multi-block $name-mt.tar.xz" >&2
		zstd -q -dc "$cache/$name.tar.zst" | multi_block "$cache/$name-mt.tar.xz"
	fi
	echo "$cache"
	exit 0
fi

mirror=$("$here/apt-mirror.sh" "${APT_DIR:-/etc/apt}") || exit 1
mkdir -p "$cache"

if ! command -v debootstrap >/dev/null; then
	echo "make-template: installing debootstrap" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2
fi

work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf --one-file-system "$work"' EXIT
echo "make-template: debootstrap minbase bookworm from $mirror (a few minutes)" >&2
debootstrap --variant=minbase bookworm "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
	{ tail -20 "$work/debootstrap.log" >&2; exit 1; }
chroot "$work/root" apt-get clean
tar --numeric-owner -C "$work/root" -cf "$work/$name.tar" .
gzip -6 -n -c "$work/$name.tar" >"$work/$name.tar.gz"
xz -6 -T1 -c "$work/$name.tar" >"$work/$name.tar.xz"
zstd -q -19 -T1 -c "$work/$name.tar" >"$work/$name.tar.zst"
multi_block "$work/$name-mt.tar.xz" <"$work/$name.tar"
for f in "$name.tar.gz" "$name.tar.xz" "$name.tar.zst" "$name-mt.tar.xz"; do
	mv "$work/$f" "$cache/$f"
done
echo "$cache"
