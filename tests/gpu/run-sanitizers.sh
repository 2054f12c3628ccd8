#!/usr/bin/env bash
# Run the GPU suite's programs (test_gpu_fp8 included) under compute-sanitizer's four tools.
#   tests/gpu/run-sanitizers.sh BUILD_DIR LOG_DIR
# The four tools run concurrently (independent processes on one GPU) to fit
# a short GPU lease. Fails (exit 1) if any tool reports an error or a
# program fails. Writes LOG_DIR/sanitizer-<tool>-<program>.log and
# LOG_DIR/sanitizers.md (the verdicts, appended to RESULTS.md by
# run-gpu-suite.sh). SKINNY_SANITIZERS="memcheck racecheck" picks tools;
# SKINNY_TEST_ONLY=SUB[,SUB...] limits test_gpu_gemm to rows whose name
# contains one of them (said so in sanitizers.md), to fit a short lease.
set -u
build=${1:?usage: run-sanitizers.sh BUILD_DIR LOG_DIR}
logs=${2:?usage: run-sanitizers.sh BUILD_DIR LOG_DIR}
mkdir -p "$logs"
cs=$(command -v compute-sanitizer || echo /usr/local/cuda/bin/compute-sanitizer)
[ -x "$cs" ] || { echo "compute-sanitizer not found" >&2; exit 1; }
export SKINNY_REQUIRE_GPU=1
tools=${SKINNY_SANITIZERS:-memcheck racecheck initcheck synccheck}

run_tool() { # tool: runs both programs, writes one log each and a verdict line
  local tool=$1 prog log rc errors verdict start extra
  for prog in test_gpu_api test_gpu_gemm test_gpu_invariance test_gpu_fp8; do
    log="$logs/sanitizer-$tool-$prog.log"
    extra=()
    [ "$tool" = racecheck ] && extra=(--racecheck-report all)
    start=$(date +%s)
    # The invariance test under a tool: its shapes up to 8 MB of weights.
    # The fp8 test under a tool: its small shapes (SKINNY_FP8_QUICK).
    SKINNY_INVARIANCE_MAX_MB=8 SKINNY_FP8_QUICK=1 \
    timeout "${SKINNY_SANITIZER_TIMEOUT:-3600}" "$cs" --tool "$tool" --error-exitcode 99 "${extra[@]}" \
      "$build/tests/gpu/$prog" > "$log" 2>&1
    rc=$?
    # The tools end with "ERROR SUMMARY: N errors" (racecheck: "RACECHECK SUMMARY: N hazards").
    errors=$(grep -E "(ERROR|RACECHECK) SUMMARY" "$log" | tail -1 | grep -oE '[0-9]+ (error|hazard)' | head -1 | grep -oE '^[0-9]+')
    errors=${errors:-?}
    verdict=clean
    if [ $rc -ne 0 ] || [ "$errors" != 0 ]; then verdict="FAILED (exit $rc)"; fi
    echo "| $tool | $prog | $errors | $verdict | $(( $(date +%s) - start )) s |" > "$logs/.verdict-$tool-$prog"
    echo "== $tool: $prog: $verdict, $errors errors" >&2
  done
}

for t in $tools; do run_tool "$t" & done
wait
{
  if [ -n "${SKINNY_TEST_ONLY:-}" ]; then
    echo "test_gpu_gemm ran only the rows whose name contains one of: \`$SKINNY_TEST_ONLY\` (SKINNY_TEST_ONLY)."
    echo
  fi
  echo "test_gpu_invariance ran its shapes of at most 8 MB of weights (SKINNY_INVARIANCE_MAX_MB=8);"
  echo "test_gpu_fp8 its shapes below 4 M weights (SKINNY_FP8_QUICK=1)."
  echo
  echo "| tool | program | errors | verdict | time |"
  echo "|---|---|---:|---|---:|"
  for t in $tools; do
    cat "$logs/.verdict-$t-test_gpu_api" "$logs/.verdict-$t-test_gpu_gemm" "$logs/.verdict-$t-test_gpu_invariance" \
        "$logs/.verdict-$t-test_gpu_fp8"
  done
} > "$logs/sanitizers.md"
rm -f "$logs"/.verdict-*
cat "$logs/sanitizers.md"
! grep -q FAILED "$logs/sanitizers.md"
