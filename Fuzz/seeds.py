#!/usr/bin/env python3
"""Writes the seed inputs of one fuzz target into a directory, from the project's own
fixtures: examples/abs, Tests/Fixtures, the test sources' PKGBUILD snippets, the shared
corpus beside the checkout (../shared/corpus, when present: the PKGBUILD trees, .SRCINFO
truth files, databases and packages the tests read), Fuzz/seeds/TARGET (inputs found by
earlier runs), and small archives made here (python's tarfile, and repo-add when present).

    Fuzz/seeds.py TARGET OUTDIR      TARGET: pkgbuild, srcinfo, database or package

Archives are also written uncompressed: libarchive's decompressors are not instrumented,
so mutating a compressed seed mostly tests zlib; the plain tar reaches our tar reader
(TarStream) and the entry parsers. Inputs over MAX_LEN bytes are cut down (databases to
their first entries) or left out, since libFuzzer would truncate them anyway.
"""
import bz2
import glob
import gzip
import hashlib
import io
import lzma
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus"))
MAX_LEN = 65536


class Seeds:
    def __init__(self, out):
        self.out = out
        self.count = 0
        os.makedirs(out, exist_ok=True)

    def add(self, data, hint=""):
        """Writes `data` under its SHA-1 (libFuzzer's own naming), so duplicates collapse."""
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        if len(data) > MAX_LEN:
            return
        name = hashlib.sha1(data).hexdigest()
        path = os.path.join(self.out, name)
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(data)
            self.count += 1

    def add_files(self, pattern):
        for path in sorted(glob.glob(pattern, recursive=True)):
            if os.path.isfile(path) and os.path.getsize(path) <= MAX_LEN:
                with open(path, "rb") as f:
                    self.add(f.read(), path)


def committed(seeds, target):
    seeds.add_files(os.path.join(ROOT, "Fuzz", "seeds", target, "*"))


# -- PKGBUILD ---------------------------------------------------------------------

def swift_string_literals(path):
    """The raw (#"..."#) and multi-line (\"\"\"...\"\"\") string literals of a Swift file, with
    the common escapes undone; interpolations are left as they are (still shell-like)."""
    text = open(path, encoding="utf-8").read()
    found = [m.group(1) for m in re.finditer(r'#"(.*?)"#', text)]
    for m in re.finditer(r'"""\n(.*?)\n\s*"""', text, re.S):
        body = m.group(1)
        indent = min((len(l) - len(l.lstrip(" ")) for l in body.split("\n") if l.strip()), default=0)
        body = "\n".join(l[indent:] for l in body.split("\n"))
        found.append(body.replace("\\\\", "\x00").replace("\\n", "\n").replace("\\t", "\t")
                     .replace('\\"', '"').replace("\x00", "\\") + "\n")
    return found


def pkgbuild(seeds):
    seeds.add_files(os.path.join(ROOT, "examples", "abs", "*", "*", "PKGBUILD"))
    for tree in ["tiny-src", "arch", "pacbuild-testabs", "alarm"]:
        seeds.add_files(os.path.join(CORPUS, tree, "**", "PKGBUILD"))
    for path in sorted(glob.glob(os.path.join(ROOT, "Tests", "**", "*.swift"), recursive=True)):
        for literal in swift_string_literals(path):
            # snippets of bash (BashDifferentialTests) and PKGBUILDs the tests write
            if path.endswith("BashDifferentialTests.swift") or "pkgname" in literal:
                seeds.add(literal)
    # the tails PKGBUILDFuzzTests appends: budgets for loops, growth and recursion
    for tail in ["for ((i=0;i<100000000;i++)); do :; done", "x=a; while :; do x=$x$x; done",
                 "y=(x{1..99999999})", "f() { f; }; f", 'x=(a); for i in {1..40}; do x+=("${x[@]}"); done',
                 "${x:-${y:-${z}}}"]:
        seeds.add("pkgname=fuzz\npkgver=1\npkgrel=1\narch=(any)\n" + tail + "\n")
    # the inputs earlier runs found, kept as regression fixtures (FuzzArtifactTests)
    seeds.add_files(os.path.join(ROOT, "Tests", "GraphTests", "Fixtures", "fuzz-pkgbuild", "*"))
    committed(seeds, "pkgbuild")


