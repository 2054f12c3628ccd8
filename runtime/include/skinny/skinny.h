/* runtime/include/skinny/skinny.h - lets `#include <skinny/skinny.h>` work
 * against the source tree (Meson subproject: skinny_dep adds runtime/include)
 * exactly as against an installed prefix. The header itself is
 * runtime/skinny.h (single source of truth; installed as skinny/skinny.h). */
#include "../../skinny.h"
