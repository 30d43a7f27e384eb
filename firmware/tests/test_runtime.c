/* The device runtime (fp_runtime, fp_guard, fp_drift, fp_runtime_config) on its own, with a fake
 * model runner whose output is a fixed function of its input, and on a device with that runner:
 * the model reloaded after SELFTEST, a new engine after ACTIVATE, STATS in name order. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fp_runtime.h"
#include "fp_runtime_config.h"
#include "fp_test_support.h"

/* ---- a fake runner: output[0] = input[0], output[1] = -input[0]; 5000 cycles. int8 in and out,
 * or float32 in and out (float_io), as a model with QUANTIZE and DEQUANTIZE at its edges ---- */

typedef struct {
  int loads;
  int invokes;
  uint32_t input_len;
  uint32_t offset; /* of the last load */
  bool fail_load;
  bool float_io;
  float last_float_input;
} fake_runner;

static fake_runner FAKE;

static fp_err fake_load(void *ctx, const fp_flash_port *flash, uint32_t offset, uint32_t length) {
  (void)flash;
  (void)length;
  fake_runner *f = ctx;
  f->loads++;
  f->offset = offset;
  return f->fail_load ? FP_ERR_MODEL_INVALID : FP_OK;
}

static fp_err fake_invoke(void *ctx, const void *input, size_t in_len, void *output, size_t cap,
                          size_t *out_len, uint64_t *cycles) {
  fake_runner *f = ctx;
  f->invokes++;
  assert_int_equal(in_len, f->input_len);
  assert_true(cap >= 2);
  if (f->float_io) {
    const float *in = input;
    float *out = output;
    f->last_float_input = in[0];
    out[0] = in[0];
    out[1] = -in[0];
  } else {
    const int8_t *in = input;
    int8_t *out = output;
    out[0] = in[0];
    out[1] = (int8_t)(in[0] == -128 ? 127 : -in[0]);
  }
  *out_len = 2;
  *cycles = 5000;
  return FP_OK;
}

static fp_err fake_info(void *ctx, fp_model_info *info) {
  fake_runner *f = ctx;
  if (f->float_io) {
    *info = (fp_model_info){f->input_len, FP_TENSOR_FLOAT32, 0, 0, 2, FP_TENSOR_FLOAT32, 0, 0};
  } else {
    *info = (fp_model_info){f->input_len, FP_TENSOR_INT8, 0.01f, 0, 2, FP_TENSOR_INT8, 0.01f, 0};
  }
  return FP_OK;
}

static const fp_runner_port FAKE_PORT = {&FAKE, 0, 0, 4096, fake_load, fake_invoke, fake_info,
                                         NULL};

/* ---- a runtime from a config text ---- */

static fp_json_doc DOC;
static fp_runtime_config CFG;
static fp_runtime RT;
static fp_tensor_buf SCRATCH;

static void start(const char *config_json, bool with_model) {
  assert_int_equal(fp_json_parse(&DOC, config_json, strlen(config_json)), FP_OK);
  fp_runtime_config_load(&DOC, 0, &CFG);
  assert_true(CFG.enabled);
  fp_runtime_start(&RT, &CFG, 1000, 168, &SCRATCH);
  bool float_io = FAKE.float_io;
  FAKE = (fake_runner){0};
  FAKE.float_io = float_io;
  FAKE.input_len = CFG.input_count;
  if (with_model) {
    fp_model_info info;
    fake_info(&FAKE, &info);
    assert_true(fp_runtime_set_model(&RT, &FAKE_PORT, &info));
  }
}

static fp_decision step1(double x) {
  bool present = !isnan(x);
  return fp_runtime_step(&RT, &x, &present);
}

static fp_decision step2(double a, double b) {
  double raw[2] = {a, b};
  bool present[2] = {!isnan(a), !isnan(b)};
  return fp_runtime_step(&RT, raw, present);
}

#define ONE_INPUT(checks) "{\"inputs\":[{\"name\":\"t\"" checks "}],\"decision\":{\"output\":0,\"threshold\":0.5,\"minConsecutive\":1}}"

/* ---- validation ---- */

