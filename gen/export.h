/* export.h - skinnygen --export DIR: a self-contained source bundle that
 * another project can vendor and build with CMake or Meson, without the
 * generator, m4 or this project's build. */
#ifndef SKINNYGEN_EXPORT_H
#define SKINNYGEN_EXPORT_H

#include "plan.h"

/* Writes into dir (created if needed):
 *   generated/          the kernel plan p, rendered (header, row TUs, dispatcher, manifest)
 *   include/skinny/     skinny.h, the public header (copied from runtime_dir)
 *   src/                every other *.c, *.h and *.map of runtime_dir (copied verbatim)
 *   CMakeLists.txt, meson.build, README.md   rendered from templates/bundle_*.m4
 * Returns 0, or 2 on an I/O or m4 error (after saying why on stderr). */
int export_bundle(const char *dir, const char *runtime_dir, const char *m4, const char *templates,
                  const plan *p, int verbose);

#endif