# -- .SRCINFO ---------------------------------------------------------------------

def srcinfo(seeds):
    seeds.add_files(os.path.join(ROOT, "examples", "abs", "*", "*", ".SRCINFO"))
    seeds.add_files(os.path.join(ROOT, "Tests", "Fixtures", "**", ".SRCINFO*"))
    seeds.add_files(os.path.join(CORPUS, "**", ".SRCINFO.truth*"))
    committed(seeds, "srcinfo")


# -- archives ---------------------------------------------------------------------

def tar_bytes(entries, format=tarfile.GNU_FORMAT, compression="", pax_headers=None):
    """A tar of (name, data or None for a directory, type) entries, ending in its two zero
    records (not padded to tarfile's 10 KiB), then compressed with a fixed header time;
    `pax_headers` makes a global pax header first."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=format, pax_headers=pax_headers) as t:
        for name, data, kind in entries:
            info = tarfile.TarInfo(name)
            info.mtime = 1700000000
            if kind == "dir":
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                t.addfile(info)
            elif kind == "symlink":
                info.type = tarfile.SYMTYPE
                info.linkname = data
                t.addfile(info)
            elif kind == "hardlink":
                info.type = tarfile.LNKTYPE
                info.linkname = data
                t.addfile(info)
            else:
                info.size = len(data)
                info.mode = 0o644
                t.addfile(info, io.BytesIO(data))
    data = buffer.getvalue().rstrip(b"\0")
    data += b"\0" * (-len(data) % 512 + 1024)
    if compression == "gz":
        return gzip.compress(data, mtime=0)
    if compression == "xz":
        return lzma.compress(data)
    return data


def base256_size(tar):
    """The tar with its first header's size field in GNU base-256 (0x80, then big-endian)."""
    header = bytearray(tar[:512])
    size = int(header[124:135].rstrip(b"\0 ") or b"0", 8)
    header[124:136] = b"\x80" + size.to_bytes(11, "big")
    header[148:156] = b" " * 8
    header[148:156] = b"%06o\0 " % sum(header)
    return bytes(header) + tar[512:]


def decompressed(data):
    """The tar inside a compressed archive (gzip, xz, bzip2, zstd by the zstd tool), or None."""
    try:
        if data[:2] == b"\x1f\x8b":
            return gzip.decompress(data)
        if data[:6] == b"\xfd7zXZ\x00":
            return lzma.decompress(data)
        if data[:3] == b"BZh":
            return bz2.decompress(data)
        if data[:4] == b"\x28\xb5\x2f\xfd" and shutil.which("zstd"):
            return subprocess.run(["zstd", "-dc"], input=data, capture_output=True, check=True).stdout
    except Exception:
        return None
    return None


def first_entries(tar, limit):
    """A plain tar of the leading entries of `tar` that fit in `limit` bytes (GNU format)."""
    try:
        source = tarfile.open(fileobj=io.BytesIO(tar))
        members = [(m, source.extractfile(m).read() if m.isfile() else None) for m in source.getmembers()]
    except Exception:
        return None
    kept = []
    for count in range(1, len(members) + 1):
        entries = [(m.name, d if m.isfile() else (m.linkname if m.issym() or m.islnk() else None),
                    "file" if m.isfile() else "symlink" if m.issym() else "hardlink" if m.islnk() else "dir")
                   for m, d in members[:count]]
        data = tar_bytes(entries)
        if len(data) > limit:
            break
        kept = data
    return kept or None


