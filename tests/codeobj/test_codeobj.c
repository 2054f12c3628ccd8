/* test_codeobj.c - tools/codeobj, the reader of kernel binaries, on the
 * committed fixtures (fixtures/: tiny.o and its llvm-objdump / llvm-readelf
 * outputs, made by make-tiny.sh; hopper.sass, hopper.res and ptxas.txt,
 * hand-written Hopper texts in the tools' formats) and on inputs built
 * here byte by byte (MessagePack, offload bundles, bad input).
 * Usage: test_codeobj FIXTURE_DIR */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "co_amdobj.h"
#include "co_arch.h"
#include "co_bundle.h"
#include "co_isa.h"
#include "co_msgpack.h"
#include "co_names.h"
#include "co_nvres.h"
#include "co_run.h"

static const char *fixdir;

static char *fixture(const char *name, size_t *len)
{
    char path[4096];
    size_t n;
    snprintf(path, sizeof path, "%s/%s", fixdir, name);
    char *t = (char *)co_read_file(path, len ? len : &n);
    if (!t) fail_msg("cannot read fixture %s", path);
    return t;
}

static const char tiny_kernel[] = "_Z11tiny_streamPK15HIP_vector_typeIjLj4EEPfi";

/* ------------------------------------------------------------- AMD */

static void amd_object_is_read(void **state)
{
    (void)state;
    co_amd_objects objs;
    char err[256], path[4096];
    snprintf(path, sizeof path, "%s/tiny.o", fixdir);
    assert_int_equal(co_amd_read(path, &objs, err, sizeof err), 0);
    assert_int_equal(objs.n, 2);
    co_amd_object *o = co_amd_find(&objs, "gfx90a");
    assert_non_null(o);
    assert_non_null(co_amd_find(&objs, "gfx1030"));
    assert_null(co_amd_find(&objs, "gfx940"));
    assert_string_equal(o->id, "hipv4-amdgcn-amd-amdhsa--gfx90a");
    assert_true(o->text_bytes > 0);
    /* The figures llvm-readelf --notes prints for the same code object
     * (fixtures/tiny-gfx90a.notes), read here from the MessagePack note. */
    assert_int_equal(o->meta.nkernels, 1);
    const co_amd_kernel *k = &o->meta.k[0];
    assert_string_equal(k->name, tiny_kernel);
    assert_int_equal(k->v[CO_VGPR], 17);
    assert_int_equal(k->v[CO_SGPR], 15);
    assert_int_equal(k->v[CO_AGPR], 0);
    assert_int_equal(k->v[CO_GROUP], 0);
    assert_int_equal(k->v[CO_PRIVATE], 0);
    assert_int_equal(k->v[CO_WAVE], 64);
    assert_int_equal(k->v[CO_MAXWG], 256);
    assert_int_equal(k->v[CO_VSPILL], 0);
    assert_int_equal(k->has, (1u << CO_NKEYS) - 1);
    assert_int_equal(co_amd_find(&objs, "gfx1030")->meta.k[0].v[CO_WAVE], 32);
    unsigned char kd[64];
    assert_int_equal(co_amd_kernel_descriptor(o, k, kd), 0);
    co_amd_free(&objs);
}

static void amd_notes_agree_with_readelf(void **state)
{
    (void)state;
    /* Every figure in the llvm-readelf rendering equals ours. */
    char *notes = fixture("tiny-gfx90a.notes", NULL);
    size_t len;
    char *obj = fixture("tiny.o", &len);
    co_amd_objects objs;
    char err[256];
    assert_int_equal(co_amd_read_mem((unsigned char *)obj, len, &objs, err, sizeof err), 0);
    const co_amd_kernel *k = &co_amd_find(&objs, "gfx90a")->meta.k[0];
    for (int i = 0; i < CO_NKEYS; i++) {
        const char *p = strstr(notes, co_amd_key_names[i]);
        assert_non_null(p);
        p = strchr(p, ':') + 1;
        assert_int_equal(strtol(p, NULL, 10), k->v[i]);
    }
    co_amd_free(&objs);
    free(notes);
    free(obj);
}

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> 8 * i);
}

