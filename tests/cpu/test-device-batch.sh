#!/usr/bin/env bash
# test-device-batch.sh - tools/device-batch.sh on a fake tree: fake
# nvidia-smi, suite and sanitizer scripts and skinny-bench, so that its step
# handling is checked where no GPU is: usage errors, results named by the
# device key, the arguments each step passes, the sanitizer verdicts
# appended only after a passing suite, a failing step and a timed-out step
# reported (exit 1) while the others still run, and SKINNY_BATCH_ARCHIVE
# packing it all into one file. Exit 0 pass, 1 fail.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

t=$d/tree
mkdir -p "$t/tools" "$t/tests/gpu" "$t/build-gpu/bench" "$d/bin"
cp "$root/tools/device-batch.sh" "$t/tools/"
cp "$root/tests/gpu/gpu-env.sh" "$t/tests/gpu/"
cat > "$d/bin/nvidia-smi" <<'EOF'
#!/usr/bin/env bash
echo "NVIDIA H100 80GB HBM3"
EOF
cat > "$t/tests/gpu/run-gpu-suite.sh" <<'EOF'
#!/usr/bin/env bash
echo "# GPU test results (fake)" > tests/gpu/RESULTS.md
exit "${FAKE_SUITE_RC:-0}"
EOF
cat > "$t/tests/gpu/run-sanitizers.sh" <<'EOF'
#!/usr/bin/env bash
mkdir -p "$2"
echo "| memcheck | fake | 0 | clean | 0 s | only=$SKINNY_TEST_ONLY" > "$2/sanitizers.md"
EOF
# skinny-bench: records its arguments, writes OUT.md, fails or sleeps on request.
cat > "$t/build-gpu/bench/skinny-bench" <<'EOF'
#!/usr/bin/env bash
echo "$*" >> "$FAKE_ARGS"
out=
while [ $# -gt 0 ]; do [ "$1" = --out ] && out=$2; shift; done
case "$out" in *"${FAKE_FAIL:-none}"*) exit 3 ;; esac
case "$out" in *"${FAKE_SLOW:-none}"*) sleep 5 ;; esac
echo "# fake" > "$out.md"
EOF
# ncu: records its arguments, prints a fake report.
cat > "$d/bin/ncu" <<'EOF2'
#!/usr/bin/env bash
echo "ncu $*" >> "$FAKE_ARGS"
echo "Section: GPU Speed Of Light Throughput (fake)"
EOF2
chmod +x "$d/bin/ncu" "$d/bin/nvidia-smi" "$t/tests/gpu/"*.sh "$t/build-gpu/bench/skinny-bench"
export PATH="$d/bin:$PATH" FAKE_ARGS="$d/args"
run() { "$t/tools/device-batch.sh" "$@" > "$d/stdout" 2>&1; }

# Usage: no steps, an unknown step.
run "$d/o0" && fail "no steps accepted"
run "$d/o0" suite graph bogus
[ $? = 2 ] || fail "unknown step: want exit 2"
grep -q "unknown step 'bogus'" "$d/stdout" || fail "no message for an unknown step"
[ -e "$d/args" ] && fail "an unknown step still ran steps"

# Every step, all passing.
run "$d/o1" suite sanitizers graph decode tune fp8 || { cat "$d/stdout"; fail "passing steps: exit $?"; }
for f in RESULTS.md sanitizers.md nvidia_h100_80gb_hbm3-graph.md nvidia_h100_80gb_hbm3-decode-graph.md \
         nvidia_h100_80gb_hbm3-tune.md nvidia_h100_80gb_hbm3-fp8-graph.md logs.tgz; do
  [ -f "$d/o1/$f" ] || fail "missing $f"
done
[ -d "$d/o1/logs" ] && fail "logs left unpacked"
grep -q "compute-sanitizer" "$d/o1/RESULTS.md" || fail "sanitizer verdicts not appended after a passing suite"
grep -q "only=n1_w32_g8_m1_u4" "$d/o1/RESULTS.md" || fail "sanitizers not limited to the sample rows"
grep -q -- "--graph --invariant --n 1-16 --dtype bf16,fp16" "$d/args" || fail "graph step arguments"
grep -q -- "--model llama3-8b --model qwen2.5-7b" "$d/args" || fail "decode step arguments"
grep -q -- "--tune --measure $d/o1/nvidia_h100_80gb_hbm3-measure.csv --emit-rules" "$d/args" || fail "tune step arguments"
grep -q -- "--dtype fp8,bf16,fp16" "$d/args" || fail "fp8 step arguments"
tar xzf "$d/o1/logs.tgz" -C "$d" logs/steps.txt || fail "no steps.txt in logs.tgz"
[ "$(grep -c ': rc 0,' "$d/logs/steps.txt")" = 6 ] || fail "steps.txt: want six passing steps"

# A failing suite: exit 1, the other steps run, no verdicts appended.
FAKE_SUITE_RC=1 run "$d/o2" suite sanitizers graph
[ $? = 1 ] || fail "failing suite: want exit 1"
[ -f "$d/o2/nvidia_h100_80gb_hbm3-graph.md" ] || fail "graph did not run after a failing suite"
grep -q "compute-sanitizer" "$d/o2/RESULTS.md" && fail "verdicts appended to a failing suite's RESULTS.md"

# A failing and a timed-out benchmark step: both reported, the rest run.
FAKE_FAIL=decode FAKE_SLOW=fp8 SKINNY_STEP_TIMEOUT=1 run "$d/o3" decode graph fp8
[ $? = 1 ] || fail "failing steps: want exit 1"
tar xzf "$d/o3/logs.tgz" -C "$d/o3" logs/steps.txt
grep -q "^decode: rc 3," "$d/o3/logs/steps.txt" || fail "failing step not reported"
grep -q "^fp8: rc 124," "$d/o3/logs/steps.txt" || fail "timed-out step not reported"
[ -f "$d/o3/nvidia_h100_80gb_hbm3-graph.md" ] || fail "graph did not run after a failing step"

# The profile step: one ncu report per N, on the asked shape, bf16 only.
SKINNY_PROFILE_SHAPE=4096x4096 SKINNY_PROFILE_N="4 12" run "$d/o4" profile || fail "profile step: exit $?"
for n in 4 12; do
  grep -q "Speed Of Light" "$d/o4/nvidia_h100_80gb_hbm3-ncu-4096x4096-n$n.txt" || fail "no ncu report for N=$n"
  grep -q -- "--launch-count 1 .*--only-shapes --shape 4096x4096 --n $n --dtype bf16" "$d/args" ||
    fail "profile step arguments for N=$n"
done
# SKINNY_BATCH_ARCHIVE: one file left, holding the results and the logs.
SKINNY_BATCH_ARCHIVE=all.tgz run "$d/o5" graph || fail "archive run: exit $?"
[ "$(ls "$d/o5")" = all.tgz ] || fail "archive run left other files: $(ls "$d/o5" | tr '\n' ' ')"
tar tzf "$d/o5/all.tgz" > "$d/o5.list" || fail "archive unreadable"
grep -q "nvidia_h100_80gb_hbm3-graph.md" "$d/o5.list" || fail "archive lacks the graph results"
grep -q "logs.tgz" "$d/o5.list" || fail "archive lacks the logs"
echo "device-batch.sh: ok"