static void validation_kinds_in_order(void **state) {
  (void)state;
  start(ONE_INPUT(",\"min\":0,\"max\":10,\"maxStep\":3,\"stuckSamples\":3"), false);
  step1(NAN);
  assert_int_equal(RT.health.rejected[FP_READING_DROPOUT - 1], 1);
  assert_int_equal(RT.faults[0], 1u << (FP_READING_DROPOUT - 1));
  step1(11); /* out of range: a second fault while the dropout one still holds */
  assert_int_equal(RT.faults[0], 3u);
  step1(5); /* valid: clears every fault of the input */
  assert_int_equal(RT.faults[0], 0);
  step1(9); /* a step of 4 > maxStep 3: unstable, not a fault, and the new reference */
  assert_int_equal(RT.health.rejected[FP_READING_UNSTABLE - 1], 1);
  assert_int_equal(RT.faults[0], 0);
  step1(9); /* 9 again: valid (the spike is the reference now); run 2 */
  assert_int_equal(RT.health.rejected[FP_READING_UNSTABLE - 1], 1);
  step1(9); /* third identical reading: stuck */
  assert_int_equal(RT.health.rejected[FP_READING_STUCK - 1], 1);
  assert_int_equal(RT.faults[0], 1u << (FP_READING_STUCK - 1));
  step1(NAN); /* a dropout does not break the run */
  step1(9);
  assert_int_equal(RT.health.rejected[FP_READING_STUCK - 1], 2);
  step1(8); /* a different valid value ends the fault */
  assert_int_equal(RT.faults[0], 0);
  assert_int_equal(RT.health.steps, 9);
}

static void out_of_range_counts_towards_stuck(void **state) {
  (void)state;
  start(ONE_INPUT(",\"max\":10,\"stuckSamples\":2"), false);
  step1(12);
  assert_int_equal(fp_guard_check(&RT.guards[0], &CFG.inputs[0], true, 12), FP_READING_OUT_OF_RANGE);
  /* the run is 3 now, but range comes first; a valid 12 cannot exist, a valid 5 starts again */
  assert_int_equal(fp_guard_check(&RT.guards[0], &CFG.inputs[0], true, 5), FP_READING_OK);
  assert_int_equal(fp_guard_check(&RT.guards[0], &CFG.inputs[0], true, 5), FP_READING_STUCK);
}

static void checks_left_out_are_off(void **state) {
  (void)state;
  start(ONE_INPUT(""), false);
  for (int i = 0; i < 10; i++) step1(1e300);
  for (unsigned k = 0; k < FP_READING_KINDS; k++) assert_int_equal(RT.health.rejected[k], 0);
}

/* ---- normalization and quantization ---- */

static void normalize_and_quantize(void **state) {
  (void)state;
  fp_rt_checks z = {.normalize = FP_NORM_ZSCORE, .a = 20, .b = 4};
  fp_rt_checks m = {.normalize = FP_NORM_MINMAX, .a = -10, .b = 30};
  fp_rt_checks none = {0};
  assert_true(fp_normalize(&z, 26) == 1.5);
  assert_true(fp_normalize(&m, 0) == 0.25);
  assert_true(fp_normalize(&none, 7.5) == 7.5);
  /* Math.round: halves go up, also below zero */
  assert_int_equal(fp_quantize(0.025, 0.01f, 0), 3); /* 0.025 / 0.0099999998 = 2.50000006 */
  assert_int_equal(fp_quantize(0.5, 0.25f, 0), 2);
  assert_int_equal(fp_quantize(-0.625, 0.25f, 0), -2); /* -2.5 rounds up to -2 */
  assert_int_equal(fp_quantize(0.625, 0.25f, 0), 3);
  assert_int_equal(fp_quantize(0.49999999999999994, 1.0f, 0), 0);
  assert_int_equal(fp_quantize(1.0, 0.25f, -128), -124);
  assert_int_equal(fp_quantize(1000, 0.01f, 5), 127);
  assert_int_equal(fp_quantize(-1000, 0.01f, 5), -128);
  assert_int_equal(fp_quantize(INFINITY, 0.01f, 0), 127);
  assert_int_equal(fp_quantize(NAN, 0.01f, 7), 7);
  assert_true(fp_dequantize(-3, 0.5f, -5) == 1.0f);
}

/* ---- decision and debounce ---- */