static void bundle_errors(void **state)
{
    (void)state;
    co_bundle_entry e[4];
    char err[256];
    unsigned char b[128];
    memset(b, 0, sizeof b);
    assert_int_equal(co_bundle_parse(b, sizeof b, e, 4, err, sizeof err), -1);
    assert_non_null(strstr(err, "magic"));
    memcpy(b, "__CLANG_OFFLOAD_BUNDLE__", 24);
    put64(b + 24, 1);
    put64(b + 32, 100), put64(b + 40, 100), put64(b + 48, 31); /* past the end */
    memcpy(b + 56, "hipv4-amdgcn-amd-amdhsa--gfx90a", 31);
    assert_int_equal(co_bundle_parse(b, sizeof b, e, 4, err, sizeof err), -1);
    assert_non_null(strstr(err, "out of bounds"));
    put64(b + 32, 87), put64(b + 40, 8);
    assert_int_equal(co_bundle_parse(b, 95, e, 4, err, sizeof err), 1);
    assert_string_equal(e[0].arch, "gfx90a");
    assert_int_equal(co_bundle_parse(b, 60, e, 4, err, sizeof err), -1); /* truncated id */
    put64(b + 24, 5);
    assert_int_equal(co_bundle_parse(b, 95, e, 4, err, sizeof err), -1); /* count > max */
    /* A bundle whose device entry is not an ELF: the reader says so. */
    put64(b + 24, 1);
    co_amd_objects objs;
    assert_int_equal(co_amd_read_mem(b, 95, &objs, err, sizeof err), -1);
    assert_non_null(strstr(err, "gfx90a"));
    char arch[32];
    assert_int_equal(co_arch_of_id("hipv4-amdgcn-amd-amdhsa--gfx1030:xnack-", arch, 32), 0);
    assert_string_equal(arch, "gfx1030");
    assert_int_equal(co_arch_of_id("host-x86_64-unknown-linux", arch, 32), -1);
}

static void msgpack_reader(void **state)
{
    (void)state;
    /* {"a": -2, "bb": 300, "c": [1, "x"], "d": 4294967296, "e": -200, "f": 1.5} */
    static const unsigned char b[] = {
        0x86, 0xa1, 'a', 0xfe, 0xa2, 'b', 'b', 0xcd, 0x01, 0x2c, 0xa1, 'c', 0x92, 0x01, 0xa1, 'x',
        0xa1, 'd', 0xcf, 0, 0, 0, 1, 0, 0, 0, 0, 0xa1, 'e', 0xd1, 0xff, 0x38,
        0xa1, 'f', 0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0};
    mp_cur c = {b, b + sizeof b};
    mp_obj o;
    assert_int_equal(mp_read(&c, &o), 0);
    assert_int_equal(o.type, MP_MAP);
    assert_int_equal(o.len, 6);
    assert_int_equal(mp_read(&c, &o), 0);
    assert_true(mp_str_is(&o, "a"));
    assert_int_equal(mp_read(&c, &o), 0);
    assert_int_equal(o.i, -2);
    assert_int_equal(mp_read(&c, &o), 0);
    assert_true(mp_str_is(&o, "bb"));
    assert_int_equal(mp_read(&c, &o), 0);
    assert_int_equal(o.i, 300);
    assert_int_equal(mp_read(&c, &o), 0);
    assert_int_equal(mp_skip(&c), 0); /* the array, with its items */
    assert_int_equal(mp_read(&c, &o), 0);
    assert_true(mp_str_is(&o, "d"));
    assert_int_equal(mp_read(&c, &o), 0);
    assert_int_equal(o.i, 4294967296LL);
    assert_int_equal(mp_read(&c, &o), 0);
    assert_int_equal(mp_read(&c, &o), 0);
    assert_int_equal(o.i, -200);
    assert_int_equal(mp_read(&c, &o), 0);
    assert_int_equal(mp_read(&c, &o), 0);
    assert_int_equal(o.type, MP_FLOAT);
    assert_true(c.p == c.end);
    /* Truncated string, count past the end, nesting too deep, 0xc1. */
    static const unsigned char t1[] = {0xa5, 'a'}, t2[] = {0xdd, 0, 0, 0, 9, 1},
                               t3[] = {0xc1};
    unsigned char deep[64];
    memset(deep, 0x91, sizeof deep);
    mp_cur c1 = {t1, t1 + 2}, c2 = {t2, t2 + 6}, c3 = {deep, deep + 64}, c4 = {t3, t3 + 1};
    assert_int_equal(mp_read(&c1, &o), -1);
    assert_int_equal(mp_skip(&c2), -1);
    assert_int_equal(mp_skip(&c3), -1);
    assert_int_equal(mp_read(&c4, &o), -1);
}

