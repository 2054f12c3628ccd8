#!/usr/bin/env bash
# Every test, as CI runs it (after tools/install-deps.sh):
#  1. HIP build (gfx90a, gfx940, gfx1030 where clang supports them): cpu,
#     build (incremental rebuild), amd (code-object checks) and gpu (skips
#     without a GPU) suites; 1b. the MMA candidate rows (specs/mma-rows.def)
#     built for gfx908, gfx90a, gfx940, gfx1030 and checked (cpu, amd suites);
#  2. CUDA build (sm_90) when nvcc can build a CUDA program: cpu and gpu
#     suites, the benchmark and the compile-cost report on a small subset
#     (cost suite); 2b. the MMA candidate rows built with nvcc; 2c. the
#     kernel lab (bench/lab) built;
#  3. generator and host runtime under AddressSanitizer + UBSan (cpu suite);
#  4. the consumer project built every way (install + pkg-config, subproject,
#     exported bundle with CMake and Meson) for CUDA, and for HIP;
#  5. the tiles.def parser fuzzed for a bounded time.
# generated/ must match specs/tiles.def and the templates (cpu suite).
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/cuda/bin"
failed=()
passed_n=0 failed_n=0 skipped_n=0
step() { echo; echo "==== $*"; }
# Each step's output is also kept, so that the summary (the part of a CI log
# that is sure to be seen) can repeat why a step failed.
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
log_of() { echo "$logs/$(echo "$1" | tr -c 'a-zA-Z0-9\n' _).log"; }
# meson test, with its Ok/Fail/Skipped counts added to the final tally.
mtest() { # name, meson test args...
  local name=$1 out rc; shift
  out=$(log_of "$name")
  meson test "$@" 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  local ok fail skip
  ok=$(awk '/^Ok:/ {print $2}' "$out" | tail -1)
  fail=$(awk '/^Fail:/ {print $2}' "$out" | tail -1)
  skip=$(awk '/^Skipped:/ {print $2}' "$out" | tail -1)
  passed_n=$((passed_n + ${ok:-0}))
  failed_n=$((failed_n + ${fail:-0}))
  skipped_n=$((skipped_n + ${skip:-0}))
  if [ "$rc" != 0 ]; then failed+=("$name"); echo "!!!! FAILED: $name"; fi
}
run() { # name, command...
  local name=$1 rc; shift
  "$@" 2>&1 | tee "$(log_of "$name")"
  rc=${PIPESTATUS[0]}
  if [ "$rc" != 0 ]; then failed+=("$name"); echo "!!!! FAILED: $name"; fi
}
# Why each failed step failed: the failing meson tests, or the step's last lines.
explain_failures() {
  local name log
  for name in "${failed[@]}"; do
    log=$(log_of "$name")
    echo "---- $name:"
    if grep -q '^Fail:' "$log" 2>/dev/null; then
      grep -E '^ *[0-9]+/[0-9]+ .* (FAIL|ERROR|TIMEOUT) ' "$log" | cut -c1-160 | head -n 8
    else
      grep -v '^ *$' "$log" 2>/dev/null | tail -n 8 | cut -c1-200
    fi
  done
}

# Can this machine's CUDA toolkit build and link a CUDA program at all?
# (nvcc alone is not enough: cudart and a host compiler nvcc accepts are
# needed too.) Where it cannot, the CUDA steps are skipped, loudly, with
# nvcc's own error; our code is not at fault there.
cuda_usable() {
  local d rc
  d=$(mktemp -d)
  printf '#include <cuda_runtime.h>\nint main(void){int n=0;return cudaGetDeviceCount(&n)==cudaSuccess?0:0;}\n' > "$d/probe.cu"
  nvcc -o "$d/probe" "$d/probe.cu" > "$d/log" 2>&1
  rc=$?
  if [ "$rc" != 0 ]; then
    echo "CUDA toolkit probe failed (nvcc at $(command -v nvcc)):"
    sed 's/^/  | /' "$d/log"
  fi
  rm -rf "$d"
  return "$rc"
}
# On a failed configure, show why (meson's log holds the failing check).
meson_setup() { # build dir, options...
  local dir=$1
  if ! meson setup "$@"; then
    echo "---- tail of $dir/meson-logs/meson-log.txt"
    tail -n 60 "$dir/meson-logs/meson-log.txt" 2>/dev/null
    return 1
  fi
}

step "1. HIP backend"
[ -d build-ci-hip ] || run "hip setup" meson_setup build-ci-hip -Dgpu_backend=hip
run "hip build" meson compile -C build-ci-hip
mtest "hip tests" -C build-ci-hip --print-errorlogs --suite cpu --suite build --suite amd --suite gpu

step "1b. MMA candidate rows (specs/mma-rows.def, not yet in the default table): HIP build, cpu + AMD checks"
[ -d build-ci-hip-mma ] || run "hip mma setup" meson_setup build-ci-hip-mma -Dgpu_backend=hip \
  -Dtiles=specs/mma-rows.def -Dhip_targets=gfx908,gfx90a,gfx940,gfx1030
run "hip mma build" meson compile -C build-ci-hip-mma
mtest "hip mma tests" -C build-ci-hip-mma --print-errorlogs --suite cpu --suite amd

cuda_ok=0
if command -v nvcc > /dev/null && cuda_usable; then cuda_ok=1; fi
if [ "$cuda_ok" = 1 ]; then
  step "2. CUDA backend"
  [ -d build-ci-cuda ] || run "cuda setup" meson_setup build-ci-cuda -Dgpu_backend=cuda
  run "cuda build" meson compile -C build-ci-cuda
  mtest "cuda tests" -C build-ci-cuda --print-errorlogs --suite cpu --suite gpu --suite cost
  step "2b. MMA candidate rows: CUDA build (nvcc -Werror, sm_90)"
  [ -d build-ci-cuda-mma ] || run "cuda mma setup" meson_setup build-ci-cuda-mma -Dgpu_backend=cuda \
    -Dtiles=specs/mma-rows.def -Dtests=false
  run "cuda mma build" meson compile -C build-ci-cuda-mma
  step "2c. kernel lab builds (bench/lab: MMA kernel variants, nvcc, sm_90)"
  run "lab build" bench/lab/build-lab.sh build-ci-lab
else
  echo "SKIPPED: no usable CUDA toolkit (nvcc missing or cannot link a CUDA program): CUDA backend not built"
fi

step "3. AddressSanitizer + UndefinedBehaviorSanitizer (generator, host runtime)"
[ -d build-ci-asan ] || run "asan setup" meson_setup build-ci-asan -Dgpu_backend=none -Db_sanitize=address,undefined
mtest "asan tests" -C build-ci-asan --print-errorlogs --suite cpu

step "4. consumers"
if [ "$cuda_ok" = 1 ]; then
  run "consumers cuda" tests/consumer/run-consumers.sh cuda
fi
run "consumers hip" tests/consumer/run-consumers.sh hip install pkgconfig bundle

step "5. fuzz tiles.def parser (60 s)"
run "fuzz" fuzz/run-fuzz.sh 60

step "summary"
explain_failures
[ ${#failed[@]} = 0 ] && echo "all test steps passed" || echo "FAILED steps: ${failed[*]}"
# Meson test counts over the three builds (the GPU suite skips without a GPU).
echo "tests: $passed_n passed, $failed_n failed, $skipped_n skipped"
[ ${#failed[@]} = 0 ]
