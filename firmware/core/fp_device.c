#include "fp_device.h"

#include <stdio.h>
#include <string.h>

#include "fp_slotcmd.h"

#define DEFAULT_TELEMETRY_MS 1000u

static uint64_t now_ms(const fp_device *dev) {
  return dev->ports.clock->now_ms(dev->ports.clock->ctx);
}

uint64_t fp_device_uptime_ms(const fp_device *dev) { return now_ms(dev) - dev->boot_ms; }

static uint32_t telemetry_interval(const fp_device *dev) {
  return dev->id.telemetry_interval_ms == 0 ? DEFAULT_TELEMETRY_MS : dev->id.telemetry_interval_ms;
}

/* ---- the device runtime and its model ---- */

/* Loads the active slot's model into the runner for the runtime; without one (no model, no
 * runner, a model that does not fit the config) the runtime runs without a model. */
static void load_runtime_model(fp_device *dev) {
  const fp_runner_port *runner = dev->ports.runner;
  fp_record rec;
  fp_model_info info;
  bool loaded = dev->slots.active >= 0 &&
                fp_slots_record(&dev->slots, dev->slots.active, &rec) == FP_OK &&
                runner->load(runner->ctx, dev->ports.flash,
                             fp_slots_offset(&dev->slots, dev->slots.active),
                             (uint32_t)rec.length) == FP_OK &&
                runner->info(runner->ctx, &info) == FP_OK;
  (void)fp_runtime_set_model(&dev->runtime, loaded ? runner : NULL, loaded ? &info : NULL);
}

/* A new engine, as the emulator builds one: health counters, guards, drift and debounce afresh. */
static void start_runtime(fp_device *dev) {
  if (!dev->runtime_config.enabled) return;
  fp_runtime_start(&dev->runtime, &dev->runtime_config, telemetry_interval(dev),
                   fp_runtime_cpu_mhz(dev->id.chip), &dev->tensor_out);
  fp_capture_seed(&dev->runtime.capture, dev->id.device_id);
  load_runtime_model(dev);
}

static fp_err boot(fp_device *dev) {
  dev->boot_ms = now_ms(dev);
  dev->next_telemetry_ms = dev->boot_ms + telemetry_interval(dev);
  dev->writing_slot = -1;
  dev->written = 0;
  /* a power cut while the boot rules rewrite a record just means booting again */
  fp_err err = FP_OK;
  for (int attempt = 0; attempt < 5; attempt++) {
    err = fp_slots_boot(&dev->slots);
    if (err != FP_ERR_POWER_LOSS) {
      break;
    }
  }
  start_runtime(dev);
  return err;
}

fp_err fp_device_init(fp_device *dev, const fp_identity *id, const fp_ports *ports) {
  memset(dev, 0, sizeof *dev);
  dev->layout = fp_layout_for_chip(id->chip);
  if (dev->layout == 0 || id->device_id == 0 || id->firmware == 0) {
    return FP_ERR_ARG;
  }
  dev->id = *id;
  dev->ports = *ports;
  fp_frame_rx_init(&dev->rx);
  fp_slots_init(&dev->slots, dev->layout, dev->ports.flash);
  return boot(dev);
}

fp_err fp_device_reboot(fp_device *dev) {
  dev->counters.resets++;
  fp_frame_rx_reset(&dev->rx);
  return boot(dev);
}

void fp_device_line_reset(fp_device *dev) { fp_frame_rx_reset(&dev->rx); }

static void send(fp_device *dev, uint8_t type, uint8_t flags, uint16_t id, size_t body_len) {
  fp_frame frame = {type, flags, id, (const uint8_t *)dev->body, (uint16_t)body_len};
  size_t len = 0;
  if (fp_frame_encode(&frame, dev->tx, sizeof dev->tx, &len) == FP_OK) {
    (void)dev->ports.stream->write(dev->ports.stream->ctx, dev->tx, len);
  }
}

