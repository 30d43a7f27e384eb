#include "fp_slotcmd.h"

#include <stdio.h>
#include <string.h>

static fp_err refuse(fp_device *dev, fp_err code, const char *fmt, const char *arg) {
  snprintf(dev->message, sizeof dev->message, fmt, arg);
  return code;
}

/* Flash failures become FLASH_ERROR; a power cut passes through (the device reboots). */
static fp_err flash_failure(fp_device *dev, fp_err err) {
  if (err == FP_ERR_POWER_LOSS) return err;
  snprintf(dev->message, sizeof dev->message, "flash failed: %s", fp_err_name(err));
  return FP_ERR_FLASH_ERROR;
}

fp_err fp_require_object_or_empty(fp_device *dev, const fp_frame *req) {
  if (req->body_len == 0) return FP_OK;
  if (fp_json_parse(&dev->doc, (const char *)req->body, req->body_len) != FP_OK ||
      fp_json_type_of(&dev->doc, 0) != FP_JSON_OBJECT) {
    return refuse(dev, FP_ERR_MALFORMED_BODY, "%s", "body must be a JSON object");
  }
  return FP_OK;
}

static void model_ref(fp_device *dev, int slot, fp_jw *w) {
  fp_record rec;
  if (fp_slots_record(&dev->slots, slot, &rec) != FP_OK) {
    fp_jw_null(w);
    return;
  }
  fp_jw_obj_begin(w);
  fp_jw_key(w, "name");
  fp_jw_str(w, rec.name);
  fp_jw_key(w, "version");
  fp_jw_str(w, rec.version);
  fp_jw_key(w, "sha256");
  fp_jw_hex(w, rec.sha256, sizeof rec.sha256);
  fp_jw_key(w, "size");
  fp_jw_int(w, rec.length);
  fp_jw_obj_end(w);
}

void fp_slotcmd_table(fp_device *dev, fp_jw *w) {
  int active = dev->slots.active;
  fp_jw_obj_begin(w);
  fp_jw_key(w, "active");
  if (active < 0) {
    fp_jw_null(w);
  } else {
    fp_jw_str(w, fp_slot_name(active));
  }
  fp_jw_key(w, "a");
  model_ref(dev, FP_SLOT_A, w);
  fp_jw_key(w, "b");
  model_ref(dev, FP_SLOT_B, w);
  fp_jw_key(w, "activeState");
  fp_record rec;
  if (active >= 0 && fp_slots_record(&dev->slots, active, &rec) == FP_OK) {
    fp_jw_str(w, fp_state_name(rec.state));
  } else {
    fp_jw_null(w);
  }
  /* the record of the slot that does not run: what a return to the previous model would boot */
  fp_jw_key(w, "otherState");
  if (active >= 0 && fp_slots_record(&dev->slots, 1 - active, &rec) == FP_OK) {
    fp_jw_str(w, fp_state_name(rec.state));
  } else {
    fp_jw_null(w);
  }
  fp_jw_obj_end(w);
}

/* ---- request fields ---- */

/* Parses a JSON object body into dev->doc. */
static fp_err object_body(fp_device *dev, const fp_frame *req, const char *what) {
  if (fp_json_parse(&dev->doc, (const char *)req->body, req->body_len) != FP_OK ||
      fp_json_type_of(&dev->doc, 0) != FP_JSON_OBJECT) {
    return refuse(dev, FP_ERR_MALFORMED_BODY, "body is not a valid %s", what);
  }
  return FP_OK;
}

static fp_err slot_field(fp_device *dev, int *slot) {
  int tok = fp_json_get_present(&dev->doc, 0, "slot");
  if (fp_json_str_eq(&dev->doc, tok, "A")) {
    *slot = FP_SLOT_A;
    return FP_OK;
  }
  if (fp_json_str_eq(&dev->doc, tok, "B")) {
    *slot = FP_SLOT_B;
    return FP_OK;
  }
  return refuse(dev, FP_ERR_MALFORMED_BODY, "%s", "slot must be A or B");
}