static void model_decides_with_debounce(void **state) {
  (void)state;
  start("{\"inputs\":[{\"name\":\"t\",\"normalize\":{\"kind\":\"minmax\",\"a\":0,\"b\":10}}],"
        "\"decision\":{\"output\":0,\"threshold\":0.5,\"minConsecutive\":3}}",
        true);
  fp_decision d = step1(9); /* 0.9 > 0.5: candidate 1 */
  assert_int_equal(d.source, FP_SOURCE_MODEL);
  assert_int_equal(d.outcome, FP_OUTCOME_NORMAL);
  assert_true(fabsf(d.score - 0.9f) < 1e-6f);
  step1(9);
  d = step1(9);
  assert_int_equal(d.outcome, FP_OUTCOME_ALARM);
  d = step1(9);
  assert_int_equal(d.outcome, FP_OUTCOME_ALARM);
  d = step1(5); /* 0.5 is not above 0.5: the run ends */
  assert_int_equal(d.outcome, FP_OUTCOME_NORMAL);
  step1(9);
  d = step1(9);
  assert_int_equal(d.outcome, FP_OUTCOME_NORMAL);
  assert_int_equal(RT.health.alarms, 2);
  assert_int_equal(RT.health.inferences, 7);
  assert_int_equal(FAKE.invokes, 7);
  assert_int_equal(RT.health.last_cycles, 5000);
  assert_int_equal(fp_runtime_latency_p95_us(&RT), 5000 / 168);
  assert_int_equal(RT.health.fallback_activations, 0);
}

static void output_index_selects_the_score(void **state) {
  (void)state;
  start("{\"inputs\":[{\"name\":\"t\"}],\"decision\":{\"output\":1,\"threshold\":-0.5}}", true);
  /* output 1 is -x: x = 0.6 gives -0.6, not above -0.5; minConsecutive absent means 1 */
  assert_int_equal(step1(0.6).outcome, FP_OUTCOME_NORMAL);
  assert_int_equal(step1(0.4).outcome, FP_OUTCOME_ALARM);
}

static void no_inference_while_an_input_is_invalid(void **state) {
  (void)state;
  start("{\"inputs\":[{\"name\":\"a\"},{\"name\":\"b\",\"max\":1}],"
        "\"decision\":{\"threshold\":0.5},\"fallback\":{\"mode\":\"off\"}}",
        true);
  fp_decision d = step2(0.9, 2);
  assert_int_equal(d.source, FP_SOURCE_NONE);
  assert_int_equal(FAKE.invokes, 0);
  d = step2(0.9, NAN);
  assert_int_equal(d.source, FP_SOURCE_NONE);
  d = step2(0.9, 0.5);
  assert_int_equal(d.source, FP_SOURCE_MODEL);
  assert_int_equal(d.outcome, FP_OUTCOME_ALARM);
}

static void model_of_another_width_is_refused(void **state) {
  (void)state;
  start("{\"inputs\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"decision\":{}}", false);
  fp_model_info info = {3, FP_TENSOR_INT8, 0.01f, 0, 2, FP_TENSOR_INT8, 0.01f, 0};
  assert_false(fp_runtime_set_model(&RT, &FAKE_PORT, &info));
  info.input_len = 2;
  info.output_len = 0; /* decision.output 0 does not exist */
  assert_false(fp_runtime_set_model(&RT, &FAKE_PORT, &info));
  info.output_len = 1;
  info.output_type = 2; /* neither int8 nor float32 */
  assert_false(fp_runtime_set_model(&RT, &FAKE_PORT, &info));
  /* a float32 output: up to FP_MAX_TENSOR bytes of floats fit the output buffer */
  info.output_type = FP_TENSOR_FLOAT32;
  info.output_len = FP_MAX_TENSOR / 4 + 1;
  assert_false(fp_runtime_set_model(&RT, &FAKE_PORT, &info));
  info.output_len = FP_MAX_TENSOR / 4;
  assert_true(fp_runtime_set_model(&RT, &FAKE_PORT, &info));
  info.output_type = FP_TENSOR_INT8;
  info.output_len = 1;
  assert_true(fp_runtime_set_model(&RT, &FAKE_PORT, &info));
}

/* A model with a float32 input and output is fed the normalized values as floats (no quantizing)
 * and its float output is the score, as the Java runtime runs it: (float) x in, the float widened
 * to double against the threshold. */
