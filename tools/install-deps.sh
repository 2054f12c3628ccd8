#!/usr/bin/env bash
# Debian 12 packages skinnygen needs to generate, build and test.
# (nvcc/cuBLAS come from /usr/local/cuda, not from Debian; without them the
# CUDA build and the benchmark are skipped.)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
sudo_cmd=""
[ "$(id -u)" = 0 ] || sudo_cmd="sudo"
$sudo_cmd apt-get update
$sudo_cmd apt-get install -y --no-install-recommends \
  gcc g++ make meson ninja-build m4 pkg-config cmake \
  libcmocka-dev libcjson-dev libelf-dev gnuplot-nox \
  hipcc libamdhip64-dev llvm-15 clang-15 libclang-common-15-dev \
  binutils file