static void amd_metadata_errors(void **state)
{
    (void)state;
    co_amd_meta m;
    char err[256];
    /* {"amdhsa.version": [1, 1]}: no kernels */
    static const unsigned char nok[] = {0x81, 0xae, 'a', 'm', 'd', 'h', 's', 'a', '.', 'v', 'e',
                                        'r', 's', 'i', 'o', 'n', 0x92, 1, 1};
    assert_int_equal(co_amd_meta_parse(nok, sizeof nok, &m, err, sizeof err), -1);
    assert_non_null(strstr(err, "amdhsa.kernels"));
    /* {"amdhsa.kernels": [{".vgpr_count": -1}]} */
    static const unsigned char neg[] = {0x81, 0xae, 'a', 'm', 'd', 'h', 's', 'a', '.', 'k', 'e',
                                        'r', 'n', 'e', 'l', 's', 0x91, 0x81, 0xab, '.', 'v', 'g',
                                        'p', 'r', '_', 'c', 'o', 'u', 'n', 't', 0xff};
    assert_int_equal(co_amd_meta_parse(neg, sizeof neg, &m, err, sizeof err), -1);
    assert_non_null(strstr(err, ".vgpr_count"));
    assert_int_equal(co_amd_meta_parse(neg, sizeof neg - 1, &m, err, sizeof err), -1);
}

static void amd_isa_of_fixture(void **state)
{
    (void)state;
    char *text = fixture("tiny-gfx90a.s", NULL);
    co_isa isa;
    char err[256];
    assert_int_equal(co_isa_parse_amd(text, 1, &isa, err, sizeof err), 0);
    const co_fn *f = co_isa_find(&isa, tiny_kernel);
    assert_non_null(f);
    assert_int_equal(f->wide_loads, 4);
    assert_int_equal(f->wide_loads_nt, 0);
    assert_int_equal(f->matrix, 0);
    /* The loop body (0x18d0..0x1938) waits vmcnt(0) after each of its two
     * loads: clang 15 did not keep the pair of tiny.hip in flight. */
    assert_true(f->has_loop);
    assert_int_equal(f->loop_start, 0x18d0);
    assert_int_equal(f->loop_end, 0x1938);
    assert_int_equal(f->loop_wide_loads, 2);
    assert_int_equal(f->mlp, 1);
    co_isa_free(&isa);
    free(text);
}

/* A software-pipelined loop: 3 loads issued at the end of one iteration
 * are in flight with the 3 of the next until vmcnt(3) -> MLP 6; the
 * staging loop before it (1 load, wait) must not be taken as the main one. */