/* ---- HELLO, STATS, CONFIG ---- */

static fp_err hello(fp_device *dev, const fp_frame *req, fp_jw *w) {
  fp_err err = fp_require_object_or_empty(dev, req);
  if (err != FP_OK) return err;
  const fp_runner_port *runner = dev->ports.runner;
  fp_jw_obj_begin(w);
  fp_jw_key(w, "deviceId");
  fp_jw_str(w, dev->id.device_id);
  fp_jw_key(w, "chip");
  fp_jw_str(w, dev->id.chip);
  fp_jw_key(w, "firmware");
  fp_jw_str(w, dev->id.firmware);
  fp_jw_key(w, "runtime");
  fp_jw_str(w, FP_RUNTIME_V3);
  fp_jw_key(w, "capabilities");
  fp_jw_obj_begin(w);
  fp_jw_key(w, "operators");
  fp_jw_arr_begin(w);
  for (size_t i = 0; i < runner->operator_count; i++) fp_jw_str(w, runner->operators[i]);
  fp_jw_arr_end(w);
  fp_jw_key(w, "arenaBytes");
  fp_jw_int(w, runner->arena_bytes);
  fp_jw_key(w, "slotBytes");
  fp_jw_int(w, dev->layout->slot_size);
  fp_jw_obj_end(w);
  fp_jw_key(w, "slots");
  fp_slotcmd_table(dev, w);
  fp_jw_obj_end(w);
  return FP_OK;
}

/* One named counter; the name is prefix + input + suffix (input may be ""). */
typedef struct {
  const char *prefix;
  const char *input;
  const char *suffix;
  int64_t value; /* link.rssiDbm is negative */
} counter;

/* Names compare as Java's TreeMap orders them (byte order of UTF-8 is code point order, which
 * differs from UTF-16 order only between U+E000..U+FFFF and supplementary characters). */
static int counter_cmp(const counter *a, const counter *b) {
  const char *as[3] = {a->prefix, a->input, a->suffix};
  const char *bs[3] = {b->prefix, b->input, b->suffix};
  unsigned ai = 0, bi = 0;
  const char *ap = as[0], *bp = bs[0];
  for (;;) {
    while (*ap == 0 && ai < 2) ap = as[++ai];
    while (*bp == 0 && bi < 2) bp = bs[++bi];
    unsigned char ac = (unsigned char)*ap, bc = (unsigned char)*bp;
    if (ac != bc || ac == 0) return (int)ac - (int)bc;
    ap++;
    bp++;
  }
}

#define DEVICE_COUNTERS 11u
#define RUNTIME_COUNTERS 8u
#define CAPTURE_COUNTERS 3u
#define FIRST_CAPTURE (DEVICE_COUNTERS + RUNTIME_COUNTERS)
#define FIRST_REJECTED (FIRST_CAPTURE + CAPTURE_COUNTERS)
#define FIRST_FAULT_KIND (FIRST_REJECTED + FP_READING_KINDS)
#define FIRST_ACTIVATION (FIRST_FAULT_KIND + 2u)
#define FIRST_ACTION (FIRST_ACTIVATION + FP_FALLBACK_ACTIONS)
#define FIRST_FAULT_ACTIVE (FIRST_ACTION + FP_FALLBACK_ACTIONS)
#define FIRST_DRIFTING (FIRST_FAULT_ACTIVE + 3u * FP_MAX_INPUTS)
#define FIRST_DRIFT_MAGNITUDE (FIRST_DRIFTING + FP_MAX_INPUTS)
#define FIRST_VITALS (FIRST_DRIFT_MAGNITUDE + FP_MAX_INPUTS)

/* The board's battery and link figure i (0..3), as the vitals port gives them; false when the
 * board has no such figure or no vitals port. */
