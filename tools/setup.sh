#!/usr/bin/env bash
# One command on a fresh Debian 12 machine: install dependencies, generate
# the kernels from specs/tiles.def and build them (HIP if hipcc is found,
# else CUDA, else generator only) into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${SKINNY_NO_INSTALL:-0}" = 1 ] || tools/install-deps.sh
[ -d build ] || meson setup build
meson compile -C build
echo "built: $(ls build/*.o 2>/dev/null | wc -l) kernel objects, build/libskinny.so, build/skinnygen"
