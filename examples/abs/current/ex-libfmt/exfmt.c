/* exfmt.c - the ex-libfmt example library (libexfmt.so.2), linking libexbase.so.1 */
#include <stdio.h>
#include "exfmt.h"

#ifndef EXFMT_VERSION
#define EXFMT_VERSION "unknown"
#endif

int exfmt_greeting(char *out, size_t size, const char *name) {
    exbase_init();
    return snprintf(out, size, "Hello, %s!", name && *name ? name : "world");
}

int exfmt_versions(char *out, size_t size) {
    return snprintf(out, size, "ex-libfmt %s on ex-libbase %s", EXFMT_VERSION, exbase_version());
}
