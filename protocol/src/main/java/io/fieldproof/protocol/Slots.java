package io.fieldproof.protocol;

/**
 * The two model slots of a device, which one is active ("A", "B", or null: no model), and the state
 * of the active one's record ("VALID", or "PENDING_VERIFY" while a new model runs on trial; null
 * when unknown).
 */
public record Slots(String active, ModelRef a, ModelRef b, String activeState) {

  /** Slots without a known state of the active one. */
  public Slots(String active, ModelRef a, ModelRef b) {
    this(active, a, b, null);
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
