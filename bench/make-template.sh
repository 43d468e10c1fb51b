#!/bin/bash
# Build (once) a realistic OS template cache for the extraction benchmark:
# debootstrap --variant=minbase bookworm, apt-get clean, tar --numeric-owner, then the
# .tar.gz (gzip -6 -n), .tar.xz (xz -6 -T1) and .tar.zst (zstd -19 -T1) caches, as
# shared/docs/perf-baseline.md built them. Prints the cache directory.
# The mirror is the one the machine's apt sources name (bench/apt-mirror.sh; APT_DIR, default
# /etc/apt, says where they are); without one it stops before building anything.
# Usage: bench/make-template.sh [CACHEDIR]   (default ${XDG_CACHE_HOME:-/var/cache}/vzlite-bench)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

cache=${1:-${XDG_CACHE_HOME:-/var/cache}/vzlite-bench}
name=debian-12-x86_64-minimal

if [ -s "$cache/$name.tar.gz" ] && [ -s "$cache/$name.tar.xz" ] && [ -s "$cache/$name.tar.zst" ]; then
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
for ext in tar.gz tar.xz tar.zst; do
	mv "$work/$name.$ext" "$cache/$name.$ext"
done
echo "$cache"
