#include "fp_rtconfig.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static fp_err invalid(char *msg, size_t cap, const char *text) {
  snprintf(msg, cap, "%s", text);
  return FP_ERR_INVALID_CONFIG;
}

static bool number(const fp_json_doc *doc, int tok, double *v) {
  return tok >= 0 && fp_json_type_of(doc, tok) == FP_JSON_NUMBER &&
         fp_json_double(doc, tok, v) == FP_OK && isfinite(*v);
}

static bool range(const fp_json_doc *doc, int obj, const char *lo_key, const char *hi_key,
                  double *lo, double *hi) {
  return number(doc, fp_json_get(doc, obj, lo_key), lo) &&
         number(doc, fp_json_get(doc, obj, hi_key), hi) && *hi > *lo;
}

/* The operating point of the synthetic sensors (device-protocol.md §8, SensorInput.fromConfig):
 * z-score mean/std, else the middle and a tenth of the min-max or valid range, else 0 and 1. */
static void operating_point(const fp_json_doc *doc, int input, fp_rt_input *out) {
  int normalize = fp_json_get(doc, input, "normalize");
  int kind = fp_json_get(doc, normalize, "kind");
  double a = 0;
  double b = 0;
  if (fp_json_str_eq(doc, kind, "zscore") && number(doc, fp_json_get(doc, normalize, "a"), &a) &&
      number(doc, fp_json_get(doc, normalize, "b"), &b) && b > 0) {
    out->baseline = a;
    out->scale = b;
    return;
  }
  if (number(doc, fp_json_get(doc, normalize, "mean"), &a) &&
      number(doc, fp_json_get(doc, normalize, "std"), &b) && b > 0) {
    out->baseline = a;
    out->scale = b;
    return;
  }
  if ((fp_json_str_eq(doc, kind, "minmax") && range(doc, normalize, "a", "b", &a, &b)) ||
      range(doc, normalize, "min", "max", &a, &b) || range(doc, input, "min", "max", &a, &b) ||
      range(doc, fp_json_get(doc, input, "validRange"), "min", "max", &a, &b)) {
    out->baseline = (a + b) / 2;
    out->scale = (b - a) * 0.1;
    return;
  }
  out->baseline = 0.0;
  out->scale = 1.0;
}

fp_err fp_rtconfig_check(const fp_json_doc *doc, int cfg, char *msg, size_t msg_cap) {
  if (cfg < 0 || fp_json_type_of(doc, cfg) != FP_JSON_OBJECT) {
    return invalid(msg, msg_cap, "config must be a JSON object");
  }
  int interval = fp_json_get_present(doc, cfg, "reportIntervalSeconds");
  double seconds = 0;
  if (interval >= 0 && !(fp_json_type_of(doc, interval) == FP_JSON_NUMBER &&
                         fp_json_double(doc, interval, &seconds) == FP_OK && seconds > 0)) {
    return invalid(msg, msg_cap, "reportIntervalSeconds must be a positive number");
  }
  int inputs = fp_json_get(doc, cfg, "inputs");
  if (inputs < 0 || fp_json_type_of(doc, inputs) != FP_JSON_ARRAY) {
    return invalid(msg, msg_cap, "config must have an inputs array");
  }
  if (doc->tok[inputs].size > FP_MAX_INPUTS) {
    snprintf(msg, msg_cap, "config has %u inputs, at most %u are supported",
             (unsigned)doc->tok[inputs].size, (unsigned)FP_MAX_INPUTS);
    return FP_ERR_INVALID_CONFIG;
  }
  unsigned index = 0;
  for (int item = fp_json_first(doc, inputs); item >= 0 && index < doc->tok[inputs].size;
       item = doc->tok[item].next, index++) {
    int name = fp_json_get(doc, item, "name");
    char text[FP_MAX_INPUT_NAME_BYTES + 1];
    size_t len = 0;
    bool is_string = name >= 0 && fp_json_type_of(doc, name) == FP_JSON_STRING;
    fp_err err = is_string ? fp_json_str(doc, name, text, sizeof text, &len) : FP_ERR_ARG;
    if (fp_json_type_of(doc, item) != FP_JSON_OBJECT || !is_string ||
        (err == FP_OK && len == 0)) {
      snprintf(msg, msg_cap, "inputs[%u] must have a non-empty string name", index);
      return FP_ERR_INVALID_CONFIG;
    }
    /* a name too long for the buffer is also longer than FP_MAX_INPUT_NAME units */
    if (err != FP_OK || fp_json_utf16_len(text, len) > FP_MAX_INPUT_NAME) {
      snprintf(msg, msg_cap, "inputs[%u].name is longer than %u characters", index,
               (unsigned)FP_MAX_INPUT_NAME);
      return FP_ERR_INVALID_CONFIG;
    }
    unsigned k = 0;
    for (int earlier = fp_json_first(doc, inputs); k < index;
         earlier = doc->tok[earlier].next, k++) {
      if (fp_json_str_eq(doc, fp_json_get(doc, earlier, "name"), text)) {
        snprintf(msg, msg_cap, "input name %s appears twice", text);
        return FP_ERR_INVALID_CONFIG;
      }
    }
  }
  return FP_OK;
}

void fp_rtconfig_load(const fp_json_doc *doc, int cfg, fp_rtconfig *out) {
  int inputs = fp_json_get(doc, cfg, "inputs");
  unsigned index = 0;
  out->input_count = 0;
  for (int item = fp_json_first(doc, inputs); item >= 0 && index < doc->tok[inputs].size &&
                                              index < FP_MAX_INPUTS;
       item = doc->tok[item].next, index++) {
    fp_rt_input *in = &out->inputs[index];
    size_t len = 0;
    if (fp_json_str(doc, fp_json_get(doc, item, "name"), in->name, sizeof in->name, &len) !=
        FP_OK) {
      in->name[0] = '\0';
    }
    operating_point(doc, item, in);
    out->input_count = (uint8_t)(index + 1u);
  }
}
