#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/make-template.sh takes its Debian mirror only from the apt sources (one-line and
# deb822 formats, disabled and security entries skipped) and, without one, stops with a
# message before creating anything. debootstrap is replaced by a stand-in that records its
# arguments and fails, so nothing is downloaded or built.
# Usage: test-make-template.sh SOURCE_DIR
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
src=${1:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir "$tmp/bin"
cat >"$tmp/bin/debootstrap" <<'STUB'
#!/bin/sh
echo "$@" >"$STUB_ARGS"
echo "stand-in debootstrap: not building"
exit 1
STUB
chmod +x "$tmp/bin/debootstrap"

# run CASE: make-template.sh with the apt sources in $tmp/CASE; sets out, rc, args.
run() {
	rm -f "$tmp/args"
	out=$(PATH="$tmp/bin:$PATH" STUB_ARGS="$tmp/args" APT_DIR="$tmp/$1" \
		bash "$src/bench/make-template.sh" "$tmp/cache-$1" 2>&1)
	rc=$?
	args=$(cat "$tmp/args" 2>/dev/null)
}
mirror_of() { awk '{ print $NF }' <<<"$args"; }

# No sources at all, and sources with nothing usable: a message, no cache directory.
mkdir -p "$tmp/none/sources.list.d" "$tmp/unusable/sources.list.d"
cat >"$tmp/unusable/sources.list" <<'SRC'
# deb http://commented.example/debian bookworm main
deb http://sec.example/debian bookworm-security main
deb-src http://src.example/debian bookworm main
SRC
echo "deb http://disabled.example/debian bookworm main" \
	>"$tmp/unusable/sources.list.d/x.list.disabled"
printf 'Types: deb\nURIs: http://off.example/debian\nSuites: bookworm\nEnabled: no\n' \
	>"$tmp/unusable/sources.list.d/off.sources"
for c in none unusable; do
	run $c
	check "$c: exit status" 1 "$rc"
	has "$c: says why" "no Debian mirror in the apt sources" "$out"
	has "$c: says what to add" "'deb URI bookworm main'" "$out"
	check "$c: debootstrap not run" "" "$args"
	[ -e "$tmp/cache-$c" ] && bad "$c: the cache directory was created" || ok
done
has "unusable: names the files read" "$tmp/unusable/sources.list.d/off.sources" "$out"

# One-line format: options in brackets, comments, deb-src and security entries first.
mkdir -p "$tmp/oneline/sources.list.d"
cat >"$tmp/oneline/sources.list" <<'SRC'
deb-src http://src.example/debian bookworm main
deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://sec.example/debian bookworm-security main
# deb http://commented.example/debian bookworm main
deb [ arch=amd64 ] http://mirror.example/debian/ bookworm main # trailing comment
deb http://later.example/debian bookworm main
SRC
run oneline
check "one-line: debootstrap gets the first usable mirror" "http://mirror.example/debian" \
	"$(mirror_of)"
has "one-line: debootstrap's failure is shown" "stand-in debootstrap" "$out"
check "one-line: nothing left in the cache" "" "$(ls -A "$tmp/cache-oneline")"

# deb822 only (no sources.list): disabled, deb-src-only and security stanzas skipped,
# comments inside a stanza, field names in any case, several URIs.
mkdir -p "$tmp/deb822/sources.list.d"
cat >"$tmp/deb822/sources.list.d/debian.sources" <<'SRC'
Types: deb
URIs: http://off.example/debian
Suites: bookworm
Enabled: no

Types: deb-src
URIs: http://src.example/debian
Suites: bookworm

Types: deb
URIs: http://sec.example/debian
Suites: bookworm-security

# the mirror
types: deb deb-src
# a comment between fields
uris: http://first.example/debian http://second.example/debian
suites: bookworm bookworm-updates
components: main
SRC
run deb822
check "deb822: debootstrap gets the first usable mirror" "http://first.example/debian" \
	"$(mirror_of)"
read -r variant suite target _ <<<"$args"
check "deb822: debootstrap's variant and suite" "--variant=minbase bookworm" "$variant $suite"
case $target in "$tmp/cache-deb822/build."*/root) ok ;; *) bad "deb822: target $target" ;; esac

finish make-template
