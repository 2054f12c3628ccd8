#!/bin/sh
# run-fuzz.sh [SECONDS] - build the tiles.def parser fuzz target with clang's
# libFuzzer (+ASan/UBSan) and run it for SECONDS (default 60) on a copy of
# the seed corpus fuzz/corpus/. Exit 0: no crash; 1: a crash, leak or
# sanitizer report (the input is saved in $WORK/artifacts/ - turn it into a
# regression test in tests/cpu/test_fuzz_regressions.c); 2: cannot build.
#
# Environment: CLANG (default: newest clang-NN with libFuzzer, else clang),
# FUZZ_WORK (default /tmp/skinny-fuzz), FUZZ_JOBS (parallel jobs, default 1).
set -eu
secs=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work=${FUZZ_WORK:-/tmp/skinny-fuzz}
jobs=${FUZZ_JOBS:-1}

if [ -z "${CLANG:-}" ]; then
    for c in clang-19 clang-18 clang-17 clang-16 clang-15 clang-14 clang; do
        if command -v "$c" >/dev/null 2>&1 &&
           echo 'int LLVMFuzzerTestOneInput(const char*d,unsigned long n){(void)d;(void)n;return 0;}' |
           "$c" -x c -fsanitize=fuzzer -o /dev/null - >/dev/null 2>&1; then
            CLANG=$c
            break
        fi
    done
fi
if [ -z "${CLANG:-}" ]; then
    echo "run-fuzz.sh: no clang with libFuzzer (apt-get install clang libclang-rt-dev)" >&2
    exit 2
fi

mkdir -p "$work/corpus" "$work/artifacts"
"$CLANG" -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -fno-omit-frame-pointer -I"$root/gen" \
    "$here/fuzz_tiles.c" "$root/gen/spec_parse.c" "$root/gen/spec_validate.c" "$root/gen/plan.c" \
    -o "$work/fuzz_tiles" || exit 2
cp "$here"/corpus/* "$work/corpus/"

echo "run-fuzz.sh: $CLANG, ${secs}s, corpus $work/corpus, artifacts $work/artifacts"
status=0
jobargs=
[ "$jobs" -gt 1 ] && jobargs="-jobs=$jobs -workers=$jobs"
"$work/fuzz_tiles" -max_total_time="$secs" -dict="$here/tiles.dict" -max_len=4096 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" $jobargs \
    "$work/corpus" 2>&1 | tee "$work/fuzz.log" | grep -E 'stat::|ERROR|SUMMARY|Done|INFO: Seed|^#[0-9]+ *DONE' || true
if ls "$work"/artifacts/crash-* "$work"/artifacts/leak-* "$work"/artifacts/timeout-* \
       "$work"/artifacts/oom-* >/dev/null 2>&1; then
    echo "run-fuzz.sh: findings in $work/artifacts:" >&2
    ls -l "$work/artifacts" >&2
    status=1
fi
if grep -q 'ERROR: libFuzzer\|ERROR: AddressSanitizer\|runtime error:' "$work/fuzz.log"; then
    status=1
fi
exit $status
