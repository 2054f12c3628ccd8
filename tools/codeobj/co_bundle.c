/* co_bundle.c - see co_bundle.h. Read here instead of through
 * clang-offload-bundler: the format is three integers per entry, and
 * reading it in process needs no temporary files and no tool per object. */
#include "co_bundle.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "co_elf.h"

static const char magic[] = "__CLANG_OFFLOAD_BUNDLE__";
#define MAGIC_LEN (sizeof magic - 1)

static uint64_t rd64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

int co_arch_of_id(const char *id, char *arch, size_t archlen)
{
    const char *t = strstr(id, "amdgcn-amd-amdhsa-");
    if (!t) return -1;
    t += strlen("amdgcn-amd-amdhsa-");
    const char *dash = strchr(t, '-'); /* after the (empty) environment */
    if (!dash) return -1;
    t = dash + 1;
    size_t n = strcspn(t, ":");
    if (n < 4 || n >= archlen || strncmp(t, "gfx", 3) != 0) return -1;
    memcpy(arch, t, n);
    arch[n] = '\0';
    return 0;
}

int co_bundle_parse(const unsigned char *b, size_t len, co_bundle_entry *out, int max, char *err,
                    size_t errlen)
{
    if (len < MAGIC_LEN + 8 || memcmp(b, magic, MAGIC_LEN) != 0) {
        snprintf(err, errlen, "not a clang offload bundle (no %s magic)", magic);
        return -1;
    }
    uint64_t count = rd64(b + MAGIC_LEN);
    size_t pos = MAGIC_LEN + 8;
    if (count == 0 || count > (uint64_t)max) {
        snprintf(err, errlen, "offload bundle lists %llu entries (1..%d expected)",
                 (unsigned long long)count, max);
        return -1;
    }
    for (uint64_t i = 0; i < count; i++) {
        if (len - pos < 24) {
            snprintf(err, errlen, "offload bundle truncated in entry %llu", (unsigned long long)i);
            return -1;
        }
        uint64_t off = rd64(b + pos), size = rd64(b + pos + 8), idlen = rd64(b + pos + 16);
        pos += 24;
        co_bundle_entry *e = &out[i];
        if (idlen >= sizeof e->id || idlen > len - pos || off > len || size > len - off) {
            snprintf(err, errlen, "offload bundle entry %llu is out of bounds",
                     (unsigned long long)i);
            return -1;
        }
        memcpy(e->id, b + pos, idlen);
        e->id[idlen] = '\0';
        pos += idlen;
        e->data = b + off;
        e->size = size;
        if (co_arch_of_id(e->id, e->arch, sizeof e->arch) != 0) e->arch[0] = '\0';
        if (!e->arch[0] && strncmp(e->id, "host-", 5) != 0) {
            snprintf(err, errlen, "unexpected offload bundle entry '%s'", e->id);
            return -1;
        }
    }
    return (int)count;
}

int co_bundle_of_file(const unsigned char *buf, size_t len, const unsigned char **bundle,
                      size_t *blen, char *err, size_t errlen)
{
    if (len >= MAGIC_LEN && memcmp(buf, magic, MAGIC_LEN) == 0) {
        *bundle = buf;
        *blen = len;
        return 0;
    }
    co_elf *e = co_elf_open(buf, len, err, errlen);
    if (!e) {
        snprintf(err, errlen, "neither a 64-bit ELF with .hip_fatbin nor an offload bundle");
        return -1;
    }
    int rc = co_elf_section(e, ".hip_fatbin", bundle, blen);
    co_elf_close(e);
    if (rc != 0 || *blen == 0) {
        snprintf(err, errlen, "no .hip_fatbin section (not a HIP object?)");
        return -1;
    }
    return 0;
}
