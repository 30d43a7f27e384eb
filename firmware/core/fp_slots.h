/*
 * Two model slots (A, B) and their records on NOR flash, placed by an fp_layout, with the boot
 * rules of the Java emulator (io.fieldproof.device.emulator.flash.ModelSlots), which are
 * ESP-IDF's OTA rollback rules:
 *
 *   - A slot is bootable when its record is intact (magic, CRC, known state), its length lies in
 *     1..slot size and the slot's first length bytes hash to the record's sha256.
 *   - At boot the bootable record with the highest sequence among VALID, NEW and PENDING_VERIFY
 *     wins (ties: A). NEW is rewritten PENDING_VERIFY and runs on trial. PENDING_VERIFY means the
 *     device reset while on trial: it is rewritten ABORTED and the highest VALID one boots.
 *   - No bootable record: no model runs.
 *
 * Write order, and why a power cut at any byte leaves a bootable model (the old or the new):
 *
 *   update   1. erase the inactive slot's record sector   (the slot no longer counts)
 *            2. erase the inactive slot                    3. program the model in order
 *   commit   4. hash the slot and compare with the sha256 given
 *            5. erase the record sector   6. program the record NEW, seq = 1 + highest seq
 *   boot     7. rewrite NEW as PENDING_VERIFY (erase, program): the model runs on trial
 *   confirm  8. rewrite PENDING_VERIFY as VALID (erase, program)
 *   revert   9. rewrite the running record INVALID (erase, program), then boot
 *
 *   The running slot and its record are never erased during 1-6, so until 6 completes the old
 *   model boots. A cut in 6 leaves a record that fails its CRC: absent, the old model boots. A cut
 *   after 6 boots the new model on trial (NEW, or PENDING_VERIFY -> ABORTED -> old model at the
 *   following boot). Every rewrite (7, 8, 9) erases before it programs, so a cut between the two
 *   leaves that slot without a record: the other slot's VALID model boots. A cut in 8 therefore
 *   loses the confirmation, never the device; the agent sees the old model and updates again.
 */
#ifndef FP_SLOTS_H
#define FP_SLOTS_H

#include <stdbool.h>
#include <stdint.h>

#include "fp_err.h"
#include "fp_layout.h"
#include "fp_port.h"
#include "fp_record.h"

typedef struct {
  const fp_layout *layout;
  const fp_flash_port *flash;
  int active; /* FP_SLOT_A, FP_SLOT_B, or -1 when no model runs */
} fp_slots;

void fp_slots_init(fp_slots *slots, const fp_layout *layout, const fp_flash_port *flash);

/* Runs the boot rules; slots->active tells what runs. Flash errors pass through. */
fp_err fp_slots_boot(fp_slots *slots);

/* The intact record of slot (CRC checked; the slot's bytes are not). FP_ERR_ABSENT if none. */
fp_err fp_slots_record(const fp_slots *slots, int slot, fp_record *rec);

/* Steps 1-2: erases the inactive slot and its record. FP_ERR_SLOT_ACTIVE for the running slot. */
fp_err fp_slots_begin_update(fp_slots *slots, int slot);

/* Step 3: programs data at offset of the inactive slot. */
fp_err fp_slots_write(fp_slots *slots, int slot, uint32_t offset, const uint8_t *data,
                      uint32_t len);

/* The sha256 of the first length bytes of slot (any slot). */
fp_err fp_slots_digest(const fp_slots *slots, int slot, uint32_t length,
                       uint8_t out[FP_SHA256_BYTES]);

/* Steps 4-6: checks the digest (FP_ERR_DIGEST_MISMATCH) and writes the record NEW with the next
 * sequence; FP_ERR_ARG when name or version exceed 32 bytes. */
fp_err fp_slots_commit(fp_slots *slots, int slot, uint32_t length,
                       const uint8_t sha256[FP_SHA256_BYTES], const char *name,
                       const char *version);

/* 1 + the highest sequence of the intact records. */
uint32_t fp_slots_next_seq(const fp_slots *slots);

/* Step 8: the model on trial stays. A VALID model: nothing to do. FP_ERR_WRONG_STATE when nothing
 * runs or the running record is neither VALID nor PENDING_VERIFY. */
fp_err fp_slots_confirm(fp_slots *slots);

/* Step 9: marks the running model INVALID and boots the other slot, which must hold a bootable
 * VALID model (else FP_ERR_WRONG_STATE and nothing changes). */
fp_err fp_slots_revert(fp_slots *slots);

/* Offset (from the flash start) of slot's first byte. */
uint32_t fp_slots_offset(const fp_slots *slots, int slot);

#endif