def add_archive(seeds, path):
    """The archive itself (if small), its plain tar, and a cut plain tar of its first entries."""
    data = open(path, "rb").read()
    seeds.add(data)
    plain = decompressed(data) or data
    seeds.add(plain)
    if len(plain) > MAX_LEN:
        seeds.add(first_entries(plain, MAX_LEN // 2) or b"")


DESC = """%FILENAME%
{name}-{version}-any.pkg.tar.zst

%NAME%
{name}

%BASE%
{name}

%VERSION%
{version}

%DESC%
a package for the fuzzer

%CSIZE%
1234

%ISIZE%
5678

%SHA256SUM%
{sha}

%URL%
https://example.invalid/

%LICENSE%
MIT

%ARCH%
any

%BUILDDATE%
1700000000

%PACKAGER%
Fuzz <fuzz@example.invalid>

%DEPENDS%
glibc>=2.38
libz.so=1-64

%OPTDEPENDS%
python: for the scripts

%PROVIDES%
{name}-virtual=1

"""


def database(seeds):
    for pattern in ["tiny/*/*.db*", "tiny/*/*.files*", "tiny.*.tar.gz", "paru/testdata/repo/*.db*",
                    "alpm.rs/tests/db/sync/*.db", "paru/testdata/db/sync/*.db"]:
        for path in sorted(glob.glob(os.path.join(CORPUS, "dbs", pattern))):
            if os.path.isfile(path) and not os.path.islink(path) and os.path.getsize(path) > 100:
                add_archive(seeds, path)
    sha = "0" * 64
    a = DESC.format(name="fuzz-a", version="1:2.0-1", sha=sha).encode()
    b = DESC.format(name="fuzz-b", version="1.0-2", sha=sha).encode()
    files = b"%FILES%\nusr/\nusr/bin/\nusr/bin/fuzz\n"
    # a sync database, a files database, the old layout (desc + depends), no directory records
    seeds.add(tar_bytes([("fuzz-a-1:2.0-1/", None, "dir"), ("fuzz-a-1:2.0-1/desc", a, "file"),
                         ("fuzz-b-1.0-2/", None, "dir"), ("fuzz-b-1.0-2/desc", b, "file")], format=tarfile.USTAR_FORMAT))
    seeds.add(tar_bytes([("fuzz-a-1:2.0-1/", None, "dir"), ("fuzz-a-1:2.0-1/desc", a, "file"),
                         ("fuzz-a-1:2.0-1/files", files, "file")]))
    old = a.split(b"%DEPENDS%")[0]
    seeds.add(tar_bytes([("fuzz-a-1:2.0-1/desc", old, "file"),
                         ("fuzz-a-1:2.0-1/depends", b"%DEPENDS%\nglibc\n\n%PROVIDES%\nx\n\n", "file")]))
    # a pax header (a name over 100 bytes), a GNU long name, a symlink, gzip
    long = "fuzz-" + "l" * 120 + "-1-1"
    seeds.add(tar_bytes([(long + "/desc", DESC.format(name="fuzz-" + "l" * 120, version="1-1", sha=sha).encode(), "file")],
                        format=tarfile.PAX_FORMAT))
    seeds.add(tar_bytes([(long + "/desc", DESC.format(name="fuzz-" + "l" * 120, version="1-1", sha=sha).encode(), "file"),
                         ("fuzz-a-1:2.0-1/link", "desc", "symlink")]))
    seeds.add(tar_bytes([("fuzz-b-1.0-2/desc", b, "file")], compression="gz"))
    # two entries of one name (libalpm keeps the first), a long link name (GNU K), a pax
    # global header (g), a size in base-256 (GNU, for sizes over 8 GiB)
    seeds.add(tar_bytes([("fuzz-a-1:2.0-1/desc", a, "file"), ("fuzz-a-1:3.0-1/desc", a.replace(b"1:2.0-1", b"1:3.0-1"), "file")]))
    seeds.add(tar_bytes([("fuzz-a-1:2.0-1/desc", a, "file"), ("fuzz-a-1:2.0-1/link", "x" * 150, "symlink")]))
    seeds.add(tar_bytes([("fuzz-a-1:2.0-1/desc", a, "file")], format=tarfile.PAX_FORMAT, pax_headers={"comment": "fuzz"}))
    seeds.add(base256_size(tar_bytes([("fuzz-b-1.0-2/desc", b, "file")], format=tarfile.GNU_FORMAT)))
    # more than one batch (256 directories, DatabaseBatcher) and a file of the first
    # directory after its batch went to the parser; only compressed is it under MAX_LEN
    many = [("fuzz-%03d-1-1/" % i, None, "dir") for i in range(300)]
    seeds.add(tar_bytes(many + [("fuzz-000-1-1/desc", DESC.format(name="fuzz-000", version="1-1", sha=sha).encode(), "file")],
                        compression="gz"))
    # repo-add's own output from the test packages, uncompressed and gzip
    packages = sorted(glob.glob(os.path.join(CORPUS, "dbs", "tiny", "xz", "*.pkg.tar.xz")))
    if packages and shutil.which("repo-add"):
        with tempfile.TemporaryDirectory() as work:
            for ext in [".db.tar", ".db.tar.gz"]:
                db = os.path.join(work, "seed" + ext)
                result = subprocess.run(["repo-add", "-q", db] + packages[:3], capture_output=True)
                if result.returncode == 0:
                    seeds.add_files(os.path.join(work, "seed.*.tar*"))
    committed(seeds, "database")


PKGINFO = """# Generated by makepkg 6.0.2
pkgname = fuzz
pkgbase = fuzz
xdata = pkgtype=pkg
pkgver = 1:2.0-1
pkgdesc = a package for the fuzzer
url = https://example.invalid/
builddate = 1700000000
packager = Fuzz <fuzz@example.invalid>
size = 12
arch = any
license = MIT
replaces = fuzz-old
conflicts = fuzz-old
provides = libfuzz.so=1-64
backup = etc/fuzz.conf
depend = glibc>=2.38
optdepend = python: scripts
makedepend = gcc
checkdepend = bats
"""

BUILDINFO = """format = 2
pkgname = fuzz
pkgbase = fuzz
pkgver = 1:2.0-1
pkgarch = any
pkgbuild_sha256sum = 0000000000000000000000000000000000000000000000000000000000000000
packager = Fuzz <fuzz@example.invalid>
builddate = 1700000000
builddir = /build
startdir = /startdir
buildtool = makepkg
buildtoolver = 6.0.2
buildenv = !distcc
options = strip
installed = glibc-2.38-1-x86_64
"""


def package(seeds):
    for pattern in ["tiny/*/*.pkg.tar.*", "alpm.rs/tests/*.pkg.tar.*", "paru/testdata/**/*.pkg.tar.*"]:
        for path in sorted(glob.glob(os.path.join(CORPUS, "dbs", pattern), recursive=True)):
            if os.path.isfile(path):
                add_archive(seeds, path)
    mtree = gzip.compress(b"#mtree\n/set type=file uid=0 gid=0 mode=644\n./.PKGINFO time=1700000000.0 size=100\n", mtime=0)
    entries = [(".PKGINFO", PKGINFO.encode(), "file"), (".BUILDINFO", BUILDINFO.encode(), "file"),
               (".MTREE", mtree, "file"), (".INSTALL", b"post_install() { :; }\n", "file"),
               ("etc/", None, "dir"), ("etc/fuzz.conf", b"x=1\n", "file"), ("usr/", None, "dir"),
               ("usr/bin/", None, "dir"), ("usr/bin/fuzz", b"#!/bin/sh\nexit 0\n", "file"),
               ("usr/bin/fuzz2", "fuzz", "symlink"), ("usr/bin/fuzz3", "usr/bin/fuzz", "hardlink")]
    seeds.add(tar_bytes(entries))
    seeds.add(tar_bytes(entries, format=tarfile.PAX_FORMAT))
    seeds.add(tar_bytes(entries[:1] + [("usr/share/" + "d" * 150 + "/file", b"x", "file")], format=tarfile.PAX_FORMAT))
    seeds.add(tar_bytes(entries[:3], compression="gz"))
    seeds.add(tar_bytes(entries[:3], compression="xz"))
    committed(seeds, "package")


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("pkgbuild", "srcinfo", "database", "package"):
        sys.exit("usage: Fuzz/seeds.py pkgbuild|srcinfo|database|package OUTDIR")
    seeds = Seeds(sys.argv[2])
    globals()[sys.argv[1]](seeds)
    print(seeds.count)


if __name__ == "__main__":
    main()
