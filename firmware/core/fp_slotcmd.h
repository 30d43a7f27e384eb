/*
 * The slot commands of runtime protocol v2 (device-protocol.md §4.5), as the Java emulator's
 * SlotCommands serves them: SLOT_WRITE in order into the slot that does not run, SLOT_DIGEST,
 * SELFTEST through the model-runner port, ACTIVATE (digest, loadable, record NEW, boot on trial,
 * no reset), CONFIRM and REVERT. Each writes its JSON answer into w, or returns the protocol error
 * with a reason in dev->message.
 */
#ifndef FP_SLOTCMD_H
#define FP_SLOTCMD_H

#include "fp_device.h"

fp_err fp_slotcmd_write(fp_device *dev, const fp_frame *req, fp_jw *w);
fp_err fp_slotcmd_digest(fp_device *dev, const fp_frame *req, fp_jw *w);
fp_err fp_slotcmd_selftest(fp_device *dev, const fp_frame *req, fp_jw *w);
fp_err fp_slotcmd_activate(fp_device *dev, const fp_frame *req, fp_jw *w);
fp_err fp_slotcmd_confirm(fp_device *dev, const fp_frame *req, fp_jw *w);
fp_err fp_slotcmd_revert(fp_device *dev, const fp_frame *req, fp_jw *w);

/* The slot table as HELLO and the slot commands report it. */
void fp_slotcmd_table(fp_device *dev, fp_jw *w);

/* The body is empty or a JSON object (HELLO, STATS, CONFIRM, REVERT). */
fp_err fp_require_object_or_empty(fp_device *dev, const fp_frame *req);

#endif
