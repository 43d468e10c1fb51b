#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Hostile template caches are refused with a clear error, nothing is written outside the
staging directory, and afterwards neither the private area nor the staging directory exists.

Each case is extracted the way create does it (vzl-extract ARCHIVE DEST: stage in DEST.tmp,
rename on success, safe removal on failure), next to a sentinel directory standing for the
host; the sentinel and the work directory are listed before and after.

Usage: test_hostile.py VZL-EXTRACT"""
import gzip
import io
import os
import shutil
import subprocess
import sys
import tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xtest  # noqa: E402


def member(name, type_=tarfile.REGTYPE, data=b"", linkname="", mode=0o644):
    ti = tarfile.TarInfo(name)
    ti.type = type_
    ti.mode = mode
    ti.mtime = 1_600_000_000
    ti.linkname = linkname
    ti.size = len(data) if type_ == tarfile.REGTYPE else 0
    return ti, (io.BytesIO(data) if type_ == tarfile.REGTYPE else None)


def make_tar(path, members, fmt=tarfile.GNU_FORMAT):
    with tarfile.open(path, "w", format=fmt) as t:
        for ti, data in members:
            t.addfile(ti, data)


def main():
    driver = sys.argv[1]
    xtest.need_root()
    f = xtest.Failures("extract-hostile")
    work = xtest.workdir("vzl-hostile.")
    try:
        host = os.path.join(work, "host")  # stands for the host's files
        os.makedirs(os.path.join(host, "etc"))
        with open(os.path.join(host, "etc", "passwd"), "w") as fh:
            fh.write("host secret\n")
        cases_dir = os.path.join(work, "cases")
        os.mkdir(cases_dir)
        ve_parent = os.path.join(work, "vz", "private")
        os.makedirs(ve_parent)
        host_abs = host.lstrip("/")  # the host path below "/"

        cases = []  # (name, archive path, words the error must contain)

        def case(name, members, expect, fmt=tarfile.GNU_FORMAT):
            p = os.path.join(cases_dir, name + ".tar")
            make_tar(p, [member("ok/", tarfile.DIRTYPE, mode=0o755),
                         member("ok/file", data=b"fine")] + members, fmt)
            cases.append((name, p, expect))

        case("dotdot", [member("../evil", data=b"x")], ["'../evil'", ".."])
        case("dotdot-deep", [member("ok/../../evil", data=b"x")], ["ok/../../evil", ".."])
        case("dotdot-into-host", [member("../" * 8 + host_abs + "/etc/passwd", data=b"pwn")],
             ["/etc/passwd'", ".."])
        case("absolute", [member(host + "/etc/passwd", data=b"pwn")],
             [host + "/etc/passwd", "absolute"])
        case("absolute-pax", [member(host + "/evil", data=b"pwn")], ["absolute"],
             tarfile.PAX_FORMAT)
        case("symlink-to-root", [member("s", tarfile.SYMTYPE, linkname="/"),
                                 member(f"s/{host_abs}/etc/passwd", data=b"pwn")],
             [f"s/{host_abs}/etc/passwd", "symbolic link"])
        case("symlink-to-host-dir", [member("s", tarfile.SYMTYPE, linkname=host + "/etc"),
                                     member("s/passwd", data=b"pwn")],
             ["'s/passwd'", "symbolic link"])
        case("symlink-relative-escape",
             [member("ok/up", tarfile.SYMTYPE, linkname="../../../../../../../../"),
              member(f"ok/up/{host_abs}/new", data=b"pwn")],
             [f"ok/up/{host_abs}/new", "symbolic link"])
        case("hardlink-absolute", [member("h", tarfile.LNKTYPE, linkname=host + "/etc/passwd")],
             ["'h'", "hard link", "outside"])
        case("hardlink-dotdot",
             [member("h", tarfile.LNKTYPE, linkname="../../../../../../../" + host_abs +
                     "/etc/passwd")], ["'h'", "hard link", ".."])
        case("hardlink-through-symlink",
             [member("s", tarfile.SYMTYPE, linkname=host + "/etc"),
              member("h", tarfile.LNKTYPE, linkname="s/passwd")],
             ["'h'", "hard link", "symbolic link"])
        case("dir-then-symlink", [member("d/", tarfile.DIRTYPE),
                                  member("d", tarfile.SYMTYPE, linkname=host + "/etc"),
                                  member("d/passwd", data=b"pwn")],
             ["'d'", "directory", "symbolic link"])
        case("dir-then-symlink-nonempty", [member("ok", tarfile.SYMTYPE, linkname=host)],
             ["'ok'", "directory", "symbolic link"])

        # Broken files.
        good = os.path.join(cases_dir, "good.tar")
        make_tar(good, [member("ok/", tarfile.DIRTYPE), member("big", data=os.urandom(200_000)),
                        member("after", data=b"after")])
        with open(good, "rb") as fh:
            data = fh.read()
        p = os.path.join(cases_dir, "truncated.tar")
        with open(p, "wb") as fh:
            fh.write(data[:1536 + 100_000])
        cases.append(("truncated", p, ["'big'"]))
        p = os.path.join(cases_dir, "truncated.tar.gz")
        with open(p, "wb") as fh:
            fh.write(gzip.compress(data)[:-5000])
        cases.append(("truncated-gz", p, ["truncated.tar.gz"]))
        p = os.path.join(cases_dir, "corrupt.tar.gz")
        z = bytearray(gzip.compress(data))
        for i in range(len(z) // 2, len(z) // 2 + 64):
            z[i] ^= 0x5A
        with open(p, "wb") as fh:
            fh.write(bytes(z))
        cases.append(("corrupt-gz", p, ["corrupt.tar.gz"]))
        if xtest.have("xz"):
            p = os.path.join(cases_dir, "corrupt.tar.xz")
            x = bytearray(subprocess.run(["xz", "-c"], input=data, stdout=subprocess.PIPE,
                                         check=True).stdout)
            for i in range(len(x) // 2, len(x) // 2 + 64):
                x[i] ^= 0x5A
            with open(p, "wb") as fh:
                fh.write(bytes(x))
            cases.append(("corrupt-xz", p, ["corrupt.tar.xz"]))
        if xtest.have("zstd"):
            p = os.path.join(cases_dir, "truncated.tar.zst")
            zs = subprocess.run(["zstd", "-c", "-q"], input=data, stdout=subprocess.PIPE,
                                check=True).stdout
            with open(p, "wb") as fh:
                fh.write(zs[: len(zs) // 2])
            cases.append(("truncated-zst", p, ["truncated.tar.zst"]))
        p = os.path.join(cases_dir, "empty.tar.gz")
        open(p, "wb").close()
        cases.append(("zero-bytes", p, ["empty.tar.gz", "empty"]))
        p = os.path.join(cases_dir, "text.tar")
        with open(p, "w") as fh:
            fh.write("This is not an archive.\n" * 100)
        cases.append(("not-an-archive", p, ["text.tar", "not a tar archive"]))
        p = os.path.join(cases_dir, "random.tar.gz")
        with open(p, "wb") as fh:
            fh.write(b"\x1f\x8b" + os.urandom(5000))
        cases.append(("random-gz", p, ["random.tar.gz"]))
        p = os.path.join(cases_dir, "gz-of-text.tar.gz")
        with open(p, "wb") as fh:
            fh.write(gzip.compress(b"plain text, not tar\n" * 50))
        cases.append(("gz-not-tar", p, ["not a tar archive", "gzip"]))
        p = os.path.join(cases_dir, "zeros.tar")
        with open(p, "wb") as fh:
            fh.write(b"\0" * 10240)
        cases.append(("no-entries", p, ["no entries"]))

        before_host = xtest.listing(host)
        for threads in ("1", "2"):
            for name, archive, expect in cases:
                dest = os.path.join(ve_parent, "101")
                before = sorted(os.listdir(ve_parent))
                r = xtest.vzl_extract(driver, archive, dest, "--threads", threads)
                what = f"{name} (threads={threads})"
                f.check(r.returncode == 1, f"{what}: exit status {r.returncode}, "
                        f"stderr {r.stderr!r}")
                msg = r.stderr.strip()
                for word in expect:
                    f.check(word in msg, f"{what}: message {msg!r} lacks {word!r}")
                f.check("\n" not in msg, f"{what}: one line expected: {msg!r}")
                f.check(not os.path.lexists(dest), f"{what}: the private area exists")
                f.check(not os.path.lexists(dest + ".tmp"), f"{what}: staging left behind")
                f.check(sorted(os.listdir(ve_parent)) == before,
                        f"{what}: something was left beside the private area")
                f.check(xtest.listing(host) == before_host, f"{what}: the host dir changed")
                f.check(sorted(os.listdir(work)) == ["cases", "host", "vz"],
                        f"{what}: something appeared in the work dir: {os.listdir(work)}")
                if threads == "1":
                    print(f"{name}: {msg}")

        # A leftover staging directory (a killed create) is removed by the next attempt,
        # without following a symlink planted in it.
        dest = os.path.join(ve_parent, "102")
        os.makedirs(dest + ".tmp/etc")
        os.symlink(host, dest + ".tmp/etc/host-link")
        os.symlink(host, dest + ".tmp/top-link")
        r = xtest.vzl_extract(driver, good, dest)
        f.check(r.returncode == 0, f"leftover staging: {r.stderr}")
        f.check(os.path.isfile(os.path.join(dest, "after")) and
                not os.path.lexists(os.path.join(dest, "top-link")), "leftover replaced")
        f.check(xtest.listing(host) == before_host, "leftover cleanup: host unchanged")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    f.done()


if __name__ == "__main__":
    main()
