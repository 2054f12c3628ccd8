#!/usr/bin/env bash
# One GPU lease's work in one command, for short device leases: build the
# CUDA backend once, then run the named steps in order, each under its own
# time limit, results and logs into OUT_DIR (logs packed into one archive,
# since a lease may return only a few files).
#   tools/device-batch.sh OUT_DIR STEP...
# Steps:
#   suite       the gpu suite (tests/gpu/run-gpu-suite.sh --no-sanitizers):
#               rewrites tests/gpu/RESULTS.md, copied to OUT_DIR
#   sanitizers  the four compute-sanitizer tools on samples of the rows
#               (SKINNY_TEST_ONLY), OUT_DIR/sanitizers.md; after a suite
#               step that passed, appended to RESULTS.md as run-gpu-suite.sh does
#   graph       skinny-bench, CUDA graphs, default set, N = 1..16, bf16 and
#               fp16, --invariant: OUT_DIR/DEV-graph.{md,csv}
#   decode      decode steps of llama3-8b and qwen2.5-7b, CUDA graphs
#   tune        every row of the table timed per cell (--tune --measure,
#               --emit-rules): OUT_DIR/DEV-measure.csv, DEV-dispatch.def
#   fp8         fp8 weights against 16-bit cuBLAS and cuBLASLt fp8, graphs
#   profile     ncu on one launch of our kernel, bf16, shape SKINNY_PROFILE_SHAPE
#               (default 8192x8192), each N of SKINNY_PROFILE_N (default
#               "8 16"): OUT_DIR/DEV-ncu-SHAPE-nN.txt (speed of light, memory,
#               warp stalls, occupancy)
# DEV is the device key (skinny_device_key: "NVIDIA H100 80GB HBM3" ->
# nvidia_h100_80gb_hbm3). SKINNY_STEP_TIMEOUT (seconds, default 300) bounds
# each step but the suite, which SKINNY_SUITE_TIMEOUT bounds (default 420:
# the whole suite took 200-300 s on an H100, 2026-12-06). Exit 1 if a step
# failed or timed out; the others still run. A lease may bring back only a
# few files (about 8 on 2026-12-06: the suite's report, the tune CSV and
# the ncu reports of a call were left behind), so SKINNY_BATCH_ARCHIVE=NAME
# packs everything in OUT_DIR into the one file OUT_DIR/NAME at the end.
set -u
out=${1:?usage: tools/device-batch.sh OUT_DIR STEP...}
shift
[ $# -gt 0 ] || { echo "usage: tools/device-batch.sh OUT_DIR STEP..." >&2; exit 2; }
for s in "$@"; do
  case $s in suite | sanitizers | graph | decode | tune | fp8 | profile) ;;
  *) echo "device-batch: unknown step '$s' (suite sanitizers graph decode tune fp8 profile)" >&2; exit 2 ;;
  esac
done
src=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out" && out=$(cd "$out" && pwd)
logs="$out/logs"
mkdir -p "$logs"
. "$src/tests/gpu/gpu-env.sh"
cd "$src"
limit=${SKINNY_STEP_TIMEOUT:-300}
build=build-gpu
status=0
dev=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1 |
      tr 'A-Z' 'a-z' | sed 's/[^a-z0-9][^a-z0-9]*/_/g; s/^_//; s/_$//')
dev=${dev:-unknown_gpu}
echo "device-batch: $dev, steps: $*" | tee "$logs/steps.txt"

step() { # name, command...: runs it under the time limit, logs, notes the verdict
  local name=$1 t0 rc lim=$limit
  shift
  [ "$name" = suite ] && lim=${SKINNY_SUITE_TIMEOUT:-420}
  t0=$(date +%s)
  timeout "$lim" "$@" > "$logs/$name.log" 2>&1
  rc=$?
  echo "$name: rc $rc, $(($(date +%s) - t0)) s" | tee -a "$logs/steps.txt"
  [ $rc -eq 0 ] || status=1
}

if [ ! -x "$build/bench/skinny-bench" ]; then
  [ -d "$build" ] || meson setup "$build" -Dgpu_backend=cuda > "$logs/setup.log" 2>&1
  ninja -C "$build" > "$logs/build.log" 2>&1 || { tail -30 "$logs/build.log"; exit 1; }
fi
bench="$build/bench/skinny-bench"
for s in "$@"; do
  case $s in
  suite)
    before=$status
    status=0
    step suite tests/gpu/run-gpu-suite.sh "$logs/suite" --no-sanitizers
    suite_ok=$((1 - status))
    status=$((before | status))
    cp tests/gpu/RESULTS.md "$out/RESULTS.md" ;;
  sanitizers)
    step sanitizers env SKINNY_TEST_ONLY="${SKINNY_TEST_ONLY:-n1_w32_g8_m1_u4,n16_w32_g4_m2_u2,n1_w32_g8_f1_u2,n16_w32_g16_f1_u2}" \
      tests/gpu/run-sanitizers.sh "$build" "$logs/sanitizers"
    if [ -f "$logs/sanitizers/sanitizers.md" ]; then
      cp "$logs/sanitizers/sanitizers.md" "$out/sanitizers.md"
      if [ "${suite_ok:-0}" = 1 ]; then
        { echo; echo "## compute-sanitizer (run by tests/gpu/run-sanitizers.sh)"; echo
          cat "$logs/sanitizers/sanitizers.md"; } >> tests/gpu/RESULTS.md
        cp tests/gpu/RESULTS.md "$out/RESULTS.md"
      fi
    fi ;;
  graph) step graph "$bench" --graph --invariant --n 1-16 --dtype bf16,fp16 --out "$out/$dev-graph" ;;
  decode) step decode "$bench" --graph --model llama3-8b --model qwen2.5-7b --n 1-16 --out "$out/$dev-decode-graph" ;;
  tune)
    step tune "$bench" --graph --tune --measure "$out/$dev-measure.csv" --emit-rules "$out/$dev-dispatch.def" \
      --n 1-16 --dtype bf16,fp16 --out "$out/$dev-tune" ;;
  fp8) step fp8 "$bench" --graph --dtype fp8,bf16,fp16 --n 1-16 --out "$out/$dev-fp8-graph" ;;
  profile)
    shape=${SKINNY_PROFILE_SHAPE:-8192x8192}
    for n in ${SKINNY_PROFILE_N:-8 16}; do
      # The third launch of our kernel (not the read-ceiling kernel): past set-up.
      step "profile-n$n" ncu --kernel-name regex:"skinny_(mma|gemm)" --launch-skip 2 --launch-count 1 \
        --section SpeedOfLight --section MemoryWorkloadAnalysis --section WarpStateStats \
        --section SchedulerStats --section Occupancy --section LaunchStats \
        "$bench" --only-shapes --shape "$shape" --n "$n" --dtype bf16 --out "$logs/profile-n$n"
      cp "$logs/profile-n$n.log" "$out/$dev-ncu-$shape-n$n.txt"
    done ;;
  esac
done
tar czf "$out/logs.tgz" -C "$out" logs && rm -rf "$logs"
if [ -n "${SKINNY_BATCH_ARCHIVE:-}" ]; then
  pack=$(mktemp)
  tar czf "$pack" -C "$out" . && find "$out" -mindepth 1 -delete && mv "$pack" "$out/$SKINNY_BATCH_ARCHIVE"
fi
exit $status
