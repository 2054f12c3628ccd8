# tests/gpu/gpu-env.sh - sourced by the GPU scripts (run-gpu-suite.sh,
# tools/fp8-device-check.sh): the environment they build and run in.
# SKINNY_EXTRA_ROOT=DIR: unpacked Debian packages (cmocka, m4) for machines
# that cannot install them; their bin, include and lib folders go first.
# nvcc's folder goes last on PATH, where the machine has not put it.
if [ -n "${SKINNY_EXTRA_ROOT:-}" ]; then
  skinny_extra=$(cd "$SKINNY_EXTRA_ROOT" && pwd)
  export PATH="$skinny_extra/usr/bin:$PATH"
  export CPATH="$skinny_extra/usr/include${CPATH:+:$CPATH}"
  export LIBRARY_PATH="$skinny_extra/usr/lib/x86_64-linux-gnu${LIBRARY_PATH:+:$LIBRARY_PATH}"
  export LD_LIBRARY_PATH="$skinny_extra/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
export PATH="$PATH:/usr/local/cuda/bin"
