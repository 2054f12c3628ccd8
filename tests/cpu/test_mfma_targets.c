/* test_mfma_targets.c - the AMD targets that get MMA (MFMA) rows are listed
 * in five places in four languages: meson.build (what the build compiles),
 * the bundle's Meson and CMake files (what a vendored bundle compiles), the
 * cost tool (what it reports) and the portability header (which device code
 * has the MFMA path). They cannot share one file, so this test holds them
 * to one set: meson.build's list is the reference, each other list must name
 * the same targets. A target added in one place and not the others would
 * build MMA rows the device code cannot run, or silently drop them.
 *
 * Usage: test_mfma_targets SOURCE_ROOT */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

enum { MAX_TARGETS = 32, NAME_LEN = 16 };

typedef struct {
    int count;
    char name[MAX_TARGETS][NAME_LEN];
} target_set;

static const char *source_root;

static char *read_file(const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", source_root, rel);
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static int set_has(const target_set *s, const char *name)
{
    for (int i = 0; i < s->count; i++)
        if (!strcmp(s->name[i], name)) return 1;
    return 0;
}

static void set_add(target_set *s, const char *name, size_t len)
{
    char tmp[NAME_LEN];
    assert_true(len > 0 && len < NAME_LEN);
    memcpy(tmp, name, len);
    tmp[len] = '\0';
    if (set_has(s, tmp)) return;
    assert_true(s->count < MAX_TARGETS);
    strcpy(s->name[s->count++], tmp);
}

/* Every "gfx..." name (letters and digits after "gfx") in text[from, to). */
static target_set names_between(const char *from, const char *to)
{
    target_set s = {0};
    for (const char *p = from; p && p < to && (p = strstr(p, "gfx")) && p < to;) {
        size_t len = 3;
        while ((p[len] >= '0' && p[len] <= '9') || (p[len] >= 'a' && p[len] <= 'z')) len++;
        if (len > 3) set_add(&s, p, len);
        p += len;
    }
    return s;
}

/* The names on the line of `file` that contains `marker` (must be unique). */
static target_set names_on_line(const char *file, const char *marker)
{
    char *text = read_file(file);
    const char *at = strstr(text, marker);
    if (!at) {
        fail_msg("%s: no line with \"%s\" (moved? update this test)", file, marker);
        return (target_set){0};
    }
    if (strstr(at + 1, marker)) fail_msg("%s: \"%s\" is not unique", file, marker);
    const char *start = at;
    while (start > text && start[-1] != '\n') start--;
    const char *end = strchr(at, '\n');
    target_set s = names_between(start, end ? end : at + strlen(at));
    free(text);
    return s;
}

static target_set reference(void)
{
    target_set s = names_on_line("meson.build", "mfma_archs = [");
    assert_true(s.count >= 1);
    return s;
}

static void assert_same(const target_set *want, const target_set *got, const char *where)
{
    for (int i = 0; i < want->count; i++)
        if (!set_has(got, want->name[i]))
            fail_msg("%s lacks %s, which meson.build's mfma_archs lists", where, want->name[i]);
    for (int i = 0; i < got->count; i++)
        if (!set_has(want, got->name[i]))
            fail_msg("%s lists %s, which meson.build's mfma_archs does not", where, got->name[i]);
}

static void test_bundle_meson(void **state)
{
    (void)state;
    const target_set want = reference();
    const target_set got = names_on_line("templates/bundle_meson.build.m4", "if w == 64 and");
    assert_same(&want, &got, "templates/bundle_meson.build.m4");
}

static void test_cost_tool(void **state)
{
    (void)state;
    const target_set want = reference();
    const target_set got = names_on_line("tools/cost/targets.c", "mfma[] = {");
    assert_same(&want, &got, "tools/cost/targets.c");
}

/* The #elif that turns on the MFMA path: its defined(__gfxNNN__) names, up
 * to the line that does not continue with a backslash. */
static void test_port_header(void **state)
{
    (void)state;
    const target_set want = reference();
    char *text = read_file("runtime/skinny_port.h");
    const char *def = strstr(text, "#define SKINNY_ARCH_MMA_WAVE 64");
    assert_non_null(def);
    const char *start = def;
    /* back to the start of the #if/#elif directive just above */
    start--;
    while (start > text && !(start[-1] == '\n' && start[0] == '#')) start--;
    target_set got = names_between(start, def);
    free(text);
    assert_same(&want, &got, "runtime/skinny_port.h (#elif before SKINNY_ARCH_MMA_WAVE 64)");
}

/* CMake's test is a regex: run it over known AMD names; exactly the
 * reference set must match. */
static void test_bundle_cmake(void **state)
{
    (void)state;
    const target_set want = reference();
    char *text = read_file("templates/bundle_CMakeLists.txt.m4");
    const char *at = strstr(text, "MATCHES \"^(gfx");
    assert_non_null(at);
    at += strlen("MATCHES \"");
    const char *end = strchr(at, '"');
    assert_non_null(end);
    char pattern[256];
    assert_true((size_t)(end - at) < sizeof pattern);
    memcpy(pattern, at, (size_t)(end - at));
    pattern[end - at] = '\0';
    free(text);
    regex_t re;
    assert_int_equal(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
    static const char *const known[] = {
        "gfx900", "gfx902", "gfx904", "gfx906", "gfx908", "gfx909", "gfx90a", "gfx90c",
        "gfx940", "gfx941", "gfx942", "gfx943", "gfx950", "gfx1010", "gfx1030", "gfx1100",
        "gfx1101", "gfx1150", "gfx1200", "gfx1201"};
    target_set got = {0};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (regexec(&re, known[i], 0, NULL, 0) == 0) set_add(&got, known[i], strlen(known[i]));
    regfree(&re);
    for (int i = 0; i < want.count; i++) {
        int listed = 0;
        for (size_t j = 0; j < sizeof known / sizeof known[0]; j++) listed |= !strcmp(known[j], want.name[i]);
        if (!listed) fail_msg("add %s to this test's list of known AMD targets", want.name[i]);
    }
    assert_same(&want, &got, "templates/bundle_CMakeLists.txt.m4 (regex)");
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s SOURCE_ROOT\n", argv[0]);
        return 2;
    }
    source_root = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bundle_meson),
        cmocka_unit_test(test_bundle_cmake),
        cmocka_unit_test(test_cost_tool),
        cmocka_unit_test(test_port_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