static const char pipelined[] =
    "0000000000001000 <k>:\n"
    "\tglobal_load_dwordx4 v[0:3], v[4:5], off // 000000001000: 0\n"
    "\ts_waitcnt vmcnt(0) // 000000001008: 0\n"
    "\tds_write_b128 v1, v[0:3] // 00000000100C: 0\n"
    "\ts_cbranch_scc1 65532 // 000000001014: 0 <k+0x0>\n"
    "\tglobal_load_dwordx4 v[8:11], v[4:5], off nt // 000000001018: 0\n"
    "\tglobal_load_dwordx4 v[12:15], v[4:5], off nt // 000000001020: 0\n"
    "\tglobal_load_dwordx4 v[16:19], v[4:5], off nt // 000000001028: 0\n"
    "\tglobal_load_dword v20, v[4:5], off // 000000001030: 0\n"
    "\ts_waitcnt vmcnt(4) lgkmcnt(0) // 000000001038: 0\n"
    "\tv_fma_f32 v0, v8, v9, v0 // 00000000103C: 0\n"
    "\ts_waitcnt vmcnt(0) // 000000001040: 0\n"
    "\tglobal_load_dwordx4 v[8:11], v[4:5], off // 000000001044: 0\n"
    "\tglobal_load_dwordx4 v[12:15], v[4:5], off // 00000000104C: 0\n"
    "\tglobal_load_dwordx4 v[16:19], v[4:5], off // 000000001054: 0\n"
    "\ts_cbranch_vccnz 65520 // 00000000105C: 0 <k+0x18>\n"
    "\ts_endpgm // 000000001060: 0\n";

static void amd_isa_pipelined(void **state)
{
    (void)state;
    co_isa isa;
    char err[256];
    assert_int_equal(co_isa_parse_amd(pipelined, 1, &isa, err, sizeof err), 0);
    const co_fn *f = co_isa_find(&isa, "k");
    assert_non_null(f);
    assert_int_equal(f->wide_loads, 7);
    assert_int_equal(f->wide_loads_nt, 3);
    assert_int_equal(f->loop_start, 0x1018);
    assert_int_equal(f->loop_wide_loads, 6);
    assert_int_equal(f->mlp, 6);
    co_isa_free(&isa);
    /* A line without the address comment is an error with its line number. */
    assert_int_equal(co_isa_parse_amd("0000000000001000 <k>:\n\ts_nop 0\n", 1, &isa, err,
                                      sizeof err), -1);
    assert_non_null(strstr(err, "2: "));
}

static void amd_stores_count_on_gfx9_only(void **state)
{
    (void)state;
    /* gfx9: the store counts in vmcnt, so vmcnt(1) leaves only it in flight
     * -> 1 wide load at most; gfx10+: stores use vscnt, both loads stay. */
    static const char t[] =
        "0000000000000000 <s>:\n"
        "\tglobal_load_dwordx4 v[0:3], v[4:5], off // 000000000000: 0\n"
        "\tglobal_load_dwordx4 v[8:11], v[4:5], off // 000000000008: 0\n"
        "\tglobal_store_dword v[4:5], v0, off // 000000000010: 0\n"
        "\ts_waitcnt vmcnt(1) // 000000000018: 0\n"
        "\ts_cbranch_scc1 65531 // 00000000001C: 0 <s+0x0>\n";
    co_isa isa;
    char err[256];
    assert_int_equal(co_isa_parse_amd(t, 1, &isa, err, sizeof err), 0);
    assert_int_equal(isa.fn[0].mlp, 2); /* both in flight before the wait */
    co_isa_free(&isa);
    static const char t2[] =
        "0000000000000000 <s>:\n"
        "\tglobal_load_dwordx4 v[0:3], v[4:5], off // 000000000000: 0\n"
        "\tglobal_store_dword v[4:5], v0, off // 000000000008: 0\n"
        "\ts_waitcnt vmcnt(1) // 000000000010: 0\n"
        "\tglobal_load_dwordx4 v[8:11], v[4:5], off // 000000000014: 0\n";
    /* No loop: one pass. gfx9: vmcnt(1) keeps the store, retires the load
     * -> 1; gfx10: the wait leaves the load in flight (stores are not on
     * vmcnt) -> 2. */
    assert_int_equal(co_isa_parse_amd(t2, 1, &isa, err, sizeof err), 0);
    assert_int_equal(isa.fn[0].mlp, 1);
    co_isa_free(&isa);
    assert_int_equal(co_isa_parse_amd(t2, 0, &isa, err, sizeof err), 0);
    assert_int_equal(isa.fn[0].mlp, 2);
    co_isa_free(&isa);
}

