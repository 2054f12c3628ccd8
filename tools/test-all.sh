#!/usr/bin/env bash
# Every test, as CI runs it (after tools/install-deps.sh):
#  1. HIP build (gfx90a, gfx940, gfx1030 where clang supports them): cpu,
#     build (incremental rebuild), amd (code-object checks) and gpu (skips
#     without a GPU) suites;
#  2. CUDA build (sm_90) when nvcc is present: cpu and gpu suites, the
#     benchmark and the compile-cost report on a small subset (cost suite);
#  3. generator and host runtime under AddressSanitizer + UBSan (cpu suite);
#  4. the consumer project built every way (install + pkg-config, subproject,
#     exported bundle with CMake and Meson) for CUDA, and for HIP;
#  5. the tiles.def parser fuzzed for a bounded time.
# generated/ must match specs/tiles.def and the templates (cpu suite).
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/cuda/bin"
failed=()
step() { echo; echo "==== $*"; }
run() { # name, command...
  local name=$1; shift
  if ! "$@"; then failed+=("$name"); echo "!!!! FAILED: $name"; fi
}

step "1. HIP backend"
[ -d build-ci-hip ] || run "hip setup" meson setup build-ci-hip -Dgpu_backend=hip
run "hip build" meson compile -C build-ci-hip
run "hip tests" meson test -C build-ci-hip --print-errorlogs --suite cpu --suite build --suite amd --suite gpu

if command -v nvcc > /dev/null; then
  step "2. CUDA backend"
  [ -d build-ci-cuda ] || run "cuda setup" meson setup build-ci-cuda -Dgpu_backend=cuda
  run "cuda build" meson compile -C build-ci-cuda
  run "cuda tests" meson test -C build-ci-cuda --print-errorlogs --suite cpu --suite gpu --suite cost
else
  echo "nvcc not found: CUDA backend not built"
fi

step "3. AddressSanitizer + UndefinedBehaviorSanitizer (generator, host runtime)"
[ -d build-ci-asan ] || run "asan setup" meson setup build-ci-asan -Dgpu_backend=none -Db_sanitize=address,undefined
run "asan tests" meson test -C build-ci-asan --print-errorlogs --suite cpu

step "4. consumers"
if command -v nvcc > /dev/null; then
  run "consumers cuda" tests/consumer/run-consumers.sh cuda
fi
run "consumers hip" tests/consumer/run-consumers.sh hip install pkgconfig bundle

step "5. fuzz tiles.def parser (60 s)"
run "fuzz" fuzz/run-fuzz.sh 60

step "summary"
if [ ${#failed[@]} = 0 ]; then
  echo "all test steps passed"
  exit 0
fi
echo "FAILED steps: ${failed[*]}"
exit 1