static bool vital_at(const fp_device *dev, unsigned i, counter *out) {
  const fp_vitals_port *port = dev->ports.vitals;
  if (port == NULL || port->read == NULL) return false;
  fp_vitals v = {0};
  port->read(port->ctx, &v);
  switch (i) {
    case 0:
      *out = (counter){"battery.mv", "", "", v.battery_mv};
      return v.has_battery && v.battery_mv > 0;
    case 1:
      *out = (counter){"battery.percent", "", "", v.battery_percent};
      return v.has_battery;
    case 2:
      *out = (counter){"link.errorPermille", "", "", v.link_error_permille};
      return v.has_link_errors;
    case 3:
      *out = (counter){"link.rssiDbm", "", "", v.rssi_dbm};
      return v.has_rssi;
    default:
      return false;
  }
}

/* Counter i of the STATS counters (docs/device-runtime.md, device-protocol.md §4.3), false when
 * it is not reported now. With the runtime on, sensorFault.dropout is the runtime's count once it
 * has rejected a dropout, as the emulator's counter map takes it. */
static bool counter_at(const fp_device *dev, unsigned i, uint32_t p95, counter *out) {
  const fp_counters *c = &dev->counters;
  const fp_runtime *rt = &dev->runtime;
  const fp_health *h = &rt->health;
  bool on = dev->runtime_config.enabled;
  uint64_t dropouts = on && h->rejected[FP_READING_DROPOUT - 1] > 0
                          ? h->rejected[FP_READING_DROPOUT - 1]
                          : c->sensor_dropouts;
  *out = (counter){"", "", "", 0};
  if (i < DEVICE_COUNTERS) {
    const counter named[DEVICE_COUNTERS] = {
        {"configsApplied", "", "", c->configs_applied},
        {"configsRejected", "", "", c->configs_rejected},
        {"errorResponses", "", "", c->error_responses},
        {"framesDroppedBadCobs", "", "", dev->rx.dropped[FP_DROP_BAD_COBS]},
        {"framesDroppedBadCrc", "", "", dev->rx.dropped[FP_DROP_BAD_CRC]},
        {"framesDroppedBadLength", "", "", dev->rx.dropped[FP_DROP_BAD_LENGTH]},
        {"framesDroppedTooLong", "", "", dev->rx.dropped[FP_DROP_TOO_LONG]},
        {"requests", "", "", c->requests},
        {"resets", "", "", c->resets},
        {"sensorFault.dropout", "", "", dropouts},
        {"unexpectedFrames", "", "", c->unexpected_frames},
    };
    *out = named[i];
    return true;
  }
  if (i >= FIRST_VITALS) return vital_at(dev, i - FIRST_VITALS, out);
  if (!on) return false;
  if (i < FIRST_CAPTURE) {
    const counter health[RUNTIME_COUNTERS] = {
        {"steps", "", "", h->steps},
        {"inferences", "", "", h->inferences},
        {"alarms", "", "", h->alarms},
        {"alarmEpisodes", "", "", h->alarm_episodes},
        {"fallbackActivations", "", "", h->fallback_activations},
        {"fallbackActive", "", "", h->fallback_active ? 1u : 0u},
        {"latencyP95Us", "", "", p95},
        {"inferenceCycles", "", "", h->last_cycles},
    };
    *out = health[i - DEVICE_COUNTERS];
    return true;
  }
  if (i < FIRST_REJECTED) {
    /* the capture's, while the config captures (fp_capture.h) */
    const fp_capture *cap = &rt->capture;
    const counter capture[CAPTURE_COUNTERS] = {
        {"capturePending", "", "", cap->state == FP_CAPTURE_FROZEN ? 1u : 0u},
        {"captures", "", "", cap->captures},
        {"capturesMissed", "", "", cap->missed},
    };
    *out = capture[i - FIRST_CAPTURE];
    return cap->on;
  }
  if (i < FIRST_FAULT_KIND) {
    unsigned kind = i - FIRST_REJECTED;
    *out = (counter){"rejected.", "", fp_reading_name((fp_reading)(kind + 1u)), h->rejected[kind]};
    return h->rejected[kind] > 0;
  }
  if (i < FIRST_ACTIVATION) {
    /* sensorFault.out_of_range and .stuck; .dropout is the device counter above */
    unsigned kind = FP_READING_OUT_OF_RANGE + (i - FIRST_FAULT_KIND);
    *out = (counter){"sensorFault.", "", fp_reading_name((fp_reading)kind), h->rejected[kind - 1]};
    return h->rejected[kind - 1] > 0;
  }
  if (i < FIRST_ACTION) {
    /* fallbackActivations.ACTION, once the fallback decided with that action */
    unsigned action = i - FIRST_ACTIVATION;
    *out = (counter){"fallbackActivations.", "", fp_fallback_action_name((uint8_t)(action + 1u)),
                     h->activations[action]};
    return h->activations[action] > 0;
  }
  if (i < FIRST_FAULT_ACTIVE) {
    /* fallbackAction.ACTION = 1 while the fallback decides with that action */
    unsigned action = i - FIRST_ACTION + 1u;
    *out = (counter){"fallbackAction.", "", fp_fallback_action_name((uint8_t)action), 1};
    return h->fallback_action == action;
  }
  if (i < FIRST_DRIFTING) {
    unsigned input = (i - FIRST_FAULT_ACTIVE) / 3u;
    unsigned kind = (i - FIRST_FAULT_ACTIVE) % 3u; /* dropout, out_of_range, stuck */
    if (input >= dev->runtime_config.input_count || !((rt->faults[input] >> kind) & 1u)) {
      return false;
    }
    *out = (counter){"faultActive.", dev->config.inputs[input].name, "", 1};
    /* the kind follows a colon: "faultActive.INPUT:KIND" */
    static const char *const KINDS[3] = {":dropout", ":out_of_range", ":stuck"};
    out->suffix = KINDS[kind];
    return true;
  }
  if (i < FIRST_DRIFT_MAGNITUDE) {
    unsigned input = i - FIRST_DRIFTING;
    if (input >= dev->runtime_config.input_count || !rt->drifting[input]) return false;
    *out = (counter){"drifting.", dev->config.inputs[input].name, "", 1};
    return true;
  }
  unsigned input = i - FIRST_DRIFT_MAGNITUDE;
  if (input >= dev->runtime_config.input_count || !fp_drift_measured(&rt->drift[input])) {
    return false;
  }
  *out = (counter){"driftMilliSigma.", dev->config.inputs[input].name, "",
                   fp_drift_milli_sigma(&rt->drift[input])};
  return true;
}

