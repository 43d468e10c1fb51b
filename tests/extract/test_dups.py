#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Duplicate entries behave as with GNU tar (the later one wins), except that a directory is
never replaced by a symbolic link: that is refused. A symlink replaced by a file is replaced,
never written through.

Usage: test_dups.py VZL-EXTRACT"""
import os
import shutil
import sys
import tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xtest  # noqa: E402


m = xtest.member


def main():
    driver = sys.argv[1]
    xtest.need_root()
    f = xtest.Failures("extract-dups")
    work = xtest.workdir("vzl-dups.")
    try:
        host = os.path.join(work, "host")
        os.mkdir(host)
        with open(os.path.join(host, "secret"), "w") as fh:
            fh.write("host\n")
        before = xtest.listing(host)
        D, S, L = tarfile.DIRTYPE, tarfile.SYMTYPE, tarfile.LNKTYPE
        same_as_tar = {
            "file-twice": [m("f", data=b"first"), m("f", data=b"second, longer", mode=0o600)],
            "file-then-symlink": [m("f", data=b"x"), m("f", S, linkname="target")],
            "file-then-dir": [m("d", data=b"x"), m("d/", D, mode=0o750),
                              m("d/in", data=b"in")],
            "empty-dir-then-file": [m("d/", D), m("d", data=b"file now")],
            "dir-twice": [m("d/", D, mode=0o755, uid=0), m("d/x", data=b"x"),
                          m("d/", D, mode=0o700, uid=1000, mtime=5)],
            "hardlink-then-file": [m("a", data=b"a"), m("b", L, linkname="a"),
                                   m("b", data=b"b now")],
            "file-then-hardlink": [m("a", data=b"a"), m("b", data=b"b"),
                                   m("b", L, linkname="a")],
            "fifo-then-file": [m("p", tarfile.FIFOTYPE), m("p", data=b"file")],
        }
        # GNU tar extracts a symlink with an absolute or ".." target as a placeholder file
        # and makes the link at the very end, so there the earlier symlink wins (or tar
        # fails); vzlite replaces the link at once and the later entry wins.
        own = {
            "symlink-then-file": ([m("f", S, linkname=host + "/secret"),
                                   m("f", data=b"not through the link")],
                                  lambda out: open(os.path.join(out, "f"), "rb").read() ==
                                  b"not through the link" and
                                  not os.path.islink(os.path.join(out, "f"))),
            "symlink-then-dir": ([m("s", S, linkname=host), m("s/", D),
                                  m("s/in", data=b"in")],
                                 lambda out: os.path.isdir(os.path.join(out, "s")) and
                                 not os.path.islink(os.path.join(out, "s")) and
                                 os.path.isfile(os.path.join(out, "s/in"))),
        }
        refused = {
            "dir-then-symlink": [m("d/", D), m("d", S, linkname=host)],
            "nonempty-dir-then-symlink": [m("d/", D), m("d/x", data=b"x"),
                                          m("d", S, linkname="elsewhere")],
        }
        cases = list(same_as_tar.items()) + list(refused.items())
        cases += [(n, v[0]) for n, v in own.items()]
        for name, members in cases:
            archive = os.path.join(work, name + ".tar")
            with tarfile.open(archive, "w", format=tarfile.GNU_FORMAT) as t:
                for ti, data in [m("./", D, mode=0o755)] + members:
                    t.addfile(ti, data)
            out = os.path.join(work, "out-" + name)
            r = xtest.vzl_extract(driver, archive, out)
            if name in refused:
                f.check(r.returncode == 1 and "symbolic link" in r.stderr and "'d'" in r.stderr,
                        f"{name}: refused ({r.returncode}, {r.stderr.strip()})")
                f.check(not os.path.lexists(out) and not os.path.lexists(out + ".tmp"),
                        f"{name}: nothing left")
            elif name in own:
                f.check(r.returncode == 0 and own[name][1](out), f"{name}: {r.stderr}")
            else:
                if not f.check(r.returncode == 0, f"{name}: {r.stderr}"):
                    continue
                ref = os.path.join(work, "ref-" + name)
                t = xtest.gnu_tar_extract(archive, ref)
                f.check(t.returncode == 0, f"{name}: GNU tar: {t.stderr}")
                xtest.compare(f, f"{name} vs GNU tar", out, ref)
            f.check(xtest.listing(host) == before, f"{name}: the host dir changed")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    f.done()


if __name__ == "__main__":
    main()
