#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The worker threads that create files (extract-pool.c) give what one thread gives, on the
orderings they could get wrong: a hard link to a file a worker is still writing, a duplicate
whose two entries are far apart in the archive, a symbolic link or a file replacing a
directory a worker writes into. Each archive is extracted with --writers 1 (the calling
thread only) and with 2 and 4 workers: same exit status, same message, same tree; where
GNU tar succeeds, the tree is also GNU tar's. And a multi-block .xz (xz -T) goes through
liblzma's threaded decoder, to the tree GNU tar makes; a damaged one leaves nothing.

Usage: test_threads.py VZL-EXTRACT"""
import os
import re
import shutil
import subprocess
import sys
import tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xtest  # noqa: E402

D, S, L = tarfile.DIRTYPE, tarfile.SYMTYPE, tarfile.LNKTYPE


m = xtest.member


def filler(d, n, size=4096):
    """n files in directory d: a queue for d's worker to work through (files up to 256 KiB
    go to workers)."""
    return [m(f"{d}/fill{i:04d}", data=bytes([i % 251]) * size) for i in range(n)]


def big(n):
    return bytes(range(256)) * (n // 256)


def fnv(s):
    h = 2166136261
    for c in s.encode():
        h = ((h ^ c) * 16777619) & 0xFFFFFFFF
    return h


def names_for_busy_worker():
    """A directory W whose worker (the pool picks it by the FNV-1a hash of the directory's
    path) is not the top directory's with 2 or 4 workers, and a directory SLOW with W's
    worker: queued work in SLOW keeps W's worker busy while the top's worker is free.
    With another assignment the case still checks the result, less sharply."""
    top = fnv("")
    w = next(f"w{i}" for i in range(1000)
             if fnv(f"w{i}") % 4 != top % 4 and fnv(f"w{i}") % 2 != top % 2)
    slow = next(f"slow{i}" for i in range(1000) if fnv(f"slow{i}") % 4 == fnv(w) % 4)
    return w, slow


def cases():
    w, slow = names_for_busy_worker()
    many = [m(f"dir{i:02d}/", D) for i in range(16)]
    return {
        # The link's target is the last job of a long queue (and the largest file a
        # worker takes); the link, in another directory, comes right after it.
        "hardlink-to-busy-file": [m("a/", D), *filler("a", 200), m("a/big", data=big(200 << 10)),
                                  m("b/", D), m("b/link", L, linkname="a/big"),
                                  m("a/after", data=b"after")],
        # The same name twice with other directories between: the first is slow to
        # write, the second must still win.
        "duplicate-across-dirs": [m("d1/", D), m("d1/f", data=big(200 << 10), mode=0o600),
                                  *many, *filler("dir03", 50),
                                  m("d1/f", data=b"second wins", mode=0o640, mtime=7),
                                  m("d1/s", S, linkname="one"), *filler("dir07", 50),
                                  m("d1/s", S, linkname="two"),
                                  m("d1/s2", data=b"file first"), *filler("dir09", 20),
                                  m("d1/s2", S, linkname="link later")],
        # A file, then a directory of that name, then files in it.
        "file-then-dir-with-files": [m("x/", D), *filler("x", 30), m("x/y", data=b"file"),
                                     m("x/y/", D, mode=0o750), *filler("x/y", 30)],
        # A symbolic link or a file, then entries below that name.
        "symlink-then-below": [m("p/", D), *filler("p", 50), m("p/q", S, linkname="/etc"),
                               m("p/q/passwd", data=b"never through the link")],
        "file-then-below": [m("p/", D), *filler("p", 50), m("p/q", data=b"file"),
                            m("p/q/r", data=b"below a file")],
        # A directory another worker is still filling, replaced by a symbolic link:
        # refused, as with one thread.
        "symlink-over-busy-dir": [m("w/", D), *filler("w", 200), m("w", S, linkname="/tmp")],
        # ... and replaced by a file: its removal fails as with one thread (not empty).
        "file-over-busy-dir": [m("w/", D), *filler("w", 200), m("w", data=b"file")],
        # A directory replaced by a file while its worker is busy elsewhere: the file
        # waits for the directory's jobs, so the removal fails as with one thread.
        "file-over-dir-of-busy-worker": [m(f"{slow}/", D), m(f"{w}/", D),
                                         *filler(slow, 24, 200 << 10), m(f"{w}/a", data=b"a"),
                                         m(w, data=b"file")],
        # An empty directory replaced by a file, then a file below that name.
        "file-over-empty-dir": [m("e/", D), m("z/", D), *filler("z", 20), m("e", data=b"file now"),
                                m("e2/", D), m("e2/in", data=b"in")],
    }


def write_tar(path, members):
    with tarfile.open(path, "w", format=tarfile.GNU_FORMAT) as t:
        for ti, data in [m("./", D, mode=0o755)] + members:
            t.addfile(ti, data)


def writers_of(stdout):
    r = re.search(r"\bwriters (\d+)", stdout)
    return int(r.group(1)) if r else None


def check_orderings(f, driver, work):
    for name, members in cases().items():
        archive = os.path.join(work, name + ".tar")
        write_tar(archive, members)
        one = os.path.join(work, f"{name}-w1")
        r1 = xtest.vzl_extract(driver, archive, one, "--writers", "1", "--stats")
        if r1.returncode == 0:
            f.check(writers_of(r1.stdout) == 1, f"{name}: --writers 1: {r1.stdout}")
            ref = os.path.join(work, f"{name}-tar")
            t = xtest.gnu_tar_extract(archive, ref)
            if t.returncode == 0:
                # GNU tar sets a directory's time when it leaves it, and again when
                # it comes back: the times of revisited directories differ.
                xtest.compare(f, f"{name}: one thread vs GNU tar", one, ref,
                              dir_mtime=False)
        for n in (2, 4):
            out = os.path.join(work, f"{name}-w{n}")
            r = xtest.vzl_extract(driver, archive, out, "--writers", str(n), "--stats")
            f.check(r.returncode == r1.returncode and r.stderr == r1.stderr,
                    f"{name}: {n} writers: exit {r.returncode} {r.stderr.strip()!r}, one "
                    f"thread: exit {r1.returncode} {r1.stderr.strip()!r}")
            if r.returncode == 0:
                f.check(writers_of(r.stdout) == n, f"{name}: {n} writers used: {r.stdout}")
                xtest.compare(f, f"{name}: {n} writers vs one thread", out, one)
            else:
                f.check(not os.path.lexists(out) and not os.path.lexists(out + ".tmp"),
                        f"{name}: {n} writers: nothing left after the failure")
    # The refusals are the refusals of one thread, named.
    r = xtest.vzl_extract(driver, os.path.join(work, "symlink-over-busy-dir.tar"),
                          os.path.join(work, "again"), "--writers", "2")
    f.check(r.returncode == 1 and "'w'" in r.stderr and "symbolic link" in r.stderr,
            f"symlink over a busy directory refused: {r.stderr.strip()}")


def xz(src_tar, dst, *opts):
    with open(dst, "wb") as out:
        subprocess.run(["xz", "-c", *opts, src_tar], stdout=out, check=True)


def xz_blocks(path):
    r = xtest.run(["xz", "--robot", "-l", path])
    for line in r.stdout.splitlines():
        if line.startswith("totals\t"):
            return int(line.split("\t")[2])
    return None


def check_xz(f, driver, work):
    if not xtest.have("xz"):
        print("note: no xz; the multi-block part is not tested")
        return
    src = os.path.join(work, "xzsrc")
    os.makedirs(os.path.join(src, "sub"))
    for i in range(40):
        with open(os.path.join(src, "sub" if i % 2 else "", f"f{i}"), "wb") as fh:
            fh.write(os.urandom(20000) + bytes([i]) * 60000)
    os.symlink("f1", os.path.join(src, "ln"))
    os.link(os.path.join(src, "f0"), os.path.join(src, "hard"))
    plain = os.path.join(work, "xz.tar")
    r = xtest.run(["tar", "--numeric-owner", "-C", src, "-cf", plain, "."])
    f.check(r.returncode == 0, f"tar: {r.stderr}")
    multi = os.path.join(work, "multi.tar.xz")
    xz(plain, multi, "-T2", "--block-size=256KiB")
    single = os.path.join(work, "single.tar.xz")
    xz(plain, single, "-T1")
    f.check((xz_blocks(multi) or 0) > 4 and xz_blocks(single) == 1,
            f"blocks: multi {xz_blocks(multi)}, single {xz_blocks(single)}")
    ref = os.path.join(work, "xz-ref")
    t = xtest.gnu_tar_extract(multi, ref)
    f.check(t.returncode == 0, f"GNU tar on the multi-block xz: {t.stderr}")
    for name, archive, threads in (("multi", multi, "--threads=2"),
                                   ("single", single, "--threads=2"),
                                   ("multi-no-thread", multi, "--threads=1")):
        out = os.path.join(work, f"xz-{name}")
        r = xtest.vzl_extract(driver, archive, out, threads, "--stats")
        if not f.check(r.returncode == 0, f"xz {name}: {r.stderr}"):
            continue
        got = re.search(r"xz_threads (\d+)", r.stdout)
        got = int(got.group(1)) if got else None
        want_mt = name == "multi"
        f.check((got or 0) >= 2 if want_mt else got == 0,
                f"xz {name}: liblzma's threaded decoder {'used' if want_mt else 'not used'}"
                f" ({r.stdout.strip()})")
        xtest.compare(f, f"xz {name} vs GNU tar", out, ref)
    # Damage in a middle block, and a truncated file: refused, nothing left.
    data = bytearray(open(multi, "rb").read())
    bad = os.path.join(work, "bad.tar.xz")
    data[len(data) // 2] ^= 0x55
    with open(bad, "wb") as fh:
        fh.write(data)
    short = os.path.join(work, "short.tar.xz")
    with open(short, "wb") as fh:
        fh.write(open(multi, "rb").read()[: len(data) * 2 // 3])
    for name, archive in (("damaged", bad), ("truncated", short)):
        out = os.path.join(work, f"xz-{name}")
        r = xtest.vzl_extract(driver, archive, out, "--threads=2")
        f.check(r.returncode == 1 and archive in r.stderr,
                f"xz {name}: refused ({r.returncode}, {r.stderr.strip()})")
        f.check(not os.path.lexists(out) and not os.path.lexists(out + ".tmp"),
                f"xz {name}: nothing left")


def main():
    driver = sys.argv[1]
    xtest.need_root()
    f = xtest.Failures("extract-threads")
    work = xtest.workdir("vzl-threads.")
    try:
        check_orderings(f, driver, work)
        check_xz(f, driver, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    f.done()


if __name__ == "__main__":
    main()
