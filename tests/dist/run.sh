#!/usr/bin/env bash
# Tests of the release artifacts, installed the way users install them:
#
#   tests/dist/run.sh [--no-build]        (from anywhere; ~8-10 minutes on 2 cores from scratch)
#
# Runs scripts/dist.sh (skipped with --no-build: then dist/ must hold a build of this tree),
# then, each as one counted case:
#   - the C tarball extracted into a temporary prefix: its contents (SONAME links, glibc 2.17
#     symbols, nothing but glibc needed); the C example built with pkg-config (shared and
#     static) and with CMake find_package(tcroom), run against the packaged tcroom-emulator;
#     bin/tcroom create-conference, in-process and against the packaged emulator;
#   - the same library from Go (cgo), Node.js (koffi) and Java (JNA): tests/hosts/;
#   - the .deb: dpkg-deb -I/-c, the same files as the tarball, then installed into a scratch
#     root with `dpkg --root`, used from there, removed and purged (the machine is not touched);
#   - the wheel in fresh virtualenvs of the oldest and the newest CPython here (3.9+), with no
#     cargo or rustc on PATH and no package index: the README's Python example and
#     python/examples/*.py against tcroom.testing.Emulator;
#   - the sdist: pip builds it (maturin, cargo) in a fresh virtualenv, then the same example;
#   - the Python API reference (pdoc, warnings are errors) and the Rust docs (cargo doc, -D
#     warnings);
#   - the .crate files: path dependencies replaced by versions;
#   - one version everywhere (tests/dist/check_versions.py), and scripts/set-version.sh.
# Ends with "N passed, M failed". Logs: target/dist-tests/logs/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD
build=1
for arg in "$@"; do
    case $arg in
        --no-build) build=0 ;;
        *) echo "usage: $0 [--no-build]" >&2; exit 64 ;;
    esac
done

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
target=$CARGO_TARGET_DIR
dist=$root/dist
work=$target/dist-tests
logs=$work/logs
here=tests/dist
CC=${CC:-cc}
CFLAGS=(-std=c99 -Wall -Wextra -Werror -pedantic -O1)

rm -rf "$work"
mkdir -p "$logs"

# shellcheck source=tests/cases.sh
source "$root/tests/cases.sh"

# ---- build --------------------------------------------------------------------------------------

if [[ $build == 1 ]]; then
    run_case build/dist.sh scripts/dist.sh
    if ((failed > 0)); then
        finish
        exit 1
    fi
fi

version=$(sed -n 's/^#define TC_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\)$/\2/p' include/tcroom.h | paste -sd.)
minor=$(cut -d. -f2 <<<"$version")
soname=libtcroom.so.0.$minor
[[ $version == 0.* ]] || soname=libtcroom.so.${version%%.*}
tarball=$dist/tcroom-$version-x86_64-linux-gnu.tar.gz
deb=$dist/tcroom_${version}_amd64.deb
sdist=$dist/tcroom-$version.tar.gz
wheel=$(ls "$dist"/tcroom-"$version"-cp39-abi3-*.whl 2>/dev/null | head -n 1 || true)
for f in "$tarball" "$deb" "$sdist" "$wheel"; do
    [[ -n $f && -f $f ]] || { echo "missing artifact ${f:-wheel} (run scripts/dist.sh)" >&2; exit 1; }
done
echo "== testing tcroom $version: $(cd "$dist" && echo *.whl *.tar.gz *.deb)"

# ---- the emulator -------------------------------------------------------------------------------

# start_emulator BINARY NAME: starts it with the C tests' scenario (PIN 1234; alice, bob and mod
# join), sets emu_pids[NAME] and the global web_port.
declare -A emu_pids=()
web_port=
start_emulator() {
    local bin=$1 name=$2 out=$work/emulator-$2.out
    "$bin" --scenario tests/c/scenario.json >"$out" 2>"$logs/emulator-$name.log" &
    emu_pids[$name]=$!
    for _ in $(seq 100); do
        grep -q ws_port "$out" 2>/dev/null && break
        sleep 0.1
    done
    web_port=$(sed -n 's/.*"web_port":\([0-9]*\).*/\1/p' "$out")
    [[ -n $web_port ]] || { echo "$bin did not start: $(cat "$out" "$logs/emulator-$name.log")"; return 1; }
}
stop_emulator() {
    local pid=${emu_pids[$1]:-}
    if [[ -n $pid ]]; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        unset "emu_pids[$1]"
    fi
}
stop_all() {
    local n
    for n in "${!emu_pids[@]}"; do stop_emulator "$n"; done
}
trap stop_all EXIT

