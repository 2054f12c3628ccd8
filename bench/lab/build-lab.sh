#!/usr/bin/env bash
# Build the kernel lab (bench/lab): nvcc, sm_90, four variants of the MMA
# kernel side by side. Usage: bench/lab/build-lab.sh OUTDIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
out="${1:-$root/build-lab}"
mkdir -p "$out"
m4 -P "$root/templates/prelude.m4" -DGEN_VERSION=lab "$root/templates/skinny_kernel.cuh.m4" > "$out/skinny_kernel.cuh"
flags=(-std=c++17 -O3 -gencode=arch=compute_90,code=sm_90 -I"$out" -I"$root/runtime" -I"$here" -I"$here/..")
build_variant() { # id register-kernel(1)/staged(0)
  nvcc "${flags[@]}" -Xptxas -v -DLAB_V=$1 -DLAB_REGISTER=$2 \
    -c "$here/lab_variant.cu" -o "$out/lab_v$1.o" 2> "$out/lab_v$1.ptxas.txt"
}
build_variant 0 1 &
build_variant 1 0 &
nvcc "${flags[@]}" -c "$here/lab_main.cu" -o "$out/lab_main.o"
wait
nvcc "${flags[@]}" "$out"/lab_*.o -lcublas -o "$out/skinny-lab"
echo "built $out/skinny-lab"
