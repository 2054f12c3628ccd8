#!/usr/bin/env bash
# One command on a machine with an NVIDIA GPU and nvcc:
#   tests/gpu/run-gpu-suite.sh LOG_DIR [--no-sanitizers]
# builds the CUDA backend (build-gpu/), runs the `gpu` suite (which rewrites
# tests/gpu/RESULTS.md), runs the four compute-sanitizer tools, appends
# their verdicts to RESULTS.md and copies everything into LOG_DIR.
# SKINNY_EXTRA_ROOT=DIR: a folder with unpacked Debian packages (cmocka, m4)
# for machines that cannot install them.
set -u -o pipefail
logs=${1:?usage: run-gpu-suite.sh LOG_DIR [--no-sanitizers]}
sanitize=1
[ "${2:-}" = --no-sanitizers ] && sanitize=0
src=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$logs"
logs=$(cd "$logs" && pwd)
. "$src/tests/gpu/gpu-env.sh"
build="$src/build-gpu"
cd "$src"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.mem --format=csv > "$logs/device.txt" 2>&1
[ -d "$build" ] || meson setup "$build" -Dgpu_backend=cuda > "$logs/setup.log" 2>&1 || { cat "$logs/setup.log"; exit 1; }
ninja -C "$build" > "$logs/build.log" 2>&1 || { tail -50 "$logs/build.log"; exit 1; }
SKINNY_REQUIRE_GPU=1 SKINNY_GPU_RESULTS="$src/tests/gpu/RESULTS.md" \
  SKINNY_GPU_INVARIANCE_RESULTS="$logs/invariance.md" \
  meson test -C "$build" --suite gpu --print-errorlogs --timeout-multiplier 4 > "$logs/gpu-suite.log" 2>&1
suite=$?
cp "$build/meson-logs/testlog.txt" "$logs/gpu-testlog.txt" 2>/dev/null
tail -15 "$logs/gpu-suite.log"
[ $suite -eq 0 ] && [ -f "$logs/invariance.md" ] && { echo; cat "$logs/invariance.md"; } >> tests/gpu/RESULTS.md
status=$suite
if [ $sanitize = 1 ]; then
  tests/gpu/run-sanitizers.sh "$build" "$logs"
  san=$?
  [ $san -ne 0 ] && status=1
  if [ $suite -eq 0 ]; then
    { echo; echo "## compute-sanitizer (run by tests/gpu/run-sanitizers.sh)"; echo; cat "$logs/sanitizers.md"; } >> tests/gpu/RESULTS.md
  fi
fi
cp tests/gpu/RESULTS.md "$logs/" 2>/dev/null
exit $status
