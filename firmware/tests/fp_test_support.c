#include "fp_test_support.h"

#include <stdio.h>
#include <string.h>

#include "fp_host_identity.h"
#include "fp_runner_none.h"

static fp_err capture(void *ctx, const uint8_t *data, size_t len) {
  fp_test_device *t = ctx;
  for (size_t i = 0; i < len; i++) {
    fp_frame frame;
    if (fp_frame_rx_push(&t->host_rx, data[i], &frame) && t->frame_count < FP_TEST_MAX_FRAMES) {
      fp_test_frame *f = &t->frames[t->frame_count++];
      f->type = frame.type;
      f->flags = frame.flags;
      f->request_id = frame.request_id;
      f->body_len = frame.body_len;
      memcpy(f->body, frame.body, frame.body_len);
      f->body[frame.body_len] = 0;
    }
  }
  return FP_OK;
}

fp_err fp_test_device_init(fp_test_device *t, const char *chip) {
  memset(t, 0, sizeof *t);
  const fp_layout *layout = fp_layout_for_chip(chip);
  if (layout == NULL) return FP_ERR_ARG;
  fp_err err = fp_host_flash_open(&t->flash, layout, NULL);
  if (err != FP_OK) return err;
  fp_manual_clock_init(&t->clock, 1000);
  fp_host_sensors_init(&t->sensors);
  t->stream = (fp_stream_port){t, capture};
  fp_frame_rx_init(&t->host_rx);
  err = fp_host_device_id(chip, 1, t->device_id, sizeof t->device_id);
  if (err != FP_OK) return err;
  fp_ports ports = {&t->stream, &t->flash.port, &t->clock.port, &t->sensors.port,
                    fp_runner_none(), NULL};
  snprintf(t->chip, sizeof t->chip, "%s", chip);
  fp_identity id = {t->device_id, t->chip, "0.1.0+test", 1000};
  return fp_device_init(&t->dev, &id, &ports);
}

void fp_test_device_close(fp_test_device *t) { fp_host_flash_close(&t->flash); }

void fp_test_send(fp_test_device *t, uint8_t type, uint8_t flags, uint16_t id, const void *body,
                  size_t body_len) {
  static uint8_t wire[FP_MAX_ENCODED_FRAME + 2];
  fp_frame frame = {type, flags, id, body, (uint16_t)body_len};
  size_t len = 0;
  wire[0] = 0;
  if (fp_frame_encode(&frame, wire + 1, sizeof wire - 1, &len) == FP_OK) {
    fp_device_receive(&t->dev, wire, len + 1);
  }
}

const fp_test_frame *fp_test_next(fp_test_device *t) {
  if (t->next_frame >= t->frame_count) return NULL;
  const fp_test_frame *f = &t->frames[t->next_frame++];
  if (t->next_frame == t->frame_count) {
    /* all read: start again at the front, the frame stays valid until the next send */
    t->frame_count = 0;
    t->next_frame = 0;
  }
  return f;
}

const fp_test_frame *fp_test_exchange(fp_test_device *t, uint8_t type, uint16_t id,
                                      const char *json) {
  fp_test_send(t, type, 0, id, json, strlen(json));
  return fp_test_next(t);
}

uint8_t fp_test_gen(uint32_t seed, uint32_t i) {
  return (uint8_t)(((i * 31u) ^ (i >> 8) ^ (seed * 101u)) & 0xFFu);
}