# example COMMAND...: the C example's contract (and the hosts'): all invitees join.
invitees=(alice@some.server bob@some.server mod@some.server)
all_joined() {
    local out rc=0
    out=$(timeout 120 "$@" 127.0.0.1 "$web_port" 1234 "${invitees[@]}") || rc=$?
    echo "$out"
    echo "exit status $rc"
    ((rc == 0))
    grep -q "^${#invitees[@]} of ${#invitees[@]} invitees joined$" <<<"$out"
    grep -q '^conference .* started: http' <<<"$out"
}

# ---- the C tarball ------------------------------------------------------------------------------

prefix=$work/prefix
mkdir -p "$prefix"
tar -xzf "$tarball" -C "$prefix" --strip-components=1
bin=$work/bin
mkdir -p "$bin"

# elf_ok FILE...: glibc 2.17 at most, nothing needed beyond glibc, no rpath of the build machine.
elf_ok() {
    local f v lib
    for f in "$@"; do
        v=$(objdump -T "$f" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -n 1)
        echo "$f: needs glibc $v"
        [[ $(printf '%s\n' "$v" 2.17 | sort -V | tail -n 1) == 2.17 ]]
        for lib in $(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
            case $lib in
                libc.so.6 | libm.so.6 | libdl.so.2 | libpthread.so.0 | librt.so.1 | libutil.so.1 | ld-linux-x86-64.so.2) ;;
                *) echo "$f needs $lib"; return 1 ;;
            esac
        done
        [[ -z $(readelf -d "$f" | grep -E 'RPATH|RUNPATH') ]]
    done
}

tarball_contents() {
    local top expected actual
    top=$(tar -tzf "$tarball" | sed -n 1p)
    [[ $top == "tcroom-$version-x86_64-linux-gnu/" ]]
    expected="bin/tcroom
bin/tcroom-emulator
include/tcroom.h
lib/cmake/tcroom/tcroomConfig.cmake
lib/cmake/tcroom/tcroomConfigVersion.cmake
lib/libtcroom.a
lib/libtcroom.so
lib/libtcroom.so.0.$minor
lib/libtcroom.so.$version
lib/pkgconfig/tcroom.pc
share/doc/tcroom/CHANGELOG.md
share/doc/tcroom/LICENSE-APACHE
share/doc/tcroom/LICENSE-MIT
share/doc/tcroom/README.md
share/doc/tcroom/examples/CMakeLists.txt
share/doc/tcroom/examples/create_conference.c
share/doc/tcroom/libtcroom.md"
    actual=$(cd "$prefix" && find . ! -type d | sed 's|^\./||' | sort)
    diff <(echo "$expected") <(echo "$actual")
    # The SONAME chain: libtcroom.so -> .so.0.MINOR -> .so.VERSION, and the SONAME inside.
    [[ $(readlink "$prefix/lib/libtcroom.so") == "$soname" ]]
    [[ $(readlink "$prefix/lib/$soname") == "libtcroom.so.$version" ]]
    readelf -d "$prefix/lib/libtcroom.so.$version" | grep "Library soname: \[$soname\]"
    [[ -x $prefix/bin/tcroom && -x $prefix/bin/tcroom-emulator ]]
    cmp include/tcroom.h "$prefix/include/tcroom.h"
    cmp examples/c/create_conference.c "$prefix/share/doc/tcroom/examples/create_conference.c"
    # The static library has no debug info, and has the ABI's symbols.
    [[ -z $(readelf -S "$prefix/lib/libtcroom.a" 2>/dev/null | grep '\.debug_info') ]]
    nm -g --defined-only "$prefix/lib/libtcroom.a" 2>/dev/null | grep ' T tc_client_new$' >/dev/null
    elf_ok "$prefix/lib/libtcroom.so.$version" "$prefix/bin/tcroom" "$prefix/bin/tcroom-emulator"
    # The library exports the tc_ ABI and nothing of Rust's.
    nm -D --defined-only "$prefix/lib/libtcroom.so.$version" | awk '$2 == "T" {print $3}' >"$work/exports.txt"
    grep -qx tc_create_conference_wait "$work/exports.txt"
    [[ -z $(grep -v '^tc_' "$work/exports.txt") ]]
}
run_case tarball/contents tarball_contents

start_emulator "$prefix/bin/tcroom-emulator" tarball
echo "   packaged tcroom-emulator on web port $web_port"

