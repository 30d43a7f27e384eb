/*
 * The int8 kernels: prepare (check the operands, compute multipliers, shifts, clamps, padding)
 * and eval, one pair per operator, following TFLM's reference kernels (reference_integer_ops and
 * reference_ops) and the Java interpreter in model/.../interpreter that matches them bit for bit.
 * Every index a kernel computes at eval time is bounded by a check made here at prepare: a model
 * is untrusted input.
 */
#include <math.h>
#include <string.h>

#include "fp_int8_math.h"
#include "fp_int8_ops.h"

enum { ACT_NONE = 0, ACT_RELU = 1, ACT_RELU_N1_TO_1 = 2, ACT_RELU6 = 3 };
enum { PAD_SAME = 0, PAD_VALID = 1 };

#define SLICE_DIMS 5

static const char *name(const fp_op *op) { return fp_int8_op_names[op->kind]; }

static fp_tensor *tensor(fp_int8 *it, int32_t index) { return &it->tensors[index]; }

static fp_tensor *in_tensor(fp_int8 *it, const fp_op *op, uint32_t slot) {
  int32_t index = fp_int8_op_input(it, op, slot);
  return index < 0 ? NULL : tensor(it, index);
}

static fp_err need(fp_int8 *it, const fp_op *op, uint32_t index, const fp_tensor *t, uint8_t type,
                   const char *what) {
  if (t != NULL && t->type == type) return FP_OK;
  return fp_int8_fail(it, "%s #%u: %s must be %s", name(op), (unsigned)index, what,
                      type == FP_TYPE_INT8 ? "int8" : (type == FP_TYPE_INT32 ? "int32" : "float32"));
}

static fp_err invalid(fp_int8 *it, const fp_op *op, uint32_t index, const char *what) {
  return fp_int8_fail(it, "%s #%u: %s", name(op), (unsigned)index, what);
}

static bool same_dims(const fp_tensor *a, const fp_tensor *b) {
  return a->rank == b->rank && memcmp(a->dims, b->dims, sizeof(int32_t) * a->rank) == 0;
}

static int32_t ld_i32(const uint8_t *p) {
  int32_t v;
  memcpy(&v, p, sizeof v);
  return v;
}

static float ld_f32(const uint8_t *p) {
  float v;
  memcpy(&v, p, sizeof v);
  return v;
}

/* A shift the arithmetic can apply: |shift| <= 31 (a real multiplier between 2^-31 and 2^31). */
static fp_err check_shift(fp_int8 *it, const fp_op *op, uint32_t index, int32_t shift) {
  if (shift >= -31 && shift <= 31) return FP_OK;
  return invalid(it, op, index, "a quantization multiplier lies outside 2^-31 .. 2^31");
}

/* ---- shared prepare steps ---- */

static fp_err quantize_bound(fp_int8 *it, const fp_op *op, uint32_t index, float real,
                             const fp_tensor *out, int32_t *bound) {
  float quotient = real / out->scale;
  double rounded = fp_round_half_away((double)quotient);
  if (!(rounded >= -2147483648.0 && rounded <= 2147483647.0)) {
    return invalid(it, op, index, "an activation bound overflows int32");
  }
  *bound = fp_wadd(out->zero_point, (int32_t)rounded);
  return FP_OK;
}

/* CalculateActivationRangeQuantized for the op's fused activation on out. */
static fp_err activation(fp_int8 *it, fp_op *op, uint32_t index, const fp_tensor *out) {
  int32_t lo = 0, hi = 0;
  fp_err err = FP_OK;
  op->act_min = -128;
  op->act_max = 127;
  switch (op->activation) {
    case ACT_NONE: return FP_OK;
    case ACT_RELU: err = quantize_bound(it, op, index, 0.0f, out, &lo); hi = 127; break;
    case ACT_RELU6:
      err = quantize_bound(it, op, index, 0.0f, out, &lo);
      if (err == FP_OK) err = quantize_bound(it, op, index, 6.0f, out, &hi);
      break;
    case ACT_RELU_N1_TO_1:
      err = quantize_bound(it, op, index, -1.0f, out, &lo);
      if (err == FP_OK) err = quantize_bound(it, op, index, 1.0f, out, &hi);
      break;
    default: return invalid(it, op, index, "its fused activation is not supported");
  }
  if (err != FP_OK) return err;
  op->act_min = lo > -128 ? lo : -128;
  op->act_max = hi < 127 ? hi : 127;
  return FP_OK;
}

/* Output size and leading padding along one axis (TFLite's padding.h). */
static bool window_axis(uint8_t padding, int32_t in, int32_t filter, int32_t stride,
                        int32_t dilation, int32_t *out, int32_t *pad) {
  int64_t effective = (int64_t)(filter - 1) * dilation + 1;
  int64_t o = padding == PAD_SAME ? ((int64_t)in + stride - 1) / stride
                                  : ((int64_t)in + stride - effective) / stride;
  int64_t total = (o - 1) * stride + effective - in;
  if (total < 0) total = 0;
  if (o < 0) o = 0;
  if (o > INT32_MAX || total / 2 > INT32_MAX) return false;
  *out = (int32_t)o;
  *pad = (int32_t)(total / 2);
  return true;
}

static fp_err window(fp_int8 *it, fp_op *op, uint32_t index, const fp_tensor *in,
                     int32_t filter_h, int32_t filter_w) {
  fp_window *w = &op->win;
  w->stride_w = op->opt[0];
  w->stride_h = op->opt[1];
  w->dil_w = op->opt[2];
  w->dil_h = op->opt[3];
  w->filter_h = filter_h;
  w->filter_w = filter_w;
  if (w->stride_w <= 0 || w->stride_h <= 0 || w->dil_w <= 0 || w->dil_h <= 0) {
    return invalid(it, op, index, "strides and dilations must be positive");
  }
  if (op->padding > PAD_VALID) return invalid(it, op, index, "unknown padding");
  if (!window_axis(op->padding, in->dims[1], filter_h, w->stride_h, w->dil_h, &w->out_h,
                   &w->pad_h) ||
      !window_axis(op->padding, in->dims[2], filter_w, w->stride_w, w->dil_w, &w->out_w,
                   &w->pad_w)) {
    return invalid(it, op, index, "the window does not fit int32");
  }
  return FP_OK;
}

