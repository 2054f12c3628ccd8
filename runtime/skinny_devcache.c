/* skinny_devcache.c - per-device property cache, independent of the GPU
 * runtime (the query is a function pointer), so CPU tests can drive it
 * from many threads with a fake device query.
 *
 * Thread-safe: the first caller for a device fills its slot under the
 * cache's mutex; later callers read it through an acquire load, without
 * locking. A failed query is not cached (the next call asks again). */
#include "skinny_internal.h"

skinny_status skinny_devcache_get(skinny_devcache *c, int device, skinny_devquery_fn query,
                                  void *ctx, skinny_device_info *out)
{
    if (!c || !query || !out) return SKINNY_ERR_NULL_POINTER;
    if (device < 0 || device >= SKINNY_MAX_DEVICES) return SKINNY_ERR_DEVICE;
    if (!atomic_load_explicit(&c->ready[device], memory_order_acquire)) {
        skinny_status st = SKINNY_OK;
        pthread_mutex_lock(&c->lock);
        if (!atomic_load_explicit(&c->ready[device], memory_order_relaxed)) {
            skinny_device_info info = {0}; /* device_key "" unless the query names it */
            st = query(device, &info, ctx);
            info.device_key[sizeof info.device_key - 1] = '\0'; /* always a C string */
            if (st == SKINNY_OK &&
                (info.cu_count <= 0 || info.wave_size <= 0 || info.lds_bytes == 0))
                st = SKINNY_ERR_DEVICE;
            if (st == SKINNY_OK) {
                c->info[device] = info;
                atomic_store_explicit(&c->ready[device], 1, memory_order_release);
            }
        }
        pthread_mutex_unlock(&c->lock);
        if (st != SKINNY_OK) return st;
    }
    *out = c->info[device];
    return SKINNY_OK;
}
