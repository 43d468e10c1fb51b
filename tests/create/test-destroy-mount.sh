#!/usr/bin/env bash
# destroy, and the tree removal under it, never go through a mount point: a host directory
# bind-mounted (same filesystem, so the same st_dev) into a VE's private area, into the
# leftover of an interrupted destroy, or into a tree given to fs_remove_tree is left as it
# was, and nothing of the VE is renamed or removed. Mounts happen only inside a mount
# namespace this test makes (unshare -m, propagation private), checked by its inode.
# Usage: test-destroy-mount.sh VZLITE FIXTURES_DIR VZEMU VZL_EXTRACT
set -uo pipefail
. "$(dirname "$0")/../lib/testlib.sh"
vzlite=${1:?} fixtures=${2:?} vzemu=${3:?} rmtool=${4:?}
command -v unshare >/dev/null || { echo "no unshare"; exit 77; }
tmp=$(mktemp -d)
emu_setup "$vzemu" "$tmp"
state=$tmp/state
unshare -m --propagation private true 2>/dev/null || { echo "cannot make a mount namespace"; exit 77; }
conf=$("$fixtures/make-demo-host.sh" "$tmp/host")
H=$tmp/host
V=("$vzlite" --global-config "$conf")

# The sentinel: a host directory outside every VE tree, on the same filesystem.
S=$tmp/srv/x
mkdir -p "$S/sub"
printf 'precious\n' >"$S/a"
printf 'more\n' >"$S/sub/b"
ln -s a "$S/link"
sum() { snapshot --contents "$S" | md5sum; }
before=$(sum)
"${V[@]}" create 104 --ostemplate demo-x86_64 >/dev/null 2>&1
check "create 104" 0 $?
mkdir -p "$H/private/104/mnt"
check "sentinel on the VE's filesystem" "$(stat -c %d "$H/private/104")" "$(stat -c %d "$S")"
tree() { snapshot --inodes "$H/private" "$H/conf" "$H/root" | md5sum; }

# Run "$@" in a new private mount namespace with SRC bind-mounted on DST; the namespace
# must differ from this one (exit 99 otherwise). Its exit code and stderr are kept.
outer=$(readlink /proc/self/ns/mnt)
in_ns() { # SRC DST COMMAND...
	unshare -m --propagation private bash -c '
		[ "$(readlink /proc/self/ns/mnt)" != "$1" ] || exit 99
		mount --bind "$2" "$3" || exit 98
		shift 3
		"$@"' sh "$outer" "$@" 2>"$tmp/err"
}
emu() { "$vzemu" --state "$state" -- "$@"; }

# 1. A bind mount inside the private area: refused before anything is renamed.
t0=$(tree)
in_ns "$S" "$H/private/104/mnt" "$vzemu" --state "$state" -- "${V[@]}" destroy 104
check "bind mount in the private area: exit 41 (mounted)" 41 $?
err=$(cat "$tmp/err")
has "names the mount point" "$H/private/104/mnt is a mount point inside $H/private/104" "$err"
has "says how to fix it" "umount '$H/private/104/mnt'" "$err"
check "the sentinel is unchanged" "$before" "$(sum)"
check "nothing of the VE was renamed or removed" "$t0" "$(tree)"
check "status still says exist" "CTID 104 exist unmounted down" "$(emu "${V[@]}" status 104)"
[ "$(readlink /proc/self/ns/mnt)" = "$outer" ] && ok || bad "this shell's mount namespace changed"
nothing_left "bind mount in the private area (none leaked out of its namespace)" "$H" 104 "$vzemu" "$state"

# 2. The same inside the leftover of an interrupted destroy: nothing is removed.
mkdir -p "$H/private/104.vzlite-destroying/usr/mnt"
t0=$(tree)
in_ns "$S" "$H/private/104.vzlite-destroying/usr/mnt" "$vzemu" --state "$state" -- "${V[@]}" destroy 104
check "bind mount in a leftover: exit 41" 41 $?
has "names that mount point" "$H/private/104.vzlite-destroying/usr/mnt is a mount point" "$(cat "$tmp/err")"
check "the sentinel is unchanged (leftover)" "$before" "$(sum)"
check "nothing removed (leftover)" "$t0" "$(tree)"
rm -rf "$H/private/104.vzlite-destroying"

# 3. The tree removal itself (fs_remove_tree) refuses a tree with a bind mount inside, as
# defense in depth for callers that did not look first: nothing of the tree is removed.
mkdir -p "$tmp/doomed/a/b" "$tmp/doomed/z"
: >"$tmp/doomed/a/file"
: >"$tmp/doomed/z/file"
in_ns "$S" "$tmp/doomed/a/b" "$rmtool" --rm "$tmp/doomed"
r=$?
[ $r -ne 0 ] && [ $r -lt 98 ] && ok || bad "fs_remove_tree through a bind mount: exit $r"
has "fs_remove_tree names the mount point" "'$tmp/doomed/a/b' is a mount point" "$(cat "$tmp/err")"
check "the sentinel is unchanged (fs_remove_tree)" "$before" "$(sum)"
check "nothing of the tree removed" "a/b a/file z/file" "$(cd "$tmp/doomed" && find . -mindepth 2 | sed 's,^\./,,' | sort | paste -sd' ')"
# A bind mount over the top of the tree itself.
in_ns "$S" "$tmp/doomed" "$rmtool" --rm "$tmp/doomed"
r=$?
[ $r -ne 0 ] && [ $r -lt 98 ] && ok || bad "fs_remove_tree of a mount point: exit $r"
check "the sentinel is unchanged (top)" "$before" "$(sum)"

# 4. Without the mount, the same destroy works: the refusals were about the mount only.
emu "${V[@]}" destroy 104 >/dev/null 2>&1
check "destroy without the mount" 0 $?
check "status after destroy" "CTID 104 deleted unmounted down" "$(emu "${V[@]}" status 104)"
check "the sentinel is unchanged (end)" "$before" "$(sum)"

finish test-destroy-mount
