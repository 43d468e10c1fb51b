#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""(c) Broken quota files are refused with vzctl's exit code 60 and a recovery hint, and left
exactly as they were; plus vzquota's flock and a created-but-unwritten file not left behind.
Usage: test_corrupt.py VZL_QUOTA_DRIVER"""
import fcntl
import hashlib
import os
import struct
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


def digest(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


if not quotafmt.supported():
    print('skip: the test parser knows the x86_64 layout only')
    sys.exit(77)

good = quotafmt.encode(quotafmt.sample())
flipped = bytearray(good)
flipped[8 + 24] ^= 0x01  # one bit of bcur: the checksum no longer matches
bad_magic = bytearray(good)
bad_magic[0:4] = struct.pack('<I', 0xFEDCBC28)
bad_magic[-8:] = struct.pack('<Q', quotafmt.checksum(bytes(bad_magic[:-8])))
bad_type = quotafmt.sample()
bad_type['records'][0]['type'] = 2
dup = quotafmt.sample()
dup['records'][1]['id'] = 500  # the same uid twice
longer = quotafmt.sample()
longer_bytes = quotafmt.encode(longer)[:-8] + b'\0' * 8  # 8 bytes no record count explains
longer_bytes += struct.pack('<Q', quotafmt.checksum(longer_bytes))

cases = {
    'short-header': (good[:5], 'shorter than its header'),
    'short-fixed': (good[:60], 'truncated'),
    'short-records': (good[:-80], None),  # cut inside the records: the checksum is wrong too
    'bad-magic': (bytes(bad_magic), 'bad magic'),
    'bad-checksum': (bytes(flipped), 'checksum'),
    'bad-type': (quotafmt.encode(bad_type), 'type other than user or group'),
    'duplicate': (quotafmt.encode(dup), 'same uid or gid twice'),
    'too-long': (longer_bytes, 'longer than'),
    'old-format-v2': (struct.pack('<Ii', 0xFEDCBB00, 0) + b'\0' * 120, 'old vzquota'),
    'empty': (b'', 'shorter than its header'),
}

with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, 'quota.7')
    for name, (data, reason) in cases.items():
        for cmd in ('read', 'rewrite'):
            with open(path, 'wb') as f:
                f.write(data)
            before = digest(path), os.stat(path).st_ino
            p = run(cmd, d, '7')
            check(p.returncode == 60, '%s/%s: exit %d (want 60): %s' %
                  (name, cmd, p.returncode, p.stderr))
            check('vzlite quota 7 drop' in p.stderr and 'vzlite quota 7 init' in p.stderr,
                  '%s/%s: no recovery hint: %s' % (name, cmd, p.stderr))
            check(path in p.stderr, '%s/%s: the message does not name the file' % (name, cmd))
            if reason:
                check(reason in p.stderr, '%s/%s: reason %r missing: %s' %
                      (name, cmd, reason, p.stderr))
            check((digest(path), os.stat(path).st_ino) == before,
                  '%s/%s: the file was changed' % (name, cmd))
            check(os.listdir(d) == ['quota.7'], '%s/%s: left %s' % (name, cmd, os.listdir(d)))

    # The good file passes (so the cases above fail for their own reason).
    with open(path, 'wb') as f:
        f.write(good)
    check(run('read', d, '7').returncode == 0, 'the good file is refused')

    # vzquota's lock: flock(LOCK_EX) on the file held elsewhere: refused, nothing written.
    with open(path, 'rb+') as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        before = digest(path), os.stat(path).st_ino
        p = run('rewrite', d, '7')
        check(p.returncode == 60 and 'locked' in p.stderr,
              'a held lock: exit %d %s' % (p.returncode, p.stderr))
        check((digest(path), os.stat(path).st_ino) == before, 'written while locked')
    # And vzlite keeps it across its own rewrite: the new file is locked before it takes the
    # name, so right after the rename the file under the name is still locked by vzlite.
    hold = subprocess.Popen([driver, 'rewrite-hold', d, '7'], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    check(hold.stdout.readline() == 'written\n', 'rewrite-hold did not write')
    with open(path, 'rb') as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            check(False, 'the rewritten file is not locked while vzlite holds it')
        except BlockingIOError:
            pass
    hold.stdin.close()
    check(hold.wait() == 0, 'rewrite-hold failed: %s' % hold.stderr.read())
    hold.stdout.close()
    hold.stderr.close()
    with open(path, 'rb') as f:  # released on close
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)

    # Missing file: refused (vzctl maps vzquota's "no file" to init; here the hint says so).
    p = run('read', d, '8')
    check(p.returncode == 60 and 'vzlite quota 8 init' in p.stderr and 'ENOENT' in p.stderr,
          'missing file: %d %s' % (p.returncode, p.stderr))
    # A symlink in place of the file is not followed.
    os.symlink(path, os.path.join(d, 'quota.9'))
    p = run('rewrite', d, '9')
    check(p.returncode == 60 and 'symbolic link' in p.stderr, 'symlink: %s' % p.stderr)
    check(digest(path) == hashlib.sha256(good).hexdigest(), 'written through a symlink')
    os.unlink(os.path.join(d, 'quota.9'))

    # Created and abandoned before the first write: nothing stays behind.
    p = run('create-abandon', d, '10')
    check(p.returncode == 0, 'create-abandon: %s' % p.stderr)
    check(not os.path.exists(os.path.join(d, 'quota.10')), 'an empty quota.10 was left')
    # A missing quota directory is created for a new file.
    sub = os.path.join(d, 'sub', 'vzquota')
    p = run('write', sub, '11', *quotafmt.driver_args(quotafmt.sample()))
    check(p.returncode == 0 and os.path.exists(os.path.join(sub, 'quota.11')),
          'write into a missing directory: %s' % p.stderr)
    # A temporary left by a writer that died is removed by the next write.
    stale = os.path.join(d, '.quota.7.99999.abc')
    open(stale, 'wb').close()
    check(run('rewrite', d, '7').returncode == 0 and not os.path.exists(stale),
          'a stale temporary was not removed')

print('test_corrupt: %s' % ('FAILED' if failures else 'ok'))
sys.exit(1 if failures else 0)
