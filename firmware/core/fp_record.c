#include "fp_record.h"

#include <string.h>

#include "fp_crc32.h"

static void put_u32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

static uint32_t get_u32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

fp_err fp_record_encode(const fp_record *rec, uint8_t out[FP_RECORD_BYTES]) {
  size_t name_len = strlen(rec->name);
  size_t version_len = strlen(rec->version);
  if (name_len > FP_RECORD_TEXT || version_len > FP_RECORD_TEXT) {
    return FP_ERR_ARG;
  }
  memset(out, 0, FP_RECORD_BYTES);
  put_u32(out, FP_RECORD_MAGIC);
  put_u32(out + 4, rec->seq);
  put_u32(out + 8, (uint32_t)rec->state);
  put_u32(out + 12, (uint32_t)rec->length);
  memcpy(out + 16, rec->sha256, FP_SHA256_BYTES);
  memcpy(out + 48, rec->name, name_len);
  memcpy(out + 80, rec->version, version_len);
  put_u32(out + 112, fp_crc32(0, out, 112));
  return FP_OK;
}

fp_err fp_record_decode(const uint8_t in[FP_RECORD_BYTES], fp_record *rec) {
  if (get_u32(in) != FP_RECORD_MAGIC || get_u32(in + 112) != fp_crc32(0, in, 112)) {
    return FP_ERR_ABSENT;
  }
  uint32_t state = get_u32(in + 8);
  if (state > FP_STATE_ABORTED) {
    return FP_ERR_ABSENT;
  }
  rec->seq = get_u32(in + 4);
  rec->state = (fp_slot_state)state;
  rec->length = (int32_t)get_u32(in + 12);
  memcpy(rec->sha256, in + 16, FP_SHA256_BYTES);
  memcpy(rec->name, in + 48, FP_RECORD_TEXT);
  rec->name[FP_RECORD_TEXT] = '\0';
  memcpy(rec->version, in + 80, FP_RECORD_TEXT);
  rec->version[FP_RECORD_TEXT] = '\0';
  return FP_OK;
}

const char *fp_state_name(fp_slot_state state) {
  switch (state) {
    case FP_STATE_NEW: return "NEW";
    case FP_STATE_PENDING_VERIFY: return "PENDING_VERIFY";
    case FP_STATE_VALID: return "VALID";
    case FP_STATE_INVALID: return "INVALID";
    case FP_STATE_ABORTED: return "ABORTED";
  }
  return "UNKNOWN";
}
