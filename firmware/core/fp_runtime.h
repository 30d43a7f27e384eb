/*
 * The device runtime of docs/device-runtime.md, one step per sensor window, with the same
 * behaviour as the Java runtime (io.fieldproof.device.runtime.DeviceRuntimeEngine): validate each
 * input, normalize, run the model when every input is valid and a model is active, decide by
 * threshold and debounce, let fallback rules override, track drift, count everything (the health
 * counters STATS reports).
 *
 * All state is inside fp_runtime (about 4 KiB with the default fp_config.h, plus the capture
 * pool of FP_CAPTURE_POOL_BYTES; drift takes FP_DRIFT_BYTES per input whatever its window). fp_runtime_start resets it, as the emulator builds a new engine: when a config is
 * applied, the active model changes (ACTIVATE, REVERT) and at every boot.
 */
#ifndef FP_RUNTIME_H
#define FP_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fp_capture.h"
#include "fp_config.h"
#include "fp_drift.h"
#include "fp_guard.h"
#include "fp_port.h"
#include "fp_runtime_config.h"

/* Who decided a step. */
typedef enum { FP_SOURCE_NONE = 0, FP_SOURCE_MODEL, FP_SOURCE_RULE, FP_SOURCE_HOLD_LAST } fp_source;

typedef struct {
  uint8_t outcome; /* fp_outcome */
  uint8_t source;  /* fp_source */
  int8_t rule;     /* index of the rule that decided, -1 otherwise */
  float score;     /* the model's score when it ran this step */
} fp_decision;

/* What the fallback decided a step with, as the counters name it (fp_fallback_action_name):
 * FP_ACTION_NONE when the model or nothing decided. */
typedef enum {
  FP_ACTION_NONE = 0,
  FP_ACTION_ALARM,
  FP_ACTION_SUPPRESS,
  FP_ACTION_SAFE_STATE,
  FP_ACTION_HOLD_LAST
} fp_fallback_action;

#define FP_FALLBACK_ACTIONS 4u

/* The health counters (docs/device-runtime.md, "Health counters"). */
typedef struct {
  uint64_t steps;
  uint64_t inferences;
  uint64_t alarms;        /* steps in alarm */
  uint64_t alarm_episodes; /* steps in alarm after one that was not */
  bool in_alarm;          /* the last step's outcome was an alarm */
  uint64_t fallback_activations;
  bool fallback_active;
  uint64_t activations[FP_FALLBACK_ACTIONS]; /* by fp_fallback_action - 1 */
  uint8_t fallback_action;                   /* fp_fallback_action of the last step */
  uint64_t rejected[FP_READING_KINDS]; /* by fp_reading - 1 */
  uint64_t last_cycles;
  uint32_t latency_us[FP_LATENCY_SAMPLES];
  uint32_t latency_count;
  uint32_t latency_next;
} fp_health;

/* A model's output 0 as the runner's invoke gives it: int8 or float32 elements (fp_model_info). */
typedef union {
  int8_t q[FP_MAX_TENSOR];
  float f[FP_MAX_TENSOR / sizeof(float)];
} fp_tensor_buf;

typedef struct {
  const fp_runtime_config *config;
  uint32_t cpu_mhz;
  /* the model: runner and what it takes, or none (no valid model active) */
  const fp_runner_port *runner;
  fp_model_info model;
  fp_tensor_buf *scratch; /* output buffer for invoke */
  /* per input */
  fp_guard guards[FP_MAX_INPUTS];
  uint8_t faults[FP_MAX_INPUTS]; /* bit (fp_reading - 1) while the input is in that fault */
  bool drifting[FP_MAX_INPUTS];
  fp_drift_settings drift_settings;
  fp_drift drift[FP_MAX_INPUTS];
  double normalized[FP_MAX_INPUTS];
  union {
    int8_t q[FP_MAX_INPUTS]; /* an int8 input: quantized */
    float f[FP_MAX_INPUTS];  /* a float32 input: the normalized values as floats */
  } input;
  /* decision */
  uint32_t run; /* alarm candidates in a row (debounce) */
  fp_decision last_model;
  fp_health health;
  /* capture (docs/field-data.md): the step's verdicts and score, the ring */
  uint8_t verdicts[FP_MAX_INPUTS]; /* fp_reading */
  float score_now;                 /* NAN when the model did not run this step */
  bool fault_onset, drift_onset;
  fp_capture capture;
} fp_runtime;

/*
 * Starts the runtime afresh for config (kept by the caller, enabled), with one step every
 * period_ms (the drift's running mean averages over drift.windowSeconds of steps; without drift,
 * 3600 steps as the emulator takes), on a core of cpu_mhz (inference cycles to microseconds). scratch receives the
 * model's output. No model until fp_runtime_set_model.
 */
void fp_runtime_start(fp_runtime *rt, const fp_runtime_config *config, uint32_t period_ms,
                      uint32_t cpu_mhz, fp_tensor_buf *scratch);

/* The model the runner has loaded (info from its info()), or runner NULL for none. A model whose
 * input is not one value per configured input, or without output decision.output, is refused
 * (false) and the runtime runs without a model, as the emulator does. Input and output may each
 * be int8 or float32, as the Java runtime takes them (InterpreterModelRunner.score). */
bool fp_runtime_set_model(fp_runtime *rt, const fp_runner_port *runner, const fp_model_info *info);

bool fp_runtime_has_model(const fp_runtime *rt);

/* One step over one reading per input (present[i] false: input i dropped out). */
fp_decision fp_runtime_step(fp_runtime *rt, const double *raw, const bool *present);

/* The same, taken at uptime_ms: what the capture records with the step. */
fp_decision fp_runtime_step_at(fp_runtime *rt, const double *raw, const bool *present,
                               uint64_t uptime_ms);

/* p95 of the kept inference times, in microseconds (0 before the first). */
uint32_t fp_runtime_latency_p95_us(const fp_runtime *rt);

/* The counter name of a fallback action: alarm, suppress, safe-state, hold-last ("" for none). */
const char *fp_fallback_action_name(uint8_t action);

/* The core clock of a chip (esp32, esp32s3 240 MHz, stm32f4 168, stm32l4 80; else 1). */
uint32_t fp_runtime_cpu_mhz(const char *chip);

#endif
