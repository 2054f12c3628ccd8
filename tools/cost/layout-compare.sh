#!/bin/bash
# layout-compare.sh - one TU per row vs every row in one TU: build times.
#
#   tools/cost/layout-compare.sh [hip|cuda]... > result.md
#
# A measurement procedure, not part of the build. For each backend given
# (default: hip) and each layout (kernel_layout=per_row, the build; and
# single_tu, skinnygen --layout single-tu), it copies the current working
# tree (tracked and untracked, not ignored files) to a scratch directory,
# configures it with Meson (-Dtests=false: the test suites index the
# per-row outputs) and times:
#   full:        `ninja -j$JOBS` from clean (generator, kernels, library);
#   incremental: then appends one N=9 row to specs/tiles.def (wave64 row
#                for hip, wave32 for cuda, whose backend builds only those)
#                and times `ninja -j$JOBS` again (Meson re-configures, the
#                generator runs, and what depends on the changed files
#                is rebuilt).
# JOBS defaults to 2 (the 2-core CI machine). REV=<commit> measures that
# commit's sources (git archive) instead of the working tree, with the
# working tree's build files on top (meson.build, meson_options.txt,
# generated/meson.build, tools/cost), which must fit REV's sources. Prints
# a Markdown table on stdout; ninja's logs are kept in the scratch
# directory named on stderr.
set -euo pipefail

jobs=${JOBS:-2}
backends=("$@")
[ ${#backends[@]} -eq 0 ] && backends=(hip)
src=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
scratch=$(mktemp -d /tmp/skinny-layout.XXXXXX)
echo "layout-compare: scratch $scratch" >&2

now() { date +%s.%N; }
# Seconds between two `now` readings, 1 decimal.
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
# "[k/N]" of ninja's last progress line: N = build edges run.
edges() { grep -o '^\[[0-9]*/[0-9]*\]' "$1" | tail -1 | sed 's|.*/||; s|]||'; }

echo "| backend | layout | kernel objects | full build s (edges) | +1 row (N=9) rebuild s (edges) |"
echo "|---|---|---:|---:|---:|"
for be in "${backends[@]}"; do
    case $be in
    hip) row='TILE(9, 64, 8, 2, 2)' ;;
    cuda) row='TILE(9, 32, 16, 2, 2)' ;;
    *) echo "layout-compare: unknown backend '$be' (hip or cuda)" >&2; exit 2 ;;
    esac
    for layout in per_row single_tu; do
        tree=$scratch/$be-$layout
        mkdir -p "$tree"
        if [ -n "${REV:-}" ]; then
            git -C "$src" archive "$REV" | tar -x -C "$tree"
            (cd "$src" && tar -c meson.build meson_options.txt generated/meson.build tools/cost) |
                tar -x -C "$tree"
        else
            # Deleted-but-tracked files are skipped (--ignore-failed-read).
            (cd "$src" && git ls-files -z --cached --others --exclude-standard |
                tar -c --null -T - --ignore-failed-read 2>/dev/null) | tar -x -C "$tree"
        fi
        meson setup "$tree/build" "$tree" -Dgpu_backend="$be" -Dtests=false \
            -Dkernel_layout="$layout" > "$tree/setup.log" 2>&1 ||
            { cat "$tree/setup.log" >&2; exit 1; }
        echo "layout-compare: $be $layout: full build (ninja -j$jobs)..." >&2
        t0=$(now)
        ninja -C "$tree/build" -j"$jobs" > "$tree/full.log" 2>&1 ||
            { tail -30 "$tree/full.log" >&2; exit 1; }
        t1=$(now)
        full=$(elapsed "$t0" "$t1")
        full_edges=$(edges "$tree/full.log")
        nobj=$(find "$tree/build" -maxdepth 1 -name '*.o' | wc -l)
        echo "$row" >> "$tree/specs/tiles.def"
        echo "layout-compare: $be $layout: rebuild after adding $row..." >&2
        t0=$(now)
        ninja -C "$tree/build" -j"$jobs" > "$tree/incr.log" 2>&1 ||
            { tail -30 "$tree/incr.log" >&2; exit 1; }
        t1=$(now)
        incr=$(elapsed "$t0" "$t1")
        incr_edges=$(edges "$tree/incr.log")
        echo "layout-compare: $be $layout: full ${full} s, incremental ${incr} s" >&2
        echo "| $be | $layout | $nobj | $full ($full_edges) | $incr ($incr_edges) |"
    done
done
