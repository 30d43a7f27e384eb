/*
 * The parts of a CONFIG's config that the device runtime evaluates (docs/device-runtime.md): per
 * input the validity checks and the normalization, the decision, the fallback and the drift
 * settings. Read from the JSON as the Java emulator binds them to io.fieldproof.protocol
 * .RuntimeConfig: absent and null fields are "not set" (a check left out is off; decision numbers
 * default to 0), unknown fields are ignored. The runtime runs only when the config has a decision
 * and every field it reads has its type (a number where a number goes, an integer for output,
 * minConsecutive, stuckSamples, windowSeconds and minSamples, an object or array where one
 * goes); otherwise
 * the device just sends TELEMETRY, as the emulator does for a config not in the runtime form.
 */
#ifndef FP_RUNTIME_CONFIG_H
#define FP_RUNTIME_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fp_config.h"
#include "fp_err.h"
#include "fp_json.h"

typedef enum { FP_NORM_NONE = 0, FP_NORM_ZSCORE, FP_NORM_MINMAX } fp_norm_kind;

/* Fallback modes: hold-last is also what a config without fallback gets; any mode other than
 * "rules" and "hold-last" (including "off" and none) decides nothing without the model. */
typedef enum { FP_FALLBACK_HOLD_LAST = 0, FP_FALLBACK_RULES, FP_FALLBACK_OFF } fp_fallback_mode;

typedef enum { FP_WHEN_NEVER = 0, FP_WHEN_ALWAYS, FP_WHEN_MODEL_UNAVAILABLE, FP_WHEN_INPUTS_INVALID } fp_rule_when;

typedef enum { FP_OP_NONE = 0, FP_OP_GT, FP_OP_GE, FP_OP_LT, FP_OP_LE, FP_OP_EQ, FP_OP_NE } fp_rule_op;

/* Outcomes of a step; rule actions use ALARM, SUPPRESSED and SAFE_STATE. */
typedef enum { FP_OUTCOME_NORMAL = 0, FP_OUTCOME_ALARM, FP_OUTCOME_SUPPRESSED, FP_OUTCOME_SAFE_STATE } fp_outcome;

typedef struct {
  bool has_min, has_max, has_max_step, has_stuck;
  uint8_t normalize; /* fp_norm_kind */
  int32_t stuck_samples;
  double min, max, max_step;
  double a, b; /* zscore: mean, std; minmax: min, max */
  bool has_reference; /* an explicit drift reference, in raw units */
  double ref_mean, ref_std;
} fp_rt_checks;

typedef struct {
  int8_t input; /* index of the configured input it reads, -1 for a name not configured */
  uint8_t op;   /* fp_rule_op */
  double value;
} fp_rt_condition;

typedef struct {
  uint8_t when;   /* fp_rule_when */
  uint8_t action; /* fp_outcome */
  uint8_t condition_count;
  fp_rt_condition all[FP_MAX_RULE_CONDITIONS];
} fp_rt_rule;

typedef struct {
  bool enabled; /* a decision is configured and the config is in the runtime form */
  uint8_t input_count;
  fp_rt_checks inputs[FP_MAX_INPUTS];
  int32_t output;
  double threshold;
  int32_t min_consecutive;
  uint8_t fallback; /* fp_fallback_mode */
  uint8_t rule_count;
  fp_rt_rule rules[FP_MAX_RULES];
  bool has_drift;
  int64_t window_seconds;
  double max_shift_sigma;
  bool has_min_samples;
  int64_t min_samples;
  /* capture (docs/field-data.md): off without a capture object */
  bool has_capture;
  int32_t capture_before, capture_after;
  uint8_t capture_triggers; /* bit per fp_trigger - 1 */
  int64_t capture_sample_one_in;
} fp_runtime_config;

/* What starts a capture, in the order the runtime checks them. */
typedef enum {
  FP_TRIGGER_NONE = 0,
  FP_TRIGGER_ALARM,
  FP_TRIGGER_FALLBACK,
  FP_TRIGGER_SENSOR_FAULT,
  FP_TRIGGER_DRIFT,
  FP_TRIGGER_SAMPLE
} fp_trigger;

/*
 * The device's own limits on a config that passed fp_rtconfig_check: FP_ERR_INVALID_CONFIG with a
 * reason in msg when fallback.rules has more than FP_MAX_RULES rules or a rule more than
 * FP_MAX_RULE_CONDITIONS conditions (the Java emulator has no such limit).
 */
fp_err fp_runtime_config_check(const fp_json_doc *doc, int cfg, char *msg, size_t msg_cap);

/* Reads the runtime settings of a config that passed both checks; out->enabled tells whether the
 * runtime runs. */
void fp_runtime_config_load(const fp_json_doc *doc, int cfg, fp_runtime_config *out);

#endif
