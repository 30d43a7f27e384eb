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
  fp_jw_str(w, FP_RUNTIME_V2);
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

typedef struct {
  const char *name;
  uint64_t value;
} counter;

static fp_err stats(fp_device *dev, const fp_frame *req, fp_jw *w) {
  fp_err err = fp_require_object_or_empty(dev, req);
  if (err != FP_OK) return err;
  const fp_counters *c = &dev->counters;
  counter named[] = {
      {"configsApplied", c->configs_applied},
      {"configsRejected", c->configs_rejected},
      {"errorResponses", c->error_responses},
      {"framesDroppedBadCobs", dev->rx.dropped[FP_DROP_BAD_COBS]},
      {"framesDroppedBadCrc", dev->rx.dropped[FP_DROP_BAD_CRC]},
      {"framesDroppedBadLength", dev->rx.dropped[FP_DROP_BAD_LENGTH]},
      {"framesDroppedTooLong", dev->rx.dropped[FP_DROP_TOO_LONG]},
      {"requests", c->requests},
      {"resets", c->resets},
      {"sensorFault.dropout", c->sensor_dropouts},
      {"unexpectedFrames", c->unexpected_frames},
  };
  size_t n = sizeof named / sizeof named[0];
  /* hosts read counters by name; they are sent in name order, as the Java emulator sends them */
  for (size_t i = 1; i < n; i++) {
    for (size_t k = i; k > 0 && strcmp(named[k - 1].name, named[k].name) > 0; k--) {
      counter t = named[k];
      named[k] = named[k - 1];
      named[k - 1] = t;
    }
  }
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
  for (size_t i = 0; i < n; i++) {
    fp_jw_key(w, named[i].name);
    fp_jw_int(w, (int64_t)named[i].value);
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
    fp_rtconfig_load(&dev->doc, cfg, &dev->config);
    dev->generation = generation;
    dev->counters.configs_applied++;
  }
  fp_jw_obj_begin(w);
  fp_jw_key(w, "appliedGeneration");
  fp_jw_int(w, dev->generation);
  fp_jw_obj_end(w);
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
    case FP_MSG_TELEMETRY:
      return refuse(dev, FP_ERR_UNKNOWN_TYPE, "TELEMETRY is sent by devices, not to them");
    default:
      snprintf(dev->message, sizeof dev->message, "unknown message type 0x%02x", req->type);
      return FP_ERR_UNKNOWN_TYPE;
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
  fp_jw_key(&w, "readings");
  fp_jw_obj_begin(&w);
  for (unsigned i = 0; i < dev->config.input_count; i++) {
    const fp_rt_input *in = &dev->config.inputs[i];
    fp_sensor_input input = {in->name, in->baseline, in->scale};
    double value = 0;
    fp_jw_key(&w, in->name);
    if (dev->ports.sensors->read(dev->ports.sensors->ctx, i, &input, &value)) {
      dev->counters.readings++;
      fp_jw_double(&w, value);
    } else {
      /* no runtime consumes the step yet: a dropout is counted here, as the emulator does
       * when it runs no engine */
      dev->counters.sensor_dropouts++;
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
