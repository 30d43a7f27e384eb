#include "fp_slots.h"

#include <string.h>

#include "fp_config.h"

void fp_slots_init(fp_slots *slots, const fp_layout *layout, const fp_flash_port *flash) {
  slots->layout = layout;
  slots->flash = flash;
  slots->active = -1;
}

uint32_t fp_slots_offset(const fp_slots *slots, int slot) { return slots->layout->slot[slot]; }

fp_err fp_slots_record(const fp_slots *slots, int slot, fp_record *rec) {
  uint8_t bytes[FP_RECORD_BYTES];
  fp_err err = slots->flash->read(slots->flash->ctx, slots->layout->record[slot], bytes,
                                  FP_RECORD_BYTES);
  if (err != FP_OK) {
    return err;
  }
  return fp_record_decode(bytes, rec);
}

fp_err fp_slots_digest(const fp_slots *slots, int slot, uint32_t length,
                       uint8_t out[FP_SHA256_BYTES]) {
  if (length > slots->layout->slot_size) {
    return FP_ERR_OUT_OF_RANGE;
  }
  fp_sha256 sha;
  uint8_t chunk[FP_FLASH_CHUNK];
  fp_sha256_init(&sha);
  uint32_t base = slots->layout->slot[slot];
  for (uint32_t done = 0; done < length;) {
    uint32_t take = length - done < FP_FLASH_CHUNK ? length - done : FP_FLASH_CHUNK;
    fp_err err = slots->flash->read(slots->flash->ctx, base + done, chunk, take);
    if (err != FP_OK) {
      return err;
    }
    fp_sha256_update(&sha, chunk, take);
    done += take;
  }
  fp_sha256_final(&sha, out);
  return FP_OK;
}

/* Whether the slot's bytes are what its record says. */
static bool intact(const fp_slots *slots, int slot, const fp_record *rec) {
  if (rec->length <= 0 || (uint32_t)rec->length > slots->layout->slot_size) {
    return false;
  }
  uint8_t sha[FP_SHA256_BYTES];
  return fp_slots_digest(slots, slot, (uint32_t)rec->length, sha) == FP_OK &&
         memcmp(sha, rec->sha256, FP_SHA256_BYTES) == 0;
}

static bool bootable(fp_slot_state state, bool include_trial) {
  return state == FP_STATE_VALID ||
         (include_trial && (state == FP_STATE_NEW || state == FP_STATE_PENDING_VERIFY));
}

/* The bootable slot with the highest sequence, or -1. */
static int newest(const fp_slots *slots, bool include_trial) {
  int best = -1;
  int64_t best_seq = -1;
  for (int slot = FP_SLOT_A; slot <= FP_SLOT_B; slot++) {
    fp_record rec;
    if (fp_slots_record(slots, slot, &rec) != FP_OK || !bootable(rec.state, include_trial) ||
        !intact(slots, slot, &rec)) {
      continue;
    }
    if ((int64_t)rec.seq > best_seq) {
      best_seq = rec.seq;
      best = slot;
    }
  }
  return best;
}

static fp_err erase_record(fp_slots *slots, int slot) {
  uint32_t start = 0;
  uint32_t size = 0;
  fp_err err = fp_layout_sector_at(slots->layout, slots->layout->record[slot], &start, &size);
  if (err != FP_OK) {
    return err;
  }
  return slots->flash->erase(slots->flash->ctx, start, size);
}

/* Erase, then program: the only way a record changes. */
static fp_err write_record(fp_slots *slots, int slot, const fp_record *rec) {
  uint8_t bytes[FP_RECORD_BYTES];
  fp_err err = fp_record_encode(rec, bytes);
  if (err != FP_OK) {
    return err;
  }
  err = erase_record(slots, slot);
  if (err != FP_OK) {
    return err;
  }
  return slots->flash->program(slots->flash->ctx, slots->layout->record[slot], bytes,
                               FP_RECORD_BYTES);
}

fp_err fp_slots_boot(fp_slots *slots) {
  slots->active = -1;
  int chosen = newest(slots, true);
  if (chosen >= 0) {
    fp_record rec;
    fp_err err = fp_slots_record(slots, chosen, &rec);
    if (err != FP_OK) {
      return err;
    }
    if (rec.state == FP_STATE_PENDING_VERIFY) {
      rec.state = FP_STATE_ABORTED;
      err = write_record(slots, chosen, &rec);
      if (err != FP_OK) {
        return err;
      }
      chosen = newest(slots, false);
    } else if (rec.state == FP_STATE_NEW) {
      rec.state = FP_STATE_PENDING_VERIFY;
      err = write_record(slots, chosen, &rec);
      if (err != FP_OK) {
        return err;
      }
    }
  }
  slots->active = chosen;
  return FP_OK;
}

