/* exbase.c - the ex-libbase example library (libexbase.so.1) */
#include "exbase.h"

#ifndef EXBASE_VERSION
#define EXBASE_VERSION "unknown"
#endif

static int ready;

const char *exbase_version(void) { return EXBASE_VERSION; }

int exbase_init(void) {
    ready = 1;
    return 0;
}

int exbase_max(int a, int b) { return a > b ? a : b; }

long exbase_sum(const int *v, int n) {
    long sum = 0;
    for (int i = 0; i < n; i++) sum += v[i];
    return ready ? sum : -1;
}
