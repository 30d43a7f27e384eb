package io.fieldproof.protocol;

/**
 * The two model slots of a device, which one is active ("A", "B", or null: no model), the state of
 * the active one's record ("VALID", or "PENDING_VERIFY" while a new model runs on trial; null when
 * unknown) and the state of the other one's ("VALID" when the model there would boot again;
 * "INVALID", "ABORTED", "NEW" or "PENDING_VERIFY" when not; null when nothing runs, the other slot
 * holds no intact record, or the firmware does not say).
 */
public record Slots(String active, ModelRef a, ModelRef b, String activeState, String otherState) {

  /** Slots without a known state of the active one. */
  public Slots(String active, ModelRef a, ModelRef b) {
    this(active, a, b, null, null);
  }

  /** Slots without a known state of the other one (firmware that does not report it). */
  public Slots(String active, ModelRef a, ModelRef b, String activeState) {
    this(active, a, b, activeState, null);
  }

  /** The model in the active slot, or null. */
  public ModelRef activeModel() {
    if ("A".equals(active)) {
      return a;
    }
    return "B".equals(active) ? b : null;
  }

  /** Whether the active model runs on trial, waiting to be confirmed or reverted. */
  public boolean onTrial() {
    return "PENDING_VERIFY".equals(activeState);
  }
}
