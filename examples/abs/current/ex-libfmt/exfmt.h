/* exfmt.h - public header of the ex-libfmt example library */
#ifndef EXFMT_H
#define EXFMT_H

#include <stddef.h>
#include <exbase.h>

#define EXFMT_SONAME "libexfmt.so.2"

/* Writes "Hello, NAME!" into out (at most size bytes); returns its length. */
int exfmt_greeting(char *out, size_t size, const char *name);
/* Writes "ex-libfmt VERSION on ex-libbase VERSION" into out. */
int exfmt_versions(char *out, size_t size);

#endif /* EXFMT_H */