static fp_err check_nhwc(fp_int8 *it, const fp_op *op, uint32_t index, const fp_tensor *out,
                         int32_t b, int32_t h, int32_t w, int32_t c) {
  if (out->rank == 4 && out->dims[0] == b && out->dims[1] == h && out->dims[2] == w &&
      out->dims[3] == c) {
    return FP_OK;
  }
  return invalid(it, op, index, "the output shape differs from the computed one");
}

/* The optional bias (input 2): a constant int32 tensor of channels values. */
static fp_err bias(fp_int8 *it, const fp_op *op, uint32_t index, int32_t channels) {
  const fp_tensor *b = in_tensor(it, op, 2);
  if (b == NULL) return FP_OK;
  if (b->type != FP_TYPE_INT32 || !b->is_const) {
    return invalid(it, op, index, "input 2 must be a constant int32 tensor");
  }
  if (b->count != channels) return invalid(it, op, index, "the bias does not match the channels");
  return FP_OK;
}

/* Per-channel output multipliers (PopulateConvolutionQuantizationParams). */
static fp_err channel_multipliers(fp_int8 *it, fp_op *op, uint32_t index, const fp_tensor *in,
                                  const fp_tensor *filter, int32_t dim, int32_t channels,
                                  const fp_tensor *out) {
  if (filter->scale_count > 1 &&
      (filter->scale_count != (uint32_t)channels || filter->quant_dim != dim)) {
    return fp_int8_fail(it, "%s #%u: the filter's per-channel scales do not match its channels",
                        name(op), (unsigned)index);
  }
  op->mults = fp_int8_alloc(it, 4u * (uint32_t)channels);
  op->shifts = fp_int8_alloc(it, 4u * (uint32_t)channels);
  if (channels > 0 && (op->mults == NULL || op->shifts == NULL)) return FP_ERR_MODEL_INVALID;
  for (int32_t c = 0; c < channels; c++) {
    float scale = filter->scale_count > 1
                      ? ld_f32(it->model + filter->scales_at + 4u * (uint32_t)c)
                      : filter->scale;
    fp_qmul q = fp_quantize_multiplier((double)in->scale * (double)scale / (double)out->scale);
    fp_err err = check_shift(it, op, index, q.shift);
    if (err != FP_OK) return err;
    op->mults[c] = q.multiplier;
    op->shifts[c] = q.shift;
  }
  return FP_OK;
}

/* ---- CONV_2D and DEPTHWISE_CONV_2D (reference_integer_ops ConvPerChannel, DepthwiseConv) ---- */

/* a batches, b input height, c input width, d input depth, e filter depth (conv) or depth
 * multiplier (depthwise); out depth is the output's last dimension. */
static fp_err prepare_conv(fp_int8 *it, fp_op *op, uint32_t index) {
  fp_tensor *in = in_tensor(it, op, 0), *filter = in_tensor(it, op, 1);
  fp_tensor *out = tensor(it, op->output);
  bool depthwise = op->kind == FP_OP_DEPTHWISE_CONV_2D;
  fp_err err = need(it, op, index, in, FP_TYPE_INT8, "input 0");
  if (err == FP_OK) err = need(it, op, index, filter, FP_TYPE_INT8, "the filter");
  if (err == FP_OK) err = need(it, op, index, out, FP_TYPE_INT8, "the output");
  if (err != FP_OK) return err;
  if (in->rank != 4 || filter->rank != 4 || out->rank != 4) {
    return invalid(it, op, index, "input, filter and output must have rank 4");
  }
  op->a = in->dims[0];
  op->b = in->dims[1];
  op->c = in->dims[2];
  op->d = in->dims[3];
  int32_t out_depth;
  if (depthwise) {
    out_depth = filter->dims[3];
    op->e = op->opt[4];
    if (filter->dims[0] != 1 || op->e <= 0 || (int64_t)out_depth != (int64_t)op->d * op->e) {
      return invalid(it, op, index, "the filter and depth multiplier do not match the input");
    }
  } else {
    out_depth = filter->dims[0];
    op->e = filter->dims[3];
    if (op->e == 0 || op->d % op->e != 0) {
      return invalid(it, op, index, "the input depth is not a multiple of the filter depth");
    }
    int32_t groups = op->d / op->e;
    if (out_depth % groups != 0 || out_depth / groups == 0) {
      return invalid(it, op, index, "the filters do not split into the groups");
    }
  }
  err = window(it, op, index, in, filter->dims[1], filter->dims[2]);
  if (err == FP_OK) err = check_nhwc(it, op, index, out, op->a, op->win.out_h, op->win.out_w,
                                     out_depth);
  if (err == FP_OK) err = bias(it, op, index, out_depth);
  if (err == FP_OK) {
    err = channel_multipliers(it, op, index, in, filter, depthwise ? 3 : 0, out_depth, out);
  }
  if (err == FP_OK) err = activation(it, op, index, out);
  op->in_zp = in->zero_point;
  op->out_zp = out->zero_point;
  op->macs = (uint64_t)out->count * (uint64_t)filter->dims[1] * (uint64_t)filter->dims[2] *
             (depthwise ? 1u : (uint64_t)filter->dims[3]);
  return err;
}

static int32_t finish(const fp_op *op, const fp_tensor *biases, int32_t acc, int32_t channel) {
  if (biases != NULL) acc = fp_wadd(acc, ld_i32(biases->cdata + 4u * (uint32_t)channel));
  acc = fp_mbqm(acc, op->mults[channel], op->shifts[channel]);
  return fp_clamp(fp_wadd(acc, op->out_zp), op->act_min, op->act_max);
}

