#include "fp_drift.h"

#include <math.h>

#define MIN_STD 1e-6

void fp_drift_init(fp_drift *d, double *slots, uint32_t capacity, uint32_t window_samples,
                   double max_shift_sigma) {
  if (window_samples < 2) window_samples = 2;
  if (capacity < 2) capacity = 2;
  uint32_t k = (window_samples + capacity - 1u) / capacity;
  *d = (fp_drift){0};
  d->slots = slots;
  d->k = k;
  d->length = (window_samples + k - 1u) / k;
  d->max_shift_sigma = max_shift_sigma;
}

uint32_t fp_drift_window_steps(const fp_drift *d) { return d->length * d->k; }

static void push(fp_drift *d, double entry) {
  if (d->count == d->length) {
    d->sum -= d->slots[d->next];
  } else {
    d->count++;
  }
  d->slots[d->next] = entry;
  d->sum += entry;
  d->next = (d->next + 1u) % d->length;
}

static void set_baseline(fp_drift *d) {
  double steps = (double)fp_drift_window_steps(d);
  d->baseline_mean = d->sum / steps;
  double variance = 0;
  if (d->k == 1) {
    /* two passes over the window, as the Java monitor computes it */
    double squares = 0;
    for (uint32_t i = 0; i < d->length; i++) {
      double dev = d->slots[i] - d->baseline_mean;
      squares += dev * dev;
    }
    variance = squares / steps;
  } else {
    double mean = d->first_sum / steps;
    variance = d->first_squares / steps - mean * mean;
    if (variance < 0) variance = 0;
  }
  double std = sqrt(variance);
  d->baseline_std = isnan(std) || std > MIN_STD ? std : MIN_STD; /* Math.max keeps a NaN */
  d->baseline_set = true;
}

void fp_drift_add(fp_drift *d, double normalized) {
  if (d->k == 1) {
    push(d, normalized);
  } else {
    if (!d->baseline_set) {
      d->first_sum += normalized;
      d->first_squares += normalized * normalized;
    }
    d->block_sum += normalized;
    if (++d->in_block < d->k) return;
    push(d, d->block_sum);
    d->block_sum = 0;
    d->in_block = 0;
  }
  if (!d->baseline_set && d->count == d->length) set_baseline(d);
}

bool fp_drift_drifting(const fp_drift *d) {
  if (!d->baseline_set || d->count != d->length) return false;
  double mean = d->sum / (double)fp_drift_window_steps(d);
  return fabs(mean - d->baseline_mean) > d->max_shift_sigma * d->baseline_std;
}
