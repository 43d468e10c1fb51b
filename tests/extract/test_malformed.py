#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Template caches whose headers libarchive can only read with a warning, or cannot read at
all, are refused with a message saying where; nothing is left behind. A warning libarchive
gives for every valid pax archive with non-ASCII names is not a refusal.

- A pax record claiming a 2 GB path (libarchive warns, drops the pax header and would use
  the ustar name; GNU tar and bsdtar refuse the archive) and a pax record with a malformed
  length: refused, naming the entry, its number and the offset of its header.
- A damaged header (bad checksum, or garbage) after N good entries: libarchive reports it
  as retryable, which once let an entry without a name through ("entry '?'"). Refused,
  naming the last good entry, its number and the offset of its header.
- The same with vzlite create (exit 48, no private area, no staging, no marker).
- Valid pax archives with non-ASCII names, user names and link targets are extracted.

Archives are built here byte by byte (ustar headers from Python's tarfile, pax records by
hand), so each offset the message must give is known from the bytes written.

Usage: test_malformed.py VZL-EXTRACT [VZLITE FIXTURES_DIR]"""
import gzip
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xtest  # noqa: E402

BLOCK = 512


def ustar(name, data=b"", type_=tarfile.REGTYPE, linkname=""):
    ti = tarfile.TarInfo(name)
    ti.type = type_
    ti.mode = 0o755 if type_ == tarfile.DIRTYPE else 0o644
    ti.mtime = 1_600_000_000
    ti.linkname = linkname
    ti.size = len(data)
    return ti.tobuf(format=tarfile.USTAR_FORMAT) + data + b"\0" * (-len(data) % BLOCK)


def pax_header(records):
    """An 'x' header holding `records` (bytes, written as given)."""
    ti = tarfile.TarInfo("PaxHeaders/entry")
    ti.type = tarfile.XHDTYPE
    ti.size = len(records)
    return ti.tobuf(format=tarfile.USTAR_FORMAT) + records + b"\0" * (-len(records) % BLOCK)


def good_entries(n):
    """n valid entries; returns the bytes and the offset of each one's header."""
    out, offsets = b"", []
    for i in range(n):
        offsets.append(len(out))
        out += ustar(f"f{i}", f"content {i}\n".encode())
    return out, offsets


END = b"\0" * (2 * BLOCK)