static void eval_conv(fp_int8 *it, const fp_op *op) {
  const fp_tensor *in = in_tensor(it, op, 0), *filter = in_tensor(it, op, 1);
  const fp_tensor *biases = in_tensor(it, op, 2);
  fp_tensor *out = tensor(it, op->output);
  const int8_t *input = (const int8_t *)in->cdata, *weights = (const int8_t *)filter->cdata;
  int8_t *output = (int8_t *)out->data;
  const fp_window *w = &op->win;
  int32_t out_depth = out->dims[3], in_h = op->b, in_w = op->c, in_d = op->d, f_d = op->e;
  int32_t per_group = out_depth / (in_d / f_d);
  for (int32_t b = 0; b < op->a; b++) {
    for (int32_t oy = 0; oy < w->out_h; oy++) {
      int32_t y0 = oy * w->stride_h - w->pad_h;
      for (int32_t ox = 0; ox < w->out_w; ox++) {
        int32_t x0 = ox * w->stride_w - w->pad_w;
        for (int32_t oc = 0; oc < out_depth; oc++) {
          int32_t group_base = (oc / per_group) * f_d;
          int32_t acc = 0;
          for (int32_t fy = 0; fy < w->filter_h; fy++) {
            int32_t y = y0 + w->dil_h * fy;
            if (y < 0 || y >= in_h) continue;
            for (int32_t fx = 0; fx < w->filter_w; fx++) {
              int32_t x = x0 + w->dil_w * fx;
              if (x < 0 || x >= in_w) continue;
              const int8_t *px = input + ((b * in_h + y) * in_w + x) * in_d + group_base;
              const int8_t *fw = weights + ((oc * w->filter_h + fy) * w->filter_w + fx) * f_d;
              for (int32_t ic = 0; ic < f_d; ic++) {
                acc = fp_wadd(acc, fw[ic] * (px[ic] - op->in_zp));
              }
            }
          }
          output[((b * w->out_h + oy) * w->out_w + ox) * out_depth + oc] =
              (int8_t)finish(op, biases, acc, oc);
        }
      }
    }
  }
}

static void eval_depthwise(fp_int8 *it, const fp_op *op) {
  const fp_tensor *in = in_tensor(it, op, 0), *filter = in_tensor(it, op, 1);
  const fp_tensor *biases = in_tensor(it, op, 2);
  fp_tensor *out = tensor(it, op->output);
  const int8_t *input = (const int8_t *)in->cdata, *weights = (const int8_t *)filter->cdata;
  int8_t *output = (int8_t *)out->data;
  const fp_window *w = &op->win;
  int32_t out_depth = out->dims[3], in_h = op->b, in_w = op->c, in_d = op->d, mult = op->e;
  for (int32_t b = 0; b < op->a; b++) {
    for (int32_t oy = 0; oy < w->out_h; oy++) {
      int32_t y0 = oy * w->stride_h - w->pad_h;
      for (int32_t ox = 0; ox < w->out_w; ox++) {
        int32_t x0 = ox * w->stride_w - w->pad_w;
        for (int32_t ic = 0; ic < in_d; ic++) {
          for (int32_t m = 0; m < mult; m++) {
            int32_t oc = m + ic * mult;
            int32_t acc = 0;
            for (int32_t fy = 0; fy < w->filter_h; fy++) {
              int32_t y = y0 + w->dil_h * fy;
              if (y < 0 || y >= in_h) continue;
              for (int32_t fx = 0; fx < w->filter_w; fx++) {
                int32_t x = x0 + w->dil_w * fx;
                if (x < 0 || x >= in_w) continue;
                int32_t v = input[((b * in_h + y) * in_w + x) * in_d + ic];
                int32_t f = weights[(fy * w->filter_w + fx) * out_depth + oc];
                acc = fp_wadd(acc, f * (v - op->in_zp));
              }
            }
            output[((b * w->out_h + oy) * w->out_w + ox) * out_depth + oc] =
                (int8_t)finish(op, biases, acc, oc);
          }
        }
      }
    }
  }
}

/* ---- FULLY_CONNECTED (reference_integer_ops FullyConnected, FullyConnectedPerChannel) ---- */

/* a batches, b output depth, c accumulation depth; flag: per-channel filter. */
static fp_err prepare_fully_connected(fp_int8 *it, fp_op *op, uint32_t index) {
  fp_tensor *in = in_tensor(it, op, 0), *filter = in_tensor(it, op, 1);
  fp_tensor *out = tensor(it, op->output);
  if (op->opt[0] != 0) return invalid(it, op, index, "its weights format is not DEFAULT");
  fp_err err = need(it, op, index, in, FP_TYPE_INT8, "input 0");
  if (err == FP_OK) err = need(it, op, index, filter, FP_TYPE_INT8, "the filter");
  if (err == FP_OK) err = need(it, op, index, out, FP_TYPE_INT8, "the output");
  if (err != FP_OK) return err;
  if (filter->rank < 2 || out->rank < 1) return invalid(it, op, index, "filter or output too small");
  op->b = out->dims[out->rank - 1];
  op->a = op->b == 0 ? 0 : out->count / op->b;
  op->c = filter->dims[filter->rank - 1];
  if (op->b > filter->dims[filter->rank - 2] || (int64_t)op->a * op->c != in->count ||
      (int64_t)op->b * op->c > filter->count) {
    return invalid(it, op, index, "input, filter and output do not match");
  }
  err = bias(it, op, index, op->b);
  if (err != FP_OK) return err;
  op->flag = filter->scale_count > 1;
  if (op->flag) {
    if (filter->scale_count < (uint32_t)op->b) {
      return invalid(it, op, index, "the filter has fewer scales than output channels");
    }
    err = channel_multipliers(it, op, index, in, filter, filter->quant_dim,
                              filter->dims[filter->quant_dim], out);
  } else {
    const fp_tensor *b = in_tensor(it, op, 2);
    if (b != NULL) {
      double exact = (double)in->scale * (double)filter->scale;
      double difference = fabs(exact - (double)b->scale);
      if (!(difference / (double)out->scale <= 0.02)) {
        return fp_int8_fail(it, "%s #%u: the bias scale differs from input scale times filter "
                            "scale", name(op), (unsigned)index);
      }
    }
    float product = in->scale * filter->scale;
    fp_qmul q = fp_quantize_multiplier((double)product / (double)out->scale);
    err = check_shift(it, op, index, q.shift);
    op->multiplier = q.multiplier;
    op->shift = q.shift;
  }
  if (err == FP_OK) err = activation(it, op, index, out);
  op->in_zp = in->zero_point;
  op->filter_zp = filter->zero_point;
  op->out_zp = out->zero_point;
  op->macs = (uint64_t)out->count * (uint64_t)op->c;
  return err;
}

