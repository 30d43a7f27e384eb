/* SHA-256 (FIPS 180-4), incremental, no heap: the digest of slots and self-test of records. */
#ifndef FP_SHA256_H
#define FP_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define FP_SHA256_BYTES 32u

typedef struct {
  uint32_t h[8];
  uint64_t total;
  uint8_t block[64];
  size_t used;
} fp_sha256;

void fp_sha256_init(fp_sha256 *ctx);
void fp_sha256_update(fp_sha256 *ctx, const uint8_t *data, size_t len);
void fp_sha256_final(fp_sha256 *ctx, uint8_t out[FP_SHA256_BYTES]);

#endif
