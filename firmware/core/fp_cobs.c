#include "fp_cobs.h"

fp_err fp_cobs_encode(const uint8_t *data, size_t len, uint8_t *out, size_t cap, size_t *out_len) {
  if (cap < FP_COBS_MAX_ENCODED(len)) {
    return FP_ERR_NO_SPACE;
  }
  size_t code_at = 0;
  size_t write = 1;
  uint8_t code = 1;
  for (size_t i = 0; i < len; i++) {
    if (data[i] == 0) {
      out[code_at] = code;
      code_at = write++;
      code = 1;
    } else {
      out[write++] = data[i];
      code++;
      if (code == 0xFF) {
        out[code_at] = code;
        code_at = write++;
        code = 1;
      }
    }
  }
  out[code_at] = code;
  *out_len = write;
  return FP_OK;
}

fp_err fp_cobs_decode(const uint8_t *in, size_t len, uint8_t *out, size_t cap, size_t *out_len) {
  size_t read = 0;
  size_t write = 0;
  while (read < len) {
    uint8_t code = in[read++];
    if (code == 0) {
      return FP_ERR_BAD_COBS;
    }
    size_t block_end = read + (size_t)code - 1u;
    if (block_end > len) {
      return FP_ERR_BAD_COBS;
    }
    for (; read < block_end; read++) {
      if (in[read] == 0) {
        return FP_ERR_BAD_COBS;
      }
      if (write >= cap) {
        return FP_ERR_NO_SPACE;
      }
      out[write++] = in[read];
    }
    if (code < 0xFF && read < len) {
      if (write >= cap) {
        return FP_ERR_NO_SPACE;
      }
      out[write++] = 0;
    }
  }
  *out_len = write;
  return FP_OK;
}
