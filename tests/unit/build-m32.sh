#!/bin/sh
# The config code and the kernel module must build for i386 (vzlite's second target): compile
# the files that need only libc, libuuid's header and kernel-abi/ with -m32 -Werror. 32-bit
# libxml2 etc. are not installed, so the rest of lib/ is left out. Exits 77 (skip) when the compiler has no -m32.
# Usage: build-m32.sh CC SOURCE_DIR
cc=${1:?compiler}
src=${2:?source dir}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'int main(void) { return sizeof(long) == 4 ? 0 : 1; }\n' >"$tmp/probe.c"
if ! "$cc" -m32 -o "$tmp/probe" "$tmp/probe.c" 2>/dev/null; then
	echo "build-m32: $cc cannot build -m32 programs here; skipped"
	exit 77
fi
status=0
for f in units.c value.c value-list.c value-masks.c value-names.c value-netif.c addr.c name-rules.c conf.c conf-layer.c conf-write.c validate.c error.c \
	params.c params-api.c apply-kernel.c apply-later.c kernel.c kernel-print.c \
	quota-file.c quota-handle.c quota-scan.c; do
	if ! "$cc" -m32 -std=gnu11 -Wall -Wextra -Wformat=2 -Wshadow -Wmissing-prototypes \
		-Wstrict-prototypes -Wvla -Werror -DVZLITE_BUILDING -I"$src/lib" \
		-I"$src/lib/include" -I"$src/kernel-abi" -c "$src/lib/$f" -o "$tmp/${f%.c}.o"; then
		echo "build-m32: lib/$f does not build with -m32"
		status=1
	fi
done
[ "$status" -eq 0 ] && echo "build-m32: lib/ config code builds for i386"
exit $status