static void float_interface_feeds_floats(void **state) {
  (void)state;
  FAKE.float_io = true;
  start("{\"inputs\":[{\"name\":\"t\",\"normalize\":{\"kind\":\"zscore\",\"a\":1,\"b\":3}}],"
        "\"decision\":{\"output\":0,\"threshold\":0.1}}",
        true);
  /* (1.3 - 1) / 3 is 0.1 to double precision; the model gets it as a float, 0.100000001490116,
   * and gives it back: above the threshold 0.1 once widened to double, so an alarm */
  fp_decision d = step1(1.3);
  double normalized = (1.3 - 1) / 3;
  assert_true(FAKE.last_float_input == (float)normalized);
  assert_true(d.score == (float)normalized);
  assert_int_equal(d.source, FP_SOURCE_MODEL);
  assert_int_equal(d.outcome, FP_OUTCOME_ALARM);
  /* a value a quantizing runtime would clamp to 127 * 0.01 passes through unchanged */
  d = step1(1 + 3 * 1e6);
  assert_true(d.score == 1e6f);
  assert_int_equal(RT.health.inferences, 2);
  assert_int_equal(RT.health.last_cycles, 5000);
  FAKE.float_io = false;
}

/* ---- fallback ---- */

#define RULES(rules) "{\"inputs\":[{\"name\":\"t\",\"max\":100}],\"decision\":{\"threshold\":0.5}," \
                     "\"fallback\":{\"mode\":\"rules\",\"rules\":[" rules "]}}"

static void rule_when_model_unavailable(void **state) {
  (void)state;
  start(RULES("{\"name\":\"hot\",\"when\":\"model-unavailable\",\"all\":[{\"input\":\"t\",\"op\":\">\",\"value\":50}],\"action\":\"alarm\"}"),
        false);
  fp_decision d = step1(60);
  assert_int_equal(d.source, FP_SOURCE_RULE);
  assert_int_equal(d.outcome, FP_OUTCOME_ALARM);
  assert_int_equal(d.rule, 0);
  d = step1(40);
  assert_int_equal(d.source, FP_SOURCE_NONE); /* mode rules: no hold-last */
  d = step1(60);
  assert_int_equal(RT.health.fallback_activations, 2);
  assert_int_equal(RT.health.alarms, 2);
  /* the raw reading decides, even out of range */
  d = step1(150);
  assert_int_equal(d.source, FP_SOURCE_RULE);
  assert_true(RT.health.fallback_active);
  assert_int_equal(RT.health.fallback_activations, 2);
}

static void rule_model_unavailable_is_quiet_with_a_model(void **state) {
  (void)state;
  start(RULES("{\"name\":\"hot\",\"when\":\"model-unavailable\",\"all\":[],\"action\":\"alarm\"}"),
        true);
  assert_int_equal(step1(0.1).source, FP_SOURCE_MODEL);
}

static void rule_inputs_invalid_and_order(void **state) {
  (void)state;
  start(RULES("{\"name\":\"broken\",\"when\":\"inputs-invalid\",\"all\":[],\"action\":\"safe-state\"},"
              "{\"name\":\"high\",\"when\":\"always\",\"all\":[{\"input\":\"t\",\"op\":\">=\",\"value\":0.8}],\"action\":\"suppress\"}"),
        true);
  fp_decision d = step1(NAN);
  assert_int_equal(d.outcome, FP_OUTCOME_SAFE_STATE);
  assert_int_equal(d.rule, 0);
  d = step1(150); /* out of range: inputs invalid, the first rule wins over the second */
  assert_int_equal(d.rule, 0);
  d = step1(0.9); /* valid: the model runs, and the always rule wins over it */
  assert_int_equal(d.outcome, FP_OUTCOME_SUPPRESSED);
  assert_int_equal(d.rule, 1);
  assert_int_equal(RT.health.inferences, 1);
  d = step1(0.2);
  assert_int_equal(d.source, FP_SOURCE_MODEL);
  assert_int_equal(RT.health.fallback_activations, 1);
  assert_false(RT.health.fallback_active);
}

static void conditions_all_hold(void **state) {
  (void)state;
  start("{\"inputs\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"decision\":{},\"fallback\":{\"mode\":\"rules\",\"rules\":["
        "{\"name\":\"r\",\"when\":\"always\",\"all\":[{\"input\":\"a\",\"op\":\"==\",\"value\":1},"
        "{\"input\":\"b\",\"op\":\"!=\",\"value\":2}],\"action\":\"alarm\"},"
        "{\"name\":\"ghost\",\"when\":\"always\",\"all\":[{\"input\":\"c\",\"op\":\"<\",\"value\":9}],\"action\":\"alarm\"},"
        "{\"name\":\"odd\",\"when\":\"sometimes\",\"all\":[],\"action\":\"alarm\"}]}}",
        false);
  assert_int_equal(step2(1, 3).source, FP_SOURCE_RULE);
  assert_int_equal(step2(1, 2).source, FP_SOURCE_NONE);
  assert_int_equal(step2(1, NAN).source, FP_SOURCE_NONE); /* a dropout fails every comparison */
  assert_int_equal(step2(0.5, 3).source, FP_SOURCE_NONE);
}

