#include "fp_runner_int8.h"

#include <stdio.h>
#include <string.h>

static _Alignas(16) uint8_t MODEL[FP_RUNNER_MODEL_MAX];
static _Alignas(16) uint8_t ARENA[FP_RUNNER_ARENA_BYTES];
static fp_int8 INTERPRETER;
static bool LOADED;

static fp_err refuse(const char *what, unsigned a, unsigned b) {
  snprintf(INTERPRETER.reason, sizeof INTERPRETER.reason, what, a, b);
  return FP_ERR_MODEL_INVALID;
}

static fp_err load(void *ctx, const fp_flash_port *flash, uint32_t offset, uint32_t length) {
  (void)ctx;
  LOADED = false;
  memset(&INTERPRETER, 0, sizeof INTERPRETER);
  if (length > FP_RUNNER_MODEL_MAX) {
    return refuse("the model has %u bytes, more than the runner's %u-byte model buffer", length,
                  FP_RUNNER_MODEL_MAX);
  }
  fp_err err = flash->read(flash->ctx, offset, MODEL, length);
  if (err != FP_OK) return err;
  err = fp_int8_init(&INTERPRETER, MODEL, length, ARENA, sizeof ARENA);
  LOADED = err == FP_OK;
  return err;
}

/* The cycle estimate of fp_runner_config.h: MACs of convolutions and of the rest at their own rate,
 * plus a fixed cost per operator. */
static uint64_t estimate_cycles(const fp_int8 *it) {
  uint64_t cycles = 0;
  for (uint32_t o = 0; o < it->op_count; o++) {
    const fp_op *op = &it->ops[o];
    bool conv = op->kind == FP_OP_CONV_2D || op->kind == FP_OP_DEPTHWISE_CONV_2D;
    cycles += op->macs * (conv ? FP_RUNNER_CYCLES_PER_CONV_MAC : FP_RUNNER_CYCLES_PER_MAC) +
              FP_RUNNER_CYCLES_PER_OP;
  }
  return cycles;
}

/* The port's type of an interface tensor: int8 or float32, false for any other type. */
static bool port_type(const fp_tensor *t, uint8_t *type) {
  if (t == NULL) return false;
  if (t->type == FP_TYPE_INT8) {
    *type = FP_TENSOR_INT8;
  } else if (t->type == FP_TYPE_FLOAT32) {
    *type = FP_TENSOR_FLOAT32;
  } else {
    return false;
  }
  return true;
}

static size_t element_size(const fp_tensor *t) { return t->type == FP_TYPE_FLOAT32 ? 4u : 1u; }

static fp_err invoke(void *ctx, const void *input, size_t input_len, void *output, size_t cap,
                     size_t *output_len, uint64_t *cycles) {
  (void)ctx;
  *output_len = 0;
  *cycles = 0;
  if (!LOADED) return refuse("no model is loaded%.0u%.0u", 0, 0);
  fp_tensor *in = fp_int8_input(&INTERPRETER, 0);
  const fp_tensor *out = fp_int8_output(&INTERPRETER, 0);
  uint8_t in_type, out_type;
  if (!port_type(in, &in_type) || !port_type(out, &out_type)) {
    return refuse("the model's input 0 or output 0 is neither int8 nor float32%.0u%.0u", 0, 0);
  }
  if (input_len != (size_t)in->count) {
    return refuse(in_type == FP_TENSOR_INT8 ? "the model takes %u int8 values, %u were given"
                                            : "the model takes %u float32 values, %u were given",
                  (unsigned)in->count, (unsigned)input_len);
  }
  if ((size_t)out->count > cap) {
    return refuse("the model gives %u values, room for %u", (unsigned)out->count, (unsigned)cap);
  }
  if (input_len > 0) memcpy(in->data, input, input_len * element_size(in));
  fp_err err = fp_int8_invoke(&INTERPRETER);
  if (err != FP_OK) return err;
  if (out->count > 0) memcpy(output, out->cdata, (size_t)out->count * element_size(out));
  *output_len = (size_t)out->count;
  *cycles = estimate_cycles(&INTERPRETER);
  INTERPRETER.reason[0] = '\0';
  return FP_OK;
}

/* The port's view of the loaded model: input 0 and output 0, each int8 or float32. */
static fp_err info(void *ctx, fp_model_info *out) {
  (void)ctx;
  if (!LOADED) return refuse("no model is loaded%.0u%.0u", 0, 0);
  const fp_tensor *in = fp_int8_input(&INTERPRETER, 0);
  const fp_tensor *res = fp_int8_output(&INTERPRETER, 0);
  uint8_t in_type, out_type;
  if (!port_type(in, &in_type) || !port_type(res, &out_type)) {
    return refuse("the model's input 0 or output 0 is neither int8 nor float32%.0u%.0u", 0, 0);
  }
  bool in_q = in_type == FP_TENSOR_INT8, out_q = out_type == FP_TENSOR_INT8;
  out->input_len = (uint32_t)in->count;
  out->input_type = in_type;
  out->input_scale = in_q ? in->scale : 0.0f;
  out->input_zero_point = in_q ? in->zero_point : 0;
  out->output_len = (uint32_t)res->count;
  out->output_type = out_type;
  out->output_scale = out_q ? res->scale : 0.0f;
  out->output_zero_point = out_q ? res->zero_point : 0;
  return FP_OK;
}

static const char *reason(void *ctx) {
  (void)ctx;
  return INTERPRETER.reason;
}

static const fp_runner_port PORT = {NULL, fp_int8_op_names, FP_OP_COUNT, FP_RUNNER_ARENA_BYTES,
                                    load, invoke,           info,        reason};

const fp_runner_port *fp_runner_int8(void) { return &PORT; }

static bool describe(const fp_tensor *t, fp_runner_io *out) {
  if (!LOADED || t == NULL) return false;
  out->type = t->type;
  out->count = (uint32_t)t->count;
  out->scale = t->type == FP_TYPE_INT8 ? t->scale : 0.0f;
  out->zero_point = t->type == FP_TYPE_INT8 ? t->zero_point : 0;
  return true;
}

bool fp_runner_int8_input(fp_runner_io *out) {
  return describe(fp_int8_input(&INTERPRETER, 0), out);
}

bool fp_runner_int8_output(fp_runner_io *out) {
  return describe(fp_int8_output(&INTERPRETER, 0), out);
}

const char *fp_runner_int8_reason(void) { return INTERPRETER.reason; }

fp_int8 *fp_runner_int8_interpreter(void) { return LOADED ? &INTERPRETER : NULL; }
