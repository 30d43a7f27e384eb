#include "fp_tflite.h"

#include <math.h>
#include <string.h>

#include "fp_flatbuf.h"
#include "fp_int8_ops.h"

#define SCHEMA_VERSION 3u
#define CUSTOM_CODE 32

/* Schema codes of the supported builtin operators, in fp_op_kind order. */
static const int32_t BUILTIN_CODES[FP_OP_COUNT] = {9, 3, 4, 1, 17, 22, 25, 14, 114, 6, 0, 77, 45, 83};

/* BuiltinOptions union type of each kind's options table (0: it reads none). */
static const uint8_t OPTIONS_TYPES[FP_OP_COUNT] = {8, 1, 2, 5, 5, 17, 9, 0, 0, 0, 11, 0, 32, 59};

static fp_err corrupt(fp_int8 *it, const char *what, uint32_t index) {
  return fp_int8_fail(it, "corrupt model: %s %u lies outside the file or is malformed", what,
                      (unsigned)index);
}

static uint32_t element_bytes(uint8_t type) { return type == FP_TYPE_INT8 ? 1u : 4u; }

static fp_err read_quantization(fp_int8 *it, fp_fb *fb, const fp_fb_table *q, fp_tensor *t,
                                uint32_t index) {
  fp_fb_vec scales = fp_fb_vector(fb, q, 2, 4);
  fp_fb_vec zeros = fp_fb_vector(fb, q, 3, 8);
  t->quant_dim = fp_fb_i32(fb, q, 6, 0);
  if (fb->bad) return corrupt(it, "quantization of tensor", index);
  t->scale_count = scales.n;
  t->scales_at = scales.n ? scales.at : 0;
  if (scales.n) {
    uint32_t bits = fp_fb_le32(it->model + scales.at);
    memcpy(&t->scale, &bits, sizeof t->scale);
  }
  if (t->type != FP_TYPE_INT8) {
    return FP_OK;
  }
  if (scales.n == 0) {
    return fp_int8_fail(it, "int8 tensor %u has no quantization parameters", (unsigned)index);
  }
  for (uint32_t c = 0; c < scales.n; c++) {
    float s;
    uint32_t bits = fp_fb_le32(it->model + scales.at + 4u * c);
    memcpy(&s, &bits, sizeof s);
    if (!(s > 0.0f) || isinf(s)) {
      return fp_int8_fail(it, "int8 tensor %u has scale %g for channel %u", (unsigned)index,
                          (double)s, (unsigned)c);
    }
  }
  for (uint32_t c = 0; c < zeros.n; c++) {
    const uint8_t *p = it->model + zeros.at + 8u * c;
    int64_t zp = (int64_t)((uint64_t)fp_fb_le32(p) | (uint64_t)fp_fb_le32(p + 4) << 32);
    if (zp < -128 || zp > 127) {
      return fp_int8_fail(it, "int8 tensor %u has a zero point outside int8", (unsigned)index);
    }
    if (c == 0) t->zero_point = (int32_t)zp;
  }
  if (scales.n > 1 && (t->quant_dim < 0 || (uint32_t)t->quant_dim >= t->rank ||
                       (uint32_t)t->dims[t->quant_dim] != scales.n)) {
    return fp_int8_fail(it, "int8 tensor %u has %u per-channel scales that do not match its shape",
                        (unsigned)index, (unsigned)scales.n);
  }
  return FP_OK;
}