static void hold_last_and_off(void **state) {
  (void)state;
  start("{\"inputs\":[{\"name\":\"t\"}],\"decision\":{\"threshold\":0.5}}", true);
  fp_decision d = step1(NAN); /* no model decision yet: nothing to hold */
  assert_int_equal(d.source, FP_SOURCE_NONE);
  assert_int_equal(step1(0.9).outcome, FP_OUTCOME_ALARM);
  d = step1(NAN);
  assert_int_equal(d.source, FP_SOURCE_HOLD_LAST);
  assert_int_equal(d.outcome, FP_OUTCOME_ALARM);
  step1(NAN);
  assert_int_equal(RT.health.alarms, 3);
  assert_int_equal(RT.health.fallback_activations, 1);
  start("{\"inputs\":[{\"name\":\"t\"}],\"decision\":{\"threshold\":0.5},\"fallback\":{\"mode\":\"off\"}}",
        true);
  step1(0.9);
  d = step1(NAN);
  assert_int_equal(d.source, FP_SOURCE_NONE);
  assert_int_equal(d.outcome, FP_OUTCOME_NORMAL);
}

static void alarm_episodes_and_activations_by_action(void **state) {
  (void)state;
  start(RULES("{\"name\":\"broken\",\"when\":\"inputs-invalid\",\"all\":[],\"action\":\"safe-state\"},"
              "{\"name\":\"quiet\",\"when\":\"always\",\"all\":[{\"input\":\"t\",\"op\":\"<\",\"value\":0}],\"action\":\"suppress\"}"),
        true);
  step1(0.9); /* the model's alarm: an episode */
  step1(0.9); /* still the same episode */
  step1(0.1);
  step1(0.9); /* a second episode */
  assert_int_equal(RT.health.alarms, 3);
  assert_int_equal(RT.health.alarm_episodes, 2);
  step1(NAN);  /* safe-state */
  step1(-1);   /* suppress: the fallback goes on, with another action */
  step1(NAN);  /* safe-state again */
  assert_int_equal(RT.health.fallback_activations, 1);
  assert_int_equal(RT.health.activations[FP_ACTION_SAFE_STATE - 1], 2);
  assert_int_equal(RT.health.activations[FP_ACTION_SUPPRESS - 1], 1);
  assert_int_equal(RT.health.activations[FP_ACTION_ALARM - 1], 0);
  assert_int_equal(RT.health.fallback_action, FP_ACTION_SAFE_STATE);
  step1(0.1);
  assert_int_equal(RT.health.fallback_action, FP_ACTION_NONE);
  assert_string_equal(fp_fallback_action_name(FP_ACTION_HOLD_LAST), "hold-last");
}

/* ---- drift ---- */

static void drift_against_the_reference_from_the_first_reading(void **state) {
  (void)state;
  /* reference 10 +- 2; a sensor installed 4 deviations high drifts after minSamples readings */
  start("{\"inputs\":[{\"name\":\"t\",\"reference\":{\"mean\":10,\"std\":2}}],\"decision\":{},"
        "\"drift\":{\"windowSeconds\":100,\"maxMeanShiftSigma\":3,\"minSamples\":5}}",
        false);
  for (int i = 0; i < 4; i++) {
    step1(18);
    assert_false(RT.drifting[0]);
  }
  step1(18);
  assert_true(RT.drifting[0]);
  assert_int_equal(fp_drift_milli_sigma(&RT.drift[0]), 4000);
  step1(NAN); /* an invalid reading leaves drift as it was */
  assert_true(RT.drifting[0]);
}

