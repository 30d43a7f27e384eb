#include "fp_guard.h"

#include <math.h>

const char *fp_reading_name(fp_reading kind) {
  switch (kind) {
    case FP_READING_DROPOUT: return "dropout";
    case FP_READING_OUT_OF_RANGE: return "out_of_range";
    case FP_READING_STUCK: return "stuck";
    case FP_READING_UNSTABLE: return "unstable";
    default: return "ok";
  }
}

void fp_guard_init(fp_guard *g) {
  g->previous = NAN;
  g->last_valid = NAN;
  g->identical_run = 0;
}

fp_reading fp_guard_check(fp_guard *g, const fp_rt_checks *c, bool present, double value) {
  if (!present || isnan(value)) return FP_READING_DROPOUT;
  /* the run counts every reading with a value, out of range ones too */
  g->identical_run = value == g->previous ? g->identical_run + 1u : 1u;
  g->previous = value;
  if ((c->has_min && value < c->min) || (c->has_max && value > c->max)) {
    return FP_READING_OUT_OF_RANGE;
  }
  if (c->has_stuck && (int64_t)g->identical_run >= (int64_t)c->stuck_samples) {
    return FP_READING_STUCK;
  }
  if (c->has_max_step && !isnan(g->last_valid) && fabs(value - g->last_valid) > c->max_step) {
    g->last_valid = value; /* a spike becomes the reference for the next step */
    return FP_READING_UNSTABLE;
  }
  g->last_valid = value;
  return FP_READING_OK;
}

double fp_normalize(const fp_rt_checks *c, double x) {
  switch (c->normalize) {
    case FP_NORM_ZSCORE: return (x - c->a) / c->b;
    case FP_NORM_MINMAX: return (x - c->a) / (c->b - c->a);
    default: return x;
  }
}

void fp_reference(const fp_rt_checks *c, double *mean, double *std) {
  *mean = 0;
  *std = 0;
  if (c->has_reference) {
    *mean = c->ref_mean;
    *std = c->ref_std;
  } else if (c->normalize == FP_NORM_ZSCORE) {
    *mean = c->a;
    *std = c->b;
  } else if (c->normalize == FP_NORM_MINMAX) {
    *mean = (c->a + c->b) / 2;
    *std = (c->b - c->a) / sqrt(12);
  }
}

/* Java's Math.round: the closest integer, halves up; NaN 0; saturates at the long range. */
static int64_t java_round(double x) {
  if (isnan(x)) return 0;
  if (x >= 9.2233720368547758e18) return INT64_MAX;
  if (x <= -9.2233720368547758e18) return INT64_MIN;
  double f = floor(x);
  return (int64_t)f + (x - f >= 0.5 ? 1 : 0);
}

int8_t fp_quantize(double x, float scale, int32_t zero_point) {
  int64_t q = java_round(x / (double)scale);
  /* q + zero_point saturates first, as the long addition cannot overflow at these magnitudes */
  if (q > 1000) q = 1000;
  if (q < -1000) q = -1000;
  q += zero_point;
  return (int8_t)(q > 127 ? 127 : q < -128 ? -128 : q);
}

float fp_dequantize(int8_t q, float scale, int32_t zero_point) {
  return (float)((double)scale * (double)((int32_t)q - zero_point));
}
