#!/usr/bin/env bash
# Every test, as CI runs it (after tools/install-deps.sh):
#  - HIP build (gfx90a, gfx940, gfx1030 where clang supports them): cpu,
#    build (incremental rebuild) and amd (code-object checks) suites, gpu
#    suite (skips without a GPU);
#  - CUDA build (sm_90) when nvcc is present: cpu and gpu suites, the
#    benchmark builds;
#  - generated/ matches specs/tiles.def and the templates (cpu suite).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/cuda/bin"
failed=0
step() { echo; echo "==== $*"; }

step "HIP backend"
[ -d build-ci-hip ] || meson setup build-ci-hip -Dgpu_backend=hip
meson compile -C build-ci-hip
meson test -C build-ci-hip --print-errorlogs --suite cpu --suite build --suite amd --suite gpu || failed=1

if command -v nvcc > /dev/null; then
  step "CUDA backend"
  [ -d build-ci-cuda ] || meson setup build-ci-cuda -Dgpu_backend=cuda
  meson compile -C build-ci-cuda
  meson test -C build-ci-cuda --print-errorlogs --suite cpu --suite gpu || failed=1
else
  echo "nvcc not found: CUDA backend not built"
fi

step "summary"
if [ $failed = 0 ]; then echo "all test suites passed"; else echo "SOME TESTS FAILED"; fi
exit $failed
