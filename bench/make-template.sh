#!/bin/bash
# Build (once) a realistic OS template cache for the extraction benchmark:
# debootstrap --variant=minbase bookworm, apt-get clean, tar --numeric-owner, then the
# .tar.gz (gzip -6 -n), .tar.xz (xz -6 -T1) and .tar.zst (zstd -19 -T1) caches, as
# shared/docs/perf-baseline.md built them. Prints the cache directory.
# Usage: bench/make-template.sh [CACHEDIR]   (default ${XDG_CACHE_HOME:-/var/cache}/vzlite-bench)
set -euo pipefail

cache=${1:-${XDG_CACHE_HOME:-/var/cache}/vzlite-bench}
name=debian-12-x86_64-minimal
mkdir -p "$cache"

if [ -s "$cache/$name.tar.gz" ] && [ -s "$cache/$name.tar.xz" ] && [ -s "$cache/$name.tar.zst" ]; then
	echo "$cache"
	exit 0
fi

if ! command -v debootstrap >/dev/null; then
	echo "make-template: installing debootstrap" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2
fi

# The Debian mirror the machine's apt sources name (deb822 or one-line format).
mirror=$(grep -rhoE 'https?://[^ ]*/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ \
		2>/dev/null | grep -v -- -security | head -n1 | tr -d ' ' || true)
mirror=${mirror:-http://deb.debian.org/debian}

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