export PKG_CONFIG_PATH=$prefix/lib/pkgconfig

c_pkg_config() {
    # shellcheck disable=SC2046 # pkg-config prints word lists
    "$CC" "${CFLAGS[@]}" "$prefix/share/doc/tcroom/examples/create_conference.c" \
        $(pkg-config --cflags --libs tcroom) -o "$bin/c-shared"
    # It runs without LD_LIBRARY_PATH and loads the packaged library.
    ldd "$bin/c-shared" | grep "$soname => $prefix/"
    all_joined "$bin/c-shared"
}
run_case tarball/c-example-pkg-config c_pkg_config

c_static() {
    # shellcheck disable=SC2046
    "$CC" "${CFLAGS[@]}" "$prefix/share/doc/tcroom/examples/create_conference.c" $(pkg-config --cflags tcroom) \
        "$(pkg-config --variable=libdir tcroom)/libtcroom.a" $(pkg-config --static --libs-only-l tcroom | sed 's/-ltcroom\b//') \
        -o "$bin/c-static"
    [[ -z $(ldd "$bin/c-static" | grep tcroom) ]]
    all_joined "$bin/c-static"
}
run_case tarball/c-example-static c_static

c_cmake() {
    cmake -S "$prefix/share/doc/tcroom/examples" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" \
        -DCMAKE_C_FLAGS="-Wall -Wextra -Werror"
    cmake --build "$work/cmake"
    all_joined "$work/cmake/create_conference"
}
run_case tarball/c-example-cmake c_cmake

cli_in_process() {
    local out
    out=$(timeout 120 "$prefix/bin/tcroom" create-conference --title "Packaged" --invite user1@some.server --follow 20)
    echo "$out"
    grep -q '^Started: conference ' <<<"$out"
    grep -q '^Joined    user1@some.server/' <<<"$out"
}
run_case tarball/cli-in-process-room cli_in_process

cli_emulator() {
    local out
    out=$(TCROOM_PIN=1234 timeout 120 "$prefix/bin/tcroom" create-conference --host 127.0.0.1 --port "$web_port" \
        --title "Packaged" --invite alice@some.server --invite bob@some.server --follow 20 --hang-up)
    echo "$out"
    grep -q '^Started: conference ' <<<"$out"
    grep -q '^Joined    alice@some.server/' <<<"$out"
    grep -q '^Joined    bob@some.server/' <<<"$out"
}
run_case tarball/cli-packaged-emulator cli_emulator

# ---- other hosts of the C ABI -------------------------------------------------------------------

host_go() {
    command -v go
    mkdir -p "$work/hosts"
    # -a: go's cache does not notice a changed header, library or pkg-config file.
    (cd tests/hosts/go && CGO_ENABLED=1 go build -a -o "$work/hosts/go-create-conference" .)
    ldd "$work/hosts/go-create-conference" | grep "$soname => $prefix/"
    all_joined "$work/hosts/go-create-conference"
}
run_case hosts/go-cgo host_go

host_node() {
    command -v node npm
    local dir=$work/hosts/node
    mkdir -p "$dir"
    cp tests/hosts/node/package.json tests/hosts/node/create_conference.mjs "$dir/"
    # koffi ships its native part prebuilt in the npm package: no install script is needed.
    (cd "$dir" && npm install --ignore-scripts --no-audit --no-fund --no-package-lock)
    all_joined node "$dir/create_conference.mjs" "$prefix/lib/$soname"
}
run_case hosts/node-koffi host_node

