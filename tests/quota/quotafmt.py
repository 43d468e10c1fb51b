# SPDX-License-Identifier: LGPL-2.1-or-later
"""An independent reader and writer of vzquota's quota file, written from
shared/docs/vzctl-behaviour.md §4.3 (x86_64 column), for the tests only.

  0   int magic (0xFEDCBC27), int flags
  8   dq_stat: u64 bhard, u64 bsoft, time_t btime, u64 bcur, u32 ihard, u32 isoft,
      time_t itime, u32 icur (+4 padding) = 56 bytes
  64  dq_info: time_t bexpire, time_t iexpire, u32 flags (+4 padding) = 24 bytes
  88  size_t path_len
  96  path (no NUL)
  P   ugid info: u32 limit, count, flags, buf_size, dq_info[2] = 64 bytes
  P+64  records of 72 bytes: u32 id, u32 type, dq_stat, u32 flags (+4 padding)
  end-8 u64 checksum: XOR of all preceding 8-byte words, the last one zero-padded
"""
import platform
import struct

MAGIC = 0xFEDCBC27
DQ_STAT = struct.Struct('<QQqQIIqI4x')      # 56
DQ_INFO = struct.Struct('<qqI4x')           # 24
UGID_HEAD = struct.Struct('<IIII')          # 16, then two DQ_INFO
REC_HEAD = struct.Struct('<II')             # id, type, then DQ_STAT, then u32 flags + 4 pad
assert DQ_STAT.size == 56 and DQ_INFO.size == 24

STAT_KEYS = ('bhard', 'bsoft', 'btime', 'bcur', 'ihard', 'isoft', 'itime', 'icur')


def supported():
    return platform.machine() == 'x86_64'


def checksum(data):
    pad = (-len(data)) % 8
    data = data + b'\0' * pad
    s = 0
    for (w,) in struct.iter_unpack('<Q', data):
        s ^= w
    return s


def encode(q, magic=MAGIC, pad_byte=b'\0'):
    """q: dict with the keys parse() returns. pad_byte fills the struct padding."""
    def dq_stat(st):
        b = bytearray(DQ_STAT.pack(*(st[k] for k in STAT_KEYS)))
        b[52:56] = pad_byte * 4
        return bytes(b)

    def dq_info(i):
        b = bytearray(DQ_INFO.pack(i['bexpire'], i['iexpire'], i['flags']))
        b[20:24] = pad_byte * 4
        return bytes(b)

    out = struct.pack('<Ii', magic, q['flags'])
    out += dq_stat(q['stat']) + dq_info(q['grace'])
    path = q['path'].encode()
    out += struct.pack('<Q', len(path)) + path
    out += UGID_HEAD.pack(q['ugid_limit'], q['ugid_count'], q['ugid_flags'], len(q['records']))
    out += dq_info(q['ugid_grace'][0]) + dq_info(q['ugid_grace'][1])
    for r in q['records']:
        out += REC_HEAD.pack(r['id'], r['type']) + dq_stat(r['stat'])
        out += struct.pack('<I', r['flags']) + pad_byte * 4
    return out + struct.pack('<Q', checksum(out))


def parse(data):
    """Returns the dict; raises ValueError with the reason for a bad file."""
    if len(data) < 8 + 80 + 8 + 64 + 8:
        raise ValueError('short')
    magic, flags = struct.unpack_from('<Ii', data, 0)
    if magic != MAGIC:
        raise ValueError('magic')
    (stored,) = struct.unpack_from('<Q', data, len(data) - 8)
    if checksum(data[:-8]) != stored:
        raise ValueError('checksum')

    def dq_stat(off):
        return dict(zip(STAT_KEYS, DQ_STAT.unpack_from(data, off)))

    def dq_info(off):
        b, i, f = DQ_INFO.unpack_from(data, off)
        return {'bexpire': b, 'iexpire': i, 'flags': f}

    q = {'flags': flags, 'stat': dq_stat(8), 'grace': dq_info(64)}
    (plen,) = struct.unpack_from('<Q', data, 88)
    q['path'] = data[96:96 + plen].decode()
    p = 96 + plen
    q['ugid_limit'], q['ugid_count'], q['ugid_flags'], n = UGID_HEAD.unpack_from(data, p)
    q['ugid_grace'] = [dq_info(p + 16), dq_info(p + 40)]
    if p + 64 + 72 * n + 8 != len(data):
        raise ValueError('length')
    q['records'] = []
    for i in range(n):
        o = p + 64 + 72 * i
        rid, rtype = REC_HEAD.unpack_from(data, o)
        (rflags,) = struct.unpack_from('<I', data, o + 64)
        q['records'].append({'id': rid, 'type': rtype, 'stat': dq_stat(o + 8), 'flags': rflags})
    return q


