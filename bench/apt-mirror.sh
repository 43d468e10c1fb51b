#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Print the Debian mirror this machine's apt sources name, for debootstrap: the URI of the
# first enabled "deb" entry of a suite other than a security one, whose path ends in
# /debian. Read in apt's order: sources.list, then sources.list.d/*.list (one-line format)
# and *.sources (deb822), alphabetically. No mirror is ever assumed: without one, say what
# to add and exit 1.
# Usage: bench/apt-mirror.sh [APT_DIR]   (default /etc/apt)
set -euo pipefail

dir=${1:-/etc/apt}
files=()
[ -f "$dir/sources.list" ] && files+=("$dir/sources.list")
shopt -s nullglob
for f in "$dir"/sources.list.d/*; do
	case $f in *.list | *.sources) files+=("$f") ;; esac
done

# One URI per line, in order, for each entry that qualifies.
candidates() {
	local f
	for f in "${files[@]}"; do
		case $f in
		*.sources)
			# deb822: blank lines separate stanzas; '#' starts a comment line; a line
			# starting with white space continues the field above.
			awk -v RS= -F '\n' '
			{
				types = ""; uris = ""; suites = ""; enabled = "yes"; key = ""
				for (i = 1; i <= NF; i++) {
					line = $i
					if (line ~ /^#/) continue
					if (line ~ /^[ \t]/) { val = line }
					else {
						key = tolower(line); sub(/:.*/, "", key)
						val = line; sub(/^[^:]*:/, "", val)
					}
					if (key == "types") types = types " " val
					else if (key == "uris") uris = uris " " val
					else if (key == "suites") suites = suites " " val
					else if (key == "enabled") enabled = tolower(val)
				}
				gsub(/[ \t]/, "", enabled)
				if (enabled == "no" || (" " types " ") !~ /[ \t]deb[ \t]/) next
				n = split(suites, s, /[ \t]+/); ok = 0
				for (j = 1; j <= n; j++)
					if (s[j] != "" && s[j] !~ /security/) ok = 1
				if (!ok) next
				n = split(uris, u, /[ \t]+/)
				for (j = 1; j <= n; j++) if (u[j] != "") print u[j]
			}' "$f"
			;;
		*)
			# One line per entry: deb [options] URI SUITE [COMPONENT...].
			sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" |
				awk '$1 == "deb" && NF >= 3 && $3 !~ /security/ { print $2 }'
			;;
		esac
	done
}

mirror=$(candidates | grep -E '^(https?|ftp|file):/*[^ ]*/debian/?$' | head -n 1 || true)
if [ -z "$mirror" ]; then
	echo "apt-mirror: no Debian mirror in the apt sources (${files[*]:-none in $dir}):" \
		"add a 'deb URI bookworm main' entry whose URI ends in /debian, then retry" >&2
	exit 1
fi
echo "${mirror%/}"
