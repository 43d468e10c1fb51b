#!/usr/bin/env bash
# Usage: test-list.sh VZLITE — runs the vzlist model (vzlist_model.py) in a fresh directory.
set -uo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$(dirname "$0")/vzlist_model.py" "${1:?}" "$tmp/host"
