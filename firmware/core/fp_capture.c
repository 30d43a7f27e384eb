#include "fp_capture.h"

#include <math.h>
#include <string.h>

#include "fp_guard.h"

#define FNV_OFFSET 0x811c9dc5u
#define FNV_PRIME 0x01000193u

/* Sample layout in the pool: u32 uptime, f32 score, u8 outcome, u8 source, 2 bytes pad, then f32
 * raw[n], f32 normalized[n], u8 verdict[n]. */
#define OFF_SCORE 4u
#define OFF_OUTCOME 8u
#define OFF_SOURCE 9u
#define OFF_INPUTS FP_CAPTURE_SAMPLE_BYTES

uint32_t fp_capture_capacity(int64_t before, int64_t after, unsigned inputs) {
  int64_t wanted = (before > 0 ? before : 0) + (after > 0 ? after : 0) + 1;
  int64_t fit = FP_CAPTURE_POOL_BYTES / (FP_CAPTURE_SAMPLE_BYTES + FP_CAPTURE_INPUT_BYTES * inputs);
  int64_t capacity = wanted < fit ? wanted : fit;
  return capacity < 1 ? 1u : (uint32_t)capacity;
}

uint32_t fp_capture_page_samples(unsigned inputs) {
  uint32_t n = (FP_MAX_BODY - FP_CAPTURE_PAGE_HEADER) /
               (FP_CAPTURE_PAGE_SAMPLE + FP_CAPTURE_PAGE_INPUT * inputs);
  return n < 1 ? 1u : n;
}

void fp_capture_start(fp_capture *c, const fp_runtime_config *config) {
  memset(c, 0, sizeof *c);
  c->random = FNV_OFFSET;
  c->on = config->has_capture;
  if (!c->on) return;
  c->inputs = config->input_count;
  c->triggers = config->capture_triggers;
  c->sample_bytes = FP_CAPTURE_SAMPLE_BYTES + FP_CAPTURE_INPUT_BYTES * c->inputs;
  c->capacity = fp_capture_capacity(config->capture_before, config->capture_after, c->inputs);
  uint32_t after = config->capture_after > 0 ? (uint32_t)config->capture_after : 0u;
  c->after = after < c->capacity - 1u ? after : c->capacity - 1u;
  c->sample_one_in = config->capture_sample_one_in > 0 ? config->capture_sample_one_in : 0;
}

void fp_capture_seed(fp_capture *c, const char *device_id) {
  uint32_t hash = FNV_OFFSET;
  for (const unsigned char *p = (const unsigned char *)device_id; p && *p; p++) {
    hash = (hash ^ *p) * FNV_PRIME;
  }
  c->random = hash == 0 ? 1u : hash;
}

static uint8_t *slot(const fp_capture *c, uint32_t i) {
  return (uint8_t *)c->pool + ((c->start + i) % c->capacity) * c->sample_bytes;
}

static void freeze(fp_capture *c) {
  c->state = FP_CAPTURE_FROZEN;
  c->captures++;
}

void fp_capture_record(fp_capture *c, uint32_t uptime_ms, float score, uint8_t outcome,
                       uint8_t source, const double *raw, const bool *present,
                       const double *normalized, const uint8_t *verdicts) {
  if (!c->on || c->state == FP_CAPTURE_FROZEN) return;
  uint8_t *s = (uint8_t *)c->pool + ((c->start + c->count) % c->capacity) * c->sample_bytes;
  memcpy(s, &uptime_ms, 4);
  memcpy(s + OFF_SCORE, &score, 4);
  s[OFF_OUTCOME] = outcome;
  s[OFF_SOURCE] = source;
  s[OFF_SOURCE + 1] = 0;
  s[OFF_SOURCE + 2] = 0;
  unsigned n = c->inputs;
  for (unsigned i = 0; i < n; i++) {
    float r = present[i] ? (float)raw[i] : NAN;
    float v = verdicts[i] == FP_READING_OK ? (float)normalized[i] : NAN;
    memcpy(s + OFF_INPUTS + 4u * i, &r, 4);
    memcpy(s + OFF_INPUTS + 4u * (n + i), &v, 4);
    s[OFF_INPUTS + 8u * n + i] = verdicts[i];
  }
  if (c->count < c->capacity) {
    c->count++;
  } else {
    c->start = (c->start + 1u) % c->capacity;
  }
  if (c->state == FP_CAPTURE_ARMED && --c->remaining == 0) freeze(c);
}

uint8_t fp_capture_fired(fp_capture *c, bool alarm, bool fallback, bool fault, bool drift) {
  bool sampled = false;
  if (c->sample_one_in > 0) {
    c->random ^= c->random << 13;
    c->random ^= c->random >> 17;
    c->random ^= c->random << 5;
    sampled = (int64_t)c->random % c->sample_one_in == 0;
  }
  if (alarm && (c->triggers & 1u)) return FP_TRIGGER_ALARM;
  if (fallback && (c->triggers & 2u)) return FP_TRIGGER_FALLBACK;
  if (fault && (c->triggers & 4u)) return FP_TRIGGER_SENSOR_FAULT;
  if (drift && (c->triggers & 8u)) return FP_TRIGGER_DRIFT;
  return sampled ? FP_TRIGGER_SAMPLE : FP_TRIGGER_NONE;
}

