/* co_msgpack.c - see co_msgpack.h; format: the MessagePack specification
 * (github.com/msgpack/msgpack/blob/master/spec.md). */
#include "co_msgpack.h"

#include <string.h>

static int need(const mp_cur *c, size_t n) { return (size_t)(c->end - c->p) >= n; }

static uint64_t be(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++) v = v << 8 | p[i];
    return v;
}

/* A big-endian unsigned of n bytes at the cursor. */
static int take(mp_cur *c, int n, uint64_t *v)
{
    if (!need(c, (size_t)n)) return -1;
    *v = be(c->p, n);
    c->p += n;
    return 0;
}

static int bytes(mp_cur *c, mp_obj *o, mp_type t, uint64_t len)
{
    if (!need(c, len)) return -1;
    o->type = t;
    o->s = (const char *)c->p;
    o->len = (uint32_t)len;
    c->p += len;
    return 0;
}

int mp_read(mp_cur *c, mp_obj *o)
{
    memset(o, 0, sizeof *o);
    if (!need(c, 1)) return -1;
    unsigned b = *c->p++;
    uint64_t v;
    if (b <= 0x7f) { o->type = MP_INT; o->i = b; return 0; }
    if (b >= 0xe0) { o->type = MP_INT; o->i = (int8_t)b; return 0; }
    if ((b & 0xf0) == 0x80) { o->type = MP_MAP; o->len = b & 0x0f; return 0; }
    if ((b & 0xf0) == 0x90) { o->type = MP_ARRAY; o->len = b & 0x0f; return 0; }
    if ((b & 0xe0) == 0xa0) return bytes(c, o, MP_STR, b & 0x1f);
    switch (b) {
    case 0xc0: o->type = MP_NIL; return 0;
    case 0xc2: case 0xc3: o->type = MP_BOOL; o->i = b == 0xc3; return 0;
    case 0xc4: case 0xc5: case 0xc6:
        if (take(c, 1 << (b - 0xc4), &v)) return -1;
        return bytes(c, o, MP_BIN, v);
    case 0xd9: case 0xda: case 0xdb:
        if (take(c, 1 << (b - 0xd9), &v)) return -1;
        return bytes(c, o, MP_STR, v);
    case 0xcc: case 0xcd: case 0xce: case 0xcf:
        if (take(c, 1 << (b - 0xcc), &v) || v > INT64_MAX) return -1;
        o->type = MP_INT;
        o->i = (int64_t)v;
        return 0;
    case 0xd0: case 0xd1: case 0xd2: case 0xd3: {
        int n = 1 << (b - 0xd0);
        if (take(c, n, &v)) return -1;
        o->type = MP_INT;
        o->i = n == 8 ? (int64_t)v : (int64_t)(v ^ (1ull << (8 * n - 1))) - (1ll << (8 * n - 1));
        return 0;
    }
    case 0xca: case 0xcb:
        if (take(c, b == 0xca ? 4 : 8, &v)) return -1;
        o->type = MP_FLOAT;
        return 0;
    case 0xdc: case 0xdd:
        if (take(c, b == 0xdc ? 2 : 4, &v)) return -1;
        o->type = MP_ARRAY;
        o->len = (uint32_t)v;
        return 0;
    case 0xde: case 0xdf:
        if (take(c, b == 0xde ? 2 : 4, &v)) return -1;
        o->type = MP_MAP;
        o->len = (uint32_t)v;
        return 0;
    case 0xd4: case 0xd5: case 0xd6: case 0xd7: case 0xd8:
        if (!need(c, 1)) return -1;
        c->p++; /* ext type byte */
        return bytes(c, o, MP_EXT, 1u << (b - 0xd4));
    case 0xc7: case 0xc8: case 0xc9:
        if (take(c, 1 << (b - 0xc7), &v) || !need(c, 1)) return -1;
        c->p++;
        return bytes(c, o, MP_EXT, v);
    default:
        return -1; /* 0xc1: never used */
    }
}

/* Nesting deeper than this is bad input (the metadata nests 4 deep). */
#define MP_MAX_DEPTH 32

static int skip(mp_cur *c, int depth)
{
    mp_obj o;
    if (depth > MP_MAX_DEPTH || mp_read(c, &o)) return -1;
    uint64_t items = o.type == MP_ARRAY ? o.len : o.type == MP_MAP ? 2ull * o.len : 0;
    /* Every item takes at least one byte: a count past the end is bad input,
     * not a reason to loop for long. */
    if (items > (uint64_t)(c->end - c->p)) return -1;
    for (uint64_t i = 0; i < items; i++)
        if (skip(c, depth + 1)) return -1;
    return 0;
}

int mp_skip(mp_cur *c) { return skip(c, 0); }

int mp_str_is(const mp_obj *o, const char *s)
{
    return o->type == MP_STR && o->len == strlen(s) && memcmp(o->s, s, o->len) == 0;
}
