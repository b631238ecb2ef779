#ifndef PACBUILD_CARCHIVE_SHIM_H
#define PACBUILD_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>

/* The file-type macros are casts Swift does not import; re-export them as constants. */
static const unsigned int pacbuild_AE_IFMT = AE_IFMT;
static const unsigned int pacbuild_AE_IFREG = AE_IFREG;
static const unsigned int pacbuild_AE_IFDIR = AE_IFDIR;
static const unsigned int pacbuild_AE_IFLNK = AE_IFLNK;
#endif