static void eval_fully_connected(fp_int8 *it, const fp_op *op) {
  const fp_tensor *in = in_tensor(it, op, 0), *filter = in_tensor(it, op, 1);
  const fp_tensor *biases = in_tensor(it, op, 2);
  const int8_t *input = (const int8_t *)in->cdata, *weights = (const int8_t *)filter->cdata;
  int8_t *output = (int8_t *)tensor(it, op->output)->data;
  int32_t depth = op->b, accum = op->c;
  for (int32_t b = 0; b < op->a; b++) {
    const int8_t *x = input + b * accum;
    for (int32_t oc = 0; oc < depth; oc++) {
      const int8_t *f = weights + oc * accum;
      int32_t acc = 0;
      if (op->flag) {
        for (int32_t d = 0; d < accum; d++) acc = fp_wadd(acc, f[d] * (x[d] - op->in_zp));
      } else {
        for (int32_t d = 0; d < accum; d++) {
          acc = fp_wadd(acc, (f[d] - op->filter_zp) * (x[d] - op->in_zp));
        }
      }
      if (biases != NULL) acc = fp_wadd(acc, ld_i32(biases->cdata + 4u * (uint32_t)oc));
      acc = op->flag ? fp_mbqm(acc, op->mults[oc], op->shifts[oc])
                     : fp_mbqm(acc, op->multiplier, op->shift);
      output[oc + depth * b] = (int8_t)fp_clamp(fp_wadd(acc, op->out_zp), op->act_min, op->act_max);
    }
  }
}

/* ---- AVERAGE_POOL_2D, MAX_POOL_2D (reference_integer_ops AveragePool, MaxPool) ---- */

/* a batches, b input height, c input width, d depth. */
static fp_err prepare_pool(fp_int8 *it, fp_op *op, uint32_t index) {
  fp_tensor *in = in_tensor(it, op, 0), *out = tensor(it, op->output);
  fp_err err = need(it, op, index, in, FP_TYPE_INT8, "input 0");
  if (err == FP_OK) err = need(it, op, index, out, FP_TYPE_INT8, "the output");
  if (err != FP_OK) return err;
  if (in->rank != 4 || out->rank != 4) return invalid(it, op, index, "input and output need rank 4");
  int32_t filter_w = op->opt[2], filter_h = op->opt[3];
  if (filter_w <= 0 || filter_h <= 0) return invalid(it, op, index, "the filter is empty");
  if (!(fabs((double)(in->scale - out->scale)) <= 1.0e-6) || in->zero_point != out->zero_point) {
    return invalid(it, op, index, "input and output must share scale and zero point");
  }
  op->opt[2] = 1; /* the window's dilations */
  op->opt[3] = 1;
  err = window(it, op, index, in, filter_h, filter_w);
  if (err == FP_OK) {
    err = check_nhwc(it, op, index, out, in->dims[0], op->win.out_h, op->win.out_w, in->dims[3]);
  }
  if (err == FP_OK) err = activation(it, op, index, out);
  op->a = in->dims[0];
  op->b = in->dims[1];
  op->c = in->dims[2];
  op->d = in->dims[3];
  return err;
}

static void eval_pool(fp_int8 *it, const fp_op *op) {
  const int8_t *input = (const int8_t *)in_tensor(it, op, 0)->cdata;
  int8_t *output = (int8_t *)tensor(it, op->output)->data;
  const fp_window *w = &op->win;
  bool average = op->kind == FP_OP_AVERAGE_POOL_2D;
  for (int32_t b = 0; b < op->a; b++) {
    for (int32_t oy = 0; oy < w->out_h; oy++) {
      int32_t y0 = oy * w->stride_h - w->pad_h;
      int32_t y_start = y0 < 0 ? -y0 : 0;
      int32_t y_end = w->filter_h < op->b - y0 ? w->filter_h : op->b - y0;
      for (int32_t ox = 0; ox < w->out_w; ox++) {
        int32_t x0 = ox * w->stride_w - w->pad_w;
        int32_t x_start = x0 < 0 ? -x0 : 0;
        int32_t x_end = w->filter_w < op->c - x0 ? w->filter_w : op->c - x0;
        for (int32_t ch = 0; ch < op->d; ch++) {
          int32_t acc = average ? 0 : -128, count = 0;
          for (int32_t fy = y_start; fy < y_end; fy++) {
            for (int32_t fx = x_start; fx < x_end; fx++) {
              int32_t v = input[((b * op->b + y0 + fy) * op->c + x0 + fx) * op->d + ch];
              if (average) {
                acc += v;
              } else if (v > acc) {
                acc = v;
              }
              count++;
            }
          }
          if (average) {
            acc = count == 0 ? 0 : (acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count);
          }
          output[((b * w->out_h + oy) * w->out_w + ox) * op->d + ch] =
              (int8_t)fp_clamp(acc, op->act_min, op->act_max);
        }
      }
    }
  }
}

/* ---- ADD (reference_integer_ops Add, add_common.cc) with broadcasting ---- */

#define ADD_LEFT_SHIFT 20

static fp_err smaller_than_one(fp_int8 *it, const fp_op *op, uint32_t index, double real,
                               int32_t *multiplier, int32_t *shift) {
  if (!(real > 0.0 && real < 1.0)) {
    return invalid(it, op, index, "a rescaling multiplier is not in (0, 1)");
  }
  fp_qmul q = fp_quantize_multiplier(real);
  *multiplier = q.multiplier;
  *shift = q.shift;
  return FP_OK;
}

/* ints: output dims, then the element strides of input 1 and input 2 along them (0 where an
 * input broadcasts), FP_RUNNER_MAX_RANK each; a: output rank. */
static fp_err broadcast(fp_int8 *it, const fp_op *op, uint32_t index, const fp_tensor *in,
                        const fp_tensor *out, int32_t *strides) {
  int32_t rank = out->rank;
  if (in->rank > rank) return invalid(it, op, index, "an input does not broadcast to the output");
  int32_t stride = 1;
  for (int32_t d = rank - 1; d >= 0; d--) {
    int32_t k = d - (rank - in->rank);
    int32_t dim = k >= 0 ? in->dims[k] : 1;
    if (dim != 1 && dim != out->dims[d]) {
      return invalid(it, op, index, "an input does not broadcast to the output");
    }
    strides[d] = dim == 1 ? 0 : stride;
    stride *= dim;
  }
  return FP_OK;
}

