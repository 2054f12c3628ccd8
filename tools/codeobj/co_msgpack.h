/* co_msgpack.h - the part of MessagePack the AMDGPU metadata note uses
 * (maps, arrays, strings, integers, booleans; floats and binaries are
 * skipped). A cursor over a buffer; nothing is allocated. */
#ifndef CO_MSGPACK_H
#define CO_MSGPACK_H

#include <stddef.h>
#include <stdint.h>

typedef enum { MP_NIL, MP_BOOL, MP_INT, MP_FLOAT, MP_STR, MP_BIN, MP_ARRAY, MP_MAP, MP_EXT } mp_type;

typedef struct {
    mp_type type;
    int64_t i;          /* MP_INT (unsigned values above INT64_MAX: not accepted), MP_BOOL */
    const char *s;      /* MP_STR, MP_BIN: not NUL-terminated */
    uint32_t len;       /* MP_STR / MP_BIN bytes, MP_ARRAY items, MP_MAP pairs */
} mp_obj;

typedef struct {
    const unsigned char *p, *end;
} mp_cur;

/* Reads one object's header; for arrays and maps the items follow and are
 * read by further calls. 0, or -1 on truncated or unknown input. */
int mp_read(mp_cur *c, mp_obj *o);
/* Skips one whole object (containers with their items). 0 or -1. */
int mp_skip(mp_cur *c);
/* Is o the string s? */
int mp_str_is(const mp_obj *o, const char *s);

#endif
