#include "fp_drift.h"

#include <math.h>

fp_drift_settings fp_drift_settings_of(double max_shift_sigma, int64_t window,
                                       int64_t min_samples) {
  if (window < 2) window = 2;
  if (window > (int64_t)FP_DRIFT_MAX_STEPS) window = FP_DRIFT_MAX_STEPS;
  if (min_samples < 1) min_samples = 1;
  if (min_samples > INT32_MAX) min_samples = INT32_MAX;
  return (fp_drift_settings){max_shift_sigma, (uint32_t)window, (uint32_t)min_samples};
}

void fp_drift_init(fp_drift *d, double ref_mean, double ref_std) {
  *d = (fp_drift){0};
  if (ref_std > 0) { /* false for NaN too */
    d->ref_mean = ref_mean;
    d->ref_std = ref_std;
  }
}

bool fp_drift_measured(const fp_drift *d) { return d->ref_std > 0 && d->samples > 0; }

double fp_drift_shift_sigma(const fp_drift *d) {
  return fp_drift_measured(d) ? fabs(d->mean - d->ref_mean) / d->ref_std : 0;
}

void fp_drift_add(fp_drift *d, const fp_drift_settings *s, double raw) {
  if (!(d->ref_std > 0)) return;
  if (d->samples < UINT32_MAX) d->samples++;
  double weight = d->samples < s->window ? 1.0 / (double)d->samples : 1.0 / (double)s->window;
  d->mean += weight * (raw - d->mean);
  if (fp_drift_shift_sigma(d) > s->max_shift_sigma) {
    if (d->beyond < UINT32_MAX) d->beyond++;
  } else {
    d->beyond = 0;
  }
}

bool fp_drift_drifting(const fp_drift *d, const fp_drift_settings *s) {
  return fp_drift_measured(d) && d->beyond >= s->min_samples;
}

uint64_t fp_drift_milli_sigma(const fp_drift *d) {
  double shift = fp_drift_shift_sigma(d);
  return shift < FP_DRIFT_MAX_MILLI_SIGMA / 1000.0 ? (uint64_t)(shift * 1000)
                                                   : FP_DRIFT_MAX_MILLI_SIGMA;
}