static void drift_running_mean_then_weighted(void **state) {
  (void)state;
  start("{\"inputs\":[{\"name\":\"t\",\"reference\":{\"mean\":0,\"std\":1}}],\"decision\":{},"
        "\"drift\":{\"windowSeconds\":4,\"maxMeanShiftSigma\":100,\"minSamples\":1}}",
        false);
  step1(4);
  assert_true(fp_drift_shift_sigma(&RT.drift[0]) == 4.0);
  step1(0);
  step1(2);
  assert_true(fp_drift_shift_sigma(&RT.drift[0]) == 2.0);
  step1(10); /* the window's 4th reading: still the plain mean */
  assert_true(fp_drift_shift_sigma(&RT.drift[0]) == 4.0);
  step1(-8); /* 4 + (-8 - 4) / 4 */
  assert_true(fp_drift_shift_sigma(&RT.drift[0]) == 1.0);
}

static void drift_reference_from_the_normalization(void **state) {
  (void)state;
  start("{\"inputs\":[{\"name\":\"z\",\"normalize\":{\"kind\":\"zscore\",\"a\":0.42,\"b\":0.13}},"
        "{\"name\":\"m\",\"normalize\":{\"kind\":\"minmax\",\"a\":-40,\"b\":125}},"
        "{\"name\":\"r\",\"normalize\":{\"kind\":\"zscore\",\"a\":0,\"b\":1},"
        "\"reference\":{\"mean\":5,\"std\":0.5}},{\"name\":\"n\"}],\"decision\":{}}",
        false);
  assert_true(RT.drift[0].ref_mean == 0.42 && RT.drift[0].ref_std == 0.13);
  assert_true(RT.drift[1].ref_mean == 42.5 && RT.drift[1].ref_std == 165 / sqrt(12));
  assert_true(RT.drift[2].ref_mean == 5 && RT.drift[2].ref_std == 0.5);
  assert_true(RT.drift[3].ref_std == 0);
  double raw[4] = {1, 2, 3, 1e9};
  bool present[4] = {true, true, true, true};
  fp_runtime_step(&RT, raw, present);
  assert_true(fp_drift_measured(&RT.drift[0]));
  assert_false(fp_drift_measured(&RT.drift[3])); /* no reference: not measured */
  assert_int_equal(sizeof RT.drift[0], FP_DRIFT_BYTES);
}

static void drift_defaults_without_a_section(void **state) {
  (void)state;
  start(ONE_INPUT(""), false);
  assert_int_equal(RT.drift_settings.window, 3600);
  assert_true(RT.drift_settings.max_shift_sigma == 3.0);
  assert_int_equal(RT.drift_settings.min_samples, 10);
}

/* ---- config reading ---- */

static void config_not_in_the_runtime_form(void **state) {
  (void)state;
  const char *off[] = {
      "{\"inputs\":[{\"name\":\"t\"}]}",
      "{\"inputs\":[{\"name\":\"t\"}],\"decision\":null}",
      "{\"inputs\":[{\"name\":\"t\"}],\"decision\":[]}",
      "{\"inputs\":[{\"name\":\"t\",\"min\":\"low\"}],\"decision\":{}}",
      "{\"inputs\":[{\"name\":\"t\",\"normalize\":\"zscore\"}],\"decision\":{}}",
      "{\"inputs\":[{\"name\":\"t\"}],\"decision\":{\"minConsecutive\":99999999999}}",
      "{\"inputs\":[{\"name\":\"t\"}],\"decision\":{},\"fallback\":\"rules\"}",
      "{\"inputs\":[{\"name\":\"t\"}],\"decision\":{},\"drift\":{\"windowSeconds\":\"1h\"}}",
      "{\"inputs\":[{\"name\":\"t\"}],\"decision\":{},\"reportIntervalSeconds\":3000000000}",
  };
  for (size_t i = 0; i < sizeof off / sizeof off[0]; i++) {
    assert_int_equal(fp_json_parse(&DOC, off[i], strlen(off[i])), FP_OK);
    fp_runtime_config_load(&DOC, 0, &CFG);
    if (CFG.enabled) fail_msg("runtime on for %s", off[i]);
  }
  const char *on = "{\"inputs\":[{\"name\":\"t\",\"min\":null,\"normalize\":null}],\"decision\":{},"
                   "\"fallback\":{\"mode\":null,\"rules\":null},\"drift\":null,\"extra\":[1]}";
  assert_int_equal(fp_json_parse(&DOC, on, strlen(on)), FP_OK);
  fp_runtime_config_load(&DOC, 0, &CFG);
  assert_true(CFG.enabled);
  assert_int_equal(CFG.fallback, FP_FALLBACK_OFF); /* a fallback without a mode */
  assert_false(CFG.inputs[0].has_min);
}

