package io.fieldproof.device.runtime;

/** The outcome of one runtime step, and who made it. */
public record Decision(Outcome outcome, Source source, String rule) {

  /** What the device does. */
  public enum Outcome {
    NORMAL,
    ALARM,
    SUPPRESSED,
    SAFE_STATE
  }

  /** Who decided: the model, a fallback rule, or the last valid decision held. */
  public enum Source {
    MODEL,
    RULE,
    HOLD_LAST,
    NONE
  }
}
