#include "fp_runtime_config.h"

#include <stdio.h>
#include <string.h>

/* ---- typed optional fields: false when present (not null) with another type ---- */

static int field(const fp_json_doc *doc, int obj, const char *key) {
  return fp_json_get_present(doc, obj, key);
}

static bool opt_number(const fp_json_doc *doc, int obj, const char *key, bool *has, double *v) {
  int tok = field(doc, obj, key);
  *has = false;
  if (tok < 0) return true;
  if (fp_json_type_of(doc, tok) != FP_JSON_NUMBER || fp_json_double(doc, tok, v) != FP_OK) {
    return false;
  }
  *has = true;
  return true;
}

static bool opt_int(const fp_json_doc *doc, int obj, const char *key, int64_t lo, int64_t hi,
                    bool *has, int64_t *v) {
  int tok = field(doc, obj, key);
  *has = false;
  if (tok < 0) return true;
  if (fp_json_int(doc, tok, v) != FP_OK || *v < lo || *v > hi) return false;
  *has = true;
  return true;
}

static bool opt_type(const fp_json_doc *doc, int obj, const char *key, fp_json_type type,
                     int *tok) {
  *tok = field(doc, obj, key);
  return *tok < 0 || fp_json_type_of(doc, *tok) == type;
}

/* ---- limits ---- */

fp_err fp_runtime_config_check(const fp_json_doc *doc, int cfg, char *msg, size_t msg_cap) {
  int fallback = field(doc, cfg, "fallback");
  int rules = field(doc, fallback, "rules");
  if (rules < 0 || fp_json_type_of(doc, rules) != FP_JSON_ARRAY) return FP_OK;
  if (doc->tok[rules].size > FP_MAX_RULES) {
    snprintf(msg, msg_cap, "fallback has %u rules, at most %u are supported",
             (unsigned)doc->tok[rules].size, (unsigned)FP_MAX_RULES);
    return FP_ERR_INVALID_CONFIG;
  }
  unsigned index = 0;
  for (int rule = fp_json_first(doc, rules); rule >= 0 && index < doc->tok[rules].size;
       rule = doc->tok[rule].next, index++) {
    int all = field(doc, rule, "all");
    if (all >= 0 && fp_json_type_of(doc, all) == FP_JSON_ARRAY &&
        doc->tok[all].size > FP_MAX_RULE_CONDITIONS) {
      snprintf(msg, msg_cap, "fallback rule %u has %u conditions, at most %u are supported",
               index, (unsigned)doc->tok[all].size, (unsigned)FP_MAX_RULE_CONDITIONS);
      return FP_ERR_INVALID_CONFIG;
    }
  }
  return FP_OK;
}

/* ---- reading ---- */

static bool load_checks(const fp_json_doc *doc, int input, fp_rt_checks *c) {
  memset(c, 0, sizeof *c);
  int64_t stuck = 0;
  bool ok = opt_number(doc, input, "min", &c->has_min, &c->min) &&
            opt_number(doc, input, "max", &c->has_max, &c->max) &&
            opt_number(doc, input, "maxStep", &c->has_max_step, &c->max_step) &&
            opt_int(doc, input, "stuckSamples", INT32_MIN, INT32_MAX, &c->has_stuck, &stuck);
  c->stuck_samples = (int32_t)stuck;
  int reference = -1;
  if (!ok || !opt_type(doc, input, "reference", FP_JSON_OBJECT, &reference)) return false;
  if (reference >= 0) {
    /* RuntimeConfig.Reference(double mean, double std): a number left out binds as 0, and a std
     * of 0 leaves the input unmeasured (the normalization is not taken instead) */
    bool has = false;
    if (!opt_number(doc, reference, "mean", &has, &c->ref_mean) ||
        !opt_number(doc, reference, "std", &has, &c->ref_std)) {
      return false;
    }
    c->has_reference = true;
  }
  int normalize = -1;
  if (!opt_type(doc, input, "normalize", FP_JSON_OBJECT, &normalize)) return false;
  if (normalize < 0) return true;
  bool has = false;
  int kind = -1;
  if (!opt_number(doc, normalize, "a", &has, &c->a) ||
      !opt_number(doc, normalize, "b", &has, &c->b) ||
      !opt_type(doc, normalize, "kind", FP_JSON_STRING, &kind)) {
    return false;
  }
  /* RuntimeConfig.Normalize: min-max for "minmax", the z-score formula for anything else */
  c->normalize = fp_json_str_eq(doc, kind, "minmax") ? FP_NORM_MINMAX : FP_NORM_ZSCORE;
  return true;
}