static fp_err prepare_add(fp_int8 *it, fp_op *op, uint32_t index) {
  fp_tensor *a = in_tensor(it, op, 0), *b = in_tensor(it, op, 1), *out = tensor(it, op->output);
  fp_err err = need(it, op, index, a, FP_TYPE_INT8, "input 0");
  if (err == FP_OK) err = need(it, op, index, b, FP_TYPE_INT8, "input 1");
  if (err == FP_OK) err = need(it, op, index, out, FP_TYPE_INT8, "the output");
  if (err != FP_OK) return err;
  op->ints = fp_int8_alloc(it, 4u * 3u * FP_RUNNER_MAX_RANK);
  if (op->ints == NULL) return FP_ERR_MODEL_INVALID;
  op->a = out->rank;
  memcpy(op->ints, out->dims, sizeof(int32_t) * out->rank);
  err = broadcast(it, op, index, a, out, op->ints + FP_RUNNER_MAX_RANK);
  if (err == FP_OK) err = broadcast(it, op, index, b, out, op->ints + 2 * FP_RUNNER_MAX_RANK);
  if (err != FP_OK) return err;
  double twice_max = 2 * (double)(a->scale > b->scale ? a->scale : b->scale);
  err = smaller_than_one(it, op, index, (double)a->scale / twice_max, &op->multiplier, &op->shift);
  if (err == FP_OK) {
    err = smaller_than_one(it, op, index, (double)b->scale / twice_max, &op->multiplier2,
                           &op->shift2);
  }
  if (err == FP_OK) {
    err = smaller_than_one(it, op, index,
                           twice_max / ((1 << ADD_LEFT_SHIFT) * (double)out->scale),
                           &op->multiplier3, &op->shift3);
  }
  if (err == FP_OK) err = activation(it, op, index, out);
  op->in_zp = a->zero_point;
  op->in2_zp = b->zero_point;
  op->out_zp = out->zero_point;
  return err;
}

static void eval_add(fp_int8 *it, const fp_op *op) {
  const int8_t *x = (const int8_t *)in_tensor(it, op, 0)->cdata;
  const int8_t *y = (const int8_t *)in_tensor(it, op, 1)->cdata;
  fp_tensor *out = tensor(it, op->output);
  int8_t *output = (int8_t *)out->data;
  const int32_t *dims = op->ints, *s1 = op->ints + FP_RUNNER_MAX_RANK,
                *s2 = op->ints + 2 * FP_RUNNER_MAX_RANK;
  int32_t pos[FP_RUNNER_MAX_RANK] = {0};
  for (int32_t i = 0; i < out->count; i++) {
    int32_t at1 = 0, at2 = 0;
    for (int32_t d = 0; d < op->a; d++) {
      at1 += pos[d] * s1[d];
      at2 += pos[d] * s2[d];
    }
    int32_t a = fp_shl(x[at1] - op->in_zp, ADD_LEFT_SHIFT);
    int32_t b = fp_shl(y[at2] - op->in2_zp, ADD_LEFT_SHIFT);
    int32_t sa = fp_mbqm_smaller(a, op->multiplier, op->shift);
    int32_t sb = fp_mbqm_smaller(b, op->multiplier2, op->shift2);
    int32_t raw = fp_wadd(fp_mbqm_smaller(fp_wadd(sa, sb), op->multiplier3, op->shift3), op->out_zp);
    output[i] = (int8_t)fp_clamp(raw, op->act_min, op->act_max);
    for (int32_t d = op->a - 1; d >= 0; d--) {
      if (++pos[d] < dims[d]) break;
      pos[d] = 0;
    }
  }
}

/* ---- SOFTMAX (reference_ops Softmax, softmax_common.cc) ---- */

#define SOFTMAX_DIFF_BITS 5
#define SOFTMAX_ACCUM_BITS 12

/* a rows, b depth, c diff_min. */
static fp_err prepare_softmax(fp_int8 *it, fp_op *op, uint32_t index) {
  fp_tensor *in = in_tensor(it, op, 0), *out = tensor(it, op->output);
  fp_err err = need(it, op, index, in, FP_TYPE_INT8, "input 0");
  if (err == FP_OK) err = need(it, op, index, out, FP_TYPE_INT8, "the output");
  if (err != FP_OK) return err;
  if (in->count != out->count || in->rank < 1) {
    return invalid(it, op, index, "input and output differ in size");
  }
  if (out->zero_point != -128 || out->scale != 1.0f / 256) {
    return invalid(it, op, index, "the int8 output needs zero point -128 and scale 1/256");
  }
  double real = (double)op->fscale * (double)in->scale * (double)(1 << (31 - SOFTMAX_DIFF_BITS));
  if (real > 2147483647.0) real = 2147483647.0;
  if (!(real > 1.0)) return invalid(it, op, index, "beta times the input scale is too small");
  fp_qmul q = fp_quantize_multiplier(real);
  op->multiplier = q.multiplier;
  op->shift = q.shift;
  op->c = -fp_input_radius(SOFTMAX_DIFF_BITS, q.shift, 31);
  op->b = in->dims[in->rank - 1];
  op->a = op->b == 0 ? 0 : in->count / op->b;
  return FP_OK;
}

static int32_t exp_of_diff(const fp_op *op, int32_t diff) {
  int32_t rescaled = fp_mbqm_greater(diff, op->multiplier, op->shift);
  return fp_exp_on_negative(rescaled, SOFTMAX_DIFF_BITS);
}

static void eval_softmax(fp_int8 *it, const fp_op *op) {
  const int8_t *input = (const int8_t *)in_tensor(it, op, 0)->cdata;
  int8_t *output = (int8_t *)tensor(it, op->output)->data;
  for (int32_t row = 0; row < op->a; row++) {
    const int8_t *x = input + row * op->b;
    int8_t *y = output + row * op->b;
    int32_t max = -128;
    for (int32_t c = 0; c < op->b; c++) max = x[c] > max ? x[c] : max;
    int32_t sum = 0;
    for (int32_t c = 0; c < op->b; c++) {
      int32_t diff = x[c] - max;
      if (diff >= op->c) sum = fp_wadd(sum, fp_rescale(exp_of_diff(op, diff), 0, SOFTMAX_ACCUM_BITS));
    }
    int bits_over_unit = 0;
    int32_t scale = fp_reciprocal(sum, SOFTMAX_ACCUM_BITS, &bits_over_unit);
    int exponent = bits_over_unit + 31 - 8;
    for (int32_t c = 0; c < op->b; c++) {
      int32_t diff = x[c] - max;
      int32_t value = -128;
      if (diff >= op->c) {
        int32_t scaled = fp_srdhm(scale, exp_of_diff(op, diff));
        int32_t unsat = exponent >= 0 && exponent < 32 ? fp_rdbpot(scaled, exponent) : 0;
        value = fp_clamp(fp_wadd(unsat, -128), -128, 127);
      }
      y[c] = (int8_t)value;
    }
  }
}

