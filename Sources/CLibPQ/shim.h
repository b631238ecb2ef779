#ifndef PACBUILD_CLIBPQ_SHIM_H
#define PACBUILD_CLIBPQ_SHIM_H
#include <postgresql/libpq-fe.h>
#endif
