#!/usr/bin/env bash
# build-static.sh [--arch x86_64|i386] BUILDDIR
#
# One statically linked vzlite built with musl, for hosts whose C library and libraries are
# too old for a build from this distribution (an OpenVZ 6 host runs glibc 2.12). Inside
# BUILDDIR, reproducibly:
#   1. the Debian source packages of the dependencies, fetched with `apt-get source` from the
#      archive this machine already uses (a deb-src entry is derived from its deb entry);
#   2. each unpacked into BUILDDIR/ARCH/src and built as a static musl library into
#      BUILDDIR/ARCH/sysroot (logs in BUILDDIR/ARCH/logs);
#   3. vzlite configured with -DVZLITE_STATIC=ON against that sysroot.
# Produces BUILDDIR/vzlite-static-ARCH, BUILDDIR/vzemu-abi-client-static-ARCH, the same under
# their own names in BUILDDIR/ARCH/bin/, and BUILDDIR/versions.txt (the source package
# versions apt gave). i386: gcc -m32 (gcc-multilib) with musl-dev:i386 unpacked into the build
# tree (the i386 architecture is added to dpkg to download it). Needs root for apt-get
# (packages: musl-tools dpkg-dev autoconf automake libtool autopoint gettext
# bison flex gtk-doc-tools).
set -euo pipefail

arch=x86_64
while [ $# -gt 0 ]; do
	case $1 in
	--arch) arch=$2; shift 2 ;;
	--arch=*) arch=${1#--arch=}; shift ;;
	-h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "build-static.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
if [ $# -ne 1 ]; then
	echo "usage: build-static.sh [--arch x86_64|i386] BUILDDIR" >&2
	exit 2
fi
# musl's multiarch triplet; i386 is built by the 64-bit gcc with -m32 (gcc-multilib)
case $arch in
x86_64) triplet=x86_64-linux-musl cc_arch=() host=() ;;
i386) triplet=i386-linux-musl cc_arch=(-m32 -Wl,-melf_i386) host=(--build=x86_64-pc-linux-gnu --host=i686-pc-linux-musl) ;;
*) echo "build-static.sh: --arch $arch: x86_64 or i386" >&2; exit 2 ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
mkdir -p "$1"
build=$(cd "$1" && pwd)
jobs=2
downloads=$build/src
work=$build/$arch
srcdir=$work/src
sysroot=$work/sysroot
logs=$work/logs
tools=$work/tools
mkdir -p "$downloads" "$srcdir" "$sysroot" "$logs" "$tools" "$work/bin"

# Debian source packages: zlib, libbz2, liblzma, libzstd, libxml2, libnl-3 + libnl-route-3,
# libuuid (util-linux), libarchive; in build order.
sources=(zlib bzip2 xz-utils libzstd libxml2 libnl3 util-linux libarchive)

# run LOG CMD...: run quietly into logs/LOG; on failure show the log's tail and stop.
run() {
	local log=$logs/$1
	shift
	if ! "$@" >>"$log" 2>&1; then
		echo "build-static.sh: FAILED: $*" >&2
		echo "---- last 40 lines of $log" >&2
		tail -n 40 "$log" >&2
		exit 1
	fi
}

# --- 1. the sources --------------------------------------------------------------------
# A deb-src twin of every deb stanza in the machine's deb822 sources file, so that
# `apt-get source` reads the same archive (URIs, suites, components, key) the binaries came from.
ensure_deb_src() {
	local list=/etc/apt/sources.list.d/debian.sources
	local twin=/etc/apt/sources.list.d/vzlite-deb-src.sources
	if grep -qs '^Types:.*deb-src' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null ||
		grep -qs '^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null; then
		return 0
	fi
	if [ ! -r "$list" ]; then
		echo "build-static.sh: no deb-src entry and no $list to derive one from" >&2
		exit 1
	fi
	if [ "$(id -u)" -ne 0 ]; then
		echo "build-static.sh: $twin is missing and only root can add it" >&2
		exit 1
	fi
	echo "== adding $twin (deb-src twin of $list)"
	sed -e 's/^Types:.*/Types: deb-src/' "$list" >"$twin"
	run apt.log apt-get update -qq
}

