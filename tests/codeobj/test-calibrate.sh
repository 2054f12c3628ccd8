#!/usr/bin/env bash
# test-calibrate.sh BUILD FIXTURES - tools/model/calibrate.sh, the last step
# of the device script, on committed inputs: the hand-written Hopper SASS
# and resource texts, a latency line and two skinny-bench CSVs in the
# device script's layout (fixtures/calib). Checks that the calibration
# tables are written, with the measured latency, and that bad input stops
# it with a message. Exit 0 pass, 1 fail.
set -uo pipefail
build=$1 fix=$2
root="$(cd "$(dirname "$0")/../.." && pwd)"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cp "$fix/calib/"* "$d/"
cp "$fix/hopper.sass" "$d/sass.txt"
cp "$fix/hopper.res" "$d/res.txt"
fail() { echo "FAIL: $*"; exit 1; }
"$root/tools/model/calibrate.sh" "$d" "$build" > "$d/stdout" 2>&1
rc=$?
[ "$rc" = 0 ] || { cat "$d/stdout"; fail "calibrate.sh exited $rc"; }
grep -q "DRAM latency measured: 620 ns" "$d/calibration.md" || fail "latency not used"
grep -q "latency 620 ns measured" "$d/calibration.md" || fail "model not given the latency"
grep -q "^| MMA | 2 |" "$d/calibration.md" || fail "no MMA summary over 2 cells"
grep -q "^| TILE | 1 |" "$d/calibration.md" || fail "no TILE summary"
grep -q "Every candidate row" "$d/calibration.md" || fail "measure.csv not used"
grep -q "n5_w32_g16_y2_u2 | bf16 | H200" "$d/nv-predictions.md" || fail "no H200 prediction"
# A line with the loaded latency: the model takes it, the header names both.
echo "latency_ns dram=620 l2=260 loaded=900 loaded_gbs=4100" > "$d/latency.txt"
"$root/tools/model/calibrate.sh" "$d" "$build" > "$d/stdout" 2>&1 || { cat "$d/stdout"; fail "calibrate.sh exited $? with a loaded latency"; }
grep -q "loaded DRAM latency measured: 900 ns (idle 620 ns)" "$d/calibration.md" || fail "loaded latency not named"
grep -q "latency 900 ns measured" "$d/calibration.md" || fail "model not given the loaded latency"
# With the MMA loads' read: it caps MMA cells below the run's ceiling.
printf 'latency_ns dram=620 l2=260\nread_gbs linear=4000 mma_pattern=3600\n' > "$d/latency.txt"
"$root/tools/model/calibrate.sh" "$d" "$build" > "$d/stdout" 2>&1 || { cat "$d/stdout"; fail "calibrate.sh exited $? with a read_gbs line"; }
grep -q "MMA loads alone 3600 GB/s" "$d/calibration.md" || fail "MMA read not named"
grep -q "MMA rows' ceiling: 3600 GB/s" "$d/calibration.md" || fail "model not given the MMA read"
echo "latency_ns l2=1" > "$d/latency.txt"
if "$root/tools/model/calibrate.sh" "$d" "$build" > "$d/stdout" 2>&1; then fail "bad latency.txt accepted"; fi
grep -q "no 'latency_ns dram=' line" "$d/stdout" || fail "no message for a bad latency.txt"
echo "calibrate.sh: ok"
