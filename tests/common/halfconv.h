/* halfconv.h - host-side fp16/bf16 <-> float, round to nearest even. Used
 * by tests and benchmarks to make inputs and check outputs. */
#ifndef SKINNY_HALFCONV_H
#define SKINNY_HALFCONV_H

#include <stdint.h>
#include <string.h>

static inline float hc_bits_to_f32(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static inline uint32_t hc_f32_to_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static inline float hc_bf16_to_f32(uint16_t h) { return hc_bits_to_f32((uint32_t)h << 16); }

static inline uint16_t hc_f32_to_bf16(float f)
{
    uint32_t u = hc_f32_to_bits(f);
    if ((u & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((u >> 16) | 0x40u);
    u += 0x7fffu + ((u >> 16) & 1u);
    return (uint16_t)(u >> 16);
}

static inline float hc_f16_to_f32(uint16_t h)
{
    const uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    const uint32_t exp = (h >> 10) & 0x1fu, man = h & 0x3ffu;
    if (exp == 0) { /* zero or subnormal: man * 2^-24 */
        float v = (float)man * (1.0f / 16777216.0f);
        return sign ? -v : v;
    }
    if (exp == 31) return hc_bits_to_f32(sign | 0x7f800000u | (man << 13));
    return hc_bits_to_f32(sign | ((exp + 112u) << 23) | (man << 13));
}

static inline uint16_t hc_f32_to_f16(float f)
{
    uint32_t u = hc_f32_to_bits(f);
    const uint16_t sign = (uint16_t)((u >> 16) & 0x8000u);
    u &= 0x7fffffffu;
    if (u > 0x7f800000u) return sign | 0x7e00u;              /* NaN */
    if (u >= 0x477ff000u) return sign | 0x7c00u;             /* rounds to inf */
    if (u < 0x38800000u) {                                   /* subnormal or zero */
        const float a = hc_bits_to_f32(u) * 16777216.0f;     /* in units of 2^-24 */
        float r = (float)(int32_t)a;
        const float frac = a - r;
        if (frac > 0.5f || (frac == 0.5f && ((int32_t)r & 1))) r += 1.0f;
        return sign | (uint16_t)r;
    }
    const uint32_t rounded = u + 0xfffu + ((u >> 13) & 1u);
    return sign | (uint16_t)(((rounded >> 23) - 112u) << 10 | ((rounded >> 13) & 0x3ffu));
}
#endif