static fp_err stats(fp_device *dev, const fp_frame *req, fp_jw *w) {
  fp_err err = fp_require_object_or_empty(dev, req);
  if (err != FP_OK) return err;
  const fp_counters *c = &dev->counters;
  uint32_t p95 = dev->runtime_config.enabled ? fp_runtime_latency_p95_us(&dev->runtime) : 0;
  fp_jw_obj_begin(w);
  fp_jw_key(w, "uptimeMs");
  fp_jw_int(w, (int64_t)fp_device_uptime_ms(dev));
  fp_jw_key(w, "configGeneration");
  fp_jw_int(w, dev->generation);
  fp_jw_key(w, "readings");
  fp_jw_int(w, (int64_t)c->readings);
  fp_jw_key(w, "telemetryFrames");
  fp_jw_int(w, (int64_t)c->telemetry_frames);
  fp_jw_key(w, "framesDropped");
  fp_jw_int(w, fp_frame_rx_dropped_total(&dev->rx));
  fp_jw_key(w, "counters");
  fp_jw_obj_begin(w);
  /* hosts read counters by name; they are sent in name order, as the Java emulator sends them:
   * each round sends the smallest name after the last one sent (no buffer for a sorted copy) */
  counter last = {"", "", "", 0};
  bool first = true;
  for (;;) {
    counter best = {"", "", "", 0};
    bool found = false;
    for (unsigned i = 0; i < FP_MAX_COUNTERS; i++) {
      counter e;
      if (!counter_at(dev, i, p95, &e)) continue;
      if (!first && counter_cmp(&e, &last) <= 0) continue;
      if (!found || counter_cmp(&e, &best) < 0) {
        best = e;
        found = true;
      }
    }
    if (!found) break;
    char name[FP_MAX_INPUT_NAME_BYTES + 32];
    snprintf(name, sizeof name, "%s%s%s", best.prefix, best.input, best.suffix);
    fp_jw_key(w, name);
    fp_jw_int(w, best.value);
    last = best;
    first = false;
  }
  fp_jw_obj_end(w);
  fp_jw_obj_end(w);
  return FP_OK;
}