/* "length": a JSON integer, 1..slot size. */
static fp_err length_field(fp_device *dev, uint32_t *length) {
  int64_t v = 0;
  int tok = fp_json_get_present(&dev->doc, 0, "length");
  if (tok < 0 || fp_json_int(&dev->doc, tok, &v) == FP_ERR_ARG) {
    return refuse(dev, FP_ERR_MALFORMED_BODY, "%s", "length must be an integer");
  }
  if (v < 1 || v > (int64_t)dev->layout->slot_size) {
    snprintf(dev->message, sizeof dev->message, "length must lie within 1..%lu",
             (unsigned long)dev->layout->slot_size);
    return FP_ERR_OUT_OF_RANGE;
  }
  *length = (uint32_t)v;
  return FP_OK;
}

static fp_err require_inactive(fp_device *dev, int slot) {
  if (slot == dev->slots.active) {
    snprintf(dev->message, sizeof dev->message, "slot %s runs: write the other one",
             fp_slot_name(slot));
    return FP_ERR_SLOT_ACTIVE;
  }
  return FP_OK;
}

static void written_answer(fp_jw *w, int slot, uint32_t written) {
  fp_jw_obj_begin(w);
  fp_jw_key(w, "slot");
  fp_jw_str(w, fp_slot_name(slot));
  fp_jw_key(w, "written");
  fp_jw_int(w, written);
  fp_jw_obj_end(w);
}

/* ---- SLOT_WRITE ---- */

fp_err fp_slotcmd_write(fp_device *dev, const fp_frame *req, fp_jw *w) {
  const uint8_t *b = req->body;
  if (req->body_len < FP_SLOT_WRITE_HEADER) {
    return refuse(dev, FP_ERR_MALFORMED_BODY, "%s", "SLOT_WRITE needs an 8-byte header");
  }
  uint32_t raw_offset = (uint32_t)b[4] | (uint32_t)b[5] << 8 | (uint32_t)b[6] << 16 |
                        (uint32_t)b[7] << 24;
  if (b[0] > 1 || (b[1] & ~1u) != 0 || b[2] != 0 || b[3] != 0 || raw_offset > INT32_MAX) {
    return refuse(dev, FP_ERR_MALFORMED_BODY, "%s", "SLOT_WRITE header is malformed");
  }
  int slot = b[0];
  bool begin = b[1] == 1;
  uint32_t offset = raw_offset;
  const uint8_t *data = b + FP_SLOT_WRITE_HEADER;
  uint32_t len = (uint32_t)req->body_len - FP_SLOT_WRITE_HEADER;
  fp_err err = require_inactive(dev, slot);
  if (err != FP_OK) return err;
  if (begin) {
    fp_record running;
    if (dev->slots.active >= 0 &&
        fp_slots_record(&dev->slots, dev->slots.active, &running) == FP_OK &&
        running.state == FP_STATE_PENDING_VERIFY) {
      return refuse(dev, FP_ERR_WRONG_STATE, "%s",
                    "the running model is on trial: CONFIRM or REVERT it before writing another");
    }
    if (offset != 0) {
      return refuse(dev, FP_ERR_OUT_OF_RANGE, "%s", "a write that begins an update starts at 0");
    }
    dev->writing_slot = -1; /* if the erase fails half way, no update is in progress */
    err = fp_slots_begin_update(&dev->slots, slot);
    if (err != FP_OK) return flash_failure(dev, err);
    dev->writing_slot = slot;
    dev->written = 0;
  }
  if (dev->writing_slot != slot) {
    return refuse(dev, FP_ERR_WRONG_STATE, "no update of slot %s began", fp_slot_name(slot));
  }
  if (!begin && len <= dev->written && offset == dev->written - len) {
    /* the last write repeated (its answer was lost): acknowledged, not written twice */
    written_answer(w, slot, dev->written);
    return FP_OK;
  }
  if (offset != dev->written) {
    snprintf(dev->message, sizeof dev->message, "slot %s holds %lu bytes; write at that offset",
             fp_slot_name(slot), (unsigned long)dev->written);
    return FP_ERR_WRONG_STATE;
  }
  if ((uint64_t)dev->written + len > dev->layout->slot_size) {
    snprintf(dev->message, sizeof dev->message, "the model does not fit the slot of %lu bytes",
             (unsigned long)dev->layout->slot_size);
    return FP_ERR_OUT_OF_RANGE;
  }
  err = fp_slots_write(&dev->slots, slot, offset, data, len);
  if (err != FP_OK) return flash_failure(dev, err);
  dev->written += len;
  written_answer(w, slot, dev->written);
  return FP_OK;
}