static void loop_issue_figures(void **state)
{
    (void)state;
    /* The model's loop terms: the main loop's instructions, its weight
     * (nt) loads, and whether its arithmetic overlaps them. Waiting for
     * vmcnt(0) drains the loop: nothing in flight at the wait. */
    static const char t[] =
        "0000000000000000 <s>:\n"
        "\tglobal_load_dwordx4 v[0:3], v[4:5], off nt // 000000000000: 0\n"
        "\tglobal_load_dwordx4 v[8:11], v[4:5], off nt // 000000000008: 0\n"
        "\tglobal_load_dwordx4 v[12:15], v[4:5], off // 000000000010: 0\n"
        "\ts_waitcnt vmcnt(0) // 000000000018: 0\n"
        "\tv_fmac_f32 v16, v0, v8 // 00000000001C: 0\n"
        "\ts_cbranch_scc1 65530 // 000000000020: 0 <s+0x0>\n";
    co_isa isa;
    char err[256];
    assert_int_equal(co_isa_parse_amd(t, 0, &isa, err, sizeof err), 0);
    assert_true(isa.fn[0].has_loop);
    assert_int_equal(isa.fn[0].loop_insns, 6);
    assert_int_equal(isa.fn[0].loop_wide_loads, 3);
    assert_int_equal(isa.fn[0].loop_stream_loads, 2);
    assert_int_equal(isa.fn[0].loop_min_in_flight, 0);
    co_isa_free(&isa);
    /* vmcnt(2): the last two loads stay in flight across the arithmetic. */
    static const char t2[] =
        "0000000000000000 <s>:\n"
        "\tglobal_load_dwordx4 v[0:3], v[4:5], off nt // 000000000000: 0\n"
        "\tglobal_load_dwordx4 v[8:11], v[4:5], off nt // 000000000008: 0\n"
        "\ts_waitcnt vmcnt(2) // 000000000010: 0\n"
        "\tv_fmac_f32 v16, v0, v8 // 000000000014: 0\n"
        "\ts_cbranch_scc1 65531 // 000000000018: 0 <s+0x0>\n";
    assert_int_equal(co_isa_parse_amd(t2, 0, &isa, err, sizeof err), 0);
    assert_int_equal(isa.fn[0].loop_min_in_flight, 2);
    co_isa_free(&isa);
}

static void sass_weight_stream_loads(void **state)
{
    (void)state;
    /* L1 no-allocate (.NA) and evict-first (.EF) loads are the weight
     * stream; x's plain __ldg (.CONSTANT) is not. */
    static const char t[] =
        "\t\tFunction : f\n"
        "        /*0000*/                   LDG.E.NA.LTC256B.128.CONSTANT R8, desc[UR6][R2.64] ; /* 0x0000000602087981 */\n"
        "                                                                                  /* 0x000f22000c1e9d00 */\n"
        "        /*0010*/                   LDG.E.EF.128 R12, desc[UR6][R2.64] ; /* 0x00000006020c7981 */\n"
        "                                                                                  /* 0x000f22000c1e9d00 */\n"
        "        /*0020*/                   LDG.E.128.CONSTANT R16, desc[UR6][R4.64] ; /* 0x0000000604107981 */\n"
        "                                                                                  /* 0x000f22000c1e9d00 */\n";
    co_isa isa;
    char err[256];
    assert_int_equal(co_isa_parse_sass(t, &isa, err, sizeof err), 0);
    assert_int_equal(isa.fn[0].n, 3);
    assert_true(isa.fn[0].insn[0].stream);
    assert_true(isa.fn[0].insn[1].stream);
    assert_false(isa.fn[0].insn[2].stream);
    assert_true(isa.fn[0].insn[2].nt);
    co_isa_free(&isa);
}