/* ---- LOGISTIC (reference_integer_ops Logistic, logistic_common.cc) ---- */

#define LOGISTIC_INPUT_BITS 4

/* a input radius. */
static fp_err prepare_logistic(fp_int8 *it, fp_op *op, uint32_t index) {
  fp_tensor *in = in_tensor(it, op, 0), *out = tensor(it, op->output);
  fp_err err = need(it, op, index, in, FP_TYPE_INT8, "input 0");
  if (err == FP_OK) err = need(it, op, index, out, FP_TYPE_INT8, "the output");
  if (err != FP_OK) return err;
  if (in->count != out->count) return invalid(it, op, index, "input and output differ in size");
  if (out->zero_point != -128) return invalid(it, op, index, "the int8 output needs zero point -128");
  double real = (double)in->scale * (double)(1 << (31 - LOGISTIC_INPUT_BITS));
  int shift = fp_frexp_exponent(real);
  double fraction = ldexp(real, -shift);
  op->multiplier = (int32_t)(int64_t)fp_round_half_away(fraction * 2147483648.0);
  op->shift = shift;
  err = check_shift(it, op, index, shift);
  op->a = fp_input_radius(LOGISTIC_INPUT_BITS, shift, 31);
  op->in_zp = in->zero_point;
  return err;
}

static void eval_logistic(fp_int8 *it, const fp_op *op) {
  const fp_tensor *in = in_tensor(it, op, 0);
  const int8_t *input = (const int8_t *)in->cdata;
  int8_t *output = (int8_t *)tensor(it, op->output)->data;
  for (int32_t i = 0; i < in->count; i++) {
    int32_t d = input[i] - op->in_zp;
    /* -a wrapped as Java's int negation does: a corrupt scale can make a INT32_MIN */
    int32_t minus_a = (int32_t)(0u - (uint32_t)op->a);
    int32_t value;
    if (d <= minus_a) {
      value = -128;
    } else if (d >= op->a) {
      value = 127;
    } else {
      int32_t q4 = fp_mbqm(d, op->multiplier, op->shift);
      int32_t q0 = fp_logistic(q4, LOGISTIC_INPUT_BITS);
      value = fp_clamp(fp_wadd(fp_rdbpot(q0, 31 - 8), -128), -128, 127);
    }
    output[i] = (int8_t)value;
  }
}

/* ---- QUANTIZE (AffineQuantize, or Requantize from int8) and DEQUANTIZE ---- */

static fp_err prepare_quantize(fp_int8 *it, fp_op *op, uint32_t index) {
  fp_tensor *in = in_tensor(it, op, 0), *out = tensor(it, op->output);
  fp_err err = need(it, op, index, out, FP_TYPE_INT8, "the output");
  if (err != FP_OK) return err;
  if (in->count != out->count) return invalid(it, op, index, "input and output differ in size");
  op->out_zp = out->zero_point;
  if (in->type == FP_TYPE_FLOAT32) {
    if (out->scale_count > 1) return invalid(it, op, index, "per-channel output is not supported");
    op->flag = 1;
    op->fscale = out->scale;
    return FP_OK;
  }
  err = need(it, op, index, in, FP_TYPE_INT8, "input 0");
  if (err != FP_OK) return err;
  fp_qmul q = fp_quantize_multiplier((double)in->scale / (double)out->scale);
  op->multiplier = q.multiplier;
  op->shift = q.shift;
  op->in_zp = in->zero_point;
  return check_shift(it, op, index, q.shift);
}

static void eval_quantize(fp_int8 *it, const fp_op *op) {
  const fp_tensor *in = in_tensor(it, op, 0);
  int8_t *output = (int8_t *)tensor(it, op->output)->data;
  for (int32_t i = 0; i < in->count; i++) {
    int32_t v;
    if (op->flag) {
      float quotient = ld_f32(in->cdata + 4u * (uint32_t)i) / op->fscale;
      v = fp_wadd(fp_trunc_i32(fp_round_half_away((double)quotient)), op->out_zp);
    } else {
      v = fp_wadd(fp_mbqm(((const int8_t *)in->cdata)[i] - op->in_zp, op->multiplier, op->shift),
                  op->out_zp);
    }
    output[i] = (int8_t)fp_clamp(v, -128, 127);
  }
}

static fp_err prepare_dequantize(fp_int8 *it, fp_op *op, uint32_t index) {
  fp_tensor *in = in_tensor(it, op, 0), *out = tensor(it, op->output);
  fp_err err = need(it, op, index, in, FP_TYPE_INT8, "input 0");
  if (err == FP_OK) err = need(it, op, index, out, FP_TYPE_FLOAT32, "the output");
  if (err != FP_OK) return err;
  if (in->count != out->count) return invalid(it, op, index, "input and output differ in size");
  return FP_OK;
}

float fp_int8_dequantize(int8_t q, float scale, int32_t zero_point) {
  return (float)((double)scale * (double)(q - zero_point));
}

static void eval_dequantize(fp_int8 *it, const fp_op *op) {
  const fp_tensor *in = in_tensor(it, op, 0);
  fp_tensor *out = tensor(it, op->output);
  for (int32_t i = 0; i < in->count; i++) {
    float v = fp_int8_dequantize(((const int8_t *)in->cdata)[i], in->scale, in->zero_point);
    memcpy(out->data + 4u * (uint32_t)i, &v, sizeof v);
  }
}

/* ---- RESHAPE, SHAPE ---- */

static fp_err prepare_reshape(fp_int8 *it, fp_op *op, uint32_t index) {
  fp_tensor *in = in_tensor(it, op, 0), *out = tensor(it, op->output);
  fp_err err = need(it, op, index, in, FP_TYPE_INT8, "input 0");
  if (err == FP_OK) err = need(it, op, index, out, FP_TYPE_INT8, "the output");
  const fp_tensor *shape = in_tensor(it, op, 1);
  if (err == FP_OK && shape != NULL) err = need(it, op, index, shape, FP_TYPE_INT32, "the shape");
  if (err == FP_OK && in->count != out->count) {
    err = invalid(it, op, index, "input and output differ in size");
  }
  return err;
}

