/*
 * The port layer: everything the portable core needs from a board, as small structs of function
 * pointers with a context, so that one image can hold several (the host tests run many devices in
 * one process). A port provides a byte stream out (bytes in are pushed by the port's main loop
 * into fp_device_receive), NOR flash, a monotonic millisecond clock, the sensors and the model
 * runner. Every function that can fail returns fp_err.
 */
#ifndef FP_PORT_H
#define FP_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fp_err.h"

/* The line towards the host: writes all len bytes or fails (FP_ERR_IO). */
typedef struct {
  void *ctx;
  fp_err (*write)(void *ctx, const uint8_t *data, size_t len);
} fp_stream_port;

/*
 * NOR flash, addressed from its first byte (offset 0). Rules every port enforces: erased bytes
 * read 0xFF; erase works on whole sectors of the chip's sector map (offset and offset + len on
 * sector boundaries); program can only clear bits (new = old AND data). FP_ERR_FLASH_ERROR when
 * the chip fails; FP_ERR_POWER_LOSS from test ports that cut the power in the middle of an
 * operation (what was done until then stays done).
 */
typedef struct {
  void *ctx;
  fp_err (*erase)(void *ctx, uint32_t offset, uint32_t len);
  fp_err (*program)(void *ctx, uint32_t offset, const uint8_t *data, uint32_t len);
  fp_err (*read)(void *ctx, uint32_t offset, uint8_t *out, uint32_t len);
} fp_flash_port;

/* Milliseconds since an arbitrary point, never going back. */
typedef struct {
  void *ctx;
  uint64_t (*now_ms)(void *ctx);
} fp_clock_port;

/* One configured input as the sensor port sees it (names are the CONFIG's input names). */
typedef struct {
  const char *name;
  double baseline; /* the operating point taken from the configuration (device-protocol.md §8) */
  double scale;
} fp_sensor_input;

/* The sensors: one reading per configured input per sampling period; false = dropout. */
typedef struct {
  void *ctx;
  bool (*read)(void *ctx, unsigned index, const fp_sensor_input *input, double *value);
} fp_sensor_port;

/* The element type of a model input or output the runtime feeds or reads. */
typedef enum { FP_TENSOR_INT8 = 0, FP_TENSOR_FLOAT32 = 1 } fp_tensor_type;

/*
 * What the loaded model takes and gives, as the device runtime needs it (docs/device-runtime.md
 * step 3): the elements of input tensor 0 and of output tensor 0, their types and, for int8, their
 * quantization. An int8 input is fed q = clamp(round(x / input_scale) + input_zero_point, -128,
 * 127); a float32 input the normalized values as floats. The score is element decision.output of
 * output 0: (q - output_zero_point) * output_scale of an int8 output, the value of a float32 one.
 * Scales and zero points are 0 for float32.
 */
typedef struct {
  uint32_t input_len; /* elements */
  uint8_t input_type; /* fp_tensor_type */
  float input_scale;
  int32_t input_zero_point;
  uint32_t output_len;
  uint8_t output_type;
  float output_scale;
  int32_t output_zero_point;
} fp_model_info;

/*
 * The model runner: loads a quantized TFLite model from flash and runs it. load reads the model
 * from [offset, offset + length) of the flash port; FP_ERR_MODEL_INVALID when it cannot run it,
 * FP_ERR_NO_RUNNER when the build has no runner (fp_runner_none). info describes the loaded model
 * (after a load that returned FP_OK; FP_ERR_NO_RUNNER otherwise), FP_ERR_MODEL_INVALID when its
 * input 0 or output 0 is neither int8 nor float32. invoke runs the loaded model on input 0 and
 * gives output 0 and the cycles it took, each in the type info names: int8_t elements for int8,
 * float elements for float32 (input_len, cap and *output_len count elements). One model is loaded
 * at a time: a load for SELFTEST replaces the running model, and the device loads that again.
 * reason (may be NULL) says in words why the last load, info or invoke failed ("" or NULL when it
 * cannot say); the device puts it, cut to FP_REASON_MAX characters, into the error message.
 */
typedef struct {
  void *ctx;
  const char *const *operators; /* the builtin operators it runs, for HELLO */
  size_t operator_count;
  uint32_t arena_bytes;
  fp_err (*load)(void *ctx, const fp_flash_port *flash, uint32_t offset, uint32_t length);
  fp_err (*invoke)(void *ctx, const void *input, size_t input_len, void *output, size_t cap,
                   size_t *output_len, uint64_t *cycles);
  fp_err (*info)(void *ctx, fp_model_info *out);
  const char *(*reason)(void *ctx);
} fp_runner_port;

/*
 * The board's battery and link (docs/device-protocol.md §4.3, docs/device-runtime.md): what STATS
 * reports as battery.percent, battery.mv, link.rssiDbm and link.errorPermille. read fills in what
 * the board measures and leaves the rest false; the device reports the figures as given and
 * computes nothing from them. Optional: a board without it (fp_ports.vitals NULL) reports none,
 * as firmware before these counters did.
 */
typedef struct {
  bool has_battery;
  uint8_t battery_percent; /* 0..100 */
  uint16_t battery_mv;     /* 0 when the board measures only a level */
  bool has_rssi;
  int16_t rssi_dbm; /* Wi-Fi RSSI, negative */
  bool has_link_errors;
  uint16_t link_error_permille; /* damaged frames per thousand on the line, 0..1000 */
} fp_vitals;

typedef struct {
  void *ctx;
  void (*read)(void *ctx, fp_vitals *out);
} fp_vitals_port;

#endif