/* ---- SLOT_DIGEST ---- */

fp_err fp_slotcmd_digest(fp_device *dev, const fp_frame *req, fp_jw *w) {
  int slot = 0;
  uint32_t length = 0;
  fp_err err = object_body(dev, req, "DigestRequest");
  if (err == FP_OK) err = slot_field(dev, &slot);
  if (err == FP_OK) err = length_field(dev, &length);
  if (err != FP_OK) return err;
  uint8_t sha[FP_SHA256_BYTES];
  err = fp_slots_digest(&dev->slots, slot, length, sha);
  if (err != FP_OK) return flash_failure(dev, err);
  fp_jw_obj_begin(w);
  fp_jw_key(w, "slot");
  fp_jw_str(w, fp_slot_name(slot));
  fp_jw_key(w, "length");
  fp_jw_int(w, length);
  fp_jw_key(w, "sha256");
  fp_jw_hex(w, sha, sizeof sha);
  fp_jw_obj_end(w);
  return FP_OK;
}

/* ---- SELFTEST ---- */

/* A model the runner refused, in the emulator's words: "<prefix><slot>: <why>", where prefix is
 * "the model in slot " (SELFTEST) or "slot " (ACTIVATE) and why is the runner's reason (cut to
 * FP_REASON_MAX characters), or the error's name when the runner gives none. */
static fp_err model_invalid(fp_device *dev, const char *prefix, int slot, fp_err err) {
  const fp_runner_port *runner = dev->ports.runner;
  const char *why = runner->reason == NULL ? NULL : runner->reason(runner->ctx);
  if (err == FP_ERR_NO_RUNNER) {
    why = "this firmware has no model runner";
  } else if (why == NULL || why[0] == '\0') {
    why = fp_err_name(err);
  }
  snprintf(dev->message, sizeof dev->message, "%s%s: %.*s", prefix, fp_slot_name(slot),
           (int)FP_REASON_MAX, why);
  return FP_ERR_MODEL_INVALID;
}

/* A tensor type as the emulator names it (the model module's TensorType). */
static const char *tensor_type_name(uint8_t type) {
  return type == FP_TENSOR_INT8 ? "INT8" : type == FP_TENSOR_FLOAT32 ? "FLOAT32" : "UNKNOWN";
}

