/* A device on host ports for tests: flash in memory, a manual clock, sensors at their operating
 * point, and a line that collects what the device sends as decoded frames. */
#ifndef FP_TEST_SUPPORT_H
#define FP_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fp_device.h"
#include "fp_host_flash.h"
#include "fp_host_ports.h"

#define FP_TEST_MAX_FRAMES 16

typedef struct {
  uint8_t type;
  uint8_t flags;
  uint16_t request_id;
  uint16_t body_len;
  uint8_t body[FP_MAX_BODY + 1]; /* NUL-terminated */
} fp_test_frame;

typedef struct {
  fp_host_flash flash;
  fp_manual_clock clock;
  fp_host_sensors sensors;
  fp_stream_port stream;
  fp_frame_rx host_rx; /* the host's receiver of what the device sends */
  fp_test_frame frames[FP_TEST_MAX_FRAMES];
  size_t frame_count;
  size_t next_frame;
  char device_id[64];
  char chip[16];
  fp_device dev;
} fp_test_device;

/* A blank device of chip (seed 1 identity); returns FP_OK. The struct is large: keep it static. */
fp_err fp_test_device_init(fp_test_device *t, const char *chip);
void fp_test_device_close(fp_test_device *t);

/* Sends 0x00 and a frame, as the host does. */
void fp_test_send(fp_test_device *t, uint8_t type, uint8_t flags, uint16_t id, const void *body,
                  size_t body_len);

/* The next frame the device sent, or NULL. */
const fp_test_frame *fp_test_next(fp_test_device *t);

/* A request and its one answer (NULL when none came). */
const fp_test_frame *fp_test_exchange(fp_test_device *t, uint8_t type, uint16_t id,
                                      const char *json);

/* Byte i of the generated model with seed s (conformance/README.md). */
uint8_t fp_test_gen(uint32_t seed, uint32_t i);

#endif