fp_err fp_slots_begin_update(fp_slots *slots, int slot) {
  if (slot == slots->active) {
    return FP_ERR_SLOT_ACTIVE;
  }
  fp_err err = erase_record(slots, slot);
  if (err != FP_OK) {
    return err;
  }
  return slots->flash->erase(slots->flash->ctx, slots->layout->slot[slot],
                             slots->layout->slot_size);
}

fp_err fp_slots_write(fp_slots *slots, int slot, uint32_t offset, const uint8_t *data,
                      uint32_t len) {
  if (slot == slots->active) {
    return FP_ERR_SLOT_ACTIVE;
  }
  if (offset > slots->layout->slot_size || len > slots->layout->slot_size - offset) {
    return FP_ERR_OUT_OF_RANGE;
  }
  if (len == 0) {
    return FP_OK;
  }
  return slots->flash->program(slots->flash->ctx, slots->layout->slot[slot] + offset, data, len);
}

uint32_t fp_slots_next_seq(const fp_slots *slots) {
  uint32_t highest = 0;
  for (int slot = FP_SLOT_A; slot <= FP_SLOT_B; slot++) {
    fp_record rec;
    if (fp_slots_record(slots, slot, &rec) == FP_OK && rec.seq > highest) {
      highest = rec.seq;
    }
  }
  return highest + 1u;
}

fp_err fp_slots_commit(fp_slots *slots, int slot, uint32_t length,
                       const uint8_t sha256[FP_SHA256_BYTES], const char *name,
                       const char *version) {
  if (slot == slots->active) {
    return FP_ERR_SLOT_ACTIVE;
  }
  uint8_t actual[FP_SHA256_BYTES];
  fp_err err = fp_slots_digest(slots, slot, length, actual);
  if (err != FP_OK) {
    return err;
  }
  if (memcmp(actual, sha256, FP_SHA256_BYTES) != 0) {
    return FP_ERR_DIGEST_MISMATCH;
  }
  if (strlen(name) > FP_RECORD_TEXT || strlen(version) > FP_RECORD_TEXT) {
    return FP_ERR_ARG;
  }
  fp_record rec;
  memset(&rec, 0, sizeof rec);
  rec.seq = fp_slots_next_seq(slots);
  rec.state = FP_STATE_NEW;
  rec.length = (int32_t)length;
  memcpy(rec.sha256, sha256, FP_SHA256_BYTES);
  memcpy(rec.name, name, strlen(name) + 1u);
  memcpy(rec.version, version, strlen(version) + 1u);
  return write_record(slots, slot, &rec);
}

static fp_err active_record(const fp_slots *slots, fp_record *rec) {
  if (slots->active < 0) {
    return FP_ERR_WRONG_STATE;
  }
  fp_err err = fp_slots_record(slots, slots->active, rec);
  return err == FP_ERR_ABSENT ? FP_ERR_WRONG_STATE : err;
}

fp_err fp_slots_confirm(fp_slots *slots) {
  fp_record rec;
  fp_err err = active_record(slots, &rec);
  if (err != FP_OK) {
    return err;
  }
  if (rec.state == FP_STATE_VALID) {
    return FP_OK;
  }
  if (rec.state != FP_STATE_PENDING_VERIFY) {
    return FP_ERR_WRONG_STATE;
  }
  rec.state = FP_STATE_VALID;
  return write_record(slots, slots->active, &rec);
}

fp_err fp_slots_revert(fp_slots *slots) {
  fp_record rec;
  fp_err err = active_record(slots, &rec);
  if (err != FP_OK) {
    return err;
  }
  int other = slots->active == FP_SLOT_A ? FP_SLOT_B : FP_SLOT_A;
  fp_record other_rec;
  if (fp_slots_record(slots, other, &other_rec) != FP_OK || other_rec.state != FP_STATE_VALID ||
      !intact(slots, other, &other_rec)) {
    return FP_ERR_WRONG_STATE;
  }
  rec.state = FP_STATE_INVALID;
  err = write_record(slots, slots->active, &rec);
  if (err != FP_OK) {
    return err;
  }
  return fp_slots_boot(slots);
}