static int input_index(const fp_json_doc *doc, int cfg, int name_tok) {
  char name[FP_MAX_INPUT_NAME_BYTES + 1];
  size_t len = 0;
  if (fp_json_str(doc, name_tok, name, sizeof name, &len) != FP_OK) return -1;
  int inputs = fp_json_get(doc, cfg, "inputs");
  int index = 0;
  for (int item = fp_json_first(doc, inputs); item >= 0 && index < doc->tok[inputs].size;
       item = doc->tok[item].next, index++) {
    if (fp_json_str_eq(doc, fp_json_get(doc, item, "name"), name)) return index;
  }
  return -1;
}

static uint8_t parse_when(const fp_json_doc *doc, int tok) {
  if (fp_json_str_eq(doc, tok, "always")) return FP_WHEN_ALWAYS;
  if (fp_json_str_eq(doc, tok, "model-unavailable")) return FP_WHEN_MODEL_UNAVAILABLE;
  if (fp_json_str_eq(doc, tok, "inputs-invalid")) return FP_WHEN_INPUTS_INVALID;
  return FP_WHEN_NEVER;
}

static uint8_t parse_op(const fp_json_doc *doc, int tok) {
  static const char *const OPS[] = {">", ">=", "<", "<=", "==", "!="};
  for (unsigned i = 0; i < sizeof OPS / sizeof OPS[0]; i++) {
    if (fp_json_str_eq(doc, tok, OPS[i])) return (uint8_t)(FP_OP_GT + i);
  }
  return FP_OP_NONE;
}

static uint8_t parse_action(const fp_json_doc *doc, int tok) {
  if (fp_json_str_eq(doc, tok, "alarm")) return FP_OUTCOME_ALARM;
  if (fp_json_str_eq(doc, tok, "suppress")) return FP_OUTCOME_SUPPRESSED;
  return FP_OUTCOME_SAFE_STATE; /* the Java engine's default branch */
}

static bool load_condition(const fp_json_doc *doc, int cfg, int cond, fp_rt_condition *out) {
  int input = -1;
  int op = -1;
  bool has = false;
  out->value = 0;
  if (fp_json_type_of(doc, cond) != FP_JSON_OBJECT ||
      !opt_type(doc, cond, "input", FP_JSON_STRING, &input) ||
      !opt_type(doc, cond, "op", FP_JSON_STRING, &op) ||
      !opt_number(doc, cond, "value", &has, &out->value)) {
    return false;
  }
  out->input = (int8_t)(input < 0 ? -1 : input_index(doc, cfg, input));
  out->op = parse_op(doc, op);
  return true;
}

static bool load_rule(const fp_json_doc *doc, int cfg, int rule, fp_rt_rule *out) {
  int when = -1;
  int action = -1;
  int all = -1;
  int name = -1;
  memset(out, 0, sizeof *out);
  if (fp_json_type_of(doc, rule) != FP_JSON_OBJECT ||
      !opt_type(doc, rule, "name", FP_JSON_STRING, &name) ||
      !opt_type(doc, rule, "when", FP_JSON_STRING, &when) ||
      !opt_type(doc, rule, "action", FP_JSON_STRING, &action) ||
      !opt_type(doc, rule, "all", FP_JSON_ARRAY, &all)) {
    return false;
  }
  out->when = parse_when(doc, when);
  out->action = parse_action(doc, action);
  for (int cond = fp_json_first(doc, all); all >= 0 && cond >= 0 &&
                                          out->condition_count < doc->tok[all].size &&
                                          out->condition_count < FP_MAX_RULE_CONDITIONS;
       cond = doc->tok[cond].next) {
    if (!load_condition(doc, cfg, cond, &out->all[out->condition_count++])) return false;
  }
  return true;
}

static bool load_fallback(const fp_json_doc *doc, int cfg, fp_runtime_config *out) {
  int fallback = -1;
  int mode = -1;
  int rules = -1;
  out->fallback = FP_FALLBACK_HOLD_LAST;
  if (!opt_type(doc, cfg, "fallback", FP_JSON_OBJECT, &fallback)) return false;
  if (fallback < 0) return true;
  if (!opt_type(doc, fallback, "mode", FP_JSON_STRING, &mode) ||
      !opt_type(doc, fallback, "rules", FP_JSON_ARRAY, &rules)) {
    return false;
  }
  out->fallback = fp_json_str_eq(doc, mode, "rules")       ? FP_FALLBACK_RULES
                  : fp_json_str_eq(doc, mode, "hold-last") ? FP_FALLBACK_HOLD_LAST
                                                           : FP_FALLBACK_OFF;
  for (int rule = fp_json_first(doc, rules); rules >= 0 && rule >= 0 &&
                                            out->rule_count < doc->tok[rules].size &&
                                            out->rule_count < FP_MAX_RULES;
       rule = doc->tok[rule].next) {
    if (!load_rule(doc, cfg, rule, &out->rules[out->rule_count++])) return false;
  }
  if (out->fallback != FP_FALLBACK_RULES) out->rule_count = 0;
  return true;
}

