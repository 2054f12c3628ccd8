/* co_bundle.h - clang offload bundles: the .hip_fatbin section of a hipcc
 * object (or hipcc --cuda-device-only output) holds one device ELF per
 * offload target, in clang's uncompressed bundle format (clang 15):
 *
 *   "__CLANG_OFFLOAD_BUNDLE__"  u64 count
 *   count x { u64 offset, u64 size, u64 id_len, id bytes }   (little endian)
 *
 * offsets from the start of the bundle; ids like
 * "hipv4-amdgcn-amd-amdhsa--gfx90a" or "...--gfx90a:sramecc+:xnack-". */
#ifndef CO_BUNDLE_H
#define CO_BUNDLE_H

#include <stddef.h>

typedef struct {
    char id[160];
    char arch[32];              /* "gfx90a"; "" for the host entry */
    const unsigned char *data;  /* into the bundle */
    size_t size;
} co_bundle_entry;

/* Fills at most max entries; returns their number, or -1 with a reason. */
int co_bundle_parse(const unsigned char *b, size_t len, co_bundle_entry *out, int max, char *err,
                    size_t errlen);
/* The bundle of a file: the file itself when it starts with the magic,
 * else the .hip_fatbin section of an ELF64 host object. 0, or -1 with a
 * reason. The result points into buf. */
int co_bundle_of_file(const unsigned char *buf, size_t len, const unsigned char **bundle,
                      size_t *blen, char *err, size_t errlen);
/* "gfx90a" from an id or an amdhsa.target string
 * ("amdgcn-amd-amdhsa--gfx90a:xnack-"); 0, or -1 when it names no gfx. */
int co_arch_of_id(const char *id, char *arch, size_t archlen);

#endif
