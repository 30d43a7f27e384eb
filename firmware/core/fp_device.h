/*
 * The device end of docs/device-protocol.md, runtime v3: takes bytes from the line, answers every
 * intact request exactly once (HELLO, CONFIG, STATS, the slot commands and CAPTURE), sends TELEMETRY once
 * per sampling period while inputs are configured, and keeps the counters STATS reports. Behaves
 * as the Java emulator (io.fieldproof.device.emulator.DeviceRuntime) does; where the two
 * differ on purpose, firmware/README.md says so.
 *
 * All memory is inside fp_device (about 50 KiB with the default fp_config.h, firmware/README.md
 * has the parts); a board keeps one in a static variable. Not thread-safe: call everything from one task.
 */
#ifndef FP_DEVICE_H
#define FP_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fp_config.h"
#include "fp_err.h"
#include "fp_frame.h"
#include "fp_json.h"
#include "fp_layout.h"
#include "fp_port.h"
#include "fp_rtconfig.h"
#include "fp_runtime.h"
#include "fp_runtime_config.h"
#include "fp_slots.h"

/* Runtime v3: v2's slot commands and CAPTURE (docs/device-protocol.md §4.6). */
#define FP_RUNTIME_V3 "fieldproof-rt/3"

/* Message types (device-protocol.md §4). */
enum {
  FP_MSG_HELLO = 0x01,
  FP_MSG_CONFIG = 0x02,
  FP_MSG_STATS = 0x03,
  FP_MSG_TELEMETRY = 0x10,
  FP_MSG_SLOT_WRITE = 0x20,
  FP_MSG_SLOT_DIGEST = 0x21,
  FP_MSG_SELFTEST = 0x22,
  FP_MSG_ACTIVATE = 0x23,
  FP_MSG_CONFIRM = 0x24,
  FP_MSG_REVERT = 0x25,
  FP_MSG_CAPTURE = 0x30
};

/* Who the device is and what it is built with; strings must outlive the device. */
typedef struct {
  const char *device_id; /* esp32-<12 hex> or stm32-<24 hex> */
  const char *chip;      /* esp32, esp32s3, stm32f4, stm32l4: also selects the slot layout */
  const char *firmware;
  uint32_t telemetry_interval_ms; /* the sampling period; 0 = 1000 */
} fp_identity;

typedef struct {
  const fp_stream_port *stream;
  const fp_flash_port *flash;
  const fp_clock_port *clock;
  const fp_sensor_port *sensors;
  const fp_runner_port *runner;
  const fp_vitals_port *vitals; /* may be NULL: no battery or link figure reported */
} fp_ports;

typedef struct {
  uint64_t requests;
  uint64_t error_responses;
  uint64_t configs_applied;
  uint64_t configs_rejected;
  uint64_t sensor_dropouts;
  uint64_t unexpected_frames;
  uint64_t readings;
  uint64_t telemetry_frames;
  uint64_t resets;
} fp_counters;

typedef struct {
  fp_identity id;
  fp_ports ports;
  const fp_layout *layout;
  fp_slots slots;
  /* the update in progress (SLOT_WRITE): slot and bytes held in order; -1 when none */
  int writing_slot;
  uint32_t written;
  /* applied configuration: kept across fp_device_reboot, as the emulator keeps it (NVS) */
  int64_t generation;
  fp_rtconfig config;
  fp_runtime_config runtime_config;
  /* the device runtime (docs/device-runtime.md), started afresh when a config is applied, the
   * active model changes and at every boot; it steps once per sampling period */
  fp_runtime runtime;
  fp_counters counters;
  uint64_t boot_ms;
  uint64_t next_telemetry_ms;
  fp_frame_rx rx;
  fp_json_doc doc;
  char body[FP_MAX_BODY];
  uint8_t tx[FP_MAX_ENCODED_FRAME + 1];
  char message[160];
  /* SELFTEST vectors; tensor_out is the runtime's model output too */
  int8_t tensor_in[FP_MAX_TENSOR];
  fp_tensor_buf tensor_out;
} fp_device;

/* Powers the device on: checks the identity, runs the boot rules on the flash. FP_ERR_ARG for an
 * unknown chip; flash errors pass through. */
fp_err fp_device_init(fp_device *dev, const fp_identity *id, const fp_ports *ports);

/* A reset (watchdog, power cut): uptime restarts, `resets` goes up, the boot rules run, an update
 * in progress is forgotten; the applied configuration stays. */
fp_err fp_device_reboot(fp_device *dev);

/* Bytes from the line; answers each complete request before returning. */
void fp_device_receive(fp_device *dev, const uint8_t *data, size_t len);

/* Sends TELEMETRY when a sampling period has passed; call it often (every few ms). */
void fp_device_poll(fp_device *dev);

/* Forgets a partly received frame (a new host connection took the line over). */
void fp_device_line_reset(fp_device *dev);

/* Milliseconds since the last boot. */
uint64_t fp_device_uptime_ms(const fp_device *dev);

/* Handles one decoded request; *answered is false when no response goes out (a stray response
 * frame, or a power cut that rebooted the device). Exposed for tests. */
void fp_device_handle(fp_device *dev, const fp_frame *request, bool *answered);

#endif
