#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Scan benchmark (issue #13): the usage scan of a Debian 12 minbase tree (the template cache
# bench/make-template.sh builds and caches, extracted once with tar as vzctl would) against
# `du -s --apparent-size` of the same tree. Not a test.
# Usage: bench/quota-scan-bench.sh [BUILD_DIR]   (cmake --build BUILD_DIR --target quota-scan-bench)
# Environment: RUNS (default 9), CACHE_DIR, SCRATCH (default /var/tmp/vzlite-bench).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
bin=$build/tests/quota/quota-scan-bench
scratch=${SCRATCH:-/var/tmp/vzlite-bench}
[ "$(id -u)" = 0 ] || { echo "quota-scan-bench: run as root (owners in the tree)" >&2; exit 1; }
[ -x "$bin" ] || { echo "quota-scan-bench: build first: cmake --build $build --target quota-scan-bench" >&2; exit 1; }

cache=$("$here/make-template.sh" "${CACHE_DIR:-}")
tree=$scratch/quota-tree
rm -rf --one-file-system "$tree"
mkdir -p "$tree"
trap 'rm -rf --one-file-system "$tree"' EXIT
tar --numeric-owner -Sp -xzf "$cache/debian-12-x86_64-minimal.tar.gz" -C "$tree"
sync
echo "# vzlite quota scan benchmark: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, kernel $(uname -r)"
echo "# tree on $(findmnt -no FSTYPE,SOURCE --target "$tree")"
"$bin" "$tree" "${RUNS:-9}"
