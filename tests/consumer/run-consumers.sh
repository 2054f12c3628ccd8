#!/bin/sh
# run-consumers.sh BACKEND [WAY...] - build tests/consumer/consumer.c against
# libskinny every way another project can take it, each in a scratch
# directory, and run it (it needs no GPU: without one it checks the host-side
# API and exits 0). Exits non-zero on the first failure.
#
#   BACKEND  cuda | hip | none
#   WAY      plain       against a skinnygen build tree (no install)
#            install     meson install into a prefix; checks the installed layout,
#                        the soname and that only skinny_* symbols are exported
#            pkgconfig   (after install) cc with only pkg-config --cflags --libs
#                        skinny (shared), --static (static), and a Meson project
#                        finding it by pkg-config
#            subproject  skinnygen as a Meson subproject (subprojects/skinnygen),
#                        with the consumer's own two-row tiles.def
#            bundle      skinnygen --export, consumer built by CMake alone
#            bundle-meson  the same bundle (two-row table) built by its meson.build
#            default: all of them (bundle ways only for cuda/hip)
#
# Environment: CONSUMER_WORK (scratch root, default /tmp/skinny-consumers-BACKEND;
# wiped first), HIP_TARGETS (default gfx90a), NV_TARGETS (default sm_90), CC.
set -eu
backend=${1:?usage: run-consumers.sh cuda|hip|none [WAY...]}
shift
ways=${*:-plain install pkgconfig subproject bundle bundle-meson}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${CONSUMER_WORK:-/tmp/skinny-consumers-$backend}
hip_targets=${HIP_TARGETS:-gfx90a}
nv_targets=${NV_TARGETS:-sm_90}
cc=${CC:-cc}
case $backend in cuda | hip | none) ;; *) echo "run-consumers.sh: unknown backend $backend" >&2; exit 2 ;; esac

say() { printf '\n=== run-consumers (%s): %s\n' "$backend" "$*"; }
fail() { echo "run-consumers.sh ($backend): FAILED: $*" >&2; exit 1; }
backend_opts="-Dgpu_backend=$backend -Dhip_targets=$hip_targets -Dnv_targets=$nv_targets"

rm -rf "$work"
mkdir -p "$work"
build=$work/build
prefix=$work/prefix

# The consumer's own table: two rows, one per wave size (the backend builds
# the rows of its wave sizes).
cat > "$work/tiles.def" <<'DEF'
// A consumer's choice of specializations: N = 1 only.
TILE(1, 32, 16, 2, 2)
TILE(1, 64, 16, 2, 2)
DEF

need_build() {
    [ -f "$build/build.ninja" ] && return 0
    say "configure and build skinnygen ($build, prefix $prefix)"
    # shellcheck disable=SC2086
    meson setup "$build" "$root" --prefix="$prefix" --libdir=lib -Dtests=false $backend_opts \
        > "$work/build-setup.log" 2>&1 || { cat "$work/build-setup.log"; fail "meson setup"; }
    meson compile -C "$build" > "$work/build.log" 2>&1 || { tail -50 "$work/build.log"; fail "meson compile"; }
}

run_consumer() { # BINARY
    "$1" || fail "$1 exited $?"
}

