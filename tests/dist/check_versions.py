"""One version everywhere: the workspace version in Cargo.toml is the source; every other place
that states a version must say the same. Run by tests/dist/run.sh after the artifacts were built
and installed:

    python3 tests/dist/check_versions.py --dist DIST --prefix PREFIX --python VENV_PYTHON
    python3 tests/dist/check_versions.py --sources-only [--root TREE]

PREFIX is the extracted C tarball, VENV_PYTHON a Python with the wheel installed. --sources-only
checks only what is written in the source tree (TREE, default this repository): Cargo.toml, the
header and ffi/src/lib.rs, the release file names in the READMEs, the changelog. Prints one line
per place and exits 1 if any disagrees.
"""

from __future__ import annotations

import argparse
import ctypes
import email.parser
import json
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def workspace_version() -> str:
    text = (ROOT / "Cargo.toml").read_text()
    section = re.search(r"^\[workspace\.package\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
    assert section, "Cargo.toml has no [workspace.package]"
    m = re.search(r'^version\s*=\s*"([^"]+)"', section.group(1), re.M)
    assert m, "[workspace.package] has no version"
    return m.group(1)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dist", type=Path)
    ap.add_argument("--prefix", type=Path)
    ap.add_argument("--python")
    ap.add_argument("--sources-only", action="store_true")
    ap.add_argument("--root", type=Path)
    args = ap.parse_args()
    global ROOT
    if args.root:
        ROOT = args.root.resolve()
    if not args.sources_only and not (args.dist and args.prefix and args.python):
        ap.error("--dist, --prefix and --python are needed unless --sources-only")

    v = workspace_version()
    major, minor, patch = (int(x) for x in v.split("."))
    soname = f"libtcroom.so.0.{minor}" if major == 0 else f"libtcroom.so.{major}"
    print(f"workspace version (Cargo.toml): {v}")
    found: list[tuple[str, str]] = []

    def seen(where: str, value: str) -> None:
        found.append((where, value))

    # Rust: every crate of the workspace, and the versions its members ask of each other.
    meta = json.loads(subprocess.check_output(
        ["cargo", "metadata", "--no-deps", "--format-version", "1", "--locked"], cwd=ROOT))
    members = {p["name"] for p in meta["packages"]}
    for p in meta["packages"]:
        seen(f"crate {p['name']}", p["version"])
        published = p["publish"] != []
        for d in p["dependencies"]:
            # What a published crate asks of its siblings must name this version. A crate that
            # is never published, or a path-only dev-dependency (cargo package drops it), asks
            # nothing of anyone outside this repository.
            if d["name"] in members and published and not (d["kind"] == "dev" and d["req"] == "*"):
                seen(f"crate {p['name']} -> {d['name']} requirement", d["req"].lstrip("^="))

    # C: the header's macros and the constants they are made from.
    header = (ROOT / "include" / "tcroom.h").read_text()
    macros = {k: int(n) for k, n in re.findall(r"^#define TC_VERSION_(MAJOR|MINOR|PATCH) (\d+)$", header, re.M)}
    seen("tcroom.h TC_VERSION_MAJOR.MINOR.PATCH", f"{macros['MAJOR']}.{macros['MINOR']}.{macros['PATCH']}")
    consts = dict(re.findall(r"^pub const TC_VERSION_(MAJOR|MINOR|PATCH): u32 = (\d+);$",
                             (ROOT / "ffi" / "src" / "lib.rs").read_text(), re.M))
    seen("ffi/src/lib.rs TC_VERSION_* constants", f"{consts.get('MAJOR')}.{consts.get('MINOR')}.{consts.get('PATCH')}")

    # The release files the docs tell users to download.
    for doc in ("README.md", "python/README.md"):
        for m in sorted(set(re.findall(r"(?:tcroom[-_]|\}-)(\d+\.\d+\.\d+)[-_.]", (ROOT / doc).read_text()))):
            seen(f"release file names in {doc}", m)

    # The changelog's newest entry.
    m = re.search(r"^## \[?(\d+\.\d+\.\d+)\]?", (ROOT / "CHANGELOG.md").read_text(), re.M)
    seen("CHANGELOG.md newest entry", m.group(1) if m else "?")

    if args.sources_only:
        return report(v, found, [])

    # The packaged library, pkg-config, CMake, the SONAME.
    packaged_header = (args.prefix / "include" / "tcroom.h").read_text()
    if packaged_header != header:
        seen("packaged include/tcroom.h (differs from include/tcroom.h)", "?")
    lib = ctypes.CDLL(str(args.prefix / "lib" / soname))
    lib.tc_version.restype = ctypes.c_char_p
    seen(f"tc_version() of the packaged {soname}", lib.tc_version().decode())
    pc = subprocess.check_output(["pkg-config", "--modversion", "tcroom"], text=True,
                                 env={**os.environ, "PKG_CONFIG_PATH": str(args.prefix / "lib" / "pkgconfig")}).strip()
    seen("pkg-config --modversion tcroom", pc)
    cmake = (args.prefix / "lib" / "cmake" / "tcroom" / "tcroomConfigVersion.cmake").read_text()
    seen("tcroomConfigVersion.cmake PACKAGE_VERSION", re.search(r'set\(PACKAGE_VERSION "([^"]+)"\)', cmake).group(1))

    # The programs.
    for prog in ("tcroom", "tcroom-emulator"):
        out = subprocess.check_output([str(args.prefix / "bin" / prog), "--version"], text=True).split()
        seen(f"bin/{prog} --version", out[-1] if out and out[0] == prog else " ".join(out))

    # Python.
    seen("tcroom.__version__ (installed wheel)", subprocess.check_output(
        [args.python, "-c", "import tcroom; print(tcroom.__version__)"], text=True).strip())

    # The artifacts: names and the metadata inside them.
    wheels = sorted(args.dist.glob("tcroom-*.whl"))
    for w in wheels:
        seen(f"wheel name {w.name}", w.name.split("-")[1])
        with zipfile.ZipFile(w) as z:
            name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
            seen("wheel METADATA Version", email.parser.HeaderParser().parsestr(z.read(name).decode())["Version"])
    sdists = sorted(args.dist.glob("tcroom-[0-9]*.tar.gz"))
    sdists = [s for s in sdists if not s.name.endswith("-linux-gnu.tar.gz")]
    for s in sdists:
        seen(f"sdist name {s.name}", s.name[len("tcroom-"):-len(".tar.gz")])
        with tarfile.open(s) as t:
            info = next(m for m in t.getmembers() if m.name.count("/") == 1 and m.name.endswith("/PKG-INFO"))
            seen("sdist PKG-INFO Version", email.parser.HeaderParser().parsestr(t.extractfile(info).read().decode())["Version"])
    tarballs = sorted(args.dist.glob("tcroom-*-x86_64-linux-gnu.tar.gz"))
    for t in tarballs:
        seen(f"tarball name {t.name}", t.name[len("tcroom-"):-len("-x86_64-linux-gnu.tar.gz")])
    debs = sorted(args.dist.glob("tcroom_*.deb"))
    for d in debs:
        seen(f"deb name {d.name}", d.name.split("_")[1])
        seen("deb control Version", subprocess.check_output(["dpkg-deb", "-f", str(d), "Version"], text=True).strip())
    crates = sorted((args.dist / "crates").glob("*.crate"))
    for c in crates:
        seen(f"crate file {c.name}", re.fullmatch(r"[a-z-]+-(\d.*)\.crate", c.name).group(1))

    missing = [f"no {kind} in {args.dist}" for kind, files in (
        ("wheel", wheels), ("sdist", sdists), ("tarball", tarballs), ("deb", debs), ("crates", crates)) if not files]
    return report(v, found, missing)


def report(v: str, found: list[tuple[str, str]], missing: list[str]) -> int:
    bad = [(w, x) for w, x in found if x != v]
    for where, value in found:
        print(f"  {'ok ' if value == v else 'BAD'} {where}: {value}")
    for what in missing:
        print(f"  BAD {what}")
    if bad or missing:
        print(f"{len(bad) + len(missing)} place(s) disagree with {v}")
        return 1
    print(f"all {len(found)} places say {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