static fp_err read_tensor(fp_int8 *it, fp_fb *fb, const fp_fb_vec *tensors,
                          const fp_fb_vec *buffers, uint32_t index) {
  fp_tensor *t = &it->tensors[index];
  fp_fb_table table = fp_fb_vec_table(fb, tensors, index);
  fp_fb_vec shape = fp_fb_vector(fb, &table, 0, 4);
  t->type = fp_fb_u8(fb, &table, 1, 0);
  uint32_t buffer = fp_fb_u32(fb, &table, 2, 0);
  fp_fb_table q = fp_fb_sub(fb, &table, 4);
  t->is_variable = fp_fb_u8(fb, &table, 5, 0) != 0;
  if (fb->bad) return corrupt(it, "tensor", index);
  if (shape.n > FP_RUNNER_MAX_RANK) {
    return fp_int8_fail(it, "tensor %u has rank %u, the runner takes at most %u", (unsigned)index,
                        (unsigned)shape.n, FP_RUNNER_MAX_RANK);
  }
  t->rank = (uint8_t)shape.n;
  uint64_t count = 1;
  for (uint32_t d = 0; d < shape.n; d++) {
    t->dims[d] = (int32_t)fp_fb_vec_u32(fb, &shape, d);
    if (t->dims[d] < 0) {
      return fp_int8_fail(it,
                          "tensor %u has a dynamic shape (dimension %u is %d); convert with a "
                          "fixed size for it",
                          (unsigned)index, (unsigned)d, (int)t->dims[d]);
    }
    count *= (uint64_t)t->dims[d];
    if (count > 0x7fffffffu) return fp_int8_fail(it, "tensor %u is too large", (unsigned)index);
  }
  if (t->type != FP_TYPE_INT8 && t->type != FP_TYPE_INT32 && t->type != FP_TYPE_FLOAT32) {
    return fp_int8_fail(it, "tensor %u has type code %u; the runner holds int8, int32 and float32",
                        (unsigned)index, (unsigned)t->type);
  }
  t->count = (int32_t)count;
  uint64_t bytes = count * element_bytes(t->type);
  if (bytes > 0x7fffffffu) return fp_int8_fail(it, "tensor %u is too large", (unsigned)index);
  t->bytes = (uint32_t)bytes;
  if (buffer >= buffers->n) return corrupt(it, "buffer of tensor", index);
  if (buffer > 0) {
    fp_fb_table b = fp_fb_vec_table(fb, buffers, buffer);
    fp_fb_vec data = fp_fb_vector(fb, &b, 0, 1);
    uint64_t external = fp_fb_u64(fb, &b, 1, 0);
    if (fb->bad) return corrupt(it, "buffer", buffer);
    if (external > 1) {
      return fp_int8_fail(it, "buffer %u lies outside the flatbuffer (a model over 2 GB)",
                          (unsigned)buffer);
    }
    if (data.n > 0) {
      if (data.n != t->bytes) {
        return fp_int8_fail(it, "tensor %u holds %u bytes of data, its shape needs %u",
                            (unsigned)index, (unsigned)data.n, (unsigned)t->bytes);
      }
      t->is_const = true;
      t->cdata = it->model + data.at;
    }
  }
  t->first_step = -1;
  t->last_step = -1;
  return q.pos ? read_quantization(it, fb, &q, t, index)
               : (t->type == FP_TYPE_INT8
                      ? fp_int8_fail(it, "int8 tensor %u has no quantization parameters",
                                     (unsigned)index)
                      : FP_OK);
}

static int kind_of(int32_t builtin) {
  for (int k = 0; k < FP_OP_COUNT; k++) {
    if (BUILTIN_CODES[k] == builtin) return k;
  }
  return -1;
}

/* Inputs the kind takes (required present, maximum), as TFLM's prepare functions need them. */
static void operand_counts(int kind, uint32_t given, uint32_t *required, uint32_t *maximum) {
  switch (kind) {
    case FP_OP_ADD: *required = 2; *maximum = 2; break;
    case FP_OP_CONV_2D:
    case FP_OP_DEPTHWISE_CONV_2D:
    case FP_OP_FULLY_CONNECTED: *required = 2; *maximum = 3; break;
    case FP_OP_RESHAPE: *required = 1; *maximum = 2; break;
    case FP_OP_STRIDED_SLICE: *required = 4; *maximum = 4; break;
    case FP_OP_PACK: *required = given > 1 ? given : 1; *maximum = *required; break;
    default: *required = 1; *maximum = 1; break;
  }
}

