/* test-exbase.c - ex-libbase's check(): links the built library and runs it */
#include <stdio.h>
#include <string.h>
#include "exbase.h"

int main(void) {
    int values[] = {3, 4, 5};
    if (exbase_init() != 0) return 1;
    if (exbase_max(2, 7) != 7 || exbase_max(-1, -9) != -1) return 2;
    if (exbase_sum(values, 3) != 12) return 3;
    if (strcmp(exbase_version(), EXBASE_VERSION) != 0) return 4;
    printf("ex-libbase %s: ok\n", exbase_version());
    return 0;
}
