/* exbase.h - public header of the ex-libbase example library */
#ifndef EXBASE_H
#define EXBASE_H

#define EXBASE_SONAME "libexbase.so.1"

const char *exbase_version(void);
int exbase_init(void);

#endif /* EXBASE_H */
