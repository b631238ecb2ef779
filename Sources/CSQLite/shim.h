#ifndef PACBUILD_CSQLITE_SHIM_H
#define PACBUILD_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