# The versions of source package $1 that apt knows, newest first.
versions_of() {
	local v sorted=() i
	while read -r v; do
		i=${#sorted[@]}
		while [ "$i" -gt 0 ] && dpkg --compare-versions "$v" gt "${sorted[i - 1]}"; do
			sorted[i]=${sorted[i - 1]}
			i=$((i - 1))
		done
		sorted[i]=$v
	done < <(apt-cache showsrc --only-source "$1" | sed -n 's/^Version: //p' | sort -u)
	printf '%s\n' "${sorted[@]}"
}

# apt-get source NAME: the newest version apt offers; when the archive does not serve that
# version's files (a security pocket may carry indices without the sources behind them), the
# next one apt lists, said in versions.txt.
fetch_one() {
	local s=$1 v note=""
	for v in $(versions_of "$s"); do
		echo "== apt-get source $s=$v"
		if apt-get source -qq "$s=$v" >>"$logs/apt.log" 2>&1; then
			printf '%s %s%s\n' "$s" "$v" "$note" >>"$build/versions.txt"
			return 0
		fi
		echo "   (not served by the archive; trying the next version apt lists)"
		note="$note (newer $v not served)"
	done
	echo "build-static.sh: apt-get source $s failed for every version; see $logs/apt.log" >&2
	tail -n 20 "$logs/apt.log" >&2
	exit 1
}

fetch_sources() {
	ensure_deb_src
	cd "$downloads"
	local s
	if [ ! -e "$build/stamp-sources" ]; then
		: >"$build/versions.txt"
		for s in "${sources[@]}"; do
			fetch_one "$s"
		done
		touch "$build/stamp-sources"
	fi
	# each architecture builds in a tree of its own (the builds are in-tree)
	for s in "${sources[@]}"; do
		if [ ! -e "$work/stamp-unpack-$s" ]; then
			rm -rf "${srcdir:?}/$s"
			run unpack.log dpkg-source -x "$(ls "$downloads/${s}"_*.dsc | head -n 1)" "$srcdir/$s"
			touch "$work/stamp-unpack-$s"
		fi
	done
	echo "== source versions (versions.txt):"
	sed 's/^/   /' "$build/versions.txt"
}

# The unpacked tree of source package $1.
tree_of() { echo "$srcdir/$1"; }

# --- 2. the musl toolchain ---------------------------------------------------------------
# Debian's musl-gcc keeps /usr/include out of the include path, so the kernel's uapi headers
# (linux/, asm/, asm-generic/: libnl, util-linux and kernel-abi/ need them) are offered through
# a directory of links, searched after musl's own headers.
make_toolchain() {
	local uapi=$work/uapi multiarch
	multiarch=$(gcc -print-multiarch)
	mkdir -p "$uapi"
	ln -sfn /usr/include/linux "$uapi/linux"
	ln -sfn /usr/include/asm-generic "$uapi/asm-generic"
	ln -sfn "/usr/include/$multiarch/asm" "$uapi/asm"
	# (the x86_64 asm/ headers serve -m32 too: they switch on __i386__). musl-gcc is
	# gcc -specs with musl's specs file, which is done here directly for any triplet.
	local specs=/usr/lib/$triplet/musl-gcc.specs
	if [ "$arch" = i386 ]; then
		specs=$(musl_i386_specs)
		[ -r "$specs" ] || exit 1
		cat "$work/musl-i386/version"
	elif [ ! -r "$specs" ]; then
		echo "build-static.sh: $specs missing: apt-get install musl-tools" >&2
		exit 1
	fi
	cat >"$tools/musl-cc" <<-WRAP
		#!/bin/sh
		exec gcc ${cc_arch[*]} -specs "$specs" -idirafter "$uapi" "\$@"
	WRAP
	# pkg-config that sees only the sysroot, with the private libraries a static link needs
	cat >"$tools/pkg-config" <<-WRAP
		#!/bin/sh
		PKG_CONFIG_LIBDIR="$sysroot/lib/pkgconfig" PKG_CONFIG_PATH= exec /usr/bin/pkg-config --static "\$@"
	WRAP
	chmod +x "$tools/musl-cc" "$tools/pkg-config"
}

# musl for i386, unpacked into the build tree: installing musl-dev:i386 would replace
# gcc-multilib (it depends on gcc-i686-linux-gnu, which conflicts with it), and the
# -m32 builds of the tests need gcc-multilib. Prints the path of its specs file.
musl_i386_specs() {
	local root=$work/musl-i386 deb
	if [ ! -e "$root/stamp" ]; then
		if ! dpkg --print-foreign-architectures | grep -qx i386; then
			echo "== dpkg --add-architecture i386 (to download musl-dev:i386; nothing is installed)" >&2
			dpkg --add-architecture i386
			run apt.log apt-get update -qq
		fi
		rm -rf "$root"
		mkdir -p "$root/debs"
		(cd "$root/debs" && run apt.log apt-get download -qq musl-dev:i386)
		deb=$(ls "$root"/debs/musl-dev_*_i386.deb)
		dpkg-deb -x "$deb" "$root"
		echo "musl-dev:i386 $(dpkg-deb -f "$deb" Version) (unpacked, not installed)" >"$root/version"
		sed -e "s|/usr/include/i386-linux-musl|$root/usr/include/i386-linux-musl|g" \
			-e "s|/usr/lib/i386-linux-musl|$root/usr/lib/i386-linux-musl|g" \
			"$root/usr/lib/i386-linux-musl/musl-gcc.specs" >"$root/musl-gcc.specs"
		touch "$root/stamp"
	fi
	echo "$root/musl-gcc.specs"
}

# Environment for every autotools/make build below.
export CC="$tools/musl-cc" AR=ar RANLIB=ranlib
export CFLAGS="-O2 -fPIC" CPPFLAGS="-I$sysroot/include" LDFLAGS="-L$sysroot/lib"
export PKG_CONFIG="$tools/pkg-config" PKG_CONFIG_LIBDIR="$sysroot/lib/pkgconfig" PKG_CONFIG_PATH=

# configure_make NAME TREE CONFIGURE_ARGS...: an autotools build installed into the sysroot.
configure_make() {
	local name=$1 tree=$2
	shift 2
	cd "$tree"
	# Debian's patches touch configure.ac/Makefile.am; like dh_autoreconf, regenerate once
	if [ ! -e .vzl-autoreconf ]; then
		run "$name.log" autoreconf -fi
		touch .vzl-autoreconf
	fi
	run "$name.log" ./configure --prefix="$sysroot" --libdir="$sysroot/lib" \
		--disable-shared --enable-static "${host[@]}" "$@"
	run "$name.log" make -j"$jobs"
	run "$name.log" make install
}

build_zlib() {
	cd "$(tree_of zlib)"
	run zlib.log ./configure --static --prefix="$sysroot" --libdir="$sysroot/lib"
	run zlib.log make -j"$jobs" libz.a
	run zlib.log make install
}

build_bzip2() {
	# upstream's Makefile has no configure and no pkg-config file; libarchive finds -lbz2 itself
	cd "$(tree_of bzip2)"
	run bzip2.log make -j"$jobs" CC="$CC" AR=ar RANLIB=ranlib CFLAGS="$CFLAGS -D_FILE_OFFSET_BITS=64" libbz2.a
	install -D -m 644 libbz2.a "$sysroot/lib/libbz2.a"
	install -D -m 644 bzlib.h "$sysroot/include/bzlib.h"
}

build_xz() {
	configure_make xz-utils "$(tree_of xz-utils)" --disable-xz --disable-xzdec --disable-lzmadec \
		--disable-lzmainfo --disable-lzma-links --disable-scripts --disable-doc --disable-nls
}

build_zstd() {
	cd "$(tree_of libzstd)/lib"
	run zstd.log make -j"$jobs" CC="$CC" libzstd.a
	run zstd.log make CC="$CC" PREFIX="$sysroot" LIBDIR="$sysroot/lib" \
		install-static install-includes install-pc
}

build_libxml2() {
	# no ICU, no Python, no compression (vzlite reads its XML from memory and files as they are)
	configure_make libxml2 "$(tree_of libxml2)" --without-icu --without-python --without-lzma \
		--without-zlib --without-http --without-ftp --without-debug
}

build_libnl() {
	configure_make libnl3 "$(tree_of libnl3)" --disable-cli --disable-debug
}

build_libuuid() {
	configure_make util-linux "$(tree_of util-linux)" --disable-all-programs --enable-libuuid \
		--disable-nls --disable-bash-completion --without-python --without-systemd \
		--without-udev --without-readline --without-ncursesw --without-tinfo
}

build_libarchive() {
	# The four compressors vzlite's template caches use; nothing that reaches for crypto
	# (hash checks of zip/7z/xar), lz4/lzo, libxml2 or libacl/libattr: vzlite writes xattrs
	# and ACLs itself (lib/extract-attr.c) and reads only tar streams.
	configure_make libarchive "$(tree_of libarchive)" --disable-bsdtar --disable-bsdcpio \
		--disable-bsdcat --disable-acl --disable-xattr --with-zlib --with-bz2lib --with-lzma \
		--with-zstd --without-lz4 --without-lzo2 --without-libb2 --without-openssl \
		--without-nettle --without-mbedtls --without-xml2 --without-expat --without-cng
}

build_deps() {
	local t0=$SECONDS step
	for step in zlib bzip2 xz zstd libxml2 libnl libuuid libarchive; do
		if [ -e "$work/stamp-$step" ]; then
			continue
		fi
		echo "== $step"
		"build_$step"
		touch "$work/stamp-$step"
	done
	echo "== dependencies ($arch) built in $((SECONDS - t0)) s"
}

# --- 3. vzlite ----------------------------------------------------------------------------
build_vzlite() {
	echo "== vzlite (cmake -DVZLITE_STATIC=ON)"
	run vzlite.log cmake -S "$src" -B "$work/vzlite" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCMAKE_C_COMPILER="$CC" -DPKG_CONFIG_EXECUTABLE="$tools/pkg-config" \
		-DCMAKE_FIND_ROOT_PATH="$sysroot" -DVZLITE_STATIC=ON -DVZL_WERROR=ON
	run vzlite.log cmake --build "$work/vzlite" -j"$jobs"
	cp "$work/vzlite/cmd/vzlite" "$build/vzlite-static-$arch"
	cp "$work/vzlite/vzemu-abi-client" "$build/vzemu-abi-client-static-$arch"
	strip "$build/vzlite-static-$arch" "$build/vzemu-abi-client-static-$arch"
	local f
	for f in "$build/vzlite-static-$arch" "$build/vzemu-abi-client-static-$arch"; do
		if ! file "$f" | grep -q 'statically linked'; then
			echo "build-static.sh: $f is not statically linked: $(file -b "$f")" >&2
			exit 1
		fi
		echo "== $(basename "$f"): $(stat -c %s "$f") bytes: $(file -b "$f")"
	done
	# the same programs under their own names (messages and traces name argv[0])
	ln -sfn "../../vzlite-static-$arch" "$work/bin/vzlite"
	ln -sfn "../../vzemu-abi-client-static-$arch" "$work/bin/vzemu-abi-client"
	# vzctl's and vzlist's command lines: the same binary chooses its front end by its name
	ln -sfn vzlite "$work/bin/vzctl"
	ln -sfn vzlite "$work/bin/vzlist"
}

t_all=$SECONDS
make_toolchain
fetch_sources
build_deps
build_vzlite
echo "== done in $((SECONDS - t_all)) s"
