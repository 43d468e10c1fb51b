#!/usr/bin/env bash
# Every C source and header of the project is formatted as .clang-format says. The output of
# clang-format changes between major versions, so the check is made with the one Debian
# bookworm ships (14), which run-all.sh installs; another version (or none) skips the test,
# except under CI (CI=true), where a missing or different clang-format is a failure.
# Fix a failure with: git ls-files '*.c' '*.h' | xargs clang-format-14 -i
# Usage: check-format.sh SOURCE_DIR
set -uo pipefail
src=${1:?usage: check-format.sh SOURCE_DIR}
cd "$src" || exit 1

skip() {
	echo "check-format: $1"
	[ "${CI:-}" = true ] && exit 1
	exit 77
}
cf=$(command -v clang-format-14 || command -v clang-format) || skip "no clang-format"
major=$("$cf" --version | sed -n 's/.*clang-format version \([0-9]*\).*/\1/p')
[ "$major" = 14 ] || skip "clang-format $major, not 14: its output differs"

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	mapfile -t files < <(git ls-files '*.c' '*.h')
else
	mapfile -t files < <(find lib cmd kernel-abi tests -name '*.[ch]' | sort)
fi
[ "${#files[@]}" -gt 50 ] || { echo "check-format: only ${#files[@]} sources found in $src"; exit 1; }

bad=0
for f in "${files[@]}"; do
	if ! "$cf" --style=file --dry-run -Werror "$f" >/dev/null 2>&1; then
		echo "not formatted: $f"
		"$cf" --style=file "$f" | diff -u "$f" - | head -20
		bad=$((bad + 1))
	fi
done
echo "check-format: ${#files[@]} files, $bad not formatted"
[ "$bad" -eq 0 ]