fp_err fp_slotcmd_selftest(fp_device *dev, const fp_frame *req, fp_jw *w) {
  int slot = 0;
  uint32_t length = 0;
  fp_err err = object_body(dev, req, "SelfTestRequest");
  if (err != FP_OK) return err;
  int input = fp_json_get_present(&dev->doc, 0, "input");
  if (input >= 0 && fp_json_type_of(&dev->doc, input) != FP_JSON_ARRAY) {
    return refuse(dev, FP_ERR_MALFORMED_BODY, "%s", "input must be an array");
  }
  err = slot_field(dev, &slot);
  if (err == FP_OK) err = length_field(dev, &length);
  if (err != FP_OK) return err;
  int8_t *in = dev->tensor_in;
  int8_t *out = dev->tensor_out.q;
  size_t n = 0;
  if (input < 0 || dev->doc.tok[input].size == 0) {
    return refuse(dev, FP_ERR_MALFORMED_BODY, "%s", "input must be a non-empty int8 array");
  }
  for (int item = fp_json_first(&dev->doc, input); item >= 0 && n < dev->doc.tok[input].size;
       item = dev->doc.tok[item].next) {
    int64_t v = 0;
    if (fp_json_int(&dev->doc, item, &v) != FP_OK || v < -128 || v > 127) {
      return refuse(dev, FP_ERR_MALFORMED_BODY, "%s", "input values must lie within -128..127");
    }
    if (n == FP_MAX_TENSOR) {
      return refuse(dev, FP_ERR_MODEL_INVALID, "%s", "input larger than this build's tensors");
    }
    in[n++] = (int8_t)v;
  }
  const fp_runner_port *runner = dev->ports.runner;
  err = runner->load(runner->ctx, dev->ports.flash, fp_slots_offset(&dev->slots, slot), length);
  fp_model_info info;
  if (err == FP_OK) err = runner->info(runner->ctx, &info);
  if (err != FP_OK) return model_invalid(dev, "the model in slot ", slot, err);
  /* raw int8 in and out only, in the emulator's words (InterpreterModelRunner.invokeRaw) */
  if (info.input_type != FP_TENSOR_INT8 || info.input_len != n) {
    snprintf(dev->message, sizeof dev->message, "the model in slot %s: the model takes %lu %s values",
             fp_slot_name(slot), (unsigned long)info.input_len, tensor_type_name(info.input_type));
    return FP_ERR_MODEL_INVALID;
  }
  if (info.output_type != FP_TENSOR_INT8) {
    snprintf(dev->message, sizeof dev->message, "the model in slot %s: output 0 is %s, not INT8",
             fp_slot_name(slot), tensor_type_name(info.output_type));
    return FP_ERR_MODEL_INVALID;
  }
  size_t out_len = 0;
  uint64_t cycles = 0;
  err = runner->invoke(runner->ctx, in, n, out, sizeof dev->tensor_out.q, &out_len, &cycles);
  if (err != FP_OK) return model_invalid(dev, "the model in slot ", slot, err);
  fp_jw_obj_begin(w);
  fp_jw_key(w, "output");
  fp_jw_arr_begin(w);
  for (size_t i = 0; i < out_len; i++) fp_jw_int(w, out[i]);
  fp_jw_arr_end(w);
  fp_jw_key(w, "cycles");
  fp_jw_int(w, (int64_t)cycles);
  fp_jw_obj_end(w);
  return FP_OK;
}

/* ---- ACTIVATE, CONFIRM, REVERT ---- */

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* An optional text field; *too_long when it exceeds the record's 32 bytes. */
static fp_err text_field(fp_device *dev, const char *key, char *out, size_t cap, bool *too_long) {
  int tok = fp_json_get_present(&dev->doc, 0, key);
  size_t len = 0;
  out[0] = '\0';
  if (tok < 0) return FP_OK;
  if (fp_json_type_of(&dev->doc, tok) != FP_JSON_STRING) {
    return refuse(dev, FP_ERR_MALFORMED_BODY, "%s must be a string", key);
  }
  if (fp_json_str(&dev->doc, tok, out, cap, &len) != FP_OK || len > FP_RECORD_TEXT) {
    *too_long = true;
    out[0] = '\0';
  }
  return FP_OK;
}

