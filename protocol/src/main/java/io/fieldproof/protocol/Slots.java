package io.fieldproof.protocol;

/** The two model slots of a device and which one is active ("A", "B", or null: no model). */
public record Slots(String active, ModelRef a, ModelRef b) {

  /** The model in the active slot, or null. */
  public ModelRef activeModel() {
    if ("A".equals(active)) {
      return a;
    }
    return "B".equals(active) ? b : null;
  }
}