/* ---------------------------------------------------------- NVIDIA */

static const char mma_fn[] =
    "_Z17skinny_mma_kernelI11skinny_bf16Li1ELi32ELi4ELi1ELi4EEv18skinny_kernel_args";
static const char tile_fn[] =
    "_Z18skinny_gemm_kernelI11skinny_bf16Li5ELi32ELi16ELi2ELi2EEv18skinny_kernel_args";

static void sass_of_fixture(void **state)
{
    (void)state;
    char *text = fixture("hopper.sass", NULL);
    co_isa isa;
    char err[256];
    assert_int_equal(co_isa_parse_sass(text, &isa, err, sizeof err), 0);
    assert_int_equal(isa.n, 2);
    const co_fn *m = co_isa_find(&isa, mma_fn), *t = co_isa_find(&isa, tile_fn);
    assert_non_null(m);
    assert_non_null(t);
    /* MMA: 4 loads on SB2 before the loop, 4 on SB3 at its top: 8 in
     * flight until the first HMMA waits on SB2; then 4 more on SB2. */
    assert_int_equal(m->wide_loads, 12);
    assert_int_equal(m->wide_loads_nt, 12);
    assert_int_equal(m->matrix, 8);
    assert_true(m->has_loop);
    assert_int_equal(m->loop_start, 0x90);
    assert_int_equal(m->loop_wide_loads, 8);
    assert_int_equal(m->mlp, 8);
    /* TILE: the staging loop (1 load, waited) is not the main loop; the
     * weight loop has its 2 loads on SB3 in flight together. */
    assert_int_equal(t->wide_loads, 3);
    assert_int_equal(t->loop_wide_loads, 2);
    assert_int_equal(t->mlp, 2);
    co_row r = co_row_of_mangled(t->name);
    assert_true(r.ok);
    assert_int_equal(r.n, 5);
    assert_false(r.mma);
    co_isa_free(&isa);
    free(text);
}

static void sass_depbar_and_errors(void **state)
{
    (void)state;
    /* Three cp.async 16-byte copies, then DEPBAR.LE SB0, 0x1 leaves 1. */
    static const char t[] =
        "\t\tFunction : f\n"
        "        /*0000*/   LDGSTS.E.BYPASS.128 [R1], desc[UR4][R2.64] ; /* 0x0 */\n"
        "                   /* 0x000fe20000000000 */\n"
        "        /*0010*/   LDGSTS.E.BYPASS.128 [R1+0x10], desc[UR4][R2.64+0x10] ; /* 0x0 */\n"
        "                   /* 0x000fe20000000000 */\n"
        "        /*0020*/   LDGSTS.E.BYPASS.128 [R1+0x20], desc[UR4][R2.64+0x20] ; /* 0x0 */\n"
        "                   /* 0x000fe20000000000 */\n"
        "        /*0030*/   DEPBAR.LE SB0, 0x1 ; /* 0x0 */\n"
        "                   /* 0x000fe20000000000 */\n"
        "        /*0040*/   @P0 BRA 0x0 ; /* 0x0 */\n"
        "                   /* 0x000fea000383ffff */\n";
    co_isa isa;
    char err[256];
    assert_int_equal(co_isa_parse_sass(t, &isa, err, sizeof err), 0);
    /* pass 2 starts with 1 left from pass 1: 1 + 3 = 4 before the DEPBAR */
    assert_int_equal(isa.fn[0].mlp, 4);
    co_isa_free(&isa);
    static const char bad[] = "\t\tFunction : f\n        /*0000*/   NOP\n";
    assert_int_equal(co_isa_parse_sass(bad, &isa, err, sizeof err), -1);
    assert_non_null(strstr(err, "2: "));
    static const char cut[] = "\t\tFunction : f\n        /*0000*/   NOP ; /* 0x0 */\n";
    assert_int_equal(co_isa_parse_sass(cut, &isa, err, sizeof err), -1);
    assert_non_null(strstr(err, "ends inside"));
}

