#!/usr/bin/env bash
# Installs libtcroom into a prefix: the shared and static libraries, include/tcroom.h, a
# pkg-config file (lib/pkgconfig/tcroom.pc) and a CMake package (lib/cmake/tcroom, imported
# targets tcroom::tcroom and tcroom::tcroom_static).
#
#   ffi/install.sh PREFIX [--release] [--no-build] [--from DIR]
#
# --from DIR takes libtcroom.so and libtcroom.a from DIR (as built elsewhere, e.g. by
# scripts/dist.sh for another glibc) instead of the cargo target folder, and builds nothing.
#
# Both generated files locate the prefix relative to themselves, so an installed tree can be
# moved or packaged as is. Linux (ELF, .so with SONAME) is what this script knows.
set -euo pipefail

usage() { echo "usage: $0 PREFIX [--release] [--no-build] [--from DIR]" >&2; exit 64; }
[[ $# -ge 1 ]] || usage
prefix=$1
shift
profile=debug
build=1
from=
while [[ $# -gt 0 ]]; do
    case $1 in
        --release) profile=release ;;
        --no-build) build=0 ;;
        --from) [[ $# -ge 2 ]] || usage; from=$2; build=0; shift ;;
        *) usage ;;
    esac
    shift
done

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target=${from:-${CARGO_TARGET_DIR:-$root/target}/$profile}
header=$root/include/tcroom.h

if [[ $build == 1 ]]; then
    flags=()
    [[ $profile == release ]] && flags+=(--release)
    (cd "$root" && cargo build -p tcroom-ffi "${flags[@]}")
fi

# The version comes from the checked-in header, which a test keeps equal to Cargo.toml.
macro() { sed -n "s/^#define $1 \([0-9]*\)$/\1/p" "$header"; }
major=$(macro TC_VERSION_MAJOR)
minor=$(macro TC_VERSION_MINOR)
patch=$(macro TC_VERSION_PATCH)
[[ -n $major && -n $minor && -n $patch ]] || { echo "cannot read the version from $header" >&2; exit 1; }
version=$major.$minor.$patch
# Must match the SONAME that ffi/build.rs gives the library.
if [[ $major == 0 ]]; then abi=0.$minor; else abi=$major; fi

# What the static library needs from the system (rustc --print native-static-libs on Linux).
static_libs="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"

mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
lib=$prefix/lib
install -d "$lib/pkgconfig" "$lib/cmake/tcroom" "$prefix/include"

install -m 0755 "$target/libtcroom.so" "$lib/libtcroom.so.$version"
ln -sfn "libtcroom.so.$version" "$lib/libtcroom.so.$abi"
ln -sfn "libtcroom.so.$abi" "$lib/libtcroom.so"
install -m 0644 "$target/libtcroom.a" "$lib/libtcroom.a"
install -m 0644 "$header" "$prefix/include/tcroom.h"

cat > "$lib/pkgconfig/tcroom.pc" <<EOF
prefix=\${pcfiledir}/../..
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: tcroom
Description: C ABI of tcroom, a client for the TrueConf Room / VideoSDK control API
Version: $version
Cflags: -I\${includedir}
Libs: -L\${libdir} -Wl,-rpath,\${libdir} -ltcroom
Libs.private: $static_libs
EOF

cat > "$lib/cmake/tcroom/tcroomConfig.cmake" <<EOF
# CMake package for libtcroom $version. find_package(tcroom) defines:
#   tcroom::tcroom         the shared library
#   tcroom::tcroom_static  the static library (with the system libraries it needs)
get_filename_component(_tcroom_prefix "\${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
include(CMakeFindDependencyMacro)
find_dependency(Threads)

if(NOT TARGET tcroom::tcroom)
  add_library(tcroom::tcroom SHARED IMPORTED)
  set_target_properties(tcroom::tcroom PROPERTIES
    IMPORTED_LOCATION "\${_tcroom_prefix}/lib/libtcroom.so.$version"
    IMPORTED_SONAME "libtcroom.so.$abi"
    INTERFACE_INCLUDE_DIRECTORIES "\${_tcroom_prefix}/include")
endif()

if(NOT TARGET tcroom::tcroom_static)
  add_library(tcroom::tcroom_static STATIC IMPORTED)
  set_target_properties(tcroom::tcroom_static PROPERTIES
    IMPORTED_LOCATION "\${_tcroom_prefix}/lib/libtcroom.a"
    INTERFACE_INCLUDE_DIRECTORIES "\${_tcroom_prefix}/include"
    INTERFACE_LINK_LIBRARIES "Threads::Threads;\${CMAKE_DL_LIBS};m;rt;util")
endif()

set(tcroom_VERSION "$version")
unset(_tcroom_prefix)
EOF

cat > "$lib/cmake/tcroom/tcroomConfigVersion.cmake" <<EOF
# Compatible: same ABI ($abi), and at least the requested version.
set(PACKAGE_VERSION "$version")
if(PACKAGE_FIND_VERSION VERSION_GREATER PACKAGE_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
elseif("$major" STREQUAL "0" AND NOT PACKAGE_FIND_VERSION_MINOR STREQUAL "$minor")
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
elseif(NOT PACKAGE_FIND_VERSION_MAJOR STREQUAL "$major")
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
else()
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
  if(PACKAGE_FIND_VERSION STREQUAL PACKAGE_VERSION)
    set(PACKAGE_VERSION_EXACT TRUE)
  endif()
endif()
EOF

echo "installed libtcroom $version into $prefix"
