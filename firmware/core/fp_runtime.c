#include "fp_runtime.h"

#include <math.h>
#include <string.h>

/* The drift window without a drift section, in steps (the emulator's RuntimeEngines), the limit
 * and the readings in a row past it (RuntimeConfig.Drift.DEFAULT_MIN_SAMPLES). */
#define DEFAULT_WINDOW_STEPS 3600u
#define DEFAULT_SHIFT_SIGMA 3.0
#define DEFAULT_MIN_SAMPLES 10

uint32_t fp_runtime_cpu_mhz(const char *chip) {
  if (strcmp(chip, "esp32") == 0 || strcmp(chip, "esp32s3") == 0) return 240;
  if (strcmp(chip, "stm32f4") == 0) return 168;
  if (strcmp(chip, "stm32l4") == 0) return 80;
  return 1;
}

/* drift.windowSeconds of steps at one step every period_ms, within [2, FP_DRIFT_MAX_STEPS]. */
static uint32_t window_steps(const fp_runtime_config *c, uint32_t period_ms) {
  if (!c->has_drift) return DEFAULT_WINDOW_STEPS;
  int64_t seconds = c->window_seconds;
  if (seconds < 0) seconds = 0;
  if (seconds > (int64_t)FP_DRIFT_MAX_STEPS) seconds = FP_DRIFT_MAX_STEPS;
  uint64_t steps = (uint64_t)seconds * 1000u / (period_ms == 0 ? 1000u : period_ms);
  if (steps < 2) steps = 2;
  if (steps > FP_DRIFT_MAX_STEPS) steps = FP_DRIFT_MAX_STEPS;
  return (uint32_t)steps;
}

void fp_runtime_start(fp_runtime *rt, const fp_runtime_config *config, uint32_t period_ms,
                      uint32_t cpu_mhz, fp_tensor_buf *scratch) {
  memset(rt, 0, sizeof *rt);
  rt->config = config;
  rt->cpu_mhz = cpu_mhz == 0 ? 1 : cpu_mhz;
  rt->scratch = scratch;
  rt->last_model = (fp_decision){FP_OUTCOME_NORMAL, FP_SOURCE_NONE, -1, 0};
  unsigned n = config->input_count;
  rt->drift_settings = fp_drift_settings_of(
      config->has_drift ? config->max_shift_sigma : DEFAULT_SHIFT_SIGMA,
      window_steps(config, period_ms),
      config->has_drift && config->has_min_samples ? config->min_samples : DEFAULT_MIN_SAMPLES);
  for (unsigned i = 0; i < n; i++) {
    fp_guard_init(&rt->guards[i]);
    double ref_mean = 0;
    double ref_std = 0;
    fp_reference(&config->inputs[i], &ref_mean, &ref_std);
    fp_drift_init(&rt->drift[i], ref_mean, ref_std);
  }
  fp_capture_start(&rt->capture, config);
}

/* Elements of the type that fit the output buffer. */
static size_t scratch_cap(uint8_t type) {
  return type == FP_TENSOR_FLOAT32 ? sizeof(((fp_tensor_buf *)0)->f) / sizeof(float)
                                   : sizeof(((fp_tensor_buf *)0)->q);
}

static bool known_type(uint8_t type) {
  return type == FP_TENSOR_INT8 || type == FP_TENSOR_FLOAT32;
}

bool fp_runtime_set_model(fp_runtime *rt, const fp_runner_port *runner, const fp_model_info *info) {
  rt->runner = NULL;
  if (runner == NULL || info == NULL) return false;
  int32_t output = rt->config->output;
  if (!known_type(info->input_type) || !known_type(info->output_type) ||
      info->input_len != rt->config->input_count || output < 0 ||
      (uint32_t)output >= info->output_len || info->output_len > scratch_cap(info->output_type)) {
    return false;
  }
  rt->runner = runner;
  rt->model = *info;
  return true;
}

bool fp_runtime_has_model(const fp_runtime *rt) { return rt->runner != NULL; }

/* ---- fallback rules ---- */

static bool holds(const fp_rt_condition *c, const double *raw, const bool *present) {
  if (c->input < 0 || !present[c->input]) return false;
  double x = raw[c->input];
  switch (c->op) {
    case FP_OP_GT: return x > c->value;
    case FP_OP_GE: return x >= c->value;
    case FP_OP_LT: return x < c->value;
    case FP_OP_LE: return x <= c->value;
    case FP_OP_EQ: return x == c->value;
    case FP_OP_NE: return x != c->value;
    default: return false;
  }
}

static bool applies(uint8_t when, bool model, bool inputs_valid) {
  switch (when) {
    case FP_WHEN_ALWAYS: return true;
    case FP_WHEN_MODEL_UNAVAILABLE: return !model;
    case FP_WHEN_INPUTS_INVALID: return !inputs_valid;
    default: return false;
  }
}