static fp_err refuse(fp_device *dev, fp_err code, const char *message) {
  snprintf(dev->message, sizeof dev->message, "%s", message);
  return code;
}

static fp_err configure(fp_device *dev, const fp_frame *req, fp_jw *w) {
  if (fp_json_parse(&dev->doc, (const char *)req->body, req->body_len) != FP_OK ||
      fp_json_type_of(&dev->doc, 0) != FP_JSON_OBJECT) {
    return refuse(dev, FP_ERR_MALFORMED_BODY, "body must be a JSON object");
  }
  int64_t generation = 0;
  int gen = fp_json_get(&dev->doc, 0, "generation");
  if (gen < 0 || fp_json_int(&dev->doc, gen, &generation) != FP_OK || generation < 1) {
    return refuse(dev, FP_ERR_MALFORMED_BODY, "generation must be an integer of at least 1");
  }
  /* device-protocol.md §4: a JSON null and an absent field mean the same */
  int cfg = fp_json_get_present(&dev->doc, 0, "config");
  if (cfg < 0) {
    return refuse(dev, FP_ERR_MALFORMED_BODY, "config is missing");
  }
  if (generation != dev->generation) {
    fp_err err = fp_rtconfig_check(&dev->doc, cfg, dev->message, sizeof dev->message);
    if (err != FP_OK) {
      dev->counters.configs_rejected++;
      return err;
    }
    err = fp_runtime_config_check(&dev->doc, cfg, dev->message, sizeof dev->message);
    if (err != FP_OK) {
      dev->counters.configs_rejected++;
      return err;
    }
    fp_rtconfig_load(&dev->doc, cfg, &dev->config);
    fp_runtime_config_load(&dev->doc, cfg, &dev->runtime_config);
    start_runtime(dev);
    dev->generation = generation;
    dev->counters.configs_applied++;
  }
  fp_jw_obj_begin(w);
  fp_jw_key(w, "appliedGeneration");
  fp_jw_int(w, dev->generation);
  fp_jw_obj_end(w);
  return FP_OK;
}

/* ---- CAPTURE (docs/device-protocol.md §4.6) ---- */

