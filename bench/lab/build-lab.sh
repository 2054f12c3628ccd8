#!/usr/bin/env bash
# Build the kernel lab (bench/lab): nvcc, sm_90, four variants of the MMA
# kernel side by side. Usage: bench/lab/build-lab.sh OUTDIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
out="${1:-$root/build-lab}"
mkdir -p "$out"
m4 -P "$root/templates/prelude.m4" -DGEN_VERSION=lab "$root/templates/skinny_kernel.cuh.m4" > "$out/skinny_kernel.cuh"
# LAB_BASELINE=FILE: variant 1 is the register kernel of that template (an
# older skinny_kernel.cuh.m4) instead of the staged prototype, so one run
# times the old and the new kernel side by side.
if [ -n "${LAB_BASELINE:-}" ]; then
  mkdir -p "$out/baseline"
  m4 -P "$root/templates/prelude.m4" -DGEN_VERSION=lab "$LAB_BASELINE" > "$out/baseline/skinny_kernel.cuh"
fi
flags=(-std=c++17 -O3 -gencode=arch=compute_90,code=sm_90 -I"$root/runtime" -I"$here" -I"$here/..")
build_variant() { # id register-kernel(1)/staged(0) include-dir tag
  nvcc "${flags[@]}" -I"$3" -Xptxas -v -DLAB_V=$1 -DLAB_REGISTER=$2 -DLAB_TAG=$4 \
    -c "$here/lab_variant.cu" -o "$out/lab_v$1.o" 2> "$out/lab_v$1.ptxas.txt"
}
build_variant 0 1 "$out" new &
if [ -n "${LAB_BASELINE:-}" ]; then
  build_variant 1 1 "$out/baseline" baseline &
elif [ "${LAB_PROTO:-}" = xjit ]; then
  # LAB_PROTO=xjit: variant 1 is the x-just-in-time prototype (lab_xjit.cuh).
  flags+=(-DLAB_PROTO_XJIT=1)
  build_variant 1 0 "$out" xjit &
elif [ "${LAB_PROTO:-}" = tma ]; then
  # LAB_PROTO=tma: variant 1 is the TMA prototype (lab_tma.cuh).
  flags+=(-DLAB_PROTO_TMA=1)
  build_variant 1 0 "$out" tma &
else
  build_variant 1 0 "$out" staged &
fi
nvcc "${flags[@]}" -I"$out" -c "$here/lab_main.cu" -o "$out/lab_main.o"
wait
nvcc "${flags[@]}" "$out"/lab_*.o -lcublas -o "$out/skinny-lab"
echo "built $out/skinny-lab"
