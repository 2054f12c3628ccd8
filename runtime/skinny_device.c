/* skinny_device.c - per-device properties, queried once and cached
 * (skinny_devcache.c), and the stream check of the launch path.
 *
 * Everything the launch path calls is legal while the caller's stream is
 * being captured into a graph: cudaGetDevice / cudaDeviceGetAttribute
 * (device cache), cudaStreamIsCapturing (below), cudaFuncSetAttribute (the
 * launcher's LDS limit), the kernel launch itself (captured) and
 * cudaGetLastError; cudaStreamQuery only on a stream that is not capturing. */
#include "skinny_internal.h"
#include "skinny_port.h"

#if defined(SKINNY_BACKEND_CUDA) || defined(SKINNY_BACKEND_HIP)
static skinny_devcache cache = SKINNY_DEVCACHE_INIT;

static skinny_status query(int dev, skinny_device_info *out, void *ctx)
{
    (void)ctx;
    int cus = 0, wave = 0, lds = 0;
    if (skinny_rt_device_attr(&cus, SKINNY_ATTR_CU_COUNT, dev) != SKINNY_RT_SUCCESS ||
        skinny_rt_device_attr(&wave, SKINNY_ATTR_WAVE_SIZE, dev) != SKINNY_RT_SUCCESS ||
        skinny_rt_device_attr(&lds, SKINNY_ATTR_LDS_OPTIN, dev) != SKINNY_RT_SUCCESS) {
        (void)skinny_rt_get_last_error();
        return SKINNY_ERR_DEVICE;
    }
    if (cus <= 0 || wave <= 0 || lds <= 0) return SKINNY_ERR_DEVICE;
    /* The name selects the device's measured dispatch rules. */
    skinny_rt_device_prop prop;
    if (skinny_rt_get_device_properties(&prop, dev) != SKINNY_RT_SUCCESS) {
        (void)skinny_rt_get_last_error();
        return SKINNY_ERR_DEVICE;
    }
    prop.name[sizeof prop.name - 1] = '\0'; /* bound the read below */
    out->cu_count = cus;
    out->wave_size = wave;
    out->lds_bytes = (size_t)lds;
    skinny_device_key(prop.name, out->device_key);
    return SKINNY_OK;
}

skinny_status skinny_current_device(int *device, skinny_device_info *info)
{
    int dev = -1;
    if (skinny_rt_get_device(&dev) != SKINNY_RT_SUCCESS || dev < 0 || dev >= SKINNY_MAX_DEVICES) {
        (void)skinny_rt_get_last_error();
        return SKINNY_ERR_DEVICE;
    }
    skinny_status st = skinny_devcache_get(&cache, dev, query, NULL, info);
    if (st == SKINNY_OK) *device = dev;
    return st;
}

skinny_status skinny_device_query_for(int device, skinny_device_info *out)
{
    if (!out) return SKINNY_ERR_NULL_POINTER;
    int count = 0;
    if (device < 0 || device >= SKINNY_MAX_DEVICES) return SKINNY_ERR_DEVICE;
    if (skinny_rt_get_device_count(&count) != SKINNY_RT_SUCCESS) {
        (void)skinny_rt_get_last_error();
        return SKINNY_ERR_DEVICE;
    }
    if (device >= count) return SKINNY_ERR_DEVICE;
    return skinny_devcache_get(&cache, device, query, NULL, out);
}

skinny_status skinny_check_stream(void *stream)
{
    if (!stream) return SKINNY_OK;
    /* A stream being captured into a graph (CUDA graphs / HIP graphs) must
     * not be queried: the query is illegal during capture and invalidates
     * it. The runtime answering "capturing" (active, or already
     * invalidated by someone else) has accepted the handle, so it is valid. */
    skinny_rt_capture_status cap = SKINNY_RT_CAPTURE_NONE;
    skinny_rt_error e = SKINNY_RT_STREAM_IS_CAPTURING((skinny_rt_stream)stream, &cap);
    if (e == SKINNY_RT_SUCCESS && cap != SKINNY_RT_CAPTURE_NONE) return SKINNY_OK;
    if (SKINNY_RT_BAD_HANDLE(e)) {
        (void)skinny_rt_get_last_error();
        return SKINNY_ERR_BAD_STREAM;
    }
    /* Not capturing; or the capture question itself failed (its own error is
     * cleared), and the query below classifies the handle as it always did. */
    if (e != SKINNY_RT_SUCCESS) (void)skinny_rt_get_last_error();
    e = SKINNY_RT_STREAM_QUERY((skinny_rt_stream)stream);
    if (e == SKINNY_RT_SUCCESS || e == SKINNY_RT_NOT_READY) return SKINNY_OK;
    if (SKINNY_RT_BAD_HANDLE(e)) {
        (void)skinny_rt_get_last_error(); /* the query's own error, not the caller's */
        return SKINNY_ERR_BAD_STREAM;
    }
    /* Any other error belongs to earlier work on the stream (an async
     * fault); it is the caller's to collect, and a launch will report it. */
    return SKINNY_OK;
}
#else
skinny_status skinny_current_device(int *device, skinny_device_info *info)
{
    (void)device;
    (void)info;
    return SKINNY_ERR_NO_BACKEND;
}

skinny_status skinny_device_query_for(int device, skinny_device_info *out)
{
    (void)device;
    return out ? SKINNY_ERR_NO_BACKEND : SKINNY_ERR_NULL_POINTER;
}

skinny_status skinny_check_stream(void *stream)
{
    (void)stream;
    return SKINNY_ERR_NO_BACKEND;
}
#endif

static int is_key_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

/* ASCII only, whatever the locale: a key must not depend on the caller's
 * setlocale (bench and library must agree on it). */
static char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

void skinny_device_key(const char *name, char out[SKINNY_DEVICE_KEY_SIZE])
{
    size_t len = 0;
    int gap = 0; /* non-key characters seen since the last one kept */
    for (const char *p = name ? name : ""; *p; p++) {
        const char c = ascii_lower(*p);
        if (!is_key_char(c)) {
            gap = 1;
            continue;
        }
        /* Room for the separator and c, so a cut key never ends in '_'. */
        const size_t need = gap && len ? 2 : 1;
        if (len + need > SKINNY_DEVICE_KEY_SIZE - 1) break;
        if (need == 2) out[len++] = '_';
        out[len++] = c;
        gap = 0;
    }
    out[len] = '\0';
}

skinny_status skinny_device_query(skinny_device_info *out)
{
    if (!out) return SKINNY_ERR_NULL_POINTER;
    int dev;
    return skinny_current_device(&dev, out);
}
