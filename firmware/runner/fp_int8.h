/*
 * The int8 interpreter: runs a TFLite model bit-exactly as TensorFlow Lite Micro's reference
 * kernels do, in memory the caller gives it (no heap). fp_runner_int8 wraps it into the board's
 * model-runner port with static buffers; tests and the host CLI use it directly.
 *
 * fp_int8_init reads the model (fp_tflite), checks it is int8 with usable quantization, plans the
 * arena as TFLM's greedy planner does and prepares every operator (multipliers, shifts, clamps,
 * padding). Layout of the arena: planned tensors from its first byte (the "head", shared by
 * tensors whose lifetimes do not overlap), tensor and operator tables and per-channel arrays from
 * its last byte down (the "tail"). Constant tensors stay in the model buffer, which must stay
 * unchanged while the interpreter is used. fp_int8_invoke then runs the kernels in order and
 * allocates nothing.
 *
 * Operators: ADD, AVERAGE_POOL_2D, CONV_2D, DEPTHWISE_CONV_2D, DEQUANTIZE, FULLY_CONNECTED,
 * LOGISTIC, MAX_POOL_2D, RESHAPE, SOFTMAX, STRIDED_SLICE, SHAPE, PACK, QUANTIZE: the set of the
 * Java model module (model/src/main/java/io/fieldproof/model/interpreter/KernelFactory.java).
 */
#ifndef FP_INT8_H
#define FP_INT8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fp_err.h"
#include "fp_runner_config.h"

/* Element types (schema codes) the interpreter stores. */
enum { FP_TYPE_FLOAT32 = 0, FP_TYPE_INT32 = 2, FP_TYPE_INT8 = 9 };

/* Operators (internal numbering; fp_int8_op_names lists their schema names in this order). */
typedef enum {
  FP_OP_FULLY_CONNECTED = 0,
  FP_OP_CONV_2D,
  FP_OP_DEPTHWISE_CONV_2D,
  FP_OP_AVERAGE_POOL_2D,
  FP_OP_MAX_POOL_2D,
  FP_OP_RESHAPE,
  FP_OP_SOFTMAX,
  FP_OP_LOGISTIC,
  FP_OP_QUANTIZE,
  FP_OP_DEQUANTIZE,
  FP_OP_ADD,
  FP_OP_SHAPE,
  FP_OP_STRIDED_SLICE,
  FP_OP_PACK,
  FP_OP_COUNT
} fp_op_kind;

extern const char *const fp_int8_op_names[FP_OP_COUNT];

typedef struct {
  uint8_t *data;        /* planned tensors: their bytes in the arena; NULL for constants */
  const uint8_t *cdata; /* what kernels read: data, or the constant's bytes in the model */
  int32_t dims[FP_RUNNER_MAX_RANK];
  int32_t count;        /* elements */
  uint32_t bytes;
  float scale;          /* the first scale (per-tensor), 0 when none */
  int32_t zero_point;   /* the first zero point */
  uint32_t scales_at;   /* model offset of the scale vector (per-channel scales), 0 when none */
  uint32_t scale_count;
  int32_t quant_dim;
  int32_t first_step, last_step; /* lifetime in TFLM's steps, -1 when unused */
  uint8_t rank;
  uint8_t type;
  bool is_const;
  bool is_variable;
} fp_tensor;

/* Activation clamp, padding and windows of the kernels. */
typedef struct {
  int32_t stride_h, stride_w, dil_h, dil_w, pad_h, pad_w;
  int32_t out_h, out_w, filter_h, filter_w;
} fp_window;

typedef struct {
  uint8_t kind;         /* fp_op_kind */
  uint8_t activation;   /* schema ActivationFunctionType */
  uint8_t padding;      /* schema Padding: 0 SAME, 1 VALID */
  uint8_t flag;         /* FULLY_CONNECTED: per-channel; QUANTIZE: from float32; SLICE: offset */
  uint16_t input_count;
  uint32_t inputs_at;   /* model offset of the int32 input indices (-1 = absent) */
  int32_t output;
  uint32_t options_at;  /* model offset of the builtin options table, 0 when none */
  uint64_t macs;
  int32_t act_min, act_max;
  int32_t in_zp, filter_zp, out_zp, in2_zp;
  int32_t a, b, c, d, e; /* kernel sizes (batches, depths, rows, ...); see fp_int8_ops.c */
  int32_t multiplier, shift, multiplier2, shift2, multiplier3, shift3;
  float fscale;         /* SOFTMAX: beta */
  int32_t opt[6];       /* the builtin options as read (strides, filter size, masks, axis) */
  int32_t *mults;       /* per-channel multipliers and shifts (tail), or NULL */
  int32_t *shifts;
  int32_t *ints;        /* other prepared int32 arrays (tail): broadcast strides, slice bounds */
  fp_window win;
} fp_op;

typedef struct {
  const uint8_t *model;
  uint32_t model_len;
  uint8_t *arena;
  uint32_t arena_size;
  uint32_t head;        /* planned bytes at the arena's start */
  uint32_t tail;        /* first byte of the persistent section */
  fp_tensor *tensors;
  uint32_t tensor_count;
  fp_op *ops;
  uint32_t op_count;
  uint32_t inputs_at, input_count, outputs_at, output_count;
  uint64_t macs;
  bool ready;
  char reason[160];     /* why init failed, in words */
} fp_int8;

/* Reads, checks, plans and prepares model (len bytes) in arena (arena_size bytes, 16-byte
 * aligned). FP_ERR_MODEL_INVALID with it->reason when the model is corrupt, not int8, uses an
 * operator outside the list above or does not fit the arena. */
fp_err fp_int8_init(fp_int8 *it, const uint8_t *model, uint32_t len, uint8_t *arena,
                    uint32_t arena_size);

/* Runs every operator once on the inputs written into the input tensors' data. */
fp_err fp_int8_invoke(fp_int8 *it);

/* Model input and output i (NULL when there is no such one). Write inputs into data before
 * invoke; read outputs from cdata after it. */
fp_tensor *fp_int8_input(fp_int8 *it, uint32_t i);
const fp_tensor *fp_int8_output(const fp_int8 *it, uint32_t i);

/* Arena bytes the loaded model takes: planned head plus persistent tail. */
uint32_t fp_int8_arena_used(const fp_int8 *it);

/* TFLite's Dequantize of one int8 value: (float)((double)scale * (q - zero_point)). */
float fp_int8_dequantize(int8_t q, float scale, int32_t zero_point);

#endif
