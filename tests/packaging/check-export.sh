#!/bin/sh
# check-export.sh SKINNYGEN SRCROOT - skinnygen --export without any GPU
# toolchain: the bundle has its build files, header, runtime and one TU per
# row; mentions no path of the source tree; a second export rewrites nothing;
# bad usage exits 2 and writes nothing.
set -eu
gen=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "check-export: $*" >&2; exit 1; }

"$gen" --spec "$root/specs/tiles.def" --templates "$root/templates" --runtime "$root/runtime" \
    --export "$tmp/b" || fail "export failed"
for f in CMakeLists.txt meson.build meson_options.txt README.md include/skinny/skinny.h \
         src/skinny_port.h src/skinny_row.h src/skinny_internal.h src/skinny_gemm.c \
         generated/skinny_kernel.cuh generated/skinny_dispatch.c generated/manifest.json; do
    [ -f "$tmp/b/$f" ] || fail "bundle lacks $f"
done
[ ! -e "$tmp/b/src/skinny.h" ] || fail "skinny.h belongs in include/skinny only"
rows=$("$gen" --spec "$root/specs/tiles.def" --list | wc -l)
tus=$(ls "$tmp/b/generated/"*.hip | wc -l)
[ "$rows" -eq "$tus" ] || fail "$tus kernel TUs for $rows rows"
for tu in "$tmp"/b/generated/*.hip; do
    grep -q "generated/$(basename "$tu")" "$tmp/b/CMakeLists.txt" || fail "CMakeLists.txt lacks $(basename "$tu")"
    grep -q "generated/$(basename "$tu")" "$tmp/b/meson.build" || fail "meson.build lacks $(basename "$tu")"
done
for c in "$root"/runtime/*.c; do
    grep -q "src/$(basename "$c")" "$tmp/b/CMakeLists.txt" || fail "CMakeLists.txt lacks src/$(basename "$c")"
done
! grep -rq "$root" "$tmp/b" || fail "bundle mentions $root"
cmp -s "$root/runtime/skinny.h" "$tmp/b/include/skinny/skinny.h" || fail "header differs"

# Idempotent: a second export leaves every file as it was.
touch -d '2000-01-01' $(find "$tmp/b" -type f)
"$gen" --spec "$root/specs/tiles.def" --templates "$root/templates" --runtime "$root/runtime" \
    --export "$tmp/b" || fail "second export failed"
[ -z "$(find "$tmp/b" -type f -newermt '2001-01-01')" ] || fail "second export rewrote files"

# Usage errors: exit 2, nothing written.
set +e
"$gen" --spec "$root/specs/tiles.def" --templates "$root/templates" --export "$tmp/c" 2>/dev/null
[ $? -eq 2 ] || fail "--export without --runtime must exit 2"
"$gen" --spec "$root/specs/tiles.def" --templates "$root/templates" --runtime "$root/runtime" \
    --export "$tmp/c" --out "$tmp/d" 2>/dev/null
[ $? -eq 2 ] || fail "--export with --out must exit 2"
"$gen" --spec "$root/specs/tiles.def" --templates "$root/templates" --runtime "$tmp/nowhere" \
    --export "$tmp/e" 2>/dev/null
[ $? -eq 2 ] || fail "--export with a missing --runtime must exit 2"
set -e
[ ! -e "$tmp/c" ] && [ ! -e "$tmp/d" ] && [ ! -e "$tmp/e" ] || fail "a refused export wrote files"
echo "check-export: bundle of $rows rows OK"
