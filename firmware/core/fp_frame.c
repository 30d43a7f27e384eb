#include "fp_frame.h"

#include "fp_cobs.h"
#include "fp_crc32.h"

void fp_frame_rx_init(fp_frame_rx *rx) {
  rx->len = 0;
  rx->overflowed = false;
  for (unsigned i = 0; i < FP_DROP_REASONS; i++) {
    rx->dropped[i] = 0;
  }
}

void fp_frame_rx_reset(fp_frame_rx *rx) {
  rx->len = 0;
  rx->overflowed = false;
}

uint32_t fp_frame_rx_dropped_total(const fp_frame_rx *rx) {
  uint32_t total = 0;
  for (unsigned i = 0; i < FP_DROP_REASONS; i++) {
    total += rx->dropped[i];
  }
  return total;
}

static uint16_t get_u16(const uint8_t *p) { return (uint16_t)(p[0] | (uint16_t)(p[1] << 8)); }

static uint32_t get_u32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

fp_err fp_frame_parse(const uint8_t *raw, size_t len, fp_frame *frame) {
  if (len < FP_FRAME_HEADER + FP_FRAME_CRC) {
    return FP_ERR_BAD_LENGTH;
  }
  uint16_t body_len = get_u16(raw + 4);
  if (body_len > FP_MAX_BODY || len != FP_FRAME_HEADER + (size_t)body_len + FP_FRAME_CRC) {
    return FP_ERR_BAD_LENGTH;
  }
  size_t crc_at = FP_FRAME_HEADER + body_len;
  if (fp_crc32(0, raw, crc_at) != get_u32(raw + crc_at)) {
    return FP_ERR_BAD_CRC;
  }
  frame->type = raw[0];
  frame->flags = raw[1];
  frame->request_id = get_u16(raw + 2);
  frame->body = raw + FP_FRAME_HEADER;
  frame->body_len = body_len;
  return FP_OK;
}

static bool end_of_frame(fp_frame_rx *rx, fp_frame *frame) {
  bool too_long = rx->overflowed;
  size_t len = rx->len;
  fp_frame_rx_reset(rx);
  if (too_long) {
    rx->dropped[FP_DROP_TOO_LONG]++;
    return false;
  }
  if (len == 0) {
    return false; /* two delimiters in a row: a resynchronisation, not a frame */
  }
  size_t raw_len = 0;
  if (fp_cobs_decode(rx->buf, len, rx->buf, sizeof rx->buf, &raw_len) != FP_OK) {
    rx->dropped[FP_DROP_BAD_COBS]++;
    return false;
  }
  fp_err err = fp_frame_parse(rx->buf, raw_len, frame);
  if (err == FP_ERR_BAD_CRC) {
    rx->dropped[FP_DROP_BAD_CRC]++;
    return false;
  }
  if (err != FP_OK) {
    rx->dropped[FP_DROP_BAD_LENGTH]++;
    return false;
  }
  return true;
}

bool fp_frame_rx_push(fp_frame_rx *rx, uint8_t byte, fp_frame *frame) {
  if (byte == 0) {
    return end_of_frame(rx, frame);
  }
  if (rx->overflowed) {
    return false;
  }
  if (rx->len == sizeof rx->buf) {
    rx->overflowed = true;
    return false;
  }
  rx->buf[rx->len++] = byte;
  return false;
}

/* A COBS encoder fed one byte at a time, writing straight into the output. */
typedef struct {
  uint8_t *out;
  size_t cap;
  size_t code_at;
  size_t write;
  uint8_t code;
  bool full;
} cobs_stream;

static void cobs_put(cobs_stream *s, uint8_t b) {
  if (s->full) {
    return;
  }
  if (b == 0) {
    s->out[s->code_at] = s->code;
    s->code_at = s->write++;
    s->code = 1;
  } else {
    s->out[s->write++] = b;
    s->code++;
    if (s->code == 0xFF) {
      s->out[s->code_at] = s->code;
      s->code_at = s->write++;
      s->code = 1;
    }
  }
  if (s->write >= s->cap) {
    s->full = true;
  }
}

fp_err fp_frame_encode(const fp_frame *frame, uint8_t *out, size_t cap, size_t *out_len) {
  if (frame->body_len > FP_MAX_BODY) {
    return FP_ERR_ARG;
  }
  size_t raw_len = FP_FRAME_HEADER + (size_t)frame->body_len + FP_FRAME_CRC;
  if (cap < FP_COBS_MAX_ENCODED(raw_len) + 1u) {
    return FP_ERR_NO_SPACE;
  }
  uint8_t header[FP_FRAME_HEADER] = {
      frame->type, frame->flags, (uint8_t)frame->request_id, (uint8_t)(frame->request_id >> 8),
      (uint8_t)frame->body_len, (uint8_t)(frame->body_len >> 8)};
  uint32_t crc = fp_crc32(0, header, sizeof header);
  crc = fp_crc32(crc, frame->body, frame->body_len);
  uint8_t trailer[FP_FRAME_CRC] = {(uint8_t)crc, (uint8_t)(crc >> 8), (uint8_t)(crc >> 16),
                                   (uint8_t)(crc >> 24)};
  cobs_stream s = {out, cap, 0, 1, 1, false};
  for (size_t i = 0; i < sizeof header; i++) {
    cobs_put(&s, header[i]);
  }
  for (size_t i = 0; i < frame->body_len; i++) {
    cobs_put(&s, frame->body[i]);
  }
  for (size_t i = 0; i < sizeof trailer; i++) {
    cobs_put(&s, trailer[i]);
  }
  if (s.full) {
    return FP_ERR_NO_SPACE;
  }
  out[s.code_at] = s.code;
  out[s.write++] = 0;
  *out_len = s.write;
  return FP_OK;
}