host_java() {
    command -v mvn java
    local dir=$work/hosts/java
    mkdir -p "$dir"
    cp -r tests/hosts/java/pom.xml tests/hosts/java/src "$dir/"
    (cd "$dir" && mvn -B -q -Dstyle.color=never compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
    all_joined java -cp "$dir/target/classes:$(cat "$dir/target/classpath.txt")" tcroom.host.CreateConference "$prefix/lib/$soname"
}
run_case hosts/java-jna host_java

# ---- the .deb -----------------------------------------------------------------------------------

deb_contents() {
    dpkg-deb -I "$deb"
    [[ $(dpkg-deb -f "$deb" Package) == tcroom ]]
    [[ $(dpkg-deb -f "$deb" Version) == "$version" ]]
    [[ $(dpkg-deb -f "$deb" Architecture) == amd64 ]]
    [[ $(dpkg-deb -f "$deb" Depends) == "libc6 (>= 2.17)" ]]
    dpkg-deb -c "$deb" | tee "$work/deb-list.txt"
    # Everything root-owned; the tarball's files under /usr, plus Debian's copyright file.
    [[ -z $(awk '$2 != "root/root"' "$work/deb-list.txt") ]]
    diff <(awk '{print $6}' "$work/deb-list.txt" | sed -n 's|^\./usr/\(.*[^/]\)$|\1|p' | grep -vx 'share/doc/tcroom/copyright' | sort) \
        <(cd "$prefix" && find . ! -type d | sed 's|^\./||' | sort)
    # Built from the same files: every binary is byte for byte the tarball's.
    local x=$work/deb-extract f
    dpkg-deb -x "$deb" "$x"
    for f in bin/tcroom bin/tcroom-emulator lib/libtcroom.so.$version lib/libtcroom.a include/tcroom.h; do
        cmp "$prefix/$f" "$x/usr/$f"
    done
    (cd "$x" && dpkg-deb -e "$deb" DEBIAN && md5sum --quiet -c DEBIAN/md5sums)
}
run_case deb/contents deb_contents

# dpkg --root: a scratch root with its own dpkg database, so the machine's is never touched.
# libc6 is not in that database, hence --force-depends.
deb_install() {
    local r=$work/deb-root
    mkdir -p "$r/var/lib/dpkg/info" "$r/var/lib/dpkg/updates" "$r/var/lib/dpkg/triggers"
    : >"$r/var/lib/dpkg/status"
    : >"$r/var/lib/dpkg/available"
    dpkg --root="$r" --log=/dev/null --force-depends -i "$deb"
    dpkg --root="$r" -s tcroom | grep -x 'Status: install ok installed'
    dpkg --root="$r" -L tcroom | grep -x /usr/lib/libtcroom.so
    [[ -x $r/usr/bin/tcroom && -L $r/usr/lib/libtcroom.so ]]
    # Use it from there: pkg-config through the scratch root as a sysroot, and CMake.
    # shellcheck disable=SC2046
    "$CC" "${CFLAGS[@]}" "$r/usr/share/doc/tcroom/examples/create_conference.c" \
        $(PKG_CONFIG_PATH= PKG_CONFIG_LIBDIR="$r/usr/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$r" pkg-config --cflags --libs tcroom) \
        -o "$bin/c-deb"
    cmake -S "$r/usr/share/doc/tcroom/examples" -B "$work/cmake-deb" -DCMAKE_PREFIX_PATH="$r/usr"
    cmake --build "$work/cmake-deb"
    grep -q "$r/usr/lib/libtcroom.so" "$work/cmake-deb/CMakeFiles/create_conference.dir/link.txt"
    local saved=$web_port
    start_emulator "$r/usr/bin/tcroom-emulator" deb
    LD_LIBRARY_PATH=$r/usr/lib all_joined "$bin/c-deb"
    stop_emulator deb
    web_port=$saved
    # Remove, then purge: nothing of the package may remain.
    dpkg --root="$r" --log=/dev/null -r tcroom
    [[ -z $(find "$r/usr" ! -type d) ]]
    dpkg --root="$r" --log=/dev/null -P tcroom
    [[ -z $(dpkg --root="$r" -s tcroom 2>/dev/null | grep '^Status: install') ]]
}
run_case deb/install-use-remove deb_install

# ---- Python -------------------------------------------------------------------------------------

wheel_tag() {
    local tags
    echo "$wheel"
    [[ $(basename "$wheel") == "tcroom-$version-cp39-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl" ]]
    tags=$(python3 -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())' \
        "$wheel" "tcroom-$version.dist-info/WHEEL")
    echo "$tags"
    grep -qx 'Root-Is-Purelib: false' <<<"$tags"
    grep -qx 'Tag: cp39-abi3-manylinux_2_17_x86_64' <<<"$tags"
    # What maturin's manylinux check passed, seen for ourselves.
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$wheel" "$work/wheel-so"
    elf_ok "$work"/wheel-so/tcroom/_native*.so
}
run_case wheel/tag wheel_tag

# The CPythons here, 3.9 or newer, with venv: pyenv's, then any python3.X on PATH.
# TCROOM_TEST_PYTHONS="PATH..." overrides.
find_pythons() {
    local m p pyenv_root
    if [[ -n ${TCROOM_TEST_PYTHONS:-} ]]; then
        echo "$TCROOM_TEST_PYTHONS" | tr ' ' '\n'
        return
    fi
    pyenv_root=$(pyenv root 2>/dev/null || true)
    for m in $(seq 9 40); do
        for p in $(ls -d "$pyenv_root"/versions/3."$m".*/bin/python3."$m" 2>/dev/null | sort -V | tail -n 1) \
            /usr/bin/python3."$m" /usr/local/bin/python3."$m"; do
            if [[ -x $p ]] && "$p" -c 'import venv, ensurepip' 2>/dev/null; then
                echo "$p"
                break
            fi
        done
    done
}
mapfile -t pythons < <(find_pythons)
if ((${#pythons[@]} == 0)); then
    echo "FAIL no CPython 3.9+ with venv found"
    failed=$((failed + 1))
    failures+=(python/none)
fi
oldest=${pythons[0]:-}
newest=${pythons[${#pythons[@]}-1]:-}
echo "== CPythons: ${pythons[*]:-none} (testing the oldest and the newest)"

# PATH without cargo and rustc: what a Python user without Rust has.
norust_path=
IFS=: read -r -a path_dirs <<<"$PATH"
for d in "${path_dirs[@]}"; do
    [[ -x $d/cargo || -x $d/rustc ]] && continue
    norust_path=${norust_path:+$norust_path:}$d
done

# The README's Python example (the block that runs against tcroom.testing.Emulator).
awk '/^```python$/{inside=1; block=""; next} inside && /^```$/{inside=0; if (block ~ /Emulator\(/) {printf "%s", block; exit}; next} inside{block = block $0 "\n"}' \
    README.md >"$work/readme_example.py"

# py_examples VENV_PYTHON: the README example and python/examples/*.py, from a folder where
# nothing of this repository can be imported.
py_examples() {
    local py=$1 run out f
    run=$(mktemp -d "$work/run.XXXX")
    grep -q 'Emulator(' "$work/readme_example.py"
    cp "$work/readme_example.py" python/examples/*.py "$run/"
    cd "$run"
    "$py" -I -c 'import sys, tcroom; print(tcroom.__file__); assert tcroom.__file__.startswith(sys.prefix), "not the installed package"'
    out=$(timeout 60 "$py" -I -X dev -W error readme_example.py)
    echo "$out"
    grep -Eq '^[^ ]+@some\.server#vcs http' <<<"$out"
    grep -q '^user1@some.server/.* joined$' <<<"$out"
    for f in "$root"/python/examples/*.py; do
        echo "--- $(basename "$f")"
        out=$(timeout 60 "$py" -I -X dev -W error "$(basename "$f")" 2>"$run/stderr") || { cat "$run/stderr"; return 1; }
        echo "$out"
        [[ ! -s $run/stderr ]] || { cat "$run/stderr"; return 1; }
        # Each example's own proof that it ran to the end against the installed package
        # (python/tests/test_examples.py checks every line).
        case $(basename "$f") in
        create_conference*.py)
            grep -q '^conference .* started: http' <<<"$out"
            grep -q '^user1@some.server joined$' <<<"$out"
            ;;
        touch_panel.py)
            grep -q 'in call: yes (user1@some.server)' <<<"$out"
            [[ $(tail -n1 <<<"$out") == "panel: closed" ]]
            ;;
        auto_answer.py) [[ $(tail -n1 <<<"$out") == "accepted 2, rejected 1" ]] ;;
        *)
            echo "no expected output for $(basename "$f"): add it here"
            return 1
            ;;
        esac
    done
}

wheel_in_venv() { # PYTHON
    local py=$1 venv
    venv=$work/venv-$(basename "$py")
    "$py" -m venv "$venv"
    export PATH=$norust_path
    [[ -z $(command -v cargo) && -z $(command -v rustc) ]]
    "$venv/bin/python" -m pip install --no-index --no-deps --disable-pip-version-check "$wheel"
    py_examples "$venv/bin/python"
}
for py in $(printf '%s\n' "$oldest" "$newest" | awk 'NF && !seen[$0]++'); do
    run_case "wheel/$(basename "$py")-$("$py" -c 'import platform; print(platform.python_version())')" wheel_in_venv "$py"
done

# pip builds the sdist with maturin and cargo, as for a user on a platform without a wheel.
# The dev profile and this target folder let it reuse what the Python suite compiled; what is
# tested is that the sdist holds everything the build needs.
sdist_in_venv() {
    local venv=$work/venv-sdist
    "$newest" -m venv "$venv"
    tar -tzf "$sdist" | grep -x "tcroom-$version/Cargo.lock"
    MATURIN_PEP517_ARGS="--profile dev" "$venv/bin/python" -m pip install --no-cache-dir --disable-pip-version-check "$sdist"
    py_examples "$venv/bin/python"
}
run_case "sdist/$(basename "$newest")" sdist_in_venv

# The API reference from the docstrings and the stubs, into target/doc/python.
python_docs() {
    local venv=$work/venv-$(basename "$newest") out=$target/doc/python
    [[ -x $venv/bin/python ]] || { echo "the wheel case for $newest did not leave its venv"; return 1; }
    "$venv/bin/python" -m pip install --disable-pip-version-check "pdoc==16.0.0"
    rm -rf "$out"
    (cd "$work" && "$venv/bin/python" -W error -m pdoc -o "$out" tcroom 2>"$work/pdoc.err")
    cat "$work/pdoc.err"
    [[ ! -s $work/pdoc.err ]]
    # Every public name has its entry.
    local name
    for name in $("$venv/bin/python" -I -c 'import tcroom; print(" ".join(n for n in tcroom.__all__ if not n.startswith("_") and n != "testing"))'); do
        grep -q "id=\"$name\"" "$out/tcroom.html" || { echo "no entry for tcroom.$name"; return 1; }
    done
    grep -q 'id="Emulator"' "$out/tcroom/testing.html"
    echo "API reference: $out/index.html"
}
run_case docs/python-pdoc python_docs

# ---- Rust ---------------------------------------------------------------------------------------

rust_docs() {
    # The published crates and the C ABI's, warnings denied; doc examples are compiled and run
    # by `cargo test` in the rust suite. The Python extension crate is internal: its docs cover
    # private items, where links to them are fine.
    RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked --workspace --exclude tcroom-python
    RUSTDOCFLAGS="-D warnings -A rustdoc::private-intra-doc-links" cargo doc --no-deps --locked -p tcroom-python --document-private-items
    [[ -f $target/doc/tcroom_core/index.html && -f $target/doc/tcroom/index.html ]]
}
run_case docs/rust-cargo-doc rust_docs

crate_manifests() {
    local c n=0
    for c in "$dist"/crates/*.crate; do
        n=$((n + 1))
        echo "== $(basename "$c")"
        python3 - "$c" "$version" <<'EOF'
import re, sys, tarfile
path, version = sys.argv[1], sys.argv[2]
with tarfile.open(path) as t:
    top = t.getnames()[0].split("/")[0]
    names = set(t.getnames())
    manifest = t.extractfile(f"{top}/Cargo.toml").read().decode()
assert f"{top}/LICENSE-MIT" in names and f"{top}/LICENSE-APACHE" in names, "licence files missing"
assert f"{top}/README.md" in names, "README missing"
for key in ("description", "license", "repository", "readme", "keywords", "categories"):
    assert re.search(rf"^{key} = ", manifest, re.M), f"no {key}"
assert f'version = "{version}"' in manifest
deps = re.findall(r"^\[(?:dev-|build-)?dependencies\.([a-z0-9_-]+)\]\n((?:[^\[\n].*\n)*)", manifest, re.M)
for name, body in deps:
    assert "path = " not in body, f"{name}: a path dependency was left in"
    if name.startswith("tcroom-"):
        assert f'version = "{version}"' in body, f"{name} without version {version}"
        print(f"  {name} = {version}")
assert deps, "no dependencies found: the manifest format changed?"
print("  ok")
EOF
    done
    ((n >= 3))
}
run_case crates/manifests crate_manifests

# ---- one version --------------------------------------------------------------------------------

versions_agree() {
    python3 "$here/check_versions.py" --dist "$dist" --prefix "$prefix" --python "$work/venv-$(basename "$newest")/bin/python"
}
run_case version/everywhere versions_agree

# scripts/set-version.sh on a copy of the tree: afterwards every place says the new version.
set_version() {
    local copy=$work/set-version
    mkdir -p "$copy"
    git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$copy"
    (cd "$copy" && scripts/set-version.sh 9.8.7)
    python3 "$here/check_versions.py" --sources-only --root "$copy" | tee "$work/set-version.txt"
    grep -x 'all [0-9]* places say 9.8.7' "$work/set-version.txt"
    # Nothing was left at the old version in the files it changes.
    [[ -z $(grep -nF "$version" "$copy/Cargo.toml" "$copy/README.md" "$copy/python/README.md") ]]
}
run_case version/set-version set_version

stop_all
finish
