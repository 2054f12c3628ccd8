m4_dnl README of a bundle written by skinnygen --export.
m4_dnl Defined by the generator: ROWS (ROW(...) per row), ROW_COUNT, SOURCES, GEN_VERSION.
m4_define(`ROW', `| $1 | $8 | $2 | $3 | $4 | $5 | $6 |
')m4_dnl
# libskinny source bundle

Written by skinnygen --export (skinnygen GEN_VERSION). Everything needed to
build libskinny is here; it needs no generator, no m4 and no Meson. Do not edit
these files: change the table of specializations (tiles.def) in the skinnygen
project and export again.

| path | what |
|------|------|
| include/skinny/skinny.h | the public C API (include as <skinny/skinny.h>) |
| src/ | host runtime: validation, dispatch, device cache, launch path, portability header |
| generated/ | one kernel TU per specialization, the kernel template, the dispatcher, manifest.json |
| CMakeLists.txt | CMake build (CUDA via nvcc, HIP via hipcc) |
| meson.build, meson_options.txt | Meson build |

## Build with CMake

    add_subdirectory(path/to/this/bundle skinny)       # in your CMakeLists.txt
    target_link_libraries(your_target PRIVATE skinny::skinny)

Configure with -DSKINNY_BACKEND=CUDA (default; -DCMAKE_CUDA_ARCHITECTURES=90)
or -DSKINNY_BACKEND=HIP -DSKINNY_HIP_TARGETS=gfx90a. A C program linking the
static CUDA library needs the CXX language enabled in its project (nvcc host
code uses the C++ runtime); or build with -DBUILD_SHARED_LIBS=ON.

## Build with Meson

    meson setup build -Dgpu_backend=cuda     # or hip, with -Dhip_targets=gfx90a
    meson compile -C build

or as a subproject: dependency('skinny').

## Specializations (ROW_COUNT)

NVIDIA builds only the wave-32 rows; AMD builds the rows of the wave sizes of
its offload targets (gfx9: 64, gfx10 and later: 32). MMA rows (matrix
instructions; the tile column is then m-tiles of 16 columns) need sm_80+ on
NVIDIA and MFMA (gfx908, gfx90a, gfx94x, gfx950) on AMD; RDNA gets none.
MMA_FP8 rows (kind mma_fp8) are the same kernel for fp8 e4m3 weights
(skinny_gemm_desc.w_dtype = SKINNY_FP8_E4M3) and build where MMA rows do;
their two further launchers take fp8 e4m3 activations too (x_dtype
SKINNY_FP8_E4M3 with x_scale; e4m3 mma.sync on sm_89+, a software decode
elsewhere; -DSKINNY_BUILD_FP8X=0 leaves them out).

| kernel | kind | N | wave | waves/group | ytile / mtiles | unroll |
|--------|------|---|------|-------------|----------------|--------|
ROWS
