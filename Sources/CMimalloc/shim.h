#ifndef PACBUILD_CMIMALLOC_SHIM_H
#define PACBUILD_CMIMALLOC_SHIM_H
/* mimalloc, linked into the executable ahead of libc, takes over malloc/free for the
   whole process (Swift's runtime included). The reader and the planner allocate many
   small objects on every core; glibc's malloc cost a cold plan about a sixth of its time. */
#include <mimalloc.h>
#endif
