#ifndef PACBUILD_CARCHIVE_SHIM_H
#define PACBUILD_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
#endif
