/**
 * The model slots as they lie in a device's flash: the slot record format ({@link
 * io.fieldproof.device.protocol.slots.SlotRecord}, {@link
 * io.fieldproof.device.protocol.slots.SlotState}) and each chip's slot layout ({@link
 * io.fieldproof.device.protocol.slots.SlotLayout}, {@link
 * io.fieldproof.device.protocol.slots.SectorMap}). Shared by the gateway's flashers and the
 * emulated flash; the firmware's {@code core/fp_slots.h} writes the same records.
 */
package io.fieldproof.device.protocol.slots;
