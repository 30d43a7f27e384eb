/*
 * One slot record on flash, byte for byte io.fieldproof.device.protocol.slots.SlotRecord
 * (device-protocol.md §4.5), so the in-app path and the bootloader path share one state machine:
 *
 *   0   magic "FPSR" (0x52535046 LE)   4  seq u32 LE   8  state u32 LE   12 length u32 LE
 *   16  sha256 (32 bytes)   48 name (32 bytes UTF-8, zero padded)   80 version (32 bytes)
 *   112 CRC-32 of bytes 0..111, u32 LE                                  = 116 bytes
 *
 * The magic is also the format version: the layout has no separate version field (the agent
 * writes exactly this), so a future layout must take a new magic. A record whose magic, CRC or
 * state code does not check is absent: an erased sector, or a write torn by a power cut.
 */
#ifndef FP_RECORD_H
#define FP_RECORD_H

#include <stdint.h>

#include "fp_config.h"
#include "fp_err.h"
#include "fp_sha256.h"

#define FP_RECORD_BYTES 116u
#define FP_RECORD_MAGIC 0x52535046u

/* ESP-IDF otadata state codes. */
typedef enum {
  FP_STATE_NEW = 0,
  FP_STATE_PENDING_VERIFY = 1,
  FP_STATE_VALID = 2,
  FP_STATE_INVALID = 3,
  FP_STATE_ABORTED = 4
} fp_slot_state;

typedef struct {
  uint32_t seq;
  fp_slot_state state;
  int32_t length; /* signed, as the Java record reads it: a length <= 0 never boots */
  uint8_t sha256[FP_SHA256_BYTES];
  char name[FP_RECORD_TEXT + 1];    /* NUL-terminated copy of the zero-padded field */
  char version[FP_RECORD_TEXT + 1];
} fp_record;

/* Encodes rec; FP_ERR_ARG when name or version exceed 32 bytes. */
fp_err fp_record_encode(const fp_record *rec, uint8_t out[FP_RECORD_BYTES]);

/* Decodes a record; FP_ERR_ABSENT when the bytes hold none. */
fp_err fp_record_decode(const uint8_t in[FP_RECORD_BYTES], fp_record *rec);

/* The state's name as HELLO reports it: VALID, PENDING_VERIFY, ... */
const char *fp_state_name(fp_slot_state state);

#endif
