/*
 * Step 1 and 2 of docs/device-runtime.md for one input (the Java InputGuard): validates each
 * reading in order (dropout, out of range, stuck, unstable) and normalizes the valid ones. Holds
 * only what that needs: the previous reading, the last valid one and a run length.
 */
#ifndef FP_GUARD_H
#define FP_GUARD_H

#include <stdbool.h>
#include <stdint.h>

#include "fp_runtime_config.h"

/* What a reading is; the order of the rejection kinds is their counter name order. */
typedef enum {
  FP_READING_OK = 0,
  FP_READING_DROPOUT,      /* no value: a sensor fault */
  FP_READING_OUT_OF_RANGE, /* outside [min, max]: a sensor fault */
  FP_READING_STUCK,        /* stuckSamples identical readings in a row: a sensor fault */
  FP_READING_UNSTABLE      /* a step larger than maxStep from the last valid reading: not a fault */
} fp_reading;

#define FP_READING_KINDS 4u

/* The counter name of a rejection kind (dropout, out_of_range, stuck, unstable). */
const char *fp_reading_name(fp_reading kind);

typedef struct {
  double previous;   /* the last reading with a value, NaN before the first */
  double last_valid; /* the last reading that passed range and stuck checks, NaN before */
  uint32_t identical_run;
} fp_guard;

void fp_guard_init(fp_guard *g);

/* present false (or a NaN value) is a dropout. */
fp_reading fp_guard_check(fp_guard *g, const fp_rt_checks *c, bool present, double value);

/* zscore (x - a) / b, minmax (x - a) / (b - a), or x without a normalization. */
double fp_normalize(const fp_rt_checks *c, double x);

/* The training reference drift is measured against, in raw units (RuntimeConfig.Input
 * .driftReference): the explicit reference, else the z-score's mean and std, else the min-max
 * range's midpoint and (max - min) / sqrt(12); std 0 when there is none (not measured). */
void fp_reference(const fp_rt_checks *c, double *mean, double *std);

/* q = clamp(round(x / scale) + zero_point, -128, 127), rounding as Java's Math.round (half up;
 * NaN gives 0 before the zero point). */
int8_t fp_quantize(double x, float scale, int32_t zero_point);

/* (q - zero_point) * scale as a float, as the Java interpreter's dequantize rounds it. */
float fp_dequantize(int8_t q, float scale, int32_t zero_point);

#endif
