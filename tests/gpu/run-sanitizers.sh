#!/usr/bin/env bash
# Run the GPU suite's programs under compute-sanitizer's four tools.
#   tests/gpu/run-sanitizers.sh BUILD_DIR LOG_DIR
# Fails (exit 1) if any tool reports an error or a program fails. Writes
# LOG_DIR/sanitizer-<tool>.log and LOG_DIR/sanitizers.md (the verdicts).
set -u
build=${1:?usage: run-sanitizers.sh BUILD_DIR LOG_DIR}
logs=${2:?usage: run-sanitizers.sh BUILD_DIR LOG_DIR}
mkdir -p "$logs"
cs=$(command -v compute-sanitizer || echo /usr/local/cuda/bin/compute-sanitizer)
[ -x "$cs" ] || { echo "compute-sanitizer not found" >&2; exit 1; }
export SKINNY_REQUIRE_GPU=1
status=0
{
  echo "| tool | program | errors | verdict |"
  echo "|---|---|---:|---|"
} > "$logs/sanitizers.md"
for tool in memcheck racecheck initcheck synccheck; do
  log="$logs/sanitizer-$tool.log"
  : > "$log"
  for prog in test_gpu_api test_gpu_gemm; do
    extra=()
    [ "$tool" = racecheck ] && extra=(--racecheck-report all)
    echo "== $tool: $prog" | tee -a "$log" >&2
    start=$(date +%s)
    "$cs" --tool "$tool" --error-exitcode 99 "${extra[@]}" "$build/tests/gpu/$prog" >> "$log" 2>&1
    rc=$?
    # compute-sanitizer ends with "ERROR SUMMARY: N errors" (racecheck: "RACECHECK SUMMARY").
    errors=$(grep -E "(ERROR|RACECHECK) SUMMARY" "$log" | tail -1 | grep -oE '[0-9]+ (error|hazard)' | grep -oE '^[0-9]+')
    errors=${errors:-?}
    verdict=clean
    if [ $rc -ne 0 ] || [ "$errors" != 0 ]; then verdict="FAILED (exit $rc)"; status=1; fi
    echo "| $tool | $prog | $errors | $verdict ($(( $(date +%s) - start )) s) |" >> "$logs/sanitizers.md"
    echo "== $tool: $prog: $verdict, $errors errors" >&2
  done
done
cat "$logs/sanitizers.md"
exit $status