void fp_capture_trigger(fp_capture *c, uint8_t trigger) {
  if (!c->on || trigger == FP_TRIGGER_NONE) return;
  if (c->state != FP_CAPTURE_RECORDING || c->count == 0) {
    c->missed++;
    return;
  }
  c->trigger = trigger;
  c->state = FP_CAPTURE_ARMED;
  c->remaining = c->after;
  if (c->remaining == 0) freeze(c);
}

bool fp_capture_release(fp_capture *c, uint64_t id) {
  if (!c->on || c->state != FP_CAPTURE_FROZEN || id != c->captures) return false;
  c->state = FP_CAPTURE_RECORDING;
  c->start = 0;
  c->count = 0;
  c->trigger = FP_TRIGGER_NONE;
  return true;
}

const char *fp_capture_trigger_name(uint8_t trigger) {
  switch (trigger) {
    case FP_TRIGGER_ALARM: return "alarm";
    case FP_TRIGGER_FALLBACK: return "fallback";
    case FP_TRIGGER_SENSOR_FAULT: return "sensorFault";
    case FP_TRIGGER_DRIFT: return "drift";
    case FP_TRIGGER_SAMPLE: return "sample";
    default: return "";
  }
}

static const char *outcome_name(uint8_t outcome) {
  switch (outcome) {
    case FP_OUTCOME_ALARM: return "alarm";
    case FP_OUTCOME_SUPPRESSED: return "suppressed";
    case FP_OUTCOME_SAFE_STATE: return "safe-state";
    default: return "normal";
  }
}

/* fp_source of fp_runtime.h: none, model, rule, hold-last */
static const char *source_name(uint8_t source) {
  switch (source) {
    case 1: return "model";
    case 2: return "rule";
    case 3: return "hold-last";
    default: return "none";
  }
}

static float float_at(const uint8_t *p) {
  float v;
  memcpy(&v, p, 4);
  return v;
}

static void sample(const fp_capture *c, uint32_t i, fp_jw *w) {
  const uint8_t *s = slot(c, i);
  unsigned n = c->inputs;
  uint32_t uptime;
  memcpy(&uptime, s, 4);
  fp_jw_obj_begin(w);
  fp_jw_key(w, "uptimeMs");
  fp_jw_int(w, (int64_t)uptime);
  fp_jw_key(w, "score");
  fp_jw_float(w, float_at(s + OFF_SCORE));
  fp_jw_key(w, "outcome");
  fp_jw_str(w, outcome_name(s[OFF_OUTCOME]));
  fp_jw_key(w, "source");
  fp_jw_str(w, source_name(s[OFF_SOURCE]));
  fp_jw_key(w, "raw");
  fp_jw_arr_begin(w);
  for (unsigned k = 0; k < n; k++) fp_jw_float(w, float_at(s + OFF_INPUTS + 4u * k));
  fp_jw_arr_end(w);
  fp_jw_key(w, "normalized");
  fp_jw_arr_begin(w);
  for (unsigned k = 0; k < n; k++) fp_jw_float(w, float_at(s + OFF_INPUTS + 4u * (n + k)));
  fp_jw_arr_end(w);
  fp_jw_key(w, "verdicts");
  fp_jw_arr_begin(w);
  for (unsigned k = 0; k < n; k++) {
    fp_jw_str(w, fp_reading_name((fp_reading)s[OFF_INPUTS + 8u * n + k]));
  }
  fp_jw_arr_end(w);
  fp_jw_obj_end(w);
}

void fp_capture_page(const fp_capture *c, uint32_t from, uint64_t uptime_ms, fp_jw *w) {
  fp_jw_obj_begin(w);
  fp_jw_key(w, "ready");
  if (!c->on || c->state != FP_CAPTURE_FROZEN) {
    fp_jw_bool(w, false);
    fp_jw_obj_end(w);
    return;
  }
  uint32_t first = from < c->count ? from : c->count;
  uint32_t end = first + fp_capture_page_samples(c->inputs);
  if (end > c->count) end = c->count;
  fp_jw_bool(w, true);
  fp_jw_key(w, "id");
  fp_jw_int(w, (int64_t)c->captures);
  fp_jw_key(w, "trigger");
  fp_jw_str(w, fp_capture_trigger_name(c->trigger));
  fp_jw_key(w, "uptimeMs");
  fp_jw_int(w, (int64_t)uptime_ms);
  fp_jw_key(w, "total");
  fp_jw_int(w, c->count);
  fp_jw_key(w, "triggerIndex");
  fp_jw_int(w, (int64_t)c->count - 1 - (int64_t)c->after);
  fp_jw_key(w, "from");
  fp_jw_int(w, first);
  if (end < c->count) {
    fp_jw_key(w, "next");
    fp_jw_int(w, end);
  }
  fp_jw_key(w, "samples");
  fp_jw_arr_begin(w);
  for (uint32_t i = first; i < end; i++) sample(c, i, w);
  fp_jw_arr_end(w);
  fp_jw_obj_end(w);
}