static void eval_reshape(fp_int8 *it, const fp_op *op) {
  const fp_tensor *in = in_tensor(it, op, 0);
  fp_tensor *out = tensor(it, op->output);
  if (in->bytes > 0 && out->data != in->cdata) memmove(out->data, in->cdata, in->bytes);
}

static fp_err prepare_shape(fp_int8 *it, fp_op *op, uint32_t index) {
  fp_tensor *in = in_tensor(it, op, 0), *out = tensor(it, op->output);
  fp_err err = need(it, op, index, in, FP_TYPE_INT8, "input 0");
  if (err == FP_OK) err = need(it, op, index, out, FP_TYPE_INT32, "the output");
  if (err == FP_OK && out->count != in->rank) {
    err = invalid(it, op, index, "the output does not hold one value per input dimension");
  }
  return err;
}

static void eval_shape(fp_int8 *it, const fp_op *op) {
  const fp_tensor *in = in_tensor(it, op, 0);
  memcpy(tensor(it, op->output)->data, in->dims, sizeof(int32_t) * in->rank);
}

/* ---- STRIDED_SLICE (strided_slice_logic.h) and PACK: int8 or int32 data moved as is ---- */

static fp_err data_operand(fp_int8 *it, const fp_op *op, uint32_t index, const fp_tensor *t,
                           const fp_tensor *out) {
  if (t == NULL || (t->type != FP_TYPE_INT8 && t->type != FP_TYPE_INT32)) {
    return invalid(it, op, index, "its data must be int8 or int32");
  }
  if (t->type != out->type) return invalid(it, op, index, "inputs and output differ in type");
  return FP_OK;
}

static int32_t clamp64(int64_t v, int64_t lo, int64_t hi) {
  return (int32_t)(v > hi ? hi : (v < lo ? lo : v));
}

static int32_t count_along(int32_t start, int32_t stop, int32_t stride) {
  int64_t span = (int64_t)stop - start;
  if (stride > 0) return span <= 0 ? 0 : (int32_t)((span + stride - 1) / stride);
  return span >= 0 ? 0 : (int32_t)((-span - (int64_t)stride - 1) / -(int64_t)stride);
}

/* ints: start, stop, stride, input element stride, SLICE_DIMS each; a: elements; b: bytes each. */
static fp_err prepare_strided_slice(fp_int8 *it, fp_op *op, uint32_t index) {
  fp_tensor *in = in_tensor(it, op, 0), *out = tensor(it, op->output);
  fp_err err = data_operand(it, op, index, in, out);
  if (err != FP_OK) return err;
  if (op->opt[2] != 0 || op->opt[3] != 0) {
    return invalid(it, op, index, "ellipsis and new axis masks are not supported; convert so "
                   "that both are 0");
  }
  const fp_tensor *v[3];
  for (uint32_t s = 0; s < 3; s++) {
    v[s] = in_tensor(it, op, s + 1);
    if (v[s] == NULL || v[s]->type != FP_TYPE_INT32 || !v[s]->is_const) {
      return invalid(it, op, index, "begin, end and strides must be constant int32 tensors");
    }
    if (v[s]->count != in->rank) {
      return invalid(it, op, index, "begin, end and strides need one entry per input dimension");
    }
  }
  if (in->rank > SLICE_DIMS) return invalid(it, op, index, "the input has more than 5 dimensions");
  op->ints = fp_int8_alloc(it, 4u * 4u * SLICE_DIMS);
  if (op->ints == NULL) return FP_ERR_MODEL_INVALID;
  int32_t *start = op->ints, *stop = op->ints + SLICE_DIMS, *stride = op->ints + 2 * SLICE_DIMS;
  int32_t *in_stride = op->ints + 3 * SLICE_DIMS;
  int32_t pad = SLICE_DIMS - in->rank;
  uint32_t fill = (1u << pad) - 1u;
  uint32_t begin_mask = ((uint32_t)op->opt[0] << pad) | fill;
  uint32_t end_mask = ((uint32_t)op->opt[1] << pad) | fill;
  uint32_t shrink_mask = (uint32_t)op->opt[4] << pad;
  int32_t dims[SLICE_DIMS];
  for (int32_t d = 0; d < SLICE_DIMS; d++) {
    bool padded = d < pad;
    int32_t k = d - pad;
    dims[d] = padded ? 1 : in->dims[k];
    stride[d] = padded ? 1 : ld_i32(v[2]->cdata + 4u * (uint32_t)k);
    if (stride[d] == 0) return invalid(it, op, index, "a stride of 0 does not advance");
    int64_t b = padded ? 0 : ld_i32(v[0]->cdata + 4u * (uint32_t)k);
    int64_t e = padded ? 1 : ld_i32(v[1]->cdata + 4u * (uint32_t)k);
    if (b < 0) b += dims[d];
    start[d] = stride[d] > 0 ? clamp64(b, 0, dims[d]) : clamp64(b, -1, (int64_t)dims[d] - 1);
    if (begin_mask & (1u << d)) start[d] = stride[d] > 0 ? 0 : dims[d] - 1;
    if (shrink_mask & (1u << d)) {
      stop[d] = start[d] >= dims[d] ? start[d] : start[d] + 1;
      continue;
    }
    if (op->opt[5]) e += start[d];
    if (e < 0) e += dims[d];
    stop[d] = stride[d] > 0 ? clamp64(e, 0, dims[d]) : clamp64(e, -1, (int64_t)dims[d] - 1);
    if (end_mask & (1u << d)) stop[d] = stride[d] > 0 ? dims[d] : -1;
  }
  int64_t total = 1;
  int32_t s = 1;
  for (int32_t d = SLICE_DIMS - 1; d >= 0; d--) {
    in_stride[d] = s;
    s *= dims[d];
    total *= count_along(start[d], stop[d], stride[d]);
  }
  if (total != out->count) {
    return invalid(it, op, index, "the slice's element count differs from the output's");
  }
  op->a = (int32_t)total;
  op->b = in->type == FP_TYPE_INT8 ? 1 : 4;
  return FP_OK;
}