static fp_err capture(fp_device *dev, const fp_frame *req, fp_jw *w) {
  int64_t from = 0;
  int64_t release = 0;
  bool has_release = false;
  if (req->body_len > 0) {
    if (fp_json_parse(&dev->doc, (const char *)req->body, req->body_len) != FP_OK ||
        fp_json_type_of(&dev->doc, 0) != FP_JSON_OBJECT) {
      return refuse(dev, FP_ERR_MALFORMED_BODY, "body must be a JSON object");
    }
    int from_tok = fp_json_get_present(&dev->doc, 0, "from");
    int release_tok = fp_json_get_present(&dev->doc, 0, "release");
    has_release = release_tok >= 0;
    if ((from_tok >= 0 && (fp_json_int(&dev->doc, from_tok, &from) != FP_OK || from < 0 ||
                           from > INT32_MAX)) ||
        (has_release && (fp_json_int(&dev->doc, release_tok, &release) != FP_OK || release < 1))) {
      return refuse(dev, FP_ERR_MALFORMED_BODY,
                    "from and release must be integers of at least 0 and 1");
    }
  }
  fp_capture *cap = &dev->runtime.capture;
  bool on = dev->runtime_config.enabled;
  if (has_release) {
    if (!on || !fp_capture_release(cap, (uint64_t)release)) {
      char id[FP_INT_CHARS + 1];
      id[fp_format_int(id, release)] = '\0';
      snprintf(dev->message, sizeof dev->message, "no captured window %s to release", id);
      return FP_ERR_WRONG_STATE;
    }
    fp_jw_obj_begin(w);
    fp_jw_key(w, "ready");
    fp_jw_bool(w, false);
    fp_jw_key(w, "released");
    fp_jw_int(w, release);
    fp_jw_obj_end(w);
    return FP_OK;
  }
  if (!on) {
    fp_jw_obj_begin(w);
    fp_jw_key(w, "ready");
    fp_jw_bool(w, false);
    fp_jw_obj_end(w);
    return FP_OK;
  }
  fp_capture_page(cap, (uint32_t)from, fp_device_uptime_ms(dev), w);
  return FP_OK;
}

/* ---- dispatch ---- */

static fp_err answer(fp_device *dev, const fp_frame *req, fp_jw *w) {
  switch (req->type) {
    case FP_MSG_HELLO: return hello(dev, req, w);
    case FP_MSG_STATS: return stats(dev, req, w);
    case FP_MSG_CONFIG: return configure(dev, req, w);
    case FP_MSG_SLOT_WRITE: return fp_slotcmd_write(dev, req, w);
    case FP_MSG_SLOT_DIGEST: return fp_slotcmd_digest(dev, req, w);
    case FP_MSG_SELFTEST: return fp_slotcmd_selftest(dev, req, w);
    case FP_MSG_ACTIVATE: return fp_slotcmd_activate(dev, req, w);
    case FP_MSG_CONFIRM: return fp_slotcmd_confirm(dev, req, w);
    case FP_MSG_REVERT: return fp_slotcmd_revert(dev, req, w);
    case FP_MSG_CAPTURE: return capture(dev, req, w);
    case FP_MSG_TELEMETRY:
      return refuse(dev, FP_ERR_UNKNOWN_TYPE, "TELEMETRY is sent by devices, not to them");
    default:
      snprintf(dev->message, sizeof dev->message, "unknown message type 0x%02x", req->type);
      return FP_ERR_UNKNOWN_TYPE;
  }
}

/* The runner holds one model: SELFTEST and ACTIVATE load another, so the runtime's model is
 * loaded again. A model that changed (ACTIVATE, REVERT) starts a new engine, as the emulator's
 * reloadModel does. */
static void after_slot_command(fp_device *dev, uint8_t type, fp_err err) {
  if (!dev->runtime_config.enabled) return;
  if ((type == FP_MSG_ACTIVATE || type == FP_MSG_REVERT) && err == FP_OK) {
    start_runtime(dev);
  } else if (type == FP_MSG_SELFTEST || type == FP_MSG_ACTIVATE) {
    load_runtime_model(dev);
  }
}

