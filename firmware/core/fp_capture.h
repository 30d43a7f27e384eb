/*
 * Capture of field data (docs/field-data.md), as the Java runtime's CaptureRing does it: a ring
 * of the last samples of the runtime (uptime, score, outcome, source, and per input the raw and
 * normalized value and the verdict) in a static pool of FP_CAPTURE_POOL_BYTES. The first trigger
 * while the ring records arms it; `after` samples later the window freezes (the ring stops
 * recording) until the host reads it with CAPTURE and releases it, which empties the ring. A
 * trigger while armed or frozen is missed (counted).
 */
#ifndef FP_CAPTURE_H
#define FP_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "fp_config.h"
#include "fp_json.h"
#include "fp_runtime_config.h"

typedef enum { FP_CAPTURE_RECORDING = 0, FP_CAPTURE_ARMED, FP_CAPTURE_FROZEN } fp_capture_state;

typedef struct {
  bool on;
  uint8_t inputs;
  uint8_t triggers; /* bit per fp_trigger - 1 (alarm .. drift) */
  uint8_t state;    /* fp_capture_state */
  uint8_t trigger;  /* fp_trigger of the armed or frozen window */
  uint32_t sample_bytes;
  uint32_t capacity, after, start, count, remaining;
  int64_t sample_one_in;
  uint32_t random; /* xorshift32 */
  uint64_t captures, missed;
  uint8_t pool[FP_CAPTURE_POOL_BYTES];
} fp_capture;

/* Samples the ring holds for a window of before + 1 + after within the pool (at least 1). */
uint32_t fp_capture_capacity(int64_t before, int64_t after, unsigned inputs);

/* Starts the capture of config afresh (off when the config has none). */
void fp_capture_start(fp_capture *c, const fp_runtime_config *config);

/* Seeds the random samples with the FNV-1a hash of the device id, so that devices configured
 * together do not capture at the same steps (as the Java CaptureTriggers.seed). */
void fp_capture_seed(fp_capture *c, const char *device_id);

/* Keeps one step, unless a window is frozen; the last sample of an armed window freezes it.
 * raw/present, normalized and verdicts (fp_reading) per input; score NAN when the model did not
 * run. */
void fp_capture_record(fp_capture *c, uint32_t uptime_ms, float score, uint8_t outcome,
                       uint8_t source, const double *raw, const bool *present,
                       const double *normalized, const uint8_t *verdicts);

/* The trigger that fired this step (alarm episode, fallback activation, fault onset, drift
 * onset, then a random sample), FP_TRIGGER_NONE for none; draws the random number every step. */
uint8_t fp_capture_fired(fp_capture *c, bool alarm, bool fallback, bool fault, bool drift);

/* A trigger fired on the step just recorded. */
void fp_capture_trigger(fp_capture *c, uint8_t trigger);

/* Writes the CAPTURE page from sample `from` (or {"ready":false} when nothing is frozen). */
void fp_capture_page(const fp_capture *c, uint32_t from, uint64_t uptime_ms, fp_jw *w);

/* Releases window id: false when no such window is frozen. */
bool fp_capture_release(fp_capture *c, uint64_t id);

/* Samples a CAPTURE page holds for a config of `inputs` inputs. */
uint32_t fp_capture_page_samples(unsigned inputs);

const char *fp_capture_trigger_name(uint8_t trigger);

#endif