static void too_many_rules_is_refused(void **state) {
  (void)state;
  char text[2048] = "{\"inputs\":[],\"decision\":{},\"fallback\":{\"mode\":\"rules\",\"rules\":[";
  for (int i = 0; i < 17; i++) strcat(text, i ? ",{}" : "{}");
  strcat(text, "]}}");
  char msg[160];
  assert_int_equal(fp_json_parse(&DOC, text, strlen(text)), FP_OK);
  assert_int_equal(fp_runtime_config_check(&DOC, 0, msg, sizeof msg), FP_ERR_INVALID_CONFIG);
  assert_string_equal(msg, "fallback has 17 rules, at most 16 are supported");
  const char *conds = "{\"fallback\":{\"rules\":[{\"all\":[{},{},{},{},{}]}]}}";
  assert_int_equal(fp_json_parse(&DOC, conds, strlen(conds)), FP_OK);
  assert_int_equal(fp_runtime_config_check(&DOC, 0, msg, sizeof msg), FP_ERR_INVALID_CONFIG);
  assert_string_equal(msg, "fallback rule 0 has 5 conditions, at most 4 are supported");
}

/* ---- on a device with the fake runner ---- */

static fp_test_device T;

static const fp_test_frame *expect_ok(uint8_t type, uint16_t id, const char *json) {
  const fp_test_frame *f = fp_test_exchange(&T, type, id, json);
  assert_non_null(f);
  if (f->flags != 1) fail_msg("%s answered %s", json, (const char *)f->body);
  return f;
}

static void device_runs_the_active_model(void **state) {
  (void)state;
  assert_int_equal(fp_test_device_init(&T, "stm32f4"), FP_OK);
  T.dev.ports.runner = &FAKE_PORT;
  FAKE = (fake_runner){0};
  FAKE.input_len = 1;
  /* a model in slot A, booted and confirmed (the fake runner takes any bytes) */
  static uint8_t model[64];
  uint8_t sha[FP_SHA256_BYTES];
  fp_sha256 ctx;
  fp_sha256_init(&ctx);
  fp_sha256_update(&ctx, model, sizeof model);
  fp_sha256_final(&ctx, sha);
  assert_int_equal(fp_slots_begin_update(&T.dev.slots, FP_SLOT_A), FP_OK);
  assert_int_equal(fp_slots_write(&T.dev.slots, FP_SLOT_A, 0, model, sizeof model), FP_OK);
  assert_int_equal(fp_slots_commit(&T.dev.slots, FP_SLOT_A, sizeof model, sha, "m", "1"), FP_OK);
  assert_int_equal(fp_device_reboot(&T.dev), FP_OK);
  expect_ok(FP_MSG_CONFIG, 1,
            "{\"generation\":1,\"config\":{\"inputs\":[{\"name\":\"t\"}],"
            "\"decision\":{\"threshold\":0.5}}}");
  assert_true(fp_runtime_has_model(&T.dev.runtime));
  assert_int_equal(FAKE.offset, fp_slots_offset(&T.dev.slots, FP_SLOT_A));
  fp_host_sensors_set(&T.sensors, 0, true, 0.9);
  T.clock.now += 1000;
  fp_device_poll(&T.dev);
  assert_non_null(fp_test_next(&T));
  /* a SELFTEST loads slot B's bytes into the runner: the runtime loads its model again */
  fp_test_exchange(&T, FP_MSG_SELFTEST, 2, "{\"slot\":\"B\",\"length\":10,\"input\":[1]}");
  assert_int_equal(FAKE.offset, fp_slots_offset(&T.dev.slots, FP_SLOT_A));
  T.clock.now += 1000;
  fp_device_poll(&T.dev);
  assert_non_null(fp_test_next(&T));
  const fp_test_frame *f = expect_ok(FP_MSG_STATS, 3, "{}");
  const char *counters = strstr((const char *)f->body, "\"counters\":");
  assert_non_null(counters);
  assert_string_equal(counters,
                      "\"counters\":{\"alarmEpisodes\":1,\"alarms\":2,\"configsApplied\":1,\"configsRejected\":0,"
                      "\"errorResponses\":0,\"fallbackActivations\":0,\"fallbackActive\":0,"
                      "\"framesDroppedBadCobs\":0,\"framesDroppedBadCrc\":0,"
                      "\"framesDroppedBadLength\":0,\"framesDroppedTooLong\":0,"
                      "\"inferenceCycles\":5000,\"inferences\":2,\"latencyP95Us\":29,"
                      "\"requests\":3,\"resets\":1,\"sensorFault.dropout\":0,\"steps\":2,"
                      "\"unexpectedFrames\":0}}");
  /* a runner that cannot load the model: the runtime runs without one */
  FAKE.fail_load = true;
  assert_int_equal(fp_device_reboot(&T.dev), FP_OK);
  assert_false(fp_runtime_has_model(&T.dev.runtime));
  assert_int_equal(T.dev.runtime.health.steps, 0); /* a new engine at boot */
  fp_test_device_close(&T);
}

