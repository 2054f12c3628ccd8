#!/usr/bin/env bash
# tools/model/calibrate.sh DIR [BUILD] - the model's NVIDIA calibration from
# what tools/model/device-calibrate.sh left in DIR (on the GPU machine, or
# back here: it needs no GPU):
#   DIR/latency.txt   "latency_ns dram=<ns> l2=<ns> [loaded=<ns> loaded_gbs=<GB/s>]"
#                     (bench/dram_latency.hip; the model takes the loaded
#                     latency, a chase while the other SMs stream, where the
#                     line has it: a GEMM's loads meet full queues, not idle
#                     ones; else the idle figure), and optionally
#                     "read_gbs linear=<GB/s> mma_pattern=<GB/s>": the MMA
#                     kernels' loads alone (their order and grid, no
#                     arithmetic), their cells' ceiling where below the run's
#   DIR/sass.txt      cuobjdump -sass of the kernel objects
#   DIR/res.txt       cuobjdump -res-usage of the same
#   DIR/bench.csv     skinny-bench --graph (the dispatcher's choice per cell)
#   DIR/measure.csv   skinny-bench --tune --measure (every row; optional)
# BUILD: a build directory with tools/model/skinny-model (default: build).
# Writes DIR/nv-predictions.md and DIR/calibration.md (and prints the
# latter's summary tables). GPU: $GPU (default H200).
set -euo pipefail
dir=${1:?usage: calibrate.sh DIR [BUILD]}
build=${2:-build}
gpu=${GPU:-H200}
root="$(cd "$(dirname "$0")/../.." && pwd)"
model="$build/tools/model/skinny-model"
[ -x "$model" ] || { echo "calibrate.sh: $model not built (needs libelf-dev)" >&2; exit 2; }
for f in latency.txt sass.txt res.txt bench.csv; do
  [ -s "$dir/$f" ] || { echo "calibrate.sh: $dir/$f missing or empty" >&2; exit 2; }
done
dram=$(sed -n 's/^latency_ns dram=\([0-9.]*\) .*/\1/p' "$dir/latency.txt")
[ -n "$dram" ] || { echo "calibrate.sh: $dir/latency.txt: no 'latency_ns dram=' line" >&2; exit 2; }
loaded=$(sed -n 's/^latency_ns dram=.* loaded=\([0-9.]*\).*/\1/p' "$dir/latency.txt")
lat=${loaded:-$dram}
what=$([ -n "$loaded" ] && echo "loaded DRAM latency measured: $loaded ns (idle $dram ns)" || echo "DRAM latency measured: $dram ns")
mma_read=$(awk '/^read_gbs / { for (i = 2; i <= NF; i++) { split($i, f, "="); v[f[1]] = f[2] }
                if (v["mma_pattern"] > 0) print v["mma_pattern"] }' "$dir/latency.txt")
calib=()
if [ -n "$mma_read" ]; then
  calib=(--mma-read-gbs "$mma_read")
  what="$what; MMA loads alone $mma_read GB/s"
fi
common=(--gpus "$root/tools/model/gpus.def" nv --sass "$dir/sass.txt" --res "$dir/res.txt"
  --latency-ns "$gpu=$lat")
"$model" "${common[@]}" > "$dir/nv-predictions.md"
{
  echo "# Calibration on $gpu ($what)"
  echo
  echo "## Dispatcher's choice per cell (bench.csv)"
  echo
  "$model" "${common[@]}" --calibrate "$dir/bench.csv" --gpu "$gpu" "${calib[@]}"
  if [ -s "$dir/measure.csv" ]; then
    echo
    echo "## Every candidate row (measure.csv)"
    echo
    "$model" "${common[@]}" --calibrate "$dir/bench.csv" --measure "$dir/measure.csv" --gpu "$gpu" "${calib[@]}"
  fi
} > "$dir/calibration.md"
grep -E '^\| (TILE|MMA|all) |^median|^#' "$dir/calibration.md"
