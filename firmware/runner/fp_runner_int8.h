/*
 * The int8 model runner as a board's fp_runner_port: fp_int8 over two static buffers sized in
 * fp_runner_config.h (a model buffer of FP_RUNNER_MODEL_MAX bytes, a tensor arena of
 * FP_RUNNER_ARENA_BYTES). One model is loaded at a time: each load replaces the previous model,
 * so a device that self-tests another slot loads its active model again before it infers.
 *
 * load copies [offset, offset + length) of the flash into the model buffer and prepares it;
 * FP_ERR_MODEL_INVALID (fp_runner_int8_reason says why) when the model is corrupt, is not int8,
 * uses an operator outside the list, or does not fit the buffers; flash errors pass through.
 * invoke runs input 0 to output 0, int8 values or floats as info types them; cycles are an
 * estimate from the MACs and operators (the coefficients of fp_runner_config.h, calibrated on a
 * Cortex-M4).
 *
 * The port's info gives the loaded model's input 0 and output 0: length, type (int8 or float32)
 * and an int8 tensor's quantization, which the runtime needs: q = clamp(round(x / scale) +
 * zero_point, -128, 127) for an int8 input, and score = (q - zero_point) * scale for an int8
 * output; a float32 input takes the normalized values, a float32 output is the score. The getters
 * below give the same.
 */
#ifndef FP_RUNNER_INT8_H
#define FP_RUNNER_INT8_H

#include <stdbool.h>
#include <stdint.h>

#include "fp_int8.h"
#include "fp_port.h"

/* One model input or output as the runtime sees it. */
typedef struct {
  uint8_t type;       /* FP_TYPE_INT8, or FP_TYPE_FLOAT32 for a model with a float interface */
  uint32_t count;     /* elements */
  float scale;        /* int8: the quantization scale; 0 for float32 */
  int32_t zero_point; /* int8: the zero point */
} fp_runner_io;

/* The runner port (a singleton over the static buffers). */
const fp_runner_port *fp_runner_int8(void);

/* Input 0 and output 0 of the loaded model; false when no model is loaded. */
bool fp_runner_int8_input(fp_runner_io *out);
bool fp_runner_int8_output(fp_runner_io *out);

/* Why the last load or invoke failed, in words ("" after a success). */
const char *fp_runner_int8_reason(void);

/* The loaded interpreter (NULL when none), for a runtime that feeds a float32 input directly. */
fp_int8 *fp_runner_int8_interpreter(void);

#endif
