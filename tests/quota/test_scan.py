#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""(d) The usage scan of a tree the test builds (files of many sizes, hard links, a sparse
file, a 300-level deep tree, a directory of 5000 entries, many uids and gids, special files,
symlinks pointing outside), against the test's own count, on the disk and on a tmpfs; and a
second filesystem mounted inside the tree refused.

What vzquota counts (vzctl-behaviour.md §4.6): each inode once (non-directories with
several links by inode number), the root included; space = FIOQSIZE for regular files and
directories (the kernel answers i_blocks x 512 + i_bytes) and st_blocks x 512 for the rest.
That is allocated space, not `du --apparent-size`: the sparse file makes the two differ,
and the test checks that they do. The test's count uses os.lstat and its own FIOQSIZE
ioctl, and is cross-checked with `du -s -B1` and `du -s --inodes` (which count the same
allocated blocks, each inode once).
Usage: test_scan.py VZL_QUOTA_DRIVER"""
import collections
import fcntl
import os
import struct
import subprocess
import sys
import tempfile

driver = sys.argv[1]
failures = 0
FIOQSIZE = 0x5460


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print('FAIL:', what, file=sys.stderr)


def fioqsize(path):
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        return struct.unpack('q', fcntl.ioctl(fd, FIOQSIZE, b'\0' * 8))[0]
    finally:
        os.close(fd)


def build(root):
    os.mkdir(root)
    os.makedirs(os.path.join(root, 'files'))
    for i, size in enumerate([0, 1, 511, 4095, 4096, 4097, 100000, 1 << 20]):
        with open(os.path.join(root, 'files', 'f%d' % i), 'wb') as f:
            f.write(b'x' * size)
    # Hard links: one inode under three names in two directories; another with two names.
    os.makedirs(os.path.join(root, 'links', 'sub'))
    a = os.path.join(root, 'links', 'a')
    with open(a, 'wb') as f:
        f.write(b'y' * 50000)
    os.link(a, os.path.join(root, 'links', 'b'))
    os.link(a, os.path.join(root, 'links', 'sub', 'c'))
    with open(os.path.join(root, 'links', 'd'), 'wb') as f:
        f.write(b'z' * 9000)
    os.link(os.path.join(root, 'links', 'd'), os.path.join(root, 'files', 'd2'))
    # Sparse: 1 GiB apparent, two written blocks.
    with open(os.path.join(root, 'sparse'), 'wb') as f:
        f.truncate(1 << 30)
        f.write(b's')
        f.seek(512 << 20)
        f.write(b's' * 10)
    # Deep: 300 levels (more than the scan keeps open), a file every 50 levels.
    p = root
    for level in range(300):
        p = os.path.join(p, 'd')
        os.mkdir(p)
        if level % 50 == 0:
            with open(os.path.join(p, 'file'), 'wb') as f:
                f.write(b'd' * (level + 1))
    # Wide: 5000 entries (several getdents calls).
    wide = os.path.join(root, 'wide')
    os.mkdir(wide)
    for i in range(5000):
        with open(os.path.join(wide, 'entry-with-a-longer-name-%05d' % i), 'wb') as f:
            f.write(b'w' * (i % 7))
    # Owners: 60 uids, 7 gids, on files and directories.
    own = os.path.join(root, 'owners')
    os.mkdir(own)
    for i in range(60):
        q = os.path.join(own, 'u%d' % i)
        os.mkdir(q)
        with open(os.path.join(q, 'data'), 'wb') as f:
            f.write(b'o' * (1000 * i))
        os.chown(q, 1000 + i, 2000 + i % 7)
        os.chown(os.path.join(q, 'data'), 1000 + i, 2000 + (i + 3) % 7)
    # Special files and symlinks pointing outside (never followed).
    os.mkfifo(os.path.join(root, 'fifo'))
    os.mknod(os.path.join(root, 'null'), 0o600 | 0o020000, os.makedev(1, 3))
    os.symlink('/usr', os.path.join(root, 'to-usr'))
    os.symlink('/etc/passwd', os.path.join(root, 'to-passwd'))
    os.symlink('x' * 200, os.path.join(root, 'long-link'))  # a slow symlink with a block
    os.mkdir(os.path.join(root, 'empty'))


def count(root):
    """The test's own count: returns totals, per-uid and per-gid dicts, entries seen."""
    seen = set()
    tot = [0, 0]
    uid = collections.defaultdict(lambda: [0, 0])
    gid = collections.defaultdict(lambda: [0, 0])
    entries = 0

    def add(path, st):
        if st.st_mode & 0o170000 in (0o100000, 0o040000):
            space = fioqsize(path)
        else:
            space = st.st_blocks * 512
        for acc in (tot, uid[st.st_uid], gid[st.st_gid]):
            acc[0] += space
            acc[1] += 1

    add(root, os.stat(root))
    stack = [root]
    while stack:
        d = stack.pop()
        for name in os.listdir(d):
            entries += 1
            p = os.path.join(d, name)
            st = os.lstat(p)
            is_dir = st.st_mode & 0o170000 == 0o040000
            if not is_dir and st.st_nlink > 1:
                if st.st_ino in seen:
                    continue
                seen.add(st.st_ino)
            add(p, st)
            if is_dir:
                stack.append(p)
    return tot, dict(uid), dict(gid), entries