for way in $ways; do
    case $way in
    plain)
        need_build
        say "plain: consumer against the build tree $build"
        "$cc" -std=c11 -Wall -Wextra -Werror -I"$root/runtime/include" "$here/consumer.c" \
            -L"$build" -lskinny -Wl,-rpath,"$build" -o "$work/consumer-plain" || fail "plain build"
        run_consumer "$work/consumer-plain"
        ;;
    install)
        need_build
        say "install: meson install into $prefix"
        meson install -C "$build" > "$work/install.log" 2>&1 || { cat "$work/install.log"; fail "meson install"; }
        for f in include/skinny/skinny.h lib/libskinny.a lib/libskinny.so lib/libskinny.so.0 \
                 lib/pkgconfig/skinny.pc share/skinny/manifest.json bin/skinnygen; do
            [ -e "$prefix/$f" ] || fail "install: $prefix/$f missing"
        done
        soname=$(objdump -p "$prefix/lib/libskinny.so" | awk '/SONAME/ {print $2}')
        [ "$soname" = libskinny.so.0 ] || fail "install: soname is '$soname', want libskinny.so.0"
        "$root/tests/packaging/check-exports.sh" "$prefix/lib/libskinny.so" \
            "$prefix/include/skinny/skinny.h" || fail "install: exported symbols"
        echo "installed layout, soname $soname: OK"
        ;;
    pkgconfig)
        [ -f "$prefix/lib/pkgconfig/skinny.pc" ] || fail "pkgconfig: run the install way first"
        export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
        say "pkgconfig (shared): cc consumer.c \$(pkg-config --cflags --libs skinny)"
        libdir=$(pkg-config --variable=libdir skinny)
        # shellcheck disable=SC2046
        "$cc" -std=c11 -Wall -Wextra -Werror "$here/consumer.c" $(pkg-config --cflags --libs skinny) \
            -Wl,-rpath,"$libdir" -o "$work/consumer-pc" || fail "pkg-config shared build"
        run_consumer "$work/consumer-pc"
        say "pkgconfig (static): libskinny.a with pkg-config --static --libs skinny"
        # shellcheck disable=SC2046
        "$cc" -std=c11 -Wall -Wextra -Werror "$here/consumer.c" $(pkg-config --cflags skinny) \
            $(pkg-config --static --libs skinny | sed "s|-lskinny|$libdir/libskinny.a|") \
            -o "$work/consumer-pc-static" || fail "pkg-config static build"
        if readelf -d "$work/consumer-pc-static" | grep -q 'libskinny'; then
            fail "static consumer still needs libskinny.so"
        fi
        run_consumer "$work/consumer-pc-static"
        say "pkgconfig (meson): dependency('skinny') found by pkg-config"
        meson setup "$work/consumer-meson-pc" "$here" --wrap-mode=nofallback \
            --pkg-config-path="$prefix/lib/pkgconfig" > "$work/consumer-meson-pc.log" 2>&1 ||
            { cat "$work/consumer-meson-pc.log"; fail "meson consumer (pkg-config) setup"; }
        meson compile -C "$work/consumer-meson-pc" > /dev/null || fail "meson consumer (pkg-config) build"
        run_consumer "$work/consumer-meson-pc/consumer"
        unset PKG_CONFIG_PATH
        ;;
    subproject)
        say "subproject: skinnygen in subprojects/, the consumer's two-row tiles.def"
        sub=$work/subproject
        mkdir -p "$sub/subprojects"
        cp "$here/consumer.c" "$here/meson.build" "$sub/"
        # A copy of the source tree as git sees it (tracked and new files, no
        # build directories), as a vendored or wrapped checkout would be.
        mkdir -p "$sub/subprojects/skinnygen"
        (cd "$root" && git ls-files -z --cached --others --exclude-standard |
            xargs -0 sh -c 'for f; do [ -f "$f" ] && printf "%s\0" "$f"; done' sh |
            tar --null -T - -cf -) | tar -xf - -C "$sub/subprojects/skinnygen"
        # shellcheck disable=SC2086
        meson setup "$sub/build" "$sub" --force-fallback-for=skinny \
            -Dskinnygen:tiles="$work/tiles.def" \
            -Dskinnygen:gpu_backend=$backend -Dskinnygen:hip_targets=$hip_targets \
            -Dskinnygen:nv_targets=$nv_targets > "$work/subproject-setup.log" 2>&1 ||
            { cat "$work/subproject-setup.log"; fail "subproject setup"; }
        meson compile -C "$sub/build" > "$work/subproject.log" 2>&1 ||
            { tail -50 "$work/subproject.log"; fail "subproject build"; }
        manifest=$sub/build/subprojects/skinnygen/generated/manifest.json
        grep -q '"kernel_count": 2' "$manifest" || fail "subproject: $manifest is not the two-row table"
        run_consumer "$sub/build/consumer"
        echo "subproject with the consumer's tiles.def (2 rows): OK"
        ;;
    bundle | bundle-meson)
        [ "$backend" = none ] && { echo "($way: skipped for backend none)"; continue; }
        need_build
        B=$(echo "$backend" | tr a-z A-Z)
        if [ "$way" = bundle ]; then
            spec=$root/specs/tiles.def
            bundle=$work/bundle
        else
            spec=$work/tiles.def
            bundle=$work/bundle-small
        fi
        say "$way: skinnygen --export $bundle (from $spec)"
        "$build/skinnygen" --spec "$spec" --templates "$root/templates" --runtime "$root/runtime" \
            --export "$bundle" || fail "skinnygen --export"
        # Self-contained: nothing in the bundle points back at the tree.
        if grep -rl "$root" "$bundle" >/dev/null 2>&1; then
            fail "bundle mentions $root: $(grep -rl "$root" "$bundle")"
        fi
        if [ "$way" = bundle ]; then
            say "bundle: CMake consumer (SKINNY_BACKEND=$B)"
            archs=$(echo "$nv_targets" | sed 's/sm_//g; s/,/;/g')
            hips=$(echo "$hip_targets" | sed 's/,/;/g')
            cmake -S "$here" -B "$work/consumer-cmake" -DSKINNY_BUNDLE="$bundle" \
                -DSKINNY_BACKEND="$B" -DCMAKE_CUDA_ARCHITECTURES="$archs" \
                -DSKINNY_HIP_TARGETS="$hips" ${CUDACXX:+-DCMAKE_CUDA_COMPILER=$CUDACXX} \
                > "$work/consumer-cmake.log" 2>&1 || { cat "$work/consumer-cmake.log"; fail "cmake configure"; }
            cmake --build "$work/consumer-cmake" -j "$(nproc)" > "$work/consumer-cmake-build.log" 2>&1 ||
                { tail -50 "$work/consumer-cmake-build.log"; fail "cmake build"; }
            run_consumer "$work/consumer-cmake/consumer"
        else
            say "bundle-meson: the bundle's own meson.build, as a subproject of the consumer"
            bm=$work/bundle-meson
            mkdir -p "$bm/subprojects"
            cp "$here/consumer.c" "$here/meson.build" "$bm/"
            # Same name as the project: a drop-in replacement for it.
            cp -r "$bundle" "$bm/subprojects/skinnygen"
            meson setup "$bm/build" "$bm" --force-fallback-for=skinny -Dskinnygen:gpu_backend=$backend \
                -Dskinnygen:hip_targets="$hip_targets" -Dskinnygen:nv_targets="$nv_targets" \
                > "$work/bundle-meson.log" 2>&1 || { cat "$work/bundle-meson.log"; fail "bundle meson setup"; }
            meson compile -C "$bm/build" >> "$work/bundle-meson.log" 2>&1 ||
                { tail -50 "$work/bundle-meson.log"; fail "bundle meson build"; }
            run_consumer "$bm/build/consumer"
        fi
        ;;
    *) fail "unknown way '$way'" ;;
    esac
done
say "all done: $ways"
