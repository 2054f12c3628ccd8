/* skinny_device.c - per-device properties, queried once and cached.
 * Thread-safe: the first caller for a device fills its slot under a mutex;
 * later callers read it through an acquire load, without locking. */
#include <pthread.h>
#include <stdatomic.h>

#include "skinny_internal.h"
#include "skinny_port.h"

#define SKINNY_MAX_DEVICES 64

#if defined(SKINNY_BACKEND_CUDA) || defined(SKINNY_BACKEND_HIP)
static skinny_device_info cache[SKINNY_MAX_DEVICES];
static atomic_int ready[SKINNY_MAX_DEVICES];
static pthread_mutex_t fill_lock = PTHREAD_MUTEX_INITIALIZER;

static skinny_status query(int dev, skinny_device_info *out)
{
    int cus = 0, wave = 0, lds = 0;
    if (skinny_rt_device_attr(&cus, SKINNY_ATTR_CU_COUNT, dev) != SKINNY_RT_SUCCESS ||
        skinny_rt_device_attr(&wave, SKINNY_ATTR_WAVE_SIZE, dev) != SKINNY_RT_SUCCESS ||
        skinny_rt_device_attr(&lds, SKINNY_ATTR_LDS_OPTIN, dev) != SKINNY_RT_SUCCESS) {
        (void)skinny_rt_get_last_error();
        return SKINNY_ERR_DEVICE;
    }
    if (cus <= 0 || wave <= 0 || lds <= 0) return SKINNY_ERR_DEVICE;
    out->cu_count = cus;
    out->wave_size = wave;
    out->lds_bytes = (size_t)lds;
    return SKINNY_OK;
}

skinny_status skinny_current_device(int *device, skinny_device_info *info)
{
    int dev = -1;
    if (skinny_rt_get_device(&dev) != SKINNY_RT_SUCCESS || dev < 0 || dev >= SKINNY_MAX_DEVICES) {
        (void)skinny_rt_get_last_error();
        return SKINNY_ERR_DEVICE;
    }
    if (!atomic_load_explicit(&ready[dev], memory_order_acquire)) {
        skinny_status st = SKINNY_OK;
        pthread_mutex_lock(&fill_lock);
        if (!atomic_load_explicit(&ready[dev], memory_order_relaxed)) {
            st = query(dev, &cache[dev]);
            if (st == SKINNY_OK) atomic_store_explicit(&ready[dev], 1, memory_order_release);
        }
        pthread_mutex_unlock(&fill_lock);
        if (st != SKINNY_OK) return st;
    }
    *device = dev;
    *info = cache[dev];
    return SKINNY_OK;
}
#else
skinny_status skinny_current_device(int *device, skinny_device_info *info)
{
    (void)device;
    (void)info;
    return SKINNY_ERR_NO_BACKEND;
}
#endif

skinny_status skinny_device_query(skinny_device_info *out)
{
    if (!out) return SKINNY_ERR_NULL_POINTER;
    int dev;
    return skinny_current_device(&dev, out);
}
