package io.fieldproof.model.footprint;

/**
 * One reason a model does not fit a device.
 *
 * @param kind what runs short
 * @param message a sentence with the numbers, for a status condition
 */
public record FitProblem(Kind kind, String message) {

  /** What runs short. */
  public enum Kind {
    /** The tensor arena. */
    ARENA,
    /** The flash slot. */
    FLASH,
    /** The operators the runtime was built with. */
    OPERATORS
  }
}
