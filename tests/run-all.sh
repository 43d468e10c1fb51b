#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls exactly this): install the build and
# test dependencies (Debian bookworm, as root), then
#   1. gcc with -Werror: build, ctest;
#   2. clang with AddressSanitizer + UndefinedBehaviorSanitizer: build, ctest;
#   3. the fuzz targets for a short smoke run (clang, libFuzzer; ctest -L fuzz only);
#   4. static: the musl-built static vzlite (tools/static/build-static.sh) under the emulator's
#      default 2.6.32 mode: the emulator tests (lifecycle, exec, list, net) of a gcc build
#      told to run that binary (ctest -L given-vzlite).
# Each phase uses its own build directory under build/. Set VZL_SKIP_APT=1 to skip apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)

packages=(
	build-essential cmake pkg-config python3 git file
	gcc-multilib clang libclang-rt-14-dev libfuzzer-14-dev
	libxml2-dev uuid-dev libarchive-dev zlib1g-dev libnl-3-dev libnl-route-3-dev libseccomp-dev
	clang-format-14 iproute2 tar gzip bzip2 xz-utils zstd acl attr libarchive-tools busybox-static
	libvirt-clients # virsh; libvirt0 carries the OpenVZ driver (tests/compat)
	musl-tools dpkg-dev autoconf automake libtool autopoint gettext bison flex gtk-doc-tools
)
if [ "${VZL_SKIP_APT:-0}" != 1 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "run-all.sh: run as root (it installs packages with apt-get), or set VZL_SKIP_APT=1" >&2
		exit 1
	fi
	echo "== setup: apt-get install ${packages[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

# CTEST_LABEL=L phase ...: run only the tests labelled L (the fuzz phase runs only its fuzzers).
phase() { # NAME CC CMAKE_ARGS...
	local name=$1 cc=$2 label=()
	shift 2
	[ -n "${CTEST_LABEL:-}" ] && label=(-L "$CTEST_LABEL")
	echo "== $name: configure and build"
	cmake -S "$src" -B "build/$name" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
	cmake --build "build/$name" -j"$jobs"
	echo "== $name: ctest"
	ctest --test-dir "build/$name" --output-on-failure -j"$jobs" "${label[@]}"
}

phase gcc-werror gcc -DVZL_WERROR=ON
ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	phase clang-asan-ubsan clang -DVZL_WERROR=ON -DVZL_SANITIZE=ON
# The libFuzzer targets, VZL_FUZZ_SECONDS (default 60) each: about two minutes.
ASAN_OPTIONS=halt_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 CTEST_LABEL=fuzz \
	phase clang-fuzz clang -DVZL_FUZZ=ON -DVZL_SANITIZE=ON -DVZL_WERROR=ON
# The static binaries run where the build's own would: every call on the lifecycle, list and
# network paths must be one 2.6.32 has, or vzemu answers ENOSYS and the suite fails.
static_t0=$SECONDS
echo "== static: tools/static/build-static.sh build/static-musl"
bash tools/static/build-static.sh build/static-musl
CTEST_LABEL=given-vzlite phase static gcc -DVZL_WERROR=ON \
	-DVZL_TEST_VZLITE="$src/build/static-musl/x86_64/bin/vzlite" \
	-DVZL_TEST_ABI_CLIENT="$src/build/static-musl/x86_64/bin/vzemu-abi-client"
echo "== static: $((SECONDS - static_t0)) s"
echo "== all phases passed"
