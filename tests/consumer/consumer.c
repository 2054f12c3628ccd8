/* consumer.c - a program outside skinnygen that uses libskinny the way
 * another project would: only <skinny/skinny.h> and the library, found by
 * pkg-config, a Meson subproject, a CMake build of an exported bundle, or a
 * plain build tree (tests/consumer/run-consumers.sh builds it all ways).
 *
 * It needs no GPU: it exercises the host-side API (status strings,
 * skinny_supported, skinny_plan on a described device, a refused call) and,
 * if a device is present, plans for it. Exit 0 on success. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <skinny/skinny.h>

static int failures;

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "consumer: FAILED: %s\n", what);
        failures++;
    }
}

int main(void)
{
    /* Every status has a message. */
    for (int s = 0; s <= SKINNY_ERR_NO_INVARIANT_PATH; s++)
        check(skinny_status_string((skinny_status)s) != NULL, "status string");

    /* Bad input is refused with a specific status, before any device use. */
    skinny_gemm_desc bad;
    memset(&bad, 0, sizeof bad);
    check(skinny_gemm(&bad, NULL) == SKINNY_ERR_NULL_POINTER, "NULL pointers refused");

    /* Which of the N this build was generated for has a wave-32 fast path,
     * and a plan for an H100-like device (132 SMs, 227 KiB shared memory). */
    static _Alignas(16) uint16_t w[64 * 256], x[64 * 256], y[64 * 64];
    const skinny_device_info h100 = {.cu_count = 132, .wave_size = 32, .lds_bytes = 227 * 1024};
    int planned = 0;
    for (int n = 1; n <= 64; n++) {
        skinny_gemm_desc d = {SKINNY_F16, n, 64, 256, w, 0, x, 0, y, 0, SKINNY_BIAS_NONE, NULL, 0, 0,
                              0, 0, NULL, NULL, NULL};
        skinny_choice c;
        if (skinny_plan(&d, &h100, &c) == SKINNY_OK) {
            if (!planned) printf("consumer: N=%d -> %s, grid %d\n", n, c.kernel, c.grid);
            planned++;
        }
    }
    printf("consumer: %d values of N have a wave-32 specialization\n", planned);
    const skinny_status sup = skinny_supported(SKINNY_BF16, 1, 4096, 4096, 32);
    printf("consumer: skinny_supported(bf16, N=1, wave 32): %s\n", skinny_status_string(sup));

    skinny_device_info dev;
    const skinny_status st = skinny_device_query(&dev);
    if (st != SKINNY_OK) {
        printf("consumer: no GPU present (%s); host-side API checked\n", skinny_status_string(st));
    } else {
        printf("consumer: device: %s, %d CUs/SMs, wave %d, %zu bytes LDS\n", dev.device_key,
               dev.cu_count, dev.wave_size, dev.lds_bytes);
    }
    if (failures) return 1;
    printf("consumer: OK\n");
    return 0;
}
