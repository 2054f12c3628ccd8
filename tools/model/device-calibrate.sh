#!/usr/bin/env bash
# tools/model/device-calibrate.sh - everything the bandwidth model needs
# from an NVIDIA GPU, in one call of under 4 minutes, results in $OUT:
#
#   1. build build-gpu (CUDA backend, no tests): kernels, skinny-bench,
#      skinny-latency, and skinny-model where libelf-dev is installed;
#   2. $OUT/latency.txt: DRAM and L2 latency by pointer chase;
#   3. $OUT/sass.txt, $OUT/res.txt: cuobjdump -sass / -res-usage of every
#      kernel object (what the model reads MLP and registers from);
#   4. $OUT/bench.{csv,md}: skinny-bench --graph, bf16, default shapes;
#   5. $OUT/measure.csv: skinny-bench --tune --measure on the three largest
#      square-ish shapes (every row of the table), while time remains;
#   6. $OUT/calibration.md, $OUT/nv-predictions.md: tools/model/calibrate.sh,
#      when skinny-model was built (otherwise run it where it is:
#      tools/model/calibrate.sh DIR BUILD, on the returned files).
# $OUT/log.txt has every step's output and time. Each step is bounded, so
# the script ends in time and leaves whatever it got.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:?set OUT to the output directory}
mkdir -p "$out"
export PATH="$PATH:/usr/local/cuda/bin"
start=$(date +%s)
budget=${BUDGET_S:-225}
left() { echo $((budget - ($(date +%s) - start))); }
log() { echo "[$(( $(date +%s) - start ))s] $*" | tee -a "$out/log.txt"; }
step() { # seconds, name, command...
  local t=$1 name=$2 rc; shift 2
  if [ "$t" -le 5 ]; then log "SKIP $name: out of time"; return 1; fi
  log "START $name (limit ${t}s)"
  timeout "$t" "$@" >> "$out/log.txt" 2>&1
  rc=$?
  log "END $name: exit $rc"
  return $rc
}
log "device-calibrate on $(hostname); $(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1)"
if [ ! -d build-gpu ]; then
  step 60 "meson setup" meson setup build-gpu -Dgpu_backend=cuda -Dtests=false
fi
step $(( $(left) - 100 )) "build" ninja -C build-gpu -j "$(nproc)"
step 30 "latency" sh -c 'build-gpu/bench/skinny-latency > "$0"' "$out/latency.txt"
cat "$out/latency.txt" 2>/dev/null | tee -a "$out/log.txt"
objs=(build-gpu/n*_w*_g*_u*.o)
log "${#objs[@]} kernel objects"
# sh -c '... "$@" ... > "$0"' FILE OBJS...: the output to FILE, the objects as arguments
# cuobjdump takes one file per call (given several, it prints its usage).
# In parallel, one file per object, joined in order: one after another took
# over 60 s for the 139 objects of the table with fp8 rows (67 MB of SASS).
step 60 "cuobjdump -sass" sh -c 'd=$(mktemp -d) && printf "%s\n" "$@" | xargs -P "$(nproc)" -I{} sh -c "cuobjdump -sass {} > $d/\$(basename {}).sass" && for o in "$@"; do cat "$d/$(basename "$o").sass"; done > "$0"; rc=$?; rm -rf "$d"; exit $rc' "$out/sass.txt" "${objs[@]}"
step 30 "cuobjdump -res-usage" sh -c 'for o in "$@"; do cuobjdump -res-usage "$o" || exit 1; done > "$0"' "$out/res.txt" "${objs[@]}"
step $(( $(left) - 75 )) "bench (graph, bf16)" \
  build-gpu/bench/skinny-bench --graph --dtype bf16 --out "$out/bench"
step $(( $(left) - 15 )) "tune (every row, 3 shapes)" \
  build-gpu/bench/skinny-bench --graph --dtype bf16 --tune --measure "$out/measure.csv" \
  --only-shapes --shape 8192x8192 --shape 24576x4096 --shape 10240x8192 --out "$out/tune"
if [ -x build-gpu/tools/model/skinny-model ]; then
  step 10 "calibrate" tools/model/calibrate.sh "$out" build-gpu
else
  log "skinny-model not built here (libelf-dev missing?): run tools/model/calibrate.sh on the files"
fi
log "done"