/* The first rule that applies and whose conditions all hold on the raw readings, or -1. */
static int firing(const fp_runtime_config *c, const double *raw, const bool *present, bool model,
                  bool inputs_valid) {
  for (unsigned r = 0; r < c->rule_count; r++) {
    const fp_rt_rule *rule = &c->rules[r];
    if (!applies(rule->when, model, inputs_valid)) continue;
    bool all = true;
    for (unsigned k = 0; all && k < rule->condition_count; k++) {
      all = holds(&rule->all[k], raw, present);
    }
    if (all) return (int)r;
  }
  return -1;
}

/* ---- model ---- */

static void count_inference(fp_health *h, uint64_t cycles, uint32_t cpu_mhz) {
  uint64_t micros = cycles / cpu_mhz;
  h->inferences++;
  h->last_cycles = cycles;
  h->latency_us[h->latency_next] = micros > UINT32_MAX ? UINT32_MAX : (uint32_t)micros;
  h->latency_next = (h->latency_next + 1u) % FP_LATENCY_SAMPLES;
  if (h->latency_count < FP_LATENCY_SAMPLES) h->latency_count++;
}

/* Feeds the normalized inputs (quantized for an int8 input, as floats for a float32 one), invokes,
 * and reads element decision.output as the score (dequantized from int8, or the float32 value), as
 * the Java runtime's InterpreterModelRunner.score does; false when the runner fails. */
static bool infer(fp_runtime *rt, float *score) {
  unsigned n = rt->config->input_count;
  const fp_model_info *m = &rt->model;
  const void *input;
  if (m->input_type == FP_TENSOR_FLOAT32) {
    for (unsigned i = 0; i < n; i++) rt->input.f[i] = (float)rt->normalized[i];
    input = rt->input.f;
  } else {
    for (unsigned i = 0; i < n; i++) {
      rt->input.q[i] = fp_quantize(rt->normalized[i], m->input_scale, m->input_zero_point);
    }
    input = rt->input.q;
  }
  bool float_out = m->output_type == FP_TENSOR_FLOAT32;
  void *output = float_out ? (void *)rt->scratch->f : (void *)rt->scratch->q;
  size_t out_len = 0;
  uint64_t cycles = 0;
  uint32_t at = (uint32_t)rt->config->output;
  if (rt->runner->invoke(rt->runner->ctx, input, n, output, scratch_cap(m->output_type), &out_len,
                         &cycles) != FP_OK ||
      at >= out_len) {
    return false;
  }
  count_inference(&rt->health, cycles, rt->cpu_mhz);
  *score = float_out ? rt->scratch->f[at]
                     : fp_dequantize(rt->scratch->q[at], m->output_scale, m->output_zero_point);
  return true;
}

/* Threshold and debounce: an alarm after minConsecutive candidates in a row. */
static bool debounce(fp_runtime *rt, bool candidate) {
  int64_t needed = rt->config->min_consecutive < 1 ? 1 : rt->config->min_consecutive;
  rt->run = candidate ? rt->run + 1u : 0u;
  return (int64_t)rt->run >= needed;
}

/* ---- one step ---- */

static bool validate(fp_runtime *rt, const double *raw, const bool *present) {
  const fp_runtime_config *c = rt->config;
  bool valid = true;
  for (unsigned i = 0; i < c->input_count; i++) {
    fp_reading verdict = fp_guard_check(&rt->guards[i], &c->inputs[i], present[i], raw[i]);
    rt->verdicts[i] = (uint8_t)verdict;
    if (verdict == FP_READING_OK) {
      rt->faults[i] = 0;
      rt->normalized[i] = fp_normalize(&c->inputs[i], raw[i]);
      fp_drift_add(&rt->drift[i], &rt->drift_settings, raw[i]);
      bool was = rt->drifting[i];
      rt->drifting[i] = fp_drift_drifting(&rt->drift[i], &rt->drift_settings);
      if (rt->drifting[i] && !was) rt->drift_onset = true;
    } else {
      valid = false;
      rt->health.rejected[verdict - 1]++;
      uint8_t bit = (uint8_t)(1u << (verdict - 1));
      if (verdict != FP_READING_UNSTABLE && !(rt->faults[i] & bit)) {
        rt->faults[i] |= bit;
        rt->fault_onset = true;
      }
    }
  }
  return valid;
}

