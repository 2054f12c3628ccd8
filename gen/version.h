/* Keep in step with project(version:) in meson.build; a test checks it. */
#define SKINNYGEN_VERSION "0.1.0"
