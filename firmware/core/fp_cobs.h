/*
 * Consistent Overhead Byte Stuffing (docs/device-protocol.md §1): no 0x00 in the encoding, so one
 * 0x00 delimits frames. Blocks of at most 254 non-zero bytes; code 0xFF = 254 bytes, no zero after.
 */
#ifndef FP_COBS_H
#define FP_COBS_H

#include <stddef.h>
#include <stdint.h>

#include "fp_err.h"

/* Largest encoding of len bytes, without the delimiter. */
#define FP_COBS_MAX_ENCODED(len) ((len) + (len) / 254u + 1u)

/* Encodes len bytes into out (cap bytes); *out_len is the encoding's length (no delimiter).
 * Like the Java encoder, emits a final 0x01 code after a trailing 254-byte block. */
fp_err fp_cobs_encode(const uint8_t *data, size_t len, uint8_t *out, size_t cap, size_t *out_len);

/* Decodes len bytes (no delimiter) into out (cap bytes). out may equal in (in place: the decoding
 * is never longer than the encoding). FP_ERR_BAD_COBS for a zero byte or a block past the end. */
fp_err fp_cobs_decode(const uint8_t *in, size_t len, uint8_t *out, size_t cap, size_t *out_len);

#endif
