#include "fp_int8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fp_flatbuf.h"
#include "fp_int8_ops.h"

/* TFLM's arena buffer alignment (MicroArenaBufferAlignment). */
#define ALIGNMENT 16u

const char *const fp_int8_op_names[FP_OP_COUNT] = {
    "FULLY_CONNECTED", "CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "MAX_POOL_2D",
    "RESHAPE",         "SOFTMAX", "LOGISTIC",          "QUANTIZE",        "DEQUANTIZE",
    "ADD",             "SHAPE",   "STRIDED_SLICE",     "PACK"};

fp_err fp_int8_fail(fp_int8 *it, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  vsnprintf(it->reason, sizeof it->reason, fmt, args);
  va_end(args);
  return FP_ERR_MODEL_INVALID;
}

void *fp_int8_alloc(fp_int8 *it, uint32_t bytes) {
  uint32_t rounded = (bytes + 7u) & ~7u;
  if (rounded < bytes || rounded > it->tail - it->head) {
    fp_int8_fail(it, "the model needs more than the runner's %u-byte tensor arena",
                 (unsigned)it->arena_size);
    return NULL;
  }
  it->tail -= rounded;
  memset(it->arena + it->tail, 0, rounded);
  return it->arena + it->tail;
}

int32_t fp_int8_op_input(const fp_int8 *it, const fp_op *op, uint32_t i) {
  if (i >= op->input_count) return -1;
  int32_t index = (int32_t)fp_fb_le32(it->model + op->inputs_at + 4u * i);
  return index < 0 ? -1 : index;
}

static int32_t io_index(const fp_int8 *it, uint32_t at, uint32_t i) {
  return (int32_t)fp_fb_le32(it->model + at + 4u * i);
}

/* When each tensor is alive, in TFLM's steps: model inputs at step 0, operator i at step i + 1
 * (creating its outputs, last using its operands), model outputs until the last step. */
static void lifetimes(fp_int8 *it) {
  uint32_t step = 0;
  for (uint32_t i = 0; i < it->input_count; i++) {
    fp_tensor *t = &it->tensors[io_index(it, it->inputs_at, i)];
    if (t->first_step < 0) t->first_step = 0;
    t->last_step = 0;
  }
  for (uint32_t o = 0; o < it->op_count; o++) {
    const fp_op *op = &it->ops[o];
    step++;
    fp_tensor *out = &it->tensors[op->output];
    if (out->first_step < 0) out->first_step = (int32_t)step;
    for (uint32_t i = 0; i < op->input_count; i++) {
      int32_t index = fp_int8_op_input(it, op, i);
      if (index >= 0) it->tensors[index].last_step = (int32_t)step;
    }
    out->last_step = (int32_t)step;
  }
  for (uint32_t i = 0; i < it->output_count; i++) {
    fp_tensor *t = &it->tensors[io_index(it, it->outputs_at, i)];
    if (t->first_step < 0) t->first_step = (int32_t)step;
    t->last_step = (int32_t)step;
  }
}

static bool planned(const fp_tensor *t) { return !t->is_const && !t->is_variable && t->bytes != 0; }

static uint32_t aligned(uint32_t bytes) { return (bytes + ALIGNMENT - 1u) & ~(ALIGNMENT - 1u); }

static bool overlap(const fp_tensor *a, const fp_tensor *b) {
  return a->first_step <= b->last_step && b->first_step <= a->last_step;
}

/*
 * TFLM's GreedyMemoryPlanner: buffers sorted largest first by a stable descending bubble sort over
 * them in reverse order of addition; each takes the first gap, among the placed buffers alive at
 * the same time in offset order, that holds it, else the end of the last of them. The scratch
 * arrays live in the tail and are given back.
 */