static void stats_names_in_order_with_faults_and_drift(void **state) {
  (void)state;
  assert_int_equal(fp_test_device_init(&T, "esp32"), FP_OK);
  expect_ok(FP_MSG_CONFIG, 1,
            "{\"generation\":1,\"config\":{\"inputs\":[{\"name\":\"b\",\"max\":5},{\"name\":\"a:x\"},"
            "{\"name\":\"a\",\"reference\":{\"mean\":0,\"std\":1}}],\"decision\":{},"
            "\"drift\":{\"windowSeconds\":2,\"maxMeanShiftSigma\":1,\"minSamples\":1}}}");
  fp_host_sensors_set(&T.sensors, 0, true, 9);   /* b out of range */
  fp_host_sensors_set(&T.sensors, 1, false, 0);  /* a:x drops out */
  for (int i = 0; i < 4; i++) {
    fp_host_sensors_set(&T.sensors, 2, true, i < 2 ? (double)i : 10.0 + i); /* a drifts */
    T.clock.now += 1000;
    fp_device_poll(&T.dev);
    assert_non_null(fp_test_next(&T));
  }
  const fp_test_frame *f = expect_ok(FP_MSG_STATS, 2, "{}");
  const char *counters = strstr((const char *)f->body, "\"counters\":");
  assert_string_equal(counters,
                      "\"counters\":{\"alarmEpisodes\":0,\"alarms\":0,\"configsApplied\":1,\"configsRejected\":0,"
                      "\"driftMilliSigma.a\":9625,\"drifting.a\":1,\"errorResponses\":0,\"fallbackActivations\":0,"
                      "\"fallbackActive\":0,\"faultActive.a:x:dropout\":1,"
                      "\"faultActive.b:out_of_range\":1,\"framesDroppedBadCobs\":0,"
                      "\"framesDroppedBadCrc\":0,\"framesDroppedBadLength\":0,"
                      "\"framesDroppedTooLong\":0,\"inferenceCycles\":0,\"inferences\":0,"
                      "\"latencyP95Us\":0,\"rejected.dropout\":4,\"rejected.out_of_range\":4,"
                      "\"requests\":2,\"resets\":0,\"sensorFault.dropout\":4,"
                      "\"sensorFault.out_of_range\":4,\"steps\":4,\"unexpectedFrames\":0}}");
  fp_test_device_close(&T);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(validation_kinds_in_order),
      cmocka_unit_test(alarm_episodes_and_activations_by_action),
      cmocka_unit_test(out_of_range_counts_towards_stuck),
      cmocka_unit_test(checks_left_out_are_off),
      cmocka_unit_test(normalize_and_quantize),
      cmocka_unit_test(model_decides_with_debounce),
      cmocka_unit_test(output_index_selects_the_score),
      cmocka_unit_test(no_inference_while_an_input_is_invalid),
      cmocka_unit_test(model_of_another_width_is_refused),
      cmocka_unit_test(float_interface_feeds_floats),
      cmocka_unit_test(rule_when_model_unavailable),
      cmocka_unit_test(rule_model_unavailable_is_quiet_with_a_model),
      cmocka_unit_test(rule_inputs_invalid_and_order),
      cmocka_unit_test(conditions_all_hold),
      cmocka_unit_test(hold_last_and_off),
      cmocka_unit_test(drift_against_the_reference_from_the_first_reading),
      cmocka_unit_test(drift_running_mean_then_weighted),
      cmocka_unit_test(drift_reference_from_the_normalization),
      cmocka_unit_test(drift_defaults_without_a_section),
      cmocka_unit_test(config_not_in_the_runtime_form),
      cmocka_unit_test(too_many_rules_is_refused),
      cmocka_unit_test(device_runs_the_active_model),
      cmocka_unit_test(stats_names_in_order_with_faults_and_drift),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
