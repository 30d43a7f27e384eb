package io.fieldproof.agent.link;

/**
 * The two model slots of a device and which one runs.
 *
 * @param active {@code "A"}, {@code "B"} or null when no model runs
 * @param a the model in slot A, or null when the slot is empty
 * @param b the model in slot B, or null when the slot is empty
 */
public record SlotTable(String active, ModelRef a, ModelRef b) {

  /** Slot name of slot A. */
  public static final String SLOT_A = "A";

  /** Slot name of slot B. */
  public static final String SLOT_B = "B";

  /** Both slots empty, nothing active: a device fresh from the factory. */
  public static SlotTable empty() {
    return new SlotTable(null, null, null);
  }

  public SlotTable {
    if (active != null && !SLOT_A.equals(active) && !SLOT_B.equals(active)) {
      throw new IllegalArgumentException("active slot must be A, B or null, not " + active);
    }
  }
}