static fp_decision decide(fp_runtime *rt, const double *raw, const bool *present,
                          bool inputs_valid) {
  const fp_runtime_config *c = rt->config;
  bool model = rt->runner != NULL;
  int rule = firing(c, raw, present, model, inputs_valid);
  fp_decision from_model = {FP_OUTCOME_NORMAL, FP_SOURCE_NONE, -1, 0};
  float score = 0;
  if (model && inputs_valid && infer(rt, &score)) {
    rt->score_now = score;
    bool alarm = debounce(rt, (double)score > c->threshold);
    from_model = (fp_decision){alarm ? FP_OUTCOME_ALARM : FP_OUTCOME_NORMAL, FP_SOURCE_MODEL, -1,
                               score};
  }
  if (rule >= 0) {
    /* rules guard safety: where one fires, it wins over the model */
    return (fp_decision){c->rules[rule].action, FP_SOURCE_RULE, (int8_t)rule, score};
  }
  if (from_model.source == FP_SOURCE_MODEL) return from_model;
  if (c->fallback == FP_FALLBACK_HOLD_LAST && rt->last_model.source == FP_SOURCE_MODEL) {
    return (fp_decision){rt->last_model.outcome, FP_SOURCE_HOLD_LAST, -1, 0};
  }
  return (fp_decision){FP_OUTCOME_NORMAL, FP_SOURCE_NONE, -1, 0};
}

const char *fp_fallback_action_name(uint8_t action) {
  switch (action) {
    case FP_ACTION_ALARM: return "alarm";
    case FP_ACTION_SUPPRESS: return "suppress";
    case FP_ACTION_SAFE_STATE: return "safe-state";
    case FP_ACTION_HOLD_LAST: return "hold-last";
    default: return "";
  }
}

/* The fallback action that decided d, FP_ACTION_NONE when no fallback did. */
static uint8_t fallback_action(const fp_decision *d) {
  if (d->source == FP_SOURCE_HOLD_LAST) return FP_ACTION_HOLD_LAST;
  if (d->source != FP_SOURCE_RULE) return FP_ACTION_NONE;
  switch (d->outcome) {
    case FP_OUTCOME_ALARM: return FP_ACTION_ALARM;
    case FP_OUTCOME_SUPPRESSED: return FP_ACTION_SUPPRESS;
    default: return FP_ACTION_SAFE_STATE;
  }
}

/* Counts a step's decision: a step in alarm, an alarm episode when the last step was not in alarm,
 * a fallback activation when the fallback decides after a step it did not, and one of the action
 * when it decides with another action than the last step. */
static void count_decision(fp_health *h, const fp_decision *d) {
  bool alarm = d->outcome == FP_OUTCOME_ALARM;
  if (alarm) h->alarms++;
  if (alarm && !h->in_alarm) h->alarm_episodes++;
  h->in_alarm = alarm;
  uint8_t action = fallback_action(d);
  bool fallback = action != FP_ACTION_NONE;
  if (fallback && !h->fallback_active) h->fallback_activations++;
  if (fallback && action != h->fallback_action) h->activations[action - 1u]++;
  h->fallback_active = fallback;
  h->fallback_action = action;
}

fp_decision fp_runtime_step(fp_runtime *rt, const double *raw, const bool *present) {
  return fp_runtime_step_at(rt, raw, present, 0);
}

fp_decision fp_runtime_step_at(fp_runtime *rt, const double *raw, const bool *present,
                               uint64_t uptime_ms) {
  rt->health.steps++;
  uint64_t episodes = rt->health.alarm_episodes;
  uint64_t activations = rt->health.fallback_activations;
  rt->fault_onset = false;
  rt->drift_onset = false;
  rt->score_now = NAN;
  bool valid = validate(rt, raw, present);
  fp_decision d = decide(rt, raw, present, valid);
  count_decision(&rt->health, &d);
  if (d.source == FP_SOURCE_MODEL) rt->last_model = d;
  if (rt->capture.on) {
    fp_capture_record(&rt->capture, (uint32_t)uptime_ms, rt->score_now, d.outcome, d.source, raw,
                      present, rt->normalized, rt->verdicts);
    fp_capture_trigger(&rt->capture,
                       fp_capture_fired(&rt->capture, rt->health.alarm_episodes > episodes,
                                        rt->health.fallback_activations > activations,
                                        rt->fault_onset, rt->drift_onset));
  }
  return d;
}

uint32_t fp_runtime_latency_p95_us(const fp_runtime *rt) {
  const fp_health *h = &rt->health;
  if (h->latency_count == 0) return 0;
  uint32_t sorted[FP_LATENCY_SAMPLES];
  uint32_t n = h->latency_count;
  memcpy(sorted, h->latency_us, n * sizeof sorted[0]);
  for (uint32_t i = 1; i < n; i++) {
    for (uint32_t k = i; k > 0 && sorted[k - 1] > sorted[k]; k--) {
      uint32_t t = sorted[k];
      sorted[k] = sorted[k - 1];
      sorted[k - 1] = t;
    }
  }
  uint32_t index = (uint32_t)ceil(0.95 * (double)n) - 1u;
  return sorted[index < n - 1u ? index : n - 1u];
}