def du(root, *opts):
    out = subprocess.run(['du', '-s', *opts, root], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[0])


def scan(root, *opts):
    p = subprocess.run([driver, 'scan', *opts, root], capture_output=True, text=True)
    res = {'rc': p.returncode, 'err': p.stderr, 'uid': {}, 'gid': {}}
    for line in p.stdout.splitlines():
        k, _, v = line.partition('=')
        if k in ('uid', 'gid'):
            i, s, n = (int(x) for x in v.split(':'))
            res[k][i] = [s, n]
        else:
            res[k] = int(v)
    return res


def check_tree(base, where):
    root = os.path.join(base, 'private')
    build(root)
    os.sync()
    tot, uid, gid, entries = count(root)
    # Cross-check the test's count with du (allocated bytes, each inode once).
    check(du(root, '-B1') == tot[0], '%s: du -B1 %d != own count %d' %
          (where, du(root, '-B1'), tot[0]))
    check(du(root, '--inodes') == tot[1], '%s: du --inodes %d != own count %d' %
          (where, du(root, '--inodes'), tot[1]))
    # The quantity matters: the apparent size is far larger here (the sparse file).
    check(du(root, '-B1', '--apparent-size') > tot[0] + (1 << 29),
          '%s: the sparse file does not show' % where)
    for opts in ([], ['--exact'], ['--ugid'], ['--ugid', '--exact']):
        r = scan(root, *opts)
        tag = '%s scan %s' % (where, ' '.join(opts))
        check(r['rc'] == 0, '%s: exit %d %s' % (tag, r['rc'], r['err']))
        if r['rc']:
            continue
        check(r['space'] == tot[0], '%s: space %d, counted %d' % (tag, r['space'], tot[0]))
        check(r['inodes'] == tot[1], '%s: inodes %d, counted %d' % (tag, r['inodes'], tot[1]))
        check(r['entries'] == entries, '%s: entries %d, %d' % (tag, r['entries'], entries))
        check(r['progress_last'] == entries and r['progress_calls'] >= entries // 4096 + 1,
              '%s: progress %d calls, last %d' % (tag, r['progress_calls'], r['progress_last']))
        check(r['inexact'] == 0, '%s: FIOQSIZE failed' % tag)
        if '--ugid' in opts:
            check(r['uid'] == uid, '%s: per uid %r != %r' % (tag, r['uid'], uid))
            check(r['gid'] == gid, '%s: per gid %r != %r' % (tag, r['gid'], gid))
            check(len(uid) == 61 and len(gid) == 8, '%s: owners in the tree' % tag)
        else:
            check(not r['uid'] and not r['gid'], '%s: per-id lines without --ugid' % tag)

    # A second filesystem mounted inside the tree: refused, naming it (in a private mount
    # namespace; nothing is mounted on the host).
    mnt = os.path.join(root, 'owners', 'u5', 'mnt')
    os.mkdir(mnt)
    p = subprocess.run(['unshare', '-m', '--propagation', 'private', 'sh', '-c',
                        'mount -t tmpfs quota-test "$1" && exec "$2" scan "$3"', 'sh',
                        mnt, driver, root], capture_output=True, text=True)
    check(p.returncode == 60 and 'errno=EXDEV' in p.stderr and mnt in p.stderr,
          '%s: a mount inside the tree: exit %d %s' % (where, p.returncode, p.stderr))
    os.rmdir(mnt)
    # A file that is not a directory as the root, and a missing root.
    r = scan(os.path.join(root, 'files', 'f1'))
    check(r['rc'] == 60 and 'ENOTDIR' in r['err'], '%s: a file as root: %s' % (where, r['err']))


if len(sys.argv) > 2 and sys.argv[2] == '--tmpfs-child':
    # Inside our own mount namespace: the tree on a tmpfs.
    base = sys.argv[3]
    subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=2g', 'quota-test', base], check=True)
    check_tree(base, 'tmpfs')
    sys.exit(1 if failures else 0)

if os.geteuid() != 0 or subprocess.run(['unshare', '-m', 'true']).returncode != 0:
    print('skip: needs root and mount namespaces (chown, mknod, tmpfs)')
    sys.exit(77)

with tempfile.TemporaryDirectory(dir='/var/tmp') as base:
    check_tree(base, 'disk')
with tempfile.TemporaryDirectory() as base:
    p = subprocess.run(['unshare', '-m', '--propagation', 'private', sys.executable,
                        os.path.abspath(__file__), driver, '--tmpfs-child', base])
    check(p.returncode == 0, 'the tmpfs run failed')

print('test_scan: %s' % ('FAILED' if failures else 'ok'))
sys.exit(1 if failures else 0)
