/* skinny_internal.h - declarations shared by the runtime's C files only. */
#ifndef SKINNY_INTERNAL_H
#define SKINNY_INTERNAL_H

#include "skinny_row.h"

/* skinny_plan, also returning the chosen row (for its launchers). */
skinny_status skinny_plan_row(const skinny_gemm_desc *d, const skinny_device_info *dev,
                              skinny_choice *out, const skinny_row **row);

/* skinny_plan_row with the tile forced to the row named `kernel` (NULL:
 * the dispatcher's own choice). */
skinny_status skinny_plan_named(const skinny_gemm_desc *d, const skinny_device_info *dev,
                                const char *kernel, skinny_choice *out, const skinny_row **row);

/* Current device id and its cached properties. */
skinny_status skinny_current_device(int *device, skinny_device_info *info);

#endif