def main():
    driver = sys.argv[1]
    vzlite = sys.argv[2] if len(sys.argv) > 3 else None
    fixtures = sys.argv[3] if len(sys.argv) > 3 else None
    xtest.need_root()
    f = xtest.Failures("extract-malformed")
    work = xtest.workdir("vzl-malformed.")
    try:
        cases_dir = os.path.join(work, "cases")
        os.mkdir(cases_dir)
        ve_parent = os.path.join(work, "vz", "private")
        os.makedirs(ve_parent)
        refused = []  # (name, path, words the message must contain)

        def add(name, data, expect):
            p = os.path.join(cases_dir, name + ".tar")
            with open(p, "wb") as fh:
                fh.write(data)
            refused.append((name, p, expect))
            # The same archive compressed: offsets are those of the tar stream.
            with open(p + ".gz", "wb") as fh:
                fh.write(gzip.compress(data))
            refused.append((name + ".gz", p + ".gz", expect))

        # A path record claiming 2 GB in a header of 40 bytes, before the 3rd entry.
        head, offs = good_entries(2)
        add("pax-2gb-path",
            head + pax_header(b"2147483700 path=" + b"A" * 20 + b"\n") +
            ustar("ustar-name", b"x") + END,
            ["'ustar-name'", "entry 3", f"header at byte {len(head)} ", "pax"])
        # A record whose length is not a number.
        head, offs = good_entries(4)
        add("pax-bad-length",
            head + pax_header(b"3x path=evil\n") + ustar("fallback", b"x") + END,
            ["'fallback'", "entry 5", f"header at byte {len(head)} ", "pax"])

        # A header with a wrong checksum after 3 good entries.
        head, offs = good_entries(3)
        bad = bytearray(ustar("later", b"y"))
        bad[0] ^= 0x01  # the name changes, the checksum does not
        add("bad-checksum", head + bytes(bad) + END,
            ["after entry 3 ('f2',", f"header at byte {offs[2]} "])
        # 512 bytes of garbage after 7 good entries.
        head, offs = good_entries(7)
        garbage = bytes((i * 37 + 11) % 251 + 1 for i in range(BLOCK))
        add("garbage-header", head + garbage + ustar("later", b"y") + END,
            ["after entry 7 ('f6',", f"header at byte {offs[6]} "])

        for threads in ("1", "2"):
            for name, archive, expect in refused:
                what = f"{name} (threads={threads})"
                dest = os.path.join(ve_parent, "101")
                r = xtest.vzl_extract(driver, archive, dest, "--threads", threads)
                msg = r.stderr.strip()
                f.check(r.returncode == 1, f"{what}: exit status {r.returncode}, {msg!r}")
                for word in expect:
                    f.check(word in msg, f"{what}: message {msg!r} lacks {word!r}")
                f.check(archive in msg, f"{what}: the message does not name the cache")
                f.check("'?'" not in msg, f"{what}: an entry without a name: {msg!r}")
                # libarchive's own reason follows what vzlite says.
                f.check(re.search(r"(\)|malformed): \S", msg) is not None,
                        f"{what}: no reason from libarchive in {msg!r}")
                f.check("\n" not in msg, f"{what}: one line expected: {msg!r}")
                left = os.listdir(ve_parent)
                f.check(left == [], f"{what}: left behind: {left}")
                for n in left:  # so that the next case starts clean
                    shutil.rmtree(os.path.join(ve_parent, n))
                if threads == "1":
                    print(f"{name}: {msg}")

        # Valid pax archives whose names are not ASCII (libarchive warns that it cannot
        # convert them to the C locale, and keeps the bytes): extracted, as GNU tar does.
        valid = os.path.join(cases_dir, "pax-utf8.tar")
        with tarfile.open(valid, "w", format=tarfile.PAX_FORMAT, encoding="utf-8") as t:
            for name in ["caf\u00e9", "\u65e5\u672c/x", "d" * 120 + "/\u00e9" * 3]:
                ti = tarfile.TarInfo(name)
                ti.size = 2
                ti.uname = "\u00fcser"
                ti.gname = "gr\u00fcppe"
                t.addfile(ti, io.BytesIO(b"ok"))
            ti = tarfile.TarInfo("link")
            ti.type = tarfile.SYMTYPE
            ti.linkname = "t\u00e4rget"
            t.addfile(ti)
        ref = os.path.join(work, "ref")
        r = xtest.gnu_tar_extract(valid, ref)
        f.check(r.returncode == 0, f"GNU tar extracts pax-utf8.tar: {r.stderr}")
        for threads in ("1", "2"):
            out = os.path.join(work, f"out-{threads}")
            r = xtest.vzl_extract(driver, valid, out, "--threads", threads)
            if f.check(r.returncode == 0, f"pax-utf8 (threads={threads}): {r.stderr}"):
                # The parents are implicit: their times are those of the extraction.
                xtest.compare(f, f"pax-utf8 (threads={threads}) vs GNU tar", out, ref,
                              dir_mtime=False)
                f.check(os.readlink(os.path.join(out, "link")) == "t\u00e4rget",
                        "non-ASCII link target kept")
                shutil.rmtree(out)

        if vzlite:
            create_refuses(f, work, vzlite, fixtures, refused)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    f.done()


def create_refuses(f, work, vzlite, fixtures, refused):
    """vzlite create with each refused cache: exit 48, the same message, nothing left."""
    host = os.path.join(work, "host")
    r = subprocess.run([os.path.join(fixtures, "make-demo-host.sh"), host],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if not f.check(r.returncode == 0, f"make-demo-host.sh: {r.stderr}"):
        return
    conf = r.stdout.strip()
    cache = os.path.join(host, "template", "cache")
    private = os.path.join(host, "private")
    before = sorted(os.listdir(private)), sorted(os.listdir(os.path.join(host, "conf")))
    for name, archive, expect in refused:
        tmpl = "bad-" + name.replace(".gz", "-gz")
        ext = ".tar.gz" if archive.endswith(".gz") else ".tar"
        shutil.copy(archive, os.path.join(cache, tmpl + ext))
        r = xtest.run([vzlite, "--global-config", conf, "create", "105", "--ostemplate", tmpl])
        msg = r.stderr.strip()
        print(f"create {tmpl}: {msg}")
        f.check(r.returncode == 48, f"create {tmpl}: exit {r.returncode}, {msg!r}")
        for word in expect:
            f.check(word in msg, f"create {tmpl}: message {msg!r} lacks {word!r}")
        after = sorted(os.listdir(private)), sorted(os.listdir(os.path.join(host, "conf")))
        f.check(after == before, f"create {tmpl}: left behind: {before} -> {after}")
        if r.returncode == 0:  # so that the next case starts clean
            shutil.rmtree(os.path.join(private, "105"))
            os.unlink(os.path.join(host, "conf", "105.conf"))


if __name__ == "__main__":
    main()
