/*
 * Step 6 of docs/device-runtime.md for one normalized input (the Java DriftMonitor): the first
 * full window sets a baseline mean and standard deviation; afterwards the input drifts while the
 * mean of the latest window lies more than max_shift_sigma baseline deviations from the baseline
 * mean. The window lives in memory the caller gives (a share of the runtime's pool): up to its
 * capacity the window is kept sample by sample, exactly as the Java monitor; a longer one as blocks
 * of k samples (fp_config.h, FP_DRIFT_POOL).
 */
#ifndef FP_DRIFT_H
#define FP_DRIFT_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
  double *slots;      /* capacity entries: samples (k = 1) or sums of k samples */
  uint32_t length;    /* entries that make the window */
  uint32_t k;         /* samples per entry */
  uint32_t count;     /* entries filled, up to length */
  uint32_t next;      /* the entry written next */
  uint32_t in_block;  /* samples in the current block (k > 1) */
  double block_sum;   /* their sum */
  double sum;         /* sum of the filled entries */
  double max_shift_sigma;
  bool baseline_set;
  double baseline_mean;
  double baseline_std;
  double first_sum;   /* k > 1: sum and sum of squares of the first window's samples */
  double first_squares;
} fp_drift;

/* A window of window_samples steps (at least 2) in capacity entries of slots (at least 2). */
void fp_drift_init(fp_drift *d, double *slots, uint32_t capacity, uint32_t window_samples,
                   double max_shift_sigma);

void fp_drift_add(fp_drift *d, double normalized);

bool fp_drift_drifting(const fp_drift *d);

/* Steps the window spans (length * k). */
uint32_t fp_drift_window_steps(const fp_drift *d);

#endif
