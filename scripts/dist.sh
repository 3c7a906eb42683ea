#!/usr/bin/env bash
# Builds the release artifacts into dist/ (V is the workspace version in Cargo.toml):
#
#   tcroom-V-cp39-abi3-manylinux*_x86_64.whl   the Python package for CPython 3.9+, no Rust needed
#   tcroom-V.tar.gz                            its sdist (pip builds it with maturin and cargo)
#   tcroom-V-x86_64-linux-gnu.tar.gz           a prefix: lib/ (libtcroom.so with its SONAME links,
#                                              libtcroom.a, pkgconfig/, cmake/tcroom/), include/,
#                                              bin/tcroom, bin/tcroom-emulator, share/doc/tcroom/
#                                              (README, C guide, changelog, licences, C example)
#   tcroom_V_amd64.deb                         the same files under /usr
#   crates/tcroom-*-V.crate                    every publishable crate, as `cargo package` made
#                                              and verified it
#   SHA256SUMS
#
#   scripts/dist.sh [--out DIR] [--no-crates]
#
# Every binary is linked by zig against glibc 2.17 (manylinux2014), so the files run on any
# x86-64 Linux with glibc 2.17 or newer, whatever machine builds them. Needs cargo, python3
# (3.9+ with venv), dpkg-deb and binutils; maturin, zig and cargo-zigbuild come from PyPI into
# target/dist-tools (versions in scripts/dist-requirements.txt). About 4-5 minutes from scratch
# on 2 cores; cargo reuses target/ after that. tests/dist/run.sh installs and tests the results.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
out=$root/dist
crates=1
while [[ $# -gt 0 ]]; do
    case $1 in
        --out) [[ $# -ge 2 ]] || { echo "--out needs a folder" >&2; exit 64; }; out=$2; shift ;;
        --no-crates) crates=0 ;;
        *) echo "usage: $0 [--out DIR] [--no-crates]" >&2; exit 64 ;;
    esac
    shift
done
mkdir -p "$out"
out=$(cd "$out" && pwd)

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
target=$CARGO_TARGET_DIR
work=$target/dist-work
tools=$target/dist-tools
triple=x86_64-unknown-linux-gnu
glibc=2.17
profile=dist # Cargo.toml: release without debug info

step() { echo "== $* ($SECONDS s)"; }

# ---- the one version --------------------------------------------------------------------------

version=$(cargo metadata --no-deps --format-version 1 --locked | python3 -c '
import json, sys
packages = json.load(sys.stdin)["packages"]
versions = {p["version"] for p in packages}
if len(versions) != 1:
    sys.exit("the workspace crates disagree on their version: %s" % sorted(versions))
print(versions.pop())')
header_version=$(sed -n 's/^#define TC_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\)$/\2/p' include/tcroom.h | paste -sd.)
if [[ $header_version != "$version" ]]; then
    echo "include/tcroom.h says $header_version, Cargo.toml says $version" >&2
    exit 1
fi
if [[ $version =~ ^0\.([0-9]+)\. ]]; then abi=0.${BASH_REMATCH[1]}; else abi=${version%%.*}; fi
name=tcroom-$version-x86_64-linux-gnu
step "tcroom $version into $out"

# Reproducible archives: every timestamp is the last commit's (or now, outside git).
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
export SOURCE_DATE_EPOCH

# Only this version's artifacts remain in the output folder.
rm -rf "$out"/tcroom-*.whl "$out"/tcroom-*.tar.gz "$out"/tcroom_*.deb "$out"/crates "$out"/SHA256SUMS

# ---- tools ------------------------------------------------------------------------------------

if ! cmp -s scripts/dist-requirements.txt "$tools/requirements.txt" 2>/dev/null; then
    step "installing $(grep -v '^#' scripts/dist-requirements.txt | paste -sd' ') into $tools"
    rm -rf "$tools"
    python3 -m venv "$tools"
    "$tools/bin/python" -m pip install --quiet --disable-pip-version-check -r scripts/dist-requirements.txt
    cp scripts/dist-requirements.txt "$tools/requirements.txt"
fi
export PATH=$tools/bin:$PATH

# ---- Python: wheel and sdist ------------------------------------------------------------------

# A target folder of its own: maturin and cargo-zigbuild link through different zig wrappers,
# and sharing one folder would make each rebuild everything the other built.
step "wheel (maturin, zig, manylinux2014)"
CARGO_TARGET_DIR=$target/dist-wheel maturin build --quiet --zig --compatibility manylinux2014 \
    --profile "$profile" -m python/Cargo.toml --out "$out"
step "sdist"
maturin sdist -m python/Cargo.toml --out "$out" 2>&1 | grep -v '^warning: manifest has no\|^  |$\|^  = note: see' || true
ls "$out"/tcroom-"$version".tar.gz >/dev/null

# ---- C: libtcroom, the CLI and the emulator ---------------------------------------------------

# Two invocations, as tests/c/run.sh does: together, cargo would give the library the
# emulator's tokio features. Shipped is what `cargo build -p tcroom-ffi` makes.
step "libtcroom (cargo zigbuild, glibc $glibc)"
cargo zigbuild --quiet --locked --profile "$profile" --target "$triple.$glibc" -p tcroom-ffi
step "tcroom and tcroom-emulator (cargo zigbuild, glibc $glibc)"
cargo zigbuild --quiet --locked --profile "$profile" --target "$triple.$glibc" -p tcroom-cli -p tcroom-emulator
built=$target/$triple/$profile

# Every ELF file needs glibc's libraries only, at glibc 2.17 at most (the .deb's Depends).
glibc_libs=" libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libutil.so.1 ld-linux-x86-64.so.2 "
needed_glibc=$glibc
for elf in "$built/libtcroom.so" "$built/tcroom" "$built/tcroom-emulator"; do
    for lib in $(readelf -d "$elf" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        if [[ $glibc_libs != *" $lib "* ]]; then
            echo "$elf needs $lib: not part of glibc, so the .deb's Depends would be wrong" >&2
            exit 1
        fi
    done
    v=$(objdump -T "$elf" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -1)
    if [[ $(printf '%s\n' "$v" "$glibc" | sort -V | tail -1) != "$glibc" ]]; then
        echo "$elf needs glibc $v, more than $glibc" >&2
        exit 1
    fi
done

# ---- the tarball ------------------------------------------------------------------------------

step "$name.tar.gz"
stage=$work/$name
rm -rf "$work"
mkdir -p "$stage"
ffi/install.sh "$stage" --from "$built" >/dev/null
# Rust's standard library comes with debug info; users of the archive do not need it.
strip --strip-debug "$stage/lib/libtcroom.a"
install -d "$stage/bin" "$stage/share/doc/tcroom/examples"
install -m 0755 "$built/tcroom" "$built/tcroom-emulator" "$stage/bin/"
doc=$stage/share/doc/tcroom
install -m 0644 README.md CHANGELOG.md LICENSE-MIT LICENSE-APACHE "$doc/"
install -m 0644 ffi/README.md "$doc/libtcroom.md"
install -m 0644 examples/c/create_conference.c "$doc/examples/"
cat >"$doc/examples/CMakeLists.txt" <<'EOF'
# cmake -S . -B build -DCMAKE_PREFIX_PATH=/where/tcroom/is && cmake --build build
cmake_minimum_required(VERSION 3.16)
project(tcroom_example C)
find_package(tcroom REQUIRED)
add_executable(create_conference create_conference.c)
target_link_libraries(create_conference PRIVATE tcroom::tcroom)   # or tcroom::tcroom_static
EOF
chmod -R u=rwX,go=rX "$stage"
find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" -C "$work" -c "$name" |
    gzip -9n >"$out/$name.tar.gz"

# ---- the .deb: the same files under /usr ------------------------------------------------------

deb_name=tcroom_${version}_amd64
step "$deb_name.deb"
deb=$work/deb/$deb_name
mkdir -p "$deb/DEBIAN"
cp -a "$stage" "$deb/usr"
# /usr is a system prefix: the pkg-config file needs no rpath there (the CMake package finds its
# prefix by itself and stays as it is).
cat >"$deb/usr/lib/pkgconfig/tcroom.pc" <<EOF
prefix=/usr
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: tcroom
Description: C ABI of tcroom, a client for the TrueConf Room / VideoSDK control API
Version: $version
Cflags: -I\${includedir}
Libs: -L\${libdir} -ltcroom
$(grep '^Libs.private:' "$stage/lib/pkgconfig/tcroom.pc")
EOF
cat >"$deb/usr/share/doc/tcroom/copyright" <<'EOF'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: tcroom

Files: *
Copyright: The tcroom developers
License: MIT or Apache-2.0
 You may use this software under either licence, at your option. The MIT licence is in
 /usr/share/doc/tcroom/LICENSE-MIT; the Apache License 2.0 is in
 /usr/share/doc/tcroom/LICENSE-APACHE and /usr/share/common-licenses/Apache-2.0.
EOF
cat >"$deb/DEBIAN/control" <<EOF
Package: tcroom
Version: $version
Architecture: amd64
Maintainer: The tcroom developers <tcroom@example.invalid>
Installed-Size: $(du -sk "$deb/usr" | cut -f1)
Depends: libc6 (>= $needed_glibc)
Section: libdevel
Priority: optional
Description: drive TrueConf Room endpoints from C, C++ and the shell
 libtcroom controls a TrueConf Room / VideoSDK endpoint over its WebSocket
 JSON API from C, C++ and any language with a C FFI. This package holds the
 shared library (SONAME libtcroom.so.$abi) and the static one, tcroom.h,
 pkg-config and CMake files, the tcroom command-line tool and
 tcroom-emulator, a stand-in room for tests.
EOF
(cd "$deb" && find usr -type f -print0 | sort -z | xargs -0 md5sum >DEBIAN/md5sums)
chmod 0644 "$deb/DEBIAN/control" "$deb/DEBIAN/md5sums" "$deb/usr/lib/pkgconfig/tcroom.pc" \
    "$deb/usr/share/doc/tcroom/copyright"
find "$deb" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
dpkg-deb --root-owner-group -Zxz -z3 --build "$deb" "$out/$deb_name.deb" >/dev/null

# ---- crates -----------------------------------------------------------------------------------

if [[ $crates == 1 ]]; then
    publishable=$(cargo metadata --no-deps --format-version 1 --locked | python3 -c '
import json, sys
print(" ".join("-p " + p["name"] for p in json.load(sys.stdin)["packages"] if p["publish"] != []))')
    step "cargo package $publishable"
    # cargo verifies each crate against the others through a local registry, unpacked under
    # $CARGO_HOME/registry/src/-<hash of its path>/. An unpack left by an earlier run of the
    # same version is reused as it is, so a crate would be checked against old sources of its
    # siblings: remove our own crates' unpacks (nothing else) first.
    rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/tcroom-*-"$version"
    # shellcheck disable=SC2086 # a list of options
    cargo package --quiet --locked --allow-dirty $publishable
    mkdir -p "$out/crates"
    for p in $publishable; do
        [[ $p == -p ]] || cp "$target/package/$p-$version.crate" "$out/crates/"
    done
fi

(cd "$out" && find . -maxdepth 2 -type f \( -name '*.whl' -o -name '*.tar.gz' -o -name '*.deb' -o -name '*.crate' \) |
    sed 's|^\./||' | sort | xargs sha256sum >SHA256SUMS)
step "done"
(cd "$out" && cut -d' ' -f3 SHA256SUMS | xargs stat -c '   %10s  %n')
