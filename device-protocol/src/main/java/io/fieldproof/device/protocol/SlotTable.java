package io.fieldproof.device.protocol;

/**
 * The two model slots of a device and which one runs.
 *
 * @param active {@code "A"}, {@code "B"} or null when no model runs
 * @param a the model in slot A, or null when the slot is empty
 * @param b the model in slot B, or null when the slot is empty
 * @param activeState the state of the active slot's record ({@code VALID}, or {@code
 *     PENDING_VERIFY} while on trial), null when unknown or nothing runs
 * @param otherState the state of the record of the slot that does not run ({@code VALID}, {@code
 *     INVALID}, {@code ABORTED}, {@code NEW}, {@code PENDING_VERIFY}): whether a return to the
 *     model there would boot; null when nothing runs, the slot holds no intact record, or the
 *     firmware does not say
 */
public record SlotTable(
    String active, ModelRef a, ModelRef b, String activeState, String otherState) {

  /** Slot name of slot A. */
  public static final String SLOT_A = "A";

  /** Slot name of slot B. */
  public static final String SLOT_B = "B";

  /** Both slots empty, nothing active: a device fresh from the factory. */
  public static SlotTable empty() {
    return new SlotTable(null, null, null, null, null);
  }

  /** A table without a known state of the active slot. */
  public SlotTable(String active, ModelRef a, ModelRef b) {
    this(active, a, b, null, null);
  }

  /** A table without a known state of the other slot (firmware that does not report it). */
  public SlotTable(String active, ModelRef a, ModelRef b, String activeState) {
    this(active, a, b, activeState, null);
  }

  /** The model in {@code slot} ("A" or "B"), or null. */
  public ModelRef model(String slot) {
    return SLOT_A.equals(slot) ? a : SLOT_B.equals(slot) ? b : null;
  }

  /** The model that runs, or null. */
  public ModelRef activeModel() {
    return model(active);
  }

  /** Whether the active model runs on trial and waits for CONFIRM or REVERT. */
  public boolean onTrial() {
    return "PENDING_VERIFY".equals(activeState);
  }

  public SlotTable {
    if (active != null && !SLOT_A.equals(active) && !SLOT_B.equals(active)) {
      throw new IllegalArgumentException("active slot must be A, B or null, not " + active);
    }
  }
}