static void nv_resources(void **state)
{
    (void)state;
    char *res = fixture("hopper.res", NULL), *ptx = fixture("ptxas.txt", NULL);
    co_nv_kernel k[8];
    char err[256];
    assert_int_equal(co_nv_parse_resusage(res, k, 8, err, sizeof err), 2);
    assert_string_equal(k[0].name, mma_fn);
    assert_int_equal(k[0].regs, 128);
    assert_string_equal(k[1].name, tile_fn); /* figures on the name's line */
    assert_int_equal(k[1].regs, 40);
    assert_int_equal(co_nv_parse_ptxas(ptx, k, 8, err, sizeof err), 1); /* device fn left out */
    assert_int_equal(k[0].regs, 128);
    assert_int_equal(k[0].smem, 16);
    assert_int_equal(k[0].spill_st, 0);
    assert_int_equal(co_nv_parse_resusage(" Function f:\n nothing\n", k, 8, err, sizeof err), -1);
    assert_non_null(strstr(err, "no REG"));
    assert_int_equal(co_nv_parse_ptxas("ptxas info    : Compiling entry function 'f' for 'sm_90'\n",
                                       k, 8, err, sizeof err), -1);
    free(res);
    free(ptx);
}

/* --------------------------------------------------------- occupancy */

static void occupancy_rules(void **state)
{
    (void)state;
    const co_arch *a = co_arch_find("gfx90a"), *r = co_arch_find("gfx1030"),
                  *h = co_arch_find("sm_90");
    assert_non_null(a);
    assert_non_null(r);
    assert_non_null(h);
    assert_null(co_arch_find("gfx999"));
    assert_int_equal(co_amd_waves_per_simd(a, 64, 128, 32), 4);
    assert_int_equal(co_amd_waves_per_simd(a, 64, 129, 32), 3);  /* granule 8: 136 */
    assert_int_equal(co_amd_waves_per_simd(a, 64, 24, 32), 8);   /* max 8 */
    assert_int_equal(co_amd_waves_per_simd(a, 64, 24, 112), 7);  /* 800 / 112 SGPRs */
    assert_int_equal(co_amd_vgpr_budget(a, 64, 4, 16), 128);
    assert_int_equal(co_amd_vgpr_budget(r, 32, 4, 16), 256);
    assert_int_equal(co_amd_vgpr_budget(r, 32, 2, 16), 128);     /* CU mode */
    /* 16 waves of 64 with 96 VGPRs: 5 waves/SIMD -> one workgroup of 4 per
     * SIMD; 40 KiB LDS -> one per CU. */
    assert_int_equal(co_amd_groups_per_cu(a, 64, 4, 96, 32, 0, 16), 1);
    assert_int_equal(co_amd_groups_per_cu(a, 64, 4, 64, 32, 0, 4), 8);
    assert_int_equal(co_amd_groups_per_cu(a, 64, 4, 64, 32, 40960, 4), 1);
    assert_int_equal(co_amd_groups_per_cu(r, 32, 4, 64, 0, 40960, 4), 3); /* 128 KiB per WGP */
    /* sm_90: 128 regs x 128 threads = 16 K regs -> 4 blocks; 255 regs ->
     * 2 blocks of 4 warps (8160 per warp, granule 256); 100 KiB smem -> 2. */
    assert_int_equal(co_nv_blocks_per_sm(h, 128, 128, 0), 4);
    assert_int_equal(co_nv_blocks_per_sm(h, 255, 128, 0), 2);
    assert_int_equal(co_nv_blocks_per_sm(h, 32, 128, 102400), 2);
    assert_int_equal(co_nv_blocks_per_sm(h, 32, 32, 0), 32);  /* block limit */
    assert_int_equal(co_nv_blocks_per_sm(h, 32, 1024, 0), 2); /* 64 warps */
}

