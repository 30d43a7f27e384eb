package io.fieldproof.agent.update;

import io.fieldproof.agent.flash.BootloaderSession;
import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.device.protocol.slots.SlotLayout;
import io.fieldproof.device.protocol.slots.SlotRecord;
import io.fieldproof.device.protocol.slots.SlotState;
import java.util.Optional;

/**
 * The two slot records as a host reads them through a bootloader, and what the device's boot rules
 * would make of them: the slot that runs (the newest valid or trial record) and the one to write.
 */
record HostSlotRecords(SlotLayout layout, Optional<SlotRecord> a, Optional<SlotRecord> b) {

  static HostSlotRecords read(BootloaderSession session, SlotLayout layout) throws FlashException {
    return new HostSlotRecords(
        layout, read(session, layout, SlotLayout.A), read(session, layout, SlotLayout.B));
  }

  private static Optional<SlotRecord> read(BootloaderSession session, SlotLayout layout, int slot)
      throws FlashException {
    long address = layout.busAddress(layout.recordOffset(slot));
    return SlotRecord.decode(session.read(address, SlotRecord.BYTES));
  }

  Optional<SlotRecord> record(int slot) {
    return slot == SlotLayout.A ? a : b;
  }

  /** The slot the boot rules pick, if any holds a bootable record. */
  Optional<Integer> running() {
    Optional<Integer> best = Optional.empty();
    long bestSeq = -1;
    for (int slot : new int[] {SlotLayout.A, SlotLayout.B}) {
      Optional<SlotRecord> record = record(slot);
      if (record.isPresent() && bootable(record.get().state()) && record.get().seq() > bestSeq) {
        bestSeq = record.get().seq();
        best = Optional.of(slot);
      }
    }
    return best;
  }

  /** The slot a new model goes into. */
  int target() {
    return running()
        .map(slot -> slot == SlotLayout.A ? SlotLayout.B : SlotLayout.A)
        .orElse(SlotLayout.A);
  }

  long nextSeq() {
    return 1 + Math.max(a.map(SlotRecord::seq).orElse(0L), b.map(SlotRecord::seq).orElse(0L));
  }

  private static boolean bootable(SlotState state) {
    return state == SlotState.VALID || state == SlotState.NEW || state == SlotState.PENDING_VERIFY;
  }
}