void fp_device_handle(fp_device *dev, const fp_frame *request, bool *answered) {
  *answered = false;
  if (request->flags & FP_FLAG_RESPONSE) {
    dev->counters.unexpected_frames++;
    return;
  }
  dev->counters.requests++;
  dev->message[0] = '\0';
  fp_jw w;
  fp_jw_init(&w, dev->body, sizeof dev->body);
  fp_err err = answer(dev, request, &w);
  if (err == FP_ERR_POWER_LOSS) {
    /* the power went while flash was written: the device reboots, the request gets no answer */
    (void)fp_device_reboot(dev);
    return;
  }
  after_slot_command(dev, request->type, err);
  size_t len = 0;
  if (err == FP_OK && fp_jw_finish(&w, &len) != FP_OK) {
    err = refuse(dev, FP_ERR_BUSY, "the response does not fit in a frame");
  }
  if (err == FP_OK) {
    send(dev, request->type, FP_FLAG_RESPONSE, request->request_id, len);
    *answered = true;
    return;
  }
  if (err > FP_ERR_FLASH_ERROR) {
    /* an internal error that reached the top: the flash or a buffer failed */
    snprintf(dev->message, sizeof dev->message, "internal error %s", fp_err_name(err));
    err = FP_ERR_FLASH_ERROR;
  }
  dev->counters.error_responses++;
  fp_jw_init(&w, dev->body, sizeof dev->body);
  fp_jw_obj_begin(&w);
  fp_jw_key(&w, "code");
  fp_jw_int(&w, (int64_t)err);
  fp_jw_key(&w, "message");
  fp_jw_str(&w, dev->message);
  fp_jw_obj_end(&w);
  (void)fp_jw_finish(&w, &len);
  send(dev, request->type, FP_FLAG_RESPONSE | FP_FLAG_ERROR, request->request_id, len);
  *answered = true;
}

void fp_device_receive(fp_device *dev, const uint8_t *data, size_t len) {
  for (size_t i = 0; i < len; i++) {
    fp_frame frame;
    if (fp_frame_rx_push(&dev->rx, data[i], &frame)) {
      bool answered = false;
      fp_device_handle(dev, &frame, &answered);
    }
  }
}

/* ---- TELEMETRY ---- */

void fp_device_poll(fp_device *dev) {
  uint64_t now = now_ms(dev);
  if (now < dev->next_telemetry_ms) {
    return;
  }
  uint32_t interval = telemetry_interval(dev);
  dev->next_telemetry_ms += interval;
  if (dev->next_telemetry_ms <= now) {
    dev->next_telemetry_ms = now + interval; /* the loop fell behind: do not send a burst */
  }
  if (dev->config.input_count == 0) {
    return;
  }
  fp_jw w;
  fp_jw_init(&w, dev->body, sizeof dev->body);
  fp_jw_obj_begin(&w);
  fp_jw_key(&w, "seq");
  fp_jw_int(&w, (int64_t)dev->counters.telemetry_frames + 1);
  fp_jw_key(&w, "uptimeMs");
  fp_jw_int(&w, (int64_t)(now - dev->boot_ms));
  double raw[FP_MAX_INPUTS];
  bool present[FP_MAX_INPUTS];
  unsigned n = dev->config.input_count;
  for (unsigned i = 0; i < n; i++) {
    const fp_rt_input *in = &dev->config.inputs[i];
    fp_sensor_input input = {in->name, in->baseline, in->scale};
    raw[i] = 0;
    present[i] = dev->ports.sensors->read(dev->ports.sensors->ctx, i, &input, &raw[i]);
    if (present[i]) {
      dev->counters.readings++;
    } else if (!dev->runtime_config.enabled) {
      /* without a runtime a dropout is counted here, as the emulator does without an engine */
      dev->counters.sensor_dropouts++;
    }
  }
  if (dev->runtime_config.enabled) {
    (void)fp_runtime_step_at(&dev->runtime, raw, present, now - dev->boot_ms);
  }
  fp_jw_key(&w, "readings");
  fp_jw_obj_begin(&w);
  for (unsigned i = 0; i < n; i++) {
    fp_jw_key(&w, dev->config.inputs[i].name);
    if (present[i]) {
      fp_jw_double(&w, raw[i]);
    } else {
      fp_jw_null(&w);
    }
  }
  fp_jw_obj_end(&w);
  fp_jw_obj_end(&w);
  size_t len = 0;
  if (fp_jw_finish(&w, &len) != FP_OK) {
    return;
  }
  dev->counters.telemetry_frames++;
  send(dev, FP_MSG_TELEMETRY, 0, 0, len);
}