static void row_names(void **state)
{
    (void)state;
    co_row r = co_row_of_name("build/n9_w32_g8_m2_u2.o");
    assert_true(r.ok);
    assert_true(r.mma);
    assert_int_equal(r.ytile, 2);
    char buf[64];
    co_row_name(&r, buf, sizeof buf);
    assert_string_equal(buf, "n9_w32_g8_m2_u2");
    assert_false(co_row_of_name("n9_w32_g8_x2_u2").ok);
    assert_false(co_row_of_name("n9_w32_g8_m2_u2x").ok);
    assert_false(co_row_of_mangled("_Z3foov").ok);
    /* MMA_FP8 rows: .._f<MT>_.. objects and skinny_mma_fp8_kernel symbols */
    r = co_row_of_name("build/n4_w64_g8_f1_u2.o");
    assert_true(r.ok);
    assert_true(r.mma);
    assert_true(r.fp8);
    co_row_name(&r, buf, sizeof buf);
    assert_string_equal(buf, "n4_w64_g8_f1_u2");
    r = co_row_of_mangled("_Z21skinny_mma_fp8_kernelI10skinny_f16Li4ELi64ELi8ELi1ELi2EEv18skinny_kernel_args");
    assert_true(r.ok);
    assert_true(r.mma);
    assert_true(r.fp8);
    assert_string_equal(r.dtype, "f16");
    assert_int_equal(r.ytile, 1);
    assert_int_equal(r.unroll, 2);
    co_row_name(&r, buf, sizeof buf);
    assert_string_equal(buf, "n4_w64_g8_f1_u2");
    r = co_row_of_mangled("_Z17skinny_mma_kernelI11skinny_bf16Li4ELi64ELi8ELi1ELi2EEv18skinny_kernel_args");
    assert_true(r.ok && r.mma);
    assert_false(r.fp8);
    assert_false(r.fp8x);
    /* The same row's fp8-activation kernel: the row's name, flagged fp8x. */
    r = co_row_of_mangled("_Z22skinny_mma_fp8x_kernelI10skinny_f16Li1ELi64ELi4ELi1ELi2EEv18skinny_kernel_argsPKf");
    assert_true(r.ok && r.mma && r.fp8 && r.fp8x);
    assert_string_equal(r.dtype, "f16");
    assert_int_equal(r.wave, 64);
    co_row_name(&r, buf, sizeof buf);
    assert_string_equal(buf, "n1_w64_g4_f1_u2");
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_codeobj FIXTURE_DIR\n");
        return 2;
    }
    fixdir = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(amd_object_is_read),
        cmocka_unit_test(amd_notes_agree_with_readelf),
        cmocka_unit_test(bundle_errors),
        cmocka_unit_test(msgpack_reader),
        cmocka_unit_test(amd_metadata_errors),
        cmocka_unit_test(amd_isa_of_fixture),
        cmocka_unit_test(amd_isa_pipelined),
        cmocka_unit_test(amd_stores_count_on_gfx9_only),
        cmocka_unit_test(loop_issue_figures),
        cmocka_unit_test(sass_weight_stream_loads),
        cmocka_unit_test(sass_of_fixture),
        cmocka_unit_test(sass_depbar_and_errors),
        cmocka_unit_test(nv_resources),
        cmocka_unit_test(occupancy_rules),
        cmocka_unit_test(row_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
