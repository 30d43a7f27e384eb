package io.fieldproof.agent.emulator.flash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Two model slots (A, B) and their selection records on emulated flash, laid out as [record A
 * sector][record B sector][slot A][slot B], with the boot rules of ESP-IDF's OTA rollback: the
 * valid record with the highest sequence wins; a NEW model boots on trial (PENDING_VERIFY) and must
 * be confirmed; a reset while it is still on trial marks it ABORTED and boots the previous VALID
 * model. Slot contents are checked against the record's sha256 at every boot, so a torn write never
 * runs. A power cut at any byte leaves a bootable model.
 */
public final class ModelSlots {

  public static final int A = 0;
  public static final int B = 1;

  private final EmulatedFlash flash;
  private final int slotSize;
  private final int recordArea;
  private Integer active;

  public ModelSlots(EmulatedFlash flash, int slotSize) {
    this.flash = flash;
    this.slotSize = slotSize;
    this.recordArea = 2 * flash.sectorSize();
    if (slotSize % flash.sectorSize() != 0 || recordArea + 2 * slotSize > flash.size()) {
      throw new IllegalArgumentException(
          "two slots of " + slotSize + " bytes and the records do not fit the flash");
    }
  }

  /** What the bootloader chose: the slot, its record, or empty when no valid model exists. */
  public record Boot(int slot, long seq, SlotState state, int length) {}

  /** Runs the boot rules (as after a reset) and returns the model that runs, if any. */
  public Optional<Boot> boot() {
    active = null;
    Optional<Integer> chosen = newest(true);
    if (chosen.isPresent()) {
      SlotRecord record = record(chosen.get()).orElseThrow();
      if (record.state() == SlotState.PENDING_VERIFY) {
        writeRecord(chosen.get(), record.with(SlotState.ABORTED));
        chosen = newest(false);
      } else if (record.state() == SlotState.NEW) {
        writeRecord(chosen.get(), record.with(SlotState.PENDING_VERIFY));
      }
    }
    if (chosen.isEmpty()) {
      return Optional.empty();
    }
    active = chosen.get();
    SlotRecord record = record(active).orElseThrow();
    return Optional.of(new Boot(active, record.seq(), record.state(), record.length()));
  }

  /** The slot that is not running: where the next model goes. */
  public int inactiveSlot() {
    return active == null || active == B ? A : B;
  }

  /** Erases the inactive slot and its record, before a new model is written there. */
  public void beginUpdate(int slot) {
    requireInactive(slot);
    flash.erase(recordOffset(slot), flash.sectorSize());
    flash.erase(slotOffset(slot), slotSize);
  }

  public void write(int slot, int offset, byte[] data) {
    requireInactive(slot);
    if (offset + data.length > slotSize) {
      throw new IllegalArgumentException(
          "the model does not fit the slot of " + slotSize + " bytes");
    }
    flash.write(slotOffset(slot) + offset, data, 0, data.length);
  }

  public byte[] digest(int slot, int length) {
    return sha256(flash.read(slotOffset(slot), length));
  }

  /** Checks the written model against its sha256, then marks it NEW: it boots on trial next. */
  public void commit(int slot, int length, byte[] sha256) {
    requireInactive(slot);
    if (!Arrays.equals(digest(slot, length), sha256)) {
      throw new IllegalStateException(
          "slot " + name(slot) + " does not hold the model: digest mismatch");
    }
    long seq =
        1
            + Math.max(
                record(A).map(SlotRecord::seq).orElse(0L),
                record(B).map(SlotRecord::seq).orElse(0L));
    writeRecord(slot, new SlotRecord(seq, SlotState.NEW, length, sha256));
  }

  /** The model on trial passed its checks: it stays. */
  public void confirm() {
    SlotRecord record = activeRecord(SlotState.PENDING_VERIFY);
    writeRecord(active, record.with(SlotState.VALID));
  }

  /** The model on trial failed: mark it INVALID and boot the previous valid one. */
  public Optional<Boot> revert() {
    SlotRecord record = activeRecord(SlotState.PENDING_VERIFY);
    writeRecord(active, record.with(SlotState.INVALID));
    return boot();
  }

  /** The bytes of the running model. */
  public Optional<byte[]> activeModel() {
    if (active == null) {
      return Optional.empty();
    }
    return Optional.of(flash.read(slotOffset(active), record(active).orElseThrow().length()));
  }

  public static String name(int slot) {
    return slot == A ? "A" : "B";
  }

  private Optional<Integer> newest(boolean includeTrial) {
    Optional<Integer> best = Optional.empty();
    long bestSeq = -1;
    for (int slot : new int[] {A, B}) {
      Optional<SlotRecord> record = record(slot);
      if (record.isEmpty()
          || !bootable(record.get().state(), includeTrial)
          || !intact(slot, record.get())) {
        continue;
      }
      if (record.get().seq() > bestSeq) {
        bestSeq = record.get().seq();
        best = Optional.of(slot);
      }
    }
    return best;
  }

  private static boolean bootable(SlotState state, boolean includeTrial) {
    return state == SlotState.VALID
        || (includeTrial && (state == SlotState.NEW || state == SlotState.PENDING_VERIFY));
  }

  private boolean intact(int slot, SlotRecord record) {
    return record.length() > 0
        && record.length() <= slotSize
        && Arrays.equals(digest(slot, record.length()), record.sha256());
  }

  private SlotRecord activeRecord(SlotState expected) {
    if (active == null) {
      throw new IllegalStateException("no model is running");
    }
    SlotRecord record = record(active).orElseThrow();
    if (record.state() != expected) {
      throw new IllegalStateException(
          "slot " + name(active) + " is " + record.state() + ", not " + expected);
    }
    return record;
  }

  private Optional<SlotRecord> record(int slot) {
    return SlotRecord.decode(flash.read(recordOffset(slot), SlotRecord.BYTES));
  }

  private void writeRecord(int slot, SlotRecord record) {
    flash.erase(recordOffset(slot), flash.sectorSize());
    byte[] bytes = record.encode();
    flash.write(recordOffset(slot), bytes, 0, bytes.length);
  }

  private void requireInactive(int slot) {
    if (active != null && active == slot) {
      throw new IllegalStateException(
          "slot " + name(slot) + " is running: write the inactive slot");
    }
  }

  private int recordOffset(int slot) {
    return slot * flash.sectorSize();
  }

  private int slotOffset(int slot) {
    return recordArea + slot * slotSize;
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
