#!/usr/bin/env bash
# cmake --install into a staging directory, then check what a user of the library gets:
# the header, the .so with its soname, the .a, vzlite.pc, only vzl_ symbols exported,
# and a small program that compiles, links and runs against them.
# Usage: test-install.sh BUILD_DIR SOURCE_DIR CC [EXTRA_CFLAGS...]
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
build=$1 src=$2 cc=$3
shift 3
extra=("$@")
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

DESTDIR=$stage cmake --install "$build" >"$stage/install.log" 2>&1 || { cat "$stage/install.log"; bad "cmake --install failed"; }
prefix=$(cmake -L -N "$build" | sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p')
root=$stage$prefix
libdir=$(dirname "$(find "$root" -name libvzlite.a | head -n1)")

[ -f "$root/include/vzlite.h" ] && ok || bad "no include/vzlite.h"
[ -f "$libdir/libvzlite.a" ] && ok || bad "no libvzlite.a"
[ -x "$root/bin/vzlite" ] && ok || bad "no bin/vzlite"
# vzctl and vzlist: links to vzlite in sbin (a packager places them at /usr/sbin), which
# answer as the front ends (libvirt's first call: --help with an empty environment).
for front in vzctl vzlist; do
	[ -L "$root/sbin/$front" ] && [ "$(readlink -f "$root/sbin/$front")" = "$(readlink -f "$root/bin/vzlite")" ] &&
		ok || bad "no sbin/$front link to bin/vzlite"
done
libdir0=$(dirname "$(find "$root" -name 'libvzlite.so.0' | head -n1)")
first=$(env -i LD_LIBRARY_PATH="$libdir0" "$root/sbin/vzctl" --help | head -n1)
case $first in "vzctl version 4.11.1 "*) ok ;; *) bad "installed vzctl --help: $first" ;; esac
so=$(find "$libdir" -name 'libvzlite.so.*.*' | head -n1)
dyn=$([ -n "$so" ] && readelf -d "$so")
if grep -q 'SONAME.*\[libvzlite\.so\.0\]' <<<"$dyn"; then ok; else bad "no libvzlite.so with soname libvzlite.so.0"; fi
[ -L "$libdir/libvzlite.so" ] && ok || bad "no libvzlite.so development link"
pc=$libdir/pkgconfig/vzlite.pc
[ -f "$pc" ] && ok || bad "no vzlite.pc"

# Only the public API is exported.
others=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -v '^vzl_' | grep -v '^VZLITE_0$')
if [ -z "$others" ]; then ok; else bad "exported symbols other than vzl_*: $others"; fi
count=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -c '^vzl_')
[ "$count" -gt 10 ] && ok || bad "only $count vzl_ symbols exported"

# A consumer built from pkg-config alone.
export PKG_CONFIG_PATH=$libdir/pkgconfig
# Staged with DESTDIR, the .pc names the final prefix (the consumer below redefines it).
[ "$(pkg-config --variable=prefix vzlite)" = "$prefix" ] && ok || bad "staged vzlite.pc does not say prefix=$prefix"
flags=$(pkg-config --define-variable=prefix="$root" --cflags --libs vzlite) || bad "pkg-config vzlite failed"
if "$cc" "${extra[@]}" "$src/tests/install/consumer.c" -o "$stage/consumer" $flags; then ok; else bad "consumer did not compile and link"; fi
if out=$(LD_LIBRARY_PATH=$libdir "$stage/consumer"); then ok; else bad "consumer failed: $out"; fi
case $out in "vzlite "*" parameters") ok ;; *) bad "consumer printed: $out" ;; esac
# Not `ldd | grep -q`: grep -q exits at the first match and, with pipefail, ldd's SIGPIPE
# would fail the pipeline.
deps=$(LD_LIBRARY_PATH=$libdir ldd "$stage/consumer" 2>/dev/null)
if grep -q "libvzlite.so.0 => $libdir" <<<"$deps"; then ok; else bad "consumer not linked to the staged libvzlite.so.0: $deps"; fi

# Installed elsewhere with --prefix, the .pc must point there by itself (no
# --define-variable): a consumer built through it alone compiles, links and runs.
moved=$stage/moved
cmake --install "$build" --prefix "$moved" >"$stage/install-moved.log" 2>&1 || { cat "$stage/install-moved.log"; bad "cmake --install --prefix failed"; }
mlibdir=$(dirname "$(find "$moved" -name libvzlite.a | head -n1)")
mprefix=$(PKG_CONFIG_PATH=$mlibdir/pkgconfig pkg-config --variable=prefix vzlite)
[ "$mprefix" = "$moved" ] && ok || bad "vzlite.pc installed with --prefix $moved says prefix=$mprefix"
mflags=$(PKG_CONFIG_PATH=$mlibdir/pkgconfig pkg-config --cflags --libs vzlite) || bad "pkg-config vzlite failed after --prefix"
case " $mflags " in *" -I$moved/include "*" -L$mlibdir "*) ok ;; *) bad "pkg-config flags after --prefix $moved: $mflags" ;; esac
if "$cc" "${extra[@]}" "$src/tests/install/consumer.c" -o "$stage/consumer-moved" $mflags; then ok; else bad "consumer did not build through the moved vzlite.pc"; fi
deps=$(LD_LIBRARY_PATH=$mlibdir ldd "$stage/consumer-moved" 2>/dev/null)
if grep -q "libvzlite.so.0 => $mlibdir" <<<"$deps"; then ok; else bad "moved consumer not linked to $mlibdir: $deps"; fi
if out=$(LD_LIBRARY_PATH=$mlibdir "$stage/consumer-moved"); then ok; else bad "moved consumer failed: $out"; fi

finish test-install
