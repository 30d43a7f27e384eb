/*
 * Frames of docs/device-protocol.md §1-2: header (type, flags, request id u16 LE, body length u16
 * LE), body, CRC-32 u32 LE over both; COBS-stuffed on the line and ended by one 0x00.
 *
 * The receiver applies the protocol's receiver rules: bytes are collected up to a 0x00 and
 * decoded in place; empty frames are ignored; a frame with bad COBS, a bad length or a bad CRC is
 * dropped and counted by reason; more than FP_MAX_ENCODED_FRAME bytes before a delimiter drop the
 * frame as too long and the rest is discarded up to the next 0x00 without buffering. A dropped
 * frame never stops the receiver.
 */
#ifndef FP_FRAME_H
#define FP_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fp_config.h"
#include "fp_err.h"

#define FP_FLAG_RESPONSE 0x01u
#define FP_FLAG_ERROR 0x02u

/* A decoded frame; body points into the receiver's (or caller's) buffer. */
typedef struct {
  uint8_t type;
  uint8_t flags;
  uint16_t request_id;
  const uint8_t *body;
  uint16_t body_len;
} fp_frame;

/* Why a received frame was dropped; the index of its counter. */
typedef enum {
  FP_DROP_BAD_COBS = 0,
  FP_DROP_BAD_LENGTH,
  FP_DROP_BAD_CRC,
  FP_DROP_TOO_LONG,
  FP_DROP_REASONS
} fp_drop_reason;

typedef struct {
  uint8_t buf[FP_MAX_ENCODED_FRAME];
  size_t len;
  bool overflowed;
  uint32_t dropped[FP_DROP_REASONS];
} fp_frame_rx;

void fp_frame_rx_init(fp_frame_rx *rx);

/* Forgets a partly received frame (the line was reconnected); keeps the counters. */
void fp_frame_rx_reset(fp_frame_rx *rx);

/* Feeds one received byte. Returns true when it completed a valid frame, stored in *frame (its
 * body stays valid until the next call). */
bool fp_frame_rx_push(fp_frame_rx *rx, uint8_t byte, fp_frame *frame);

/* Frames dropped so far, all reasons. */
uint32_t fp_frame_rx_dropped_total(const fp_frame_rx *rx);

/* Parses a decoded (unstuffed) frame of len bytes: FP_ERR_BAD_LENGTH or FP_ERR_BAD_CRC. */
fp_err fp_frame_parse(const uint8_t *raw, size_t len, fp_frame *frame);

/* Writes the frame as it goes on the line: COBS(header | body | crc) 0x00. The device does not
 * send a leading 0x00 (the protocol allows both). cap of FP_MAX_ENCODED_FRAME + 1 always fits. */
fp_err fp_frame_encode(const fp_frame *frame, uint8_t *out, size_t cap, size_t *out_len);

#endif
