#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The quota file both ways, against quotafmt.py (an independent parser written from §4.3):
(a) vzlite writes a file, the test parses it and checks every field and the checksum;
(b) the test writes a file byte by byte, vzlite reads it and prints every field;
and vzlite rewriting a file the test wrote gives back exactly the test's bytes.
Usage: test_file_format.py VZL_QUOTA_DRIVER"""
import copy
import os
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import quotafmt  # noqa: E402

driver = sys.argv[1]
failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print('FAIL:', what, file=sys.stderr)


def run(*args):
    return subprocess.run([driver, *args], capture_output=True, text=True)


if not quotafmt.supported():
    print('skip: the test parser knows the x86_64 layout only')
    sys.exit(77)

with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, 'quota.101')
    want = quotafmt.sample()

    # (a) vzlite writes; the independent parser reads.
    p = run('write', d, '101', *quotafmt.driver_args(want))
    check(p.returncode == 0, 'write: %s' % p.stderr)
    data = open(path, 'rb').read()
    got = quotafmt.parse(data)  # raises on a bad magic, checksum or length
    check(got == want, 'vzlite wrote %r, wanted %r' % (got, want))
    check(len(data) == 96 + len(want['path']) + 64 + 72 * 3 + 8, 'file length %d' % len(data))
    st = os.stat(path)
    check(stat.S_IMODE(st.st_mode) == 0o600, 'mode %o, vzquota makes 0600' % st.st_mode)
    # The padding vzlite writes is zero: encoding the parsed value gives the same bytes.
    check(quotafmt.encode(want) == data, 'bytes differ from the reference encoding')

    # No path, no records: path_len 0 and the records part empty.
    empty = copy.deepcopy(want)
    empty['path'] = ''
    empty['records'] = []
    p = run('write', d, '101', *quotafmt.driver_args(empty))
    check(p.returncode == 0, 'write empty: %s' % p.stderr)
    data = open(path, 'rb').read()
    check(len(data) == 96 + 64 + 8, 'length without path and records: %d' % len(data))
    check(quotafmt.parse(data) == empty, 'empty file fields')

    # (b) the test writes byte by byte (padding filled with 0xAA as an uninitialised buffer
    # of vzquota's could be); vzlite reads every field.
    data = quotafmt.encode(want, pad_byte=b'\xaa')
    with open(path, 'wb') as f:
        f.write(data)
    p = run('read', d, '101')
    check(p.returncode == 0, 'read: %s' % p.stderr)
    if p.returncode == 0:
        got = quotafmt.from_driver_output(p.stdout)
        check(got == want, 'vzlite read %r, wanted %r' % (got, want))

    # Rewriting keeps every field; the new file has zero padding, so its bytes are the
    # reference encoding; the inode changes (written beside and renamed over).
    ino = os.stat(path).st_ino
    p = run('rewrite', d, '101')
    check(p.returncode == 0, 'rewrite: %s' % p.stderr)
    check(open(path, 'rb').read() == quotafmt.encode(want), 'rewrite changed the contents')
    check(os.stat(path).st_ino != ino, 'rewrite did not replace the file atomically')
    check(sorted(os.listdir(d)) == ['quota.101'], 'left behind: %s' % os.listdir(d))

    # A file the test wrote with an odd length before the checksum is impossible (all parts
    # are multiples of 8 except the path): a 5-byte path gives a zero-padded last word.
    odd = copy.deepcopy(want)
    odd['path'] = '/vz/x'
    data = quotafmt.encode(odd)
    with open(path, 'wb') as f:
        f.write(data)
    p = run('read', d, '101')
    check(p.returncode == 0 and quotafmt.from_driver_output(p.stdout) == odd,
          'odd path length: %s' % p.stderr)

    # drop removes the file.
    p = run('drop', d, '101')
    check(p.returncode == 0 and not os.path.exists(path), 'drop: %s' % p.stderr)

print('test_file_format: %s' % ('FAILED' if failures else 'ok'))
sys.exit(1 if failures else 0)
