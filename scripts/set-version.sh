#!/usr/bin/env bash
# Sets the one version of tcroom, everywhere it is written down:
#
#   scripts/set-version.sh X.Y.Z
#
# Cargo.toml ([workspace.package] version, and the versions of [workspace.dependencies] on the
# workspace's own crates), Cargo.lock, the TC_VERSION_* constants of ffi/src/lib.rs and the
# macros of include/tcroom.h (tests/c/run.sh checks the header against cbindgen), the release
# file names in README.md and python/README.md, and a new CHANGELOG.md entry when it has none.
# Everything else (tcroom.__version__, --version, the artifacts' names) derives from Cargo.toml.
# tests/dist/check_versions.py checks that all agree.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
new=${1:-}
if [[ ! $new =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)$ ]]; then
    echo "usage: $0 X.Y.Z" >&2
    exit 64
fi
major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]} patch=${BASH_REMATCH[3]}
old=$(sed -n '/^\[workspace\.package\]/,/^\[/s/^version = "\([^"]*\)"$/\1/p' Cargo.toml)
[[ -n $old ]] || { echo "no version in [workspace.package] of Cargo.toml" >&2; exit 1; }
echo "tcroom $old -> $new"

# Cargo.toml: the workspace version, and the workspace crates' requirements on each other.
sed -i -e "/^\[workspace\.package\]/,/^\[/s/^version = \"$old\"$/version = \"$new\"/" \
    -e "/^\[workspace\.dependencies\]/,/^\[/s/^\(tcroom-[a-z-]* = { version = \"\)[^\"]*\"/\1$new\"/" Cargo.toml
cargo update --workspace --offline --quiet

# The C ABI's version constants, and the macros cbindgen makes of them.
for part in MAJOR MINOR PATCH; do
    var=${part,,}
    value=${!var}
    sed -i "s/^pub const TC_VERSION_$part: u32 = [0-9]*;$/pub const TC_VERSION_$part: u32 = $value;/" ffi/src/lib.rs
    sed -i "s/^#define TC_VERSION_$part [0-9]*$/#define TC_VERSION_$part $value/" include/tcroom.h
done

# The release files named in the docs.
old_re=${old//./\\.}
sed -i -E "s/(tcroom[-_]|\}-)$old_re([-_.])/\1$new\2/g" README.md python/README.md

# A changelog entry for the new version, above the others.
if ! grep -q "^## \[$new\]" CHANGELOG.md; then
    awk -v v="$new" '!done && /^## \[/ {print "## [" v "] - unreleased\n"; done=1} {print}' CHANGELOG.md >CHANGELOG.md.new
    mv CHANGELOG.md.new CHANGELOG.md
fi
grep -rn "TC_VERSION_\(MAJOR\|MINOR\|PATCH\)\b.*[0-9]" include/tcroom.h ffi/src/lib.rs | grep -v "assert\|format" || true
