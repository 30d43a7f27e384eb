/*
 * Step 6 of docs/device-runtime.md for one input (the Java DriftMonitor): drift against the
 * training reference (mean and standard deviation in raw units, from the config). A running mean
 * of the valid raw readings, the plain mean of the first `window` readings and then exponentially
 * weighted with weight 1/window, is compared with the reference mean; its shift in reference
 * deviations is the drift magnitude, and the input drifts while that shift has been above
 * max_shift_sigma for min_samples readings in a row.
 *
 * O(1) memory: the state of one input is one fp_drift, FP_DRIFT_BYTES (fp_config.h), the per-input
 * cost the operator's fit check counts; the settings are shared by all inputs. Nothing is kept
 * across a reboot: the reference comes with the config, and the next readings rebuild the mean.
 */
#ifndef FP_DRIFT_H
#define FP_DRIFT_H

#include <stdbool.h>
#include <stdint.h>

#include "fp_config.h"

/* What every input's drift is judged by (the config's drift section). */
typedef struct {
  double max_shift_sigma; /* the limit, in reference deviations */
  uint32_t window;        /* readings the running mean averages over, 2 to FP_DRIFT_MAX_STEPS */
  uint32_t min_samples;   /* readings in a row past the limit that make drift, at least 1 */
} fp_drift_settings;

/* One input. */
typedef struct {
  double ref_mean; /* the training reference */
  double ref_std;  /* > 0 when the input is measured, 0 when it has no reference */
  double mean;     /* the running mean of the valid readings */
  uint32_t samples; /* valid readings taken, saturating */
  uint32_t beyond;  /* readings in a row whose running mean was past the limit, saturating */
} fp_drift;

_Static_assert(sizeof(fp_drift) == FP_DRIFT_BYTES, "fp_drift is FP_DRIFT_BYTES per input");

/* window is clamped to [2, FP_DRIFT_MAX_STEPS], min_samples to [1, INT32_MAX]. */
fp_drift_settings fp_drift_settings_of(double max_shift_sigma, int64_t window,
                                       int64_t min_samples);

/* ref_std <= 0 (or not a number): the input has no reference and is not measured. */
void fp_drift_init(fp_drift *d, double ref_mean, double ref_std);

/* One valid raw reading. */
void fp_drift_add(fp_drift *d, const fp_drift_settings *s, double raw);

/* The input has a reference and took a reading: its magnitude is reported. */
bool fp_drift_measured(const fp_drift *d);

bool fp_drift_drifting(const fp_drift *d, const fp_drift_settings *s);

/* |mean - ref_mean| / ref_std, 0 before the first reading. */
double fp_drift_shift_sigma(const fp_drift *d);

/* The shift in thousandths of a deviation, truncated; FP_DRIFT_MAX_MILLI_SIGMA when it is that
 * large or not a number. */
uint64_t fp_drift_milli_sigma(const fp_drift *d);

#endif