fp_err fp_slotcmd_activate(fp_device *dev, const fp_frame *req, fp_jw *w) {
  int slot = 0;
  uint32_t length = 0;
  fp_err err = object_body(dev, req, "ActivateRequest");
  char name[FP_RECORD_TEXT + 1];
  char version[FP_RECORD_TEXT + 1];
  bool too_long = false;
  if (err == FP_OK) err = text_field(dev, "name", name, sizeof name, &too_long);
  if (err == FP_OK) err = text_field(dev, "version", version, sizeof version, &too_long);
  if (err == FP_OK) err = slot_field(dev, &slot);
  if (err == FP_OK) err = require_inactive(dev, slot);
  if (err != FP_OK) return err;
  uint8_t sha[FP_SHA256_BYTES];
  int tok = fp_json_get_present(&dev->doc, 0, "sha256");
  if (tok < 0 || fp_json_type_of(&dev->doc, tok) != FP_JSON_STRING ||
      dev->doc.tok[tok].end - dev->doc.tok[tok].start != 2u * FP_SHA256_BYTES) {
    return refuse(dev, FP_ERR_MALFORMED_BODY, "%s", "sha256 must be 64 hex digits");
  }
  const char *hex = dev->doc.text + dev->doc.tok[tok].start;
  for (unsigned i = 0; i < FP_SHA256_BYTES; i++) {
    int hi = hex_digit(hex[2 * i]);
    int lo = hex_digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return refuse(dev, FP_ERR_MALFORMED_BODY, "%s", "sha256 must be 64 hex digits");
    }
    sha[i] = (uint8_t)(hi << 4 | lo);
  }
  err = length_field(dev, &length);
  if (err != FP_OK) return err;
  const fp_runner_port *runner = dev->ports.runner;
  err = runner->load(runner->ctx, dev->ports.flash, fp_slots_offset(&dev->slots, slot), length);
  /* the emulator's message names the slot without "the model in" */
  if (err != FP_OK) return model_invalid(dev, "slot ", slot, err);
  if (too_long) {
    /* checked after the digest in the emulator; the digest comes first below as well */
    uint8_t actual[FP_SHA256_BYTES];
    err = fp_slots_digest(&dev->slots, slot, length, actual);
    if (err != FP_OK) return flash_failure(dev, err);
    if (memcmp(actual, sha, sizeof sha) != 0) {
      return refuse(dev, FP_ERR_DIGEST_MISMATCH, "slot %s does not hold the model: digest mismatch",
                    fp_slot_name(slot));
    }
    return refuse(dev, FP_ERR_MALFORMED_BODY, "%s", "name and version are at most 32 bytes");
  }
  err = fp_slots_commit(&dev->slots, slot, length, sha, name, version);
  if (err == FP_ERR_DIGEST_MISMATCH) {
    return refuse(dev, err, "slot %s does not hold the model: digest mismatch", fp_slot_name(slot));
  }
  if (err != FP_OK) return flash_failure(dev, err);
  dev->writing_slot = -1;
  dev->written = 0;
  err = fp_slots_boot(&dev->slots);
  if (err != FP_OK) return flash_failure(dev, err);
  fp_slotcmd_table(dev, w);
  return FP_OK;
}

fp_err fp_slotcmd_confirm(fp_device *dev, const fp_frame *req, fp_jw *w) {
  fp_err err = fp_require_object_or_empty(dev, req);
  if (err != FP_OK) return err;
  err = fp_slots_confirm(&dev->slots);
  if (err == FP_ERR_WRONG_STATE) {
    return refuse(dev, err, "%s",
                  dev->slots.active < 0 ? "no model is running" : "no model is on trial");
  }
  if (err != FP_OK) return flash_failure(dev, err);
  fp_slotcmd_table(dev, w);
  return FP_OK;
}

fp_err fp_slotcmd_revert(fp_device *dev, const fp_frame *req, fp_jw *w) {
  fp_err err = fp_require_object_or_empty(dev, req);
  if (err != FP_OK) return err;
  int other = dev->slots.active == FP_SLOT_A ? FP_SLOT_B : FP_SLOT_A;
  err = fp_slots_revert(&dev->slots);
  if (err == FP_ERR_WRONG_STATE) {
    if (dev->slots.active < 0) return refuse(dev, err, "%s", "no model is running");
    return refuse(dev, err, "slot %s holds no valid model to go back to", fp_slot_name(other));
  }
  if (err != FP_OK) return flash_failure(dev, err);
  dev->writing_slot = -1;
  dev->written = 0;
  fp_slotcmd_table(dev, w);
  return FP_OK;
}