static bool load_decision(const fp_json_doc *doc, int cfg, fp_runtime_config *out) {
  int decision = -1;
  if (!opt_type(doc, cfg, "decision", FP_JSON_OBJECT, &decision) || decision < 0) return false;
  bool has = false;
  int64_t output = 0;
  int64_t min_consecutive = 0;
  if (!opt_int(doc, decision, "output", INT32_MIN, INT32_MAX, &has, &output) ||
      !opt_number(doc, decision, "threshold", &has, &out->threshold) ||
      !opt_int(doc, decision, "minConsecutive", INT32_MIN, INT32_MAX, &has, &min_consecutive)) {
    return false;
  }
  out->output = (int32_t)output;
  out->min_consecutive = (int32_t)min_consecutive;
  return true;
}

static bool load_drift(const fp_json_doc *doc, int cfg, fp_runtime_config *out) {
  int drift = -1;
  if (!opt_type(doc, cfg, "drift", FP_JSON_OBJECT, &drift)) return false;
  out->has_drift = drift >= 0;
  if (drift < 0) return true;
  bool has = false;
  return opt_int(doc, drift, "windowSeconds", INT64_MIN, INT64_MAX, &has, &out->window_seconds) &&
         opt_number(doc, drift, "maxMeanShiftSigma", &has, &out->max_shift_sigma) &&
         opt_int(doc, drift, "minSamples", INT32_MIN, INT32_MAX, &out->has_min_samples,
                 &out->min_samples);
}

/* RuntimeConfig.Capture(int before, int after, List<String> triggers, long sampleOneIn, ...): the
 * triggers the runtime knows by name, others ignored; the budgets are the agent's. */
static bool load_capture(const fp_json_doc *doc, int cfg, fp_runtime_config *out) {
  int capture = -1;
  if (!opt_type(doc, cfg, "capture", FP_JSON_OBJECT, &capture)) return false;
  out->has_capture = capture >= 0;
  if (capture < 0) return true;
  bool has = false;
  int64_t before = 0;
  int64_t after = 0;
  int triggers = -1;
  if (!opt_int(doc, capture, "before", INT32_MIN, INT32_MAX, &has, &before) ||
      !opt_int(doc, capture, "after", INT32_MIN, INT32_MAX, &has, &after) ||
      !opt_int(doc, capture, "sampleOneIn", INT64_MIN, INT64_MAX, &has,
               &out->capture_sample_one_in) ||
      !opt_type(doc, capture, "triggers", FP_JSON_ARRAY, &triggers)) {
    return false;
  }
  out->capture_before = (int32_t)before;
  out->capture_after = (int32_t)after;
  static const char *const NAMES[] = {"alarm", "fallback", "sensorFault", "drift"};
  unsigned index = 0;
  for (int item = fp_json_first(doc, triggers);
       triggers >= 0 && item >= 0 && index < doc->tok[triggers].size;
       item = doc->tok[item].next, index++) {
    for (unsigned k = 0; k < sizeof NAMES / sizeof NAMES[0]; k++) {
      if (fp_json_str_eq(doc, item, NAMES[k])) out->capture_triggers |= (uint8_t)(1u << k);
    }
  }
  return true;
}

void fp_runtime_config_load(const fp_json_doc *doc, int cfg, fp_runtime_config *out) {
  memset(out, 0, sizeof *out);
  int inputs = fp_json_get(doc, cfg, "inputs");
  bool ok = true;
  for (int item = fp_json_first(doc, inputs);
       ok && item >= 0 && out->input_count < doc->tok[inputs].size &&
       out->input_count < FP_MAX_INPUTS;
       item = doc->tok[item].next) {
    ok = load_checks(doc, item, &out->inputs[out->input_count++]);
  }
  /* reportIntervalSeconds binds to an int: 2^31 and more is not the runtime form */
  bool has = false;
  double interval = 0;
  ok = ok && opt_number(doc, cfg, "reportIntervalSeconds", &has, &interval) &&
       !(has && interval >= 2147483648.0);
  ok = ok && load_decision(doc, cfg, out) && load_fallback(doc, cfg, out) &&
       load_drift(doc, cfg, out) && load_capture(doc, cfg, out);
  out->enabled = ok;
}