static bool done(int32_t i, int32_t stop, int32_t stride) {
  return stride > 0 ? i >= stop : i <= stop;
}

static void eval_strided_slice(fp_int8 *it, const fp_op *op) {
  const uint8_t *input = in_tensor(it, op, 0)->cdata;
  uint8_t *output = tensor(it, op->output)->data;
  const int32_t *st = op->ints, *sp = op->ints + SLICE_DIMS, *sd = op->ints + 2 * SLICE_DIMS;
  const int32_t *is = op->ints + 3 * SLICE_DIMS;
  uint32_t n = (uint32_t)op->b, at = 0;
  for (int32_t i0 = st[0]; !done(i0, sp[0], sd[0]); i0 += sd[0]) {
    for (int32_t i1 = st[1]; !done(i1, sp[1], sd[1]); i1 += sd[1]) {
      for (int32_t i2 = st[2]; !done(i2, sp[2], sd[2]); i2 += sd[2]) {
        for (int32_t i3 = st[3]; !done(i3, sp[3], sd[3]); i3 += sd[3]) {
          for (int32_t i4 = st[4]; !done(i4, sp[4], sd[4]); i4 += sd[4]) {
            if (at >= (uint32_t)op->a) return;
            int32_t from = i0 * is[0] + i1 * is[1] + i2 * is[2] + i3 * is[3] + i4;
            memcpy(output + n * at++, input + n * (uint32_t)from, n);
          }
        }
      }
    }
  }
}

/* a outer size, b copy size (elements), c bytes per element. */
static fp_err prepare_pack(fp_int8 *it, fp_op *op, uint32_t index) {
  fp_tensor *out = tensor(it, op->output);
  const fp_tensor *first = in_tensor(it, op, 0);
  for (uint32_t i = 0; i < op->input_count; i++) {
    const fp_tensor *t = in_tensor(it, op, i);
    fp_err err = data_operand(it, op, index, t, out);
    if (err != FP_OK) return err;
    if (!same_dims(t, first)) return invalid(it, op, index, "the inputs differ in shape");
  }
  int32_t rank = first->rank + 1;
  int32_t axis = op->opt[1] < 0 ? op->opt[1] + rank : op->opt[1];
  if (axis < 0 || axis >= rank) return invalid(it, op, index, "the axis lies outside the output");
  if (out->rank != rank) return invalid(it, op, index, "the output shape differs from the computed one");
  for (int32_t d = 0, k = 0; d < rank; d++) {
    int32_t expected = d == axis ? (int32_t)op->input_count : first->dims[k++];
    if (out->dims[d] != expected) {
      return invalid(it, op, index, "the output shape differs from the computed one");
    }
  }
  int64_t outer = 1, copy = 1;
  for (int32_t d = 0; d < axis; d++) outer *= first->dims[d];
  for (int32_t d = axis; d < first->rank; d++) copy *= first->dims[d];
  op->a = (int32_t)outer;
  op->b = (int32_t)copy;
  op->c = out->type == FP_TYPE_INT8 ? 1 : 4;
  return FP_OK;
}

static void eval_pack(fp_int8 *it, const fp_op *op) {
  uint8_t *output = tensor(it, op->output)->data;
  uint32_t n = op->input_count, copy = (uint32_t)op->b * (uint32_t)op->c;
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t *in = in_tensor(it, op, i)->cdata;
    for (uint32_t k = 0; k < (uint32_t)op->a; k++) {
      memcpy(output + (k * n + i) * copy, in + k * copy, copy);
    }
  }
}

/* ---- dispatch ---- */

fp_err fp_int8_prepare(fp_int8 *it, fp_op *op, uint32_t index) {
  fp_tensor *out = tensor(it, op->output);
  if (out->is_const) return invalid(it, op, index, "its output is a constant");
  switch (op->kind) {
    case FP_OP_FULLY_CONNECTED: return prepare_fully_connected(it, op, index);
    case FP_OP_CONV_2D:
    case FP_OP_DEPTHWISE_CONV_2D: return prepare_conv(it, op, index);
    case FP_OP_AVERAGE_POOL_2D:
    case FP_OP_MAX_POOL_2D: return prepare_pool(it, op, index);
    case FP_OP_RESHAPE: return prepare_reshape(it, op, index);
    case FP_OP_SOFTMAX: return prepare_softmax(it, op, index);
    case FP_OP_LOGISTIC: return prepare_logistic(it, op, index);
    case FP_OP_QUANTIZE: return prepare_quantize(it, op, index);
    case FP_OP_DEQUANTIZE: return prepare_dequantize(it, op, index);
    case FP_OP_ADD: return prepare_add(it, op, index);
    case FP_OP_SHAPE: return prepare_shape(it, op, index);
    case FP_OP_STRIDED_SLICE: return prepare_strided_slice(it, op, index);
    case FP_OP_PACK: return prepare_pack(it, op, index);
    default: return fp_int8_fail(it, "operator #%u is unknown", (unsigned)index);
  }
}

void fp_int8_eval(fp_int8 *it, const fp_op *op) {
  if (tensor(it, op->output)->count == 0) return; /* nothing to write; its loops may be long */
  switch (op->kind) {
    case FP_OP_FULLY_CONNECTED: eval_fully_connected(it, op); break;
    case FP_OP_CONV_2D: eval_conv(it, op); break;
    case FP_OP_DEPTHWISE_CONV_2D: eval_depthwise(it, op); break;
    case FP_OP_AVERAGE_POOL_2D:
    case FP_OP_MAX_POOL_2D: eval_pool(it, op); break;
    case FP_OP_RESHAPE: eval_reshape(it, op); break;
    case FP_OP_SOFTMAX: eval_softmax(it, op); break;
    case FP_OP_LOGISTIC: eval_logistic(it, op); break;
    case FP_OP_QUANTIZE: eval_quantize(it, op); break;
    case FP_OP_DEQUANTIZE: eval_dequantize(it, op); break;
    case FP_OP_ADD: eval_add(it, op); break;
    case FP_OP_SHAPE: eval_shape(it, op); break;
    case FP_OP_STRIDED_SLICE: eval_strided_slice(it, op); break;
    case FP_OP_PACK: eval_pack(it, op); break;
    default: break;
  }
}
