/* ex-hello.c - greets through libexfmt, which builds on libexbase */
#include <stdio.h>
#include <string.h>
#include <exfmt.h>

#ifndef EXHELLO_VERSION
#define EXHELLO_VERSION "unknown"
#endif

static const char zones[] = "/usr/share/ex-tzinfo/zones.txt";

int main(int argc, char **argv) {
    char line[256];
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        exfmt_versions(line, sizeof line);
        printf("ex-hello %s (%s)\n", EXHELLO_VERSION, line);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--zones") == 0) {
        FILE *file = fopen(zones, "r");
        if (!file) {
            fprintf(stderr, "ex-hello: install ex-tzinfo for time zone names\n");
            return 1;
        }
        while (fgets(line, sizeof line, file)) fputs(line, stdout);
        fclose(file);
        return 0;
    }
    int values[] = {1, 2, 3};
    exfmt_greeting(line, sizeof line, argc > 1 ? argv[1] : NULL);
    puts(line);
    return exbase_sum(values, 3) == 6 ? 0 : 2;
}