static fp_err plan(fp_int8 *it) {
  uint32_t mark = it->tail, n = 0;
  for (uint32_t i = 0; i < it->tensor_count; i++) n += planned(&it->tensors[i]);
  uint32_t *ids = fp_int8_alloc(it, 4u * n);
  uint32_t *offsets = fp_int8_alloc(it, 4u * it->tensor_count);
  uint32_t *by_offset = fp_int8_alloc(it, 4u * n);
  if ((n > 0 && (ids == NULL || by_offset == NULL)) || (it->tensor_count && offsets == NULL)) {
    return FP_ERR_MODEL_INVALID;
  }
  uint32_t k = n;
  for (uint32_t i = 0; i < it->tensor_count; i++) {
    if (planned(&it->tensors[i])) ids[--k] = i;
  }
  bool swapped = true;
  while (swapped) {
    swapped = false;
    for (uint32_t i = 1; i < n; i++) {
      if (aligned(it->tensors[ids[i - 1]].bytes) < aligned(it->tensors[ids[i]].bytes)) {
        uint32_t t = ids[i - 1];
        ids[i - 1] = ids[i];
        ids[i] = t;
        swapped = true;
      }
    }
  }
  uint64_t head = 0;
  for (uint32_t p = 0; p < n; p++) {
    const fp_tensor *want = &it->tensors[ids[p]];
    uint64_t candidate = 0;
    uint32_t size = aligned(want->bytes);
    for (uint32_t q = 0; q < p; q++) {
      const fp_tensor *placed = &it->tensors[by_offset[q]];
      if (!overlap(placed, want)) continue;
      uint64_t at = offsets[by_offset[q]];
      if (at >= candidate && at - candidate >= size) break;
      uint64_t end = at + aligned(placed->bytes);
      if (end > candidate) candidate = end;
    }
    if (candidate + size > it->arena_size) {
      it->tail = mark;
      return fp_int8_fail(it, "the model's tensors need more than the runner's %u-byte arena",
                          (unsigned)it->arena_size);
    }
    offsets[ids[p]] = (uint32_t)candidate;
    uint32_t pos = 0;
    while (pos < p && offsets[by_offset[pos]] <= candidate) pos++;
    memmove(by_offset + pos + 1, by_offset + pos, 4u * (p - pos));
    by_offset[pos] = ids[p];
    if (candidate + size > head) head = candidate + size;
  }
  for (uint32_t i = 0; i < it->tensor_count; i++) {
    fp_tensor *t = &it->tensors[i];
    if (planned(t)) t->data = it->arena + offsets[i];
  }
  it->tail = mark;
  if (head > it->tail) {
    return fp_int8_fail(it, "the model needs %u bytes of tensors and %u of tables, more than the "
                        "runner's %u-byte arena", (unsigned)head,
                        (unsigned)(it->arena_size - it->tail), (unsigned)it->arena_size);
  }
  it->head = (uint32_t)head;
  return FP_OK;
}

/* Variable tensors live in the tail for good; empty ones point at the arena's start. */
static fp_err place_unplanned(fp_int8 *it) {
  for (uint32_t i = 0; i < it->tensor_count; i++) {
    fp_tensor *t = &it->tensors[i];
    if (t->is_const) continue;
    if (t->is_variable && t->bytes != 0) {
      t->data = fp_int8_alloc(it, t->bytes);
      if (t->data == NULL) return FP_ERR_MODEL_INVALID;
    } else if (t->bytes == 0) {
      t->data = it->arena;
    }
    t->cdata = t->data;
  }
  return FP_OK;
}

static fp_err check_io(fp_int8 *it) {
  for (uint32_t i = 0; i < it->input_count; i++) {
    if (it->tensors[io_index(it, it->inputs_at, i)].is_const) {
      return fp_int8_fail(it, "model input %u is a constant", (unsigned)i);
    }
  }
  for (uint32_t i = 0; i < it->output_count; i++) {
    if (it->tensors[io_index(it, it->outputs_at, i)].is_const) {
      return fp_int8_fail(it, "model output %u is a constant", (unsigned)i);
    }
  }
  for (uint32_t o = 0; o < it->op_count; o++) {
    const fp_op *op = &it->ops[o];
    int32_t in = fp_int8_op_input(it, op, 0);
    if (op->kind != FP_OP_QUANTIZE && op->kind != FP_OP_DEQUANTIZE && in >= 0 &&
        it->tensors[in].type == FP_TYPE_FLOAT32) {
      return fp_int8_fail(it, "%s #%u computes in float32: an int8 (post-training quantized) "
                          "model is required", fp_int8_op_names[op->kind], (unsigned)o);
    }
  }
  return FP_OK;
}

fp_err fp_int8_init(fp_int8 *it, const uint8_t *model, uint32_t len, uint8_t *arena,
                    uint32_t arena_size) {
  memset(it, 0, sizeof *it);
  it->model = model;
  it->model_len = len;
  it->arena = arena;
  it->arena_size = arena_size;
  it->tail = arena_size;
  fp_err err = fp_tflite_read(it);
  if (err == FP_OK) err = check_io(it);
  if (err == FP_OK) {
    lifetimes(it);
    for (uint32_t i = 0; i < it->tensor_count; i++) {
      if (!it->tensors[i].is_const) it->tensors[i].cdata = NULL;
    }
    err = plan(it);
  }
  if (err == FP_OK) err = place_unplanned(it);
  for (uint32_t o = 0; err == FP_OK && o < it->op_count; o++) {
    err = fp_int8_prepare(it, &it->ops[o], o);
    it->macs += it->ops[o].macs;
  }
  if (err != FP_OK) return FP_ERR_MODEL_INVALID;
  it->ready = true;
  it->reason[0] = '\0';
  return FP_OK;
}

fp_err fp_int8_invoke(fp_int8 *it) {
  if (!it->ready) return FP_ERR_MODEL_INVALID;
  for (uint32_t o = 0; o < it->op_count; o++) fp_int8_eval(it, &it->ops[o]);
  return FP_OK;
}

fp_tensor *fp_int8_input(fp_int8 *it, uint32_t i) {
  if (!it->ready || i >= it->input_count) return NULL;
  return &it->tensors[io_index(it, it->inputs_at, i)];
}

const fp_tensor *fp_int8_output(const fp_int8 *it, uint32_t i) {
  if (!it->ready || i >= it->output_count) return NULL;
  return &it->tensors[io_index(it, it->outputs_at, i)];
}

uint32_t fp_int8_arena_used(const fp_int8 *it) { return it->head + (it->arena_size - it->tail); }
