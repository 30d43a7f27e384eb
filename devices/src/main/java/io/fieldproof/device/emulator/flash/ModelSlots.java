package io.fieldproof.device.emulator.flash;

import io.fieldproof.device.protocol.slots.SlotLayout;
import io.fieldproof.device.protocol.slots.SlotRecord;
import io.fieldproof.device.protocol.slots.SlotState;
import io.fieldproof.protocol.Sha256;
import java.util.Arrays;
import java.util.Optional;

/**
 * Two model slots (A, B) and their selection records on emulated flash, placed by a {@link
 * SlotLayout}, with the boot rules of ESP-IDF's OTA rollback: the valid record with the highest
 * sequence wins; a NEW model boots on trial (PENDING_VERIFY) and must be confirmed; a reset while
 * it is still on trial marks it ABORTED and boots the previous VALID model. Slot contents are
 * checked against the record's sha256 at every boot, so a torn write never runs. A power cut at any
 * byte leaves a bootable model. The same records can be written by a host through the chip's
 * bootloader: the boot rules do not care who wrote them. Thread-safe.
 */
public final class ModelSlots {

  public static final int A = SlotLayout.A;
  public static final int B = SlotLayout.B;

  private final EmulatedFlash flash;
  private final SlotLayout layout;
  private Integer active;

  public ModelSlots(EmulatedFlash flash, SlotLayout layout) {
    if (flash.size() != layout.sectors().size()) {
      throw new IllegalArgumentException("the slot layout is for another flash size");
    }
    this.flash = flash;
    this.layout = layout;
  }

  /** What the bootloader chose: the slot and its record. */
  public record Boot(int slot, long seq, SlotState state, int length) {}

  public SlotLayout layout() {
    return layout;
  }

  public EmulatedFlash flash() {
    return flash;
  }

  /** Runs the boot rules (as after a reset) and returns the model that runs, if any. */
  public synchronized Optional<Boot> boot() {
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

  /** The running slot, if a model runs. */
  public synchronized Optional<Integer> activeSlot() {
    return Optional.ofNullable(active);
  }

  /** The slot that is not running: where the next model goes. */
  public synchronized int inactiveSlot() {
    return active == null || active == B ? A : B;
  }

  /** The record of {@code slot}, when it holds an intact one. */
  public synchronized Optional<SlotRecord> record(int slot) {
    return SlotRecord.decode(flash.read(layout.recordOffset(slot), SlotRecord.BYTES));
  }

  /** Erases the inactive slot and its record, before a new model is written there. */
  public synchronized void beginUpdate(int slot) {
    requireInactive(slot);
    eraseRecord(slot);
    flash.erase(layout.slotOffset(slot), layout.slotSize());
  }

  public synchronized void write(int slot, int offset, byte[] data) {
    requireInactive(slot);
    if (offset < 0 || offset + data.length > layout.slotSize()) {
      throw new IllegalArgumentException(
          "the model does not fit the slot of " + layout.slotSize() + " bytes");
    }
    flash.write(layout.slotOffset(slot) + offset, data, 0, data.length);
  }

  public synchronized byte[] digest(int slot, int length) {
    return sha256(read(slot, length));
  }

  /** The first {@code length} bytes of {@code slot}. */
  public synchronized byte[] read(int slot, int length) {
    if (length < 0 || length > layout.slotSize()) {
      throw new IllegalArgumentException("length must lie within the slot");
    }
    return flash.read(layout.slotOffset(slot), length);
  }

  /**
   * Checks the written model against its sha256, then marks it NEW with the next sequence: it boots
   * on trial at the next boot.
   */
  public synchronized void commit(
      int slot, int length, byte[] sha256, String name, String version) {
    requireInactive(slot);
    if (!Arrays.equals(digest(slot, length), sha256)) {
      throw new IllegalStateException(
          "slot " + name(slot) + " does not hold the model: digest mismatch");
    }
    writeRecord(slot, new SlotRecord(nextSeq(), SlotState.NEW, length, sha256, name, version));
  }

  /** The sequence number the next committed model gets. */
  public synchronized long nextSeq() {
    return 1
        + Math.max(
            record(A).map(SlotRecord::seq).orElse(0L), record(B).map(SlotRecord::seq).orElse(0L));
  }

  /** The model on trial passed its checks: it stays. */
  public synchronized void confirm() {
    SlotRecord record = activeRecord();
    if (record.state() == SlotState.VALID) {
      return;
    }
    if (record.state() != SlotState.PENDING_VERIFY) {
      throw new IllegalStateException("slot " + name(active) + " is " + record.state());
    }
    writeRecord(active, record.with(SlotState.VALID));
  }

  /**
   * The running model must go (its trial failed, or a rollout rolls back): mark it INVALID and boot
   * the previous valid one. Refused when no other valid model exists.
   */
  public synchronized Optional<Boot> revert() {
    SlotRecord record = activeRecord();
    int other = active == A ? B : A;
    boolean otherValid =
        record(other).filter(r -> r.state() == SlotState.VALID && intact(other, r)).isPresent();
    if (!otherValid) {
      throw new IllegalStateException(
          "slot " + name(other) + " holds no valid model to go back to");
    }
    writeRecord(active, record.with(SlotState.INVALID));
    return boot();
  }

  /** The bytes of the running model. */
  public synchronized Optional<byte[]> activeModel() {
    if (active == null) {
      return Optional.empty();
    }
    return Optional.of(read(active, record(active).orElseThrow().length()));
  }

  public static String name(int slot) {
    return SlotLayout.name(slot);
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
        && record.length() <= layout.slotSize()
        && Arrays.equals(digest(slot, record.length()), record.sha256());
  }

  private SlotRecord activeRecord() {
    if (active == null) {
      throw new IllegalStateException("no model is running");
    }
    return record(active).orElseThrow();
  }

  private void writeRecord(int slot, SlotRecord record) {
    eraseRecord(slot);
    byte[] bytes = record.encode();
    flash.write(layout.recordOffset(slot), bytes, 0, bytes.length);
  }

  private void eraseRecord(int slot) {
    flash.eraseSector(flash.sectors().sectorAt(layout.recordOffset(slot)));
  }

  private void requireInactive(int slot) {
    if (active != null && active == slot) {
      throw new IllegalStateException(
          "slot " + name(slot) + " is running: write the inactive slot");
    }
  }

  /** SHA-256 of {@code bytes}. */
  public static byte[] sha256(byte[] bytes) {
    return Sha256.digest().digest(bytes);
  }
}