def driver_args(q):
    """The driver's `write` arguments for q."""
    a = ['flags=%d' % q['flags']]
    a += ['%s=%d' % (k, q['stat'][k]) for k in STAT_KEYS]
    a += ['bexpire=%d' % q['grace']['bexpire'], 'iexpire=%d' % q['grace']['iexpire'],
          'iflags=%d' % q['grace']['flags'], 'path=' + q['path'],
          'ugid_limit=%d' % q['ugid_limit'], 'ugid_count=%d' % q['ugid_count'],
          'ugid_flags=%d' % q['ugid_flags']]
    for t in (0, 1):
        g = q['ugid_grace'][t]
        a += ['ug%d_bexpire=%d' % (t, g['bexpire']), 'ug%d_iexpire=%d' % (t, g['iexpire']),
              'ug%d_flags=%d' % (t, g['flags'])]
    for r in q['records']:
        a.append('rec=%d:%d:%s:%d' % (r['type'], r['id'],
                                      ':'.join(str(r['stat'][k]) for k in STAT_KEYS), r['flags']))
    return a


def from_driver_output(text):
    """Parse the driver's `read` output back into the dict shape."""
    kv, recs = {}, []
    for line in text.splitlines():
        k, _, v = line.partition('=')
        if k == 'rec':
            f = [int(x) for x in v.split(':')]
            recs.append({'type': f[0], 'id': f[1], 'stat': dict(zip(STAT_KEYS, f[2:10])),
                         'flags': f[10]})
        else:
            kv[k] = v
    return {
        'flags': int(kv['flags']),
        'stat': {k: int(kv[k]) for k in STAT_KEYS},
        'grace': {'bexpire': int(kv['bexpire']), 'iexpire': int(kv['iexpire']),
                  'flags': int(kv['iflags'])},
        'path': kv['path'],
        'ugid_limit': int(kv['ugid_limit']), 'ugid_count': int(kv['ugid_count']),
        'ugid_flags': int(kv['ugid_flags']),
        'ugid_grace': [{'bexpire': int(kv['ug%d_bexpire' % t]),
                        'iexpire': int(kv['ug%d_iexpire' % t]),
                        'flags': int(kv['ug%d_flags' % t])} for t in (0, 1)],
        'records': recs,
    }


def sample():
    """A file with every field distinct and non-zero, 64-bit values above 2^32."""
    def st(base):
        return {'bhard': (7 << 40) + base, 'bsoft': (5 << 40) + base + 1,
                'btime': 1700000000 + base, 'bcur': (3 << 33) + base + 2,
                'ihard': 900000 + base, 'isoft': 800000 + base, 'itime': 1700000500 + base,
                'icur': 12345 + base}
    return {
        'flags': 1 | 4,
        'stat': st(0),
        'grace': {'bexpire': 259200, 'iexpire': 172800, 'flags': 2},
        'path': '/vz/private/101',
        'ugid_limit': 100, 'ugid_count': 3, 'ugid_flags': 2,
        'ugid_grace': [{'bexpire': 604800, 'iexpire': 86400, 'flags': 0},
                       {'bexpire': 3600, 'iexpire': 7200, 'flags': 1}],
        'records': [{'id': 500, 'type': 0, 'stat': st(10), 'flags': 1},
                    {'id': 4000000000, 'type': 0, 'stat': st(20), 'flags': 3},
                    {'id': 500, 'type': 1, 'stat': st(30), 'flags': 2}],
    }