static void read_options(fp_fb *fb, const fp_fb_table *o, fp_op *op) {
  switch (op->kind) {
    case FP_OP_CONV_2D:
      op->padding = fp_fb_u8(fb, o, 0, 0);
      op->opt[0] = fp_fb_i32(fb, o, 1, 0); /* stride_w */
      op->opt[1] = fp_fb_i32(fb, o, 2, 0); /* stride_h */
      op->activation = fp_fb_u8(fb, o, 3, 0);
      op->opt[2] = fp_fb_i32(fb, o, 4, 1); /* dilation_w */
      op->opt[3] = fp_fb_i32(fb, o, 5, 1); /* dilation_h */
      break;
    case FP_OP_DEPTHWISE_CONV_2D:
      op->padding = fp_fb_u8(fb, o, 0, 0);
      op->opt[0] = fp_fb_i32(fb, o, 1, 0);
      op->opt[1] = fp_fb_i32(fb, o, 2, 0);
      op->opt[4] = fp_fb_i32(fb, o, 3, 0); /* depth_multiplier */
      op->activation = fp_fb_u8(fb, o, 4, 0);
      op->opt[2] = fp_fb_i32(fb, o, 5, 1);
      op->opt[3] = fp_fb_i32(fb, o, 6, 1);
      break;
    case FP_OP_AVERAGE_POOL_2D:
    case FP_OP_MAX_POOL_2D:
      op->padding = fp_fb_u8(fb, o, 0, 0);
      op->opt[0] = fp_fb_i32(fb, o, 1, 0); /* stride_w */
      op->opt[1] = fp_fb_i32(fb, o, 2, 0); /* stride_h */
      op->opt[2] = fp_fb_i32(fb, o, 3, 0); /* filter_width */
      op->opt[3] = fp_fb_i32(fb, o, 4, 0); /* filter_height */
      op->activation = fp_fb_u8(fb, o, 5, 0);
      break;
    case FP_OP_FULLY_CONNECTED:
      op->activation = fp_fb_u8(fb, o, 0, 0);
      op->opt[0] = fp_fb_u8(fb, o, 1, 0); /* weights_format */
      break;
    case FP_OP_SOFTMAX: op->fscale = fp_fb_f32(fb, o, 0, 0.0f); break;
    case FP_OP_ADD: op->activation = fp_fb_u8(fb, o, 0, 0); break;
    case FP_OP_STRIDED_SLICE:
      for (unsigned f = 0; f < 5; f++) op->opt[f] = fp_fb_i32(fb, o, f, 0); /* masks */
      op->opt[5] = fp_fb_u8(fb, o, 5, 0);                                   /* offset */
      break;
    case FP_OP_PACK:
      op->opt[0] = fp_fb_i32(fb, o, 0, 0); /* values_count */
      op->opt[1] = fp_fb_i32(fb, o, 1, 0); /* axis */
      break;
    default: break;
  }
}

static fp_err read_operator(fp_int8 *it, fp_fb *fb, const fp_fb_vec *ops, const fp_fb_vec *codes,
                            uint32_t index) {
  fp_op *op = &it->ops[index];
  fp_fb_table table = fp_fb_vec_table(fb, ops, index);
  uint32_t opcode = fp_fb_u32(fb, &table, 0, 0);
  fp_fb_vec inputs = fp_fb_vector(fb, &table, 1, 4);
  fp_fb_vec outputs = fp_fb_vector(fb, &table, 2, 4);
  uint8_t options_type = fp_fb_u8(fb, &table, 3, 0);
  fp_fb_table options = fp_fb_sub(fb, &table, 4);
  if (fb->bad) return corrupt(it, "operator", index);
  if (opcode >= codes->n) return corrupt(it, "operator code of operator", index);
  fp_fb_table code = fp_fb_vec_table(fb, codes, opcode);
  int32_t deprecated = (int8_t)fp_fb_u8(fb, &code, 0, 0);
  int32_t builtin = fp_fb_i32(fb, &code, 3, 0);
  if (fb->bad) return corrupt(it, "operator code", opcode);
  int32_t effective = builtin > deprecated ? builtin : deprecated;
  int kind = kind_of(effective);
  if (kind < 0) {
    return fp_int8_fail(it,
                        "operator #%u is %s %d, which this runner does not run; it runs the "
                        "builtin operators listed in HELLO",
                        (unsigned)index, effective == CUSTOM_CODE ? "a custom operator, code" :
                        "builtin code", (int)effective);
  }
  op->kind = (uint8_t)kind;
  if (inputs.n > 0xffffu) return corrupt(it, "inputs of operator", index);
  op->input_count = (uint16_t)inputs.n;
  op->inputs_at = inputs.at;
  for (uint32_t i = 0; i < inputs.n; i++) {
    int32_t t = (int32_t)fp_fb_vec_u32(fb, &inputs, i);
    if (t != -1 && (t < 0 || (uint32_t)t >= it->tensor_count)) {
      return corrupt(it, "input tensor of operator", index);
    }
  }
  uint32_t required = 0, maximum = 0;
  operand_counts(kind, inputs.n, &required, &maximum);
  bool ok = inputs.n >= required && inputs.n <= maximum && outputs.n == 1;
  for (uint32_t i = 0; ok && i < required; i++) ok = fp_int8_op_input(it, op, i) >= 0;
  if (!ok) {
    return fp_int8_fail(it,
                        "%s #%u has %u inputs and %u outputs; it takes %u to %u inputs (the "
                        "first %u present) and 1 output",
                        fp_int8_op_names[kind], (unsigned)index, (unsigned)inputs.n,
                        (unsigned)outputs.n, (unsigned)required, (unsigned)maximum,
                        (unsigned)required);
  }
  op->output = (int32_t)fp_fb_vec_u32(fb, &outputs, 0);
  if (op->output < 0 || (uint32_t)op->output >= it->tensor_count) {
    return corrupt(it, "output tensor of operator", index);
  }
  op->opt[2] = op->opt[3] = 1; /* dilations default to 1 without an options table */
  if (options.pos != 0 && OPTIONS_TYPES[kind] != 0 && options_type == OPTIONS_TYPES[kind]) {
    read_options(fb, &options, op);
  }
  if (fb->bad) return corrupt(it, "options of operator", index);
  return FP_OK;
}

