#ifndef PACBUILD_CCRYPTO_SHIM_H
#define PACBUILD_CCRYPTO_SHIM_H
/* OpenSSL's message digests: the MD5 and SHA-256 sums repo-add records for a package. */
#include <openssl/evp.h>
#endif
