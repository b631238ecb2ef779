/* exbase.h - public header of the ex-libbase example library */
#ifndef EXBASE_H
#define EXBASE_H

#define EXBASE_SONAME "libexbase.so.1"

/* The library's version, "1.2.0". */
const char *exbase_version(void);
/* Returns 0 once the library is ready. */
int exbase_init(void);
/* The larger of a and b. */
int exbase_max(int a, int b);
/* The sum of the n values at v. */
long exbase_sum(const int *v, int n);

#endif /* EXBASE_H */