static fp_err read_io(fp_int8 *it, fp_fb *fb, const fp_fb_vec *v, uint32_t *at, uint32_t *count) {
  for (uint32_t i = 0; i < v->n; i++) {
    uint32_t t = fp_fb_vec_u32(fb, v, i);
    if (t >= it->tensor_count) return corrupt(it, "subgraph input or output", i);
  }
  *at = v->at;
  *count = v->n;
  return FP_OK;
}

fp_err fp_tflite_read(fp_int8 *it) {
  fp_fb fb;
  fp_fb_init(&fb, it->model, it->model_len);
  if (it->model_len < 8 || memcmp(it->model + 4, "TFL3", 4) != 0) {
    return fp_int8_fail(it, "not a TFLite model: the file identifier is not TFL3");
  }
  fp_fb_table model = fp_fb_root(&fb);
  uint32_t version = fp_fb_u32(&fb, &model, 0, 0);
  fp_fb_vec codes = fp_fb_vector(&fb, &model, 1, 4);
  fp_fb_vec subgraphs = fp_fb_vector(&fb, &model, 2, 4);
  fp_fb_vec buffers = fp_fb_vector(&fb, &model, 4, 4);
  if (fb.bad) return corrupt(it, "model table", 0);
  if (version != SCHEMA_VERSION) {
    return fp_int8_fail(it, "schema version %u, the runner reads %u", (unsigned)version,
                        SCHEMA_VERSION);
  }
  if (subgraphs.n != 1) {
    return fp_int8_fail(it, "the model has %u subgraphs, exactly one is supported",
                        (unsigned)subgraphs.n);
  }
  fp_fb_table sg = fp_fb_vec_table(&fb, &subgraphs, 0);
  fp_fb_vec tensors = fp_fb_vector(&fb, &sg, 0, 4);
  fp_fb_vec inputs = fp_fb_vector(&fb, &sg, 1, 4);
  fp_fb_vec outputs = fp_fb_vector(&fb, &sg, 2, 4);
  fp_fb_vec ops = fp_fb_vector(&fb, &sg, 3, 4);
  if (fb.bad) return corrupt(it, "subgraph", 0);
  if (tensors.n > FP_RUNNER_MAX_TENSORS || ops.n > FP_RUNNER_MAX_OPS) {
    return fp_int8_fail(it, "the model has %u tensors and %u operators, more than the runner's %u "
                        "and %u", (unsigned)tensors.n, (unsigned)ops.n, FP_RUNNER_MAX_TENSORS,
                        FP_RUNNER_MAX_OPS);
  }
  it->tensor_count = tensors.n;
  it->op_count = ops.n;
  it->tensors = fp_int8_alloc(it, tensors.n * (uint32_t)sizeof(fp_tensor));
  it->ops = fp_int8_alloc(it, ops.n * (uint32_t)sizeof(fp_op));
  if (it->tensors == NULL || it->ops == NULL) return FP_ERR_MODEL_INVALID;
  fp_err err = FP_OK;
  for (uint32_t i = 0; err == FP_OK && i < tensors.n; i++) {
    err = read_tensor(it, &fb, &tensors, &buffers, i);
  }
  if (err == FP_OK) err = read_io(it, &fb, &inputs, &it->inputs_at, &it->input_count);
  if (err == FP_OK) err = read_io(it, &fb, &outputs, &it->outputs_at, &it->output_count);
  for (uint32_t i = 0; err == FP_OK && i < ops.n; i++) {
    err = read_operator(it, &fb, &ops, &codes, i);
  }
  return err;
}
