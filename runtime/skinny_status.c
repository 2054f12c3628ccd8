/* skinny_status.c - a message for every status, from SKINNY_STATUS_LIST. */
#include "skinny.h"

const char *skinny_status_string(skinny_status s)
{
    switch (s) {
#define SKINNY_X_CASE(name, value, msg) \
    case name: return msg;
        SKINNY_STATUS_LIST(SKINNY_X_CASE)
#undef SKINNY_X_CASE
    }
    return "unknown skinny_status value";
}
