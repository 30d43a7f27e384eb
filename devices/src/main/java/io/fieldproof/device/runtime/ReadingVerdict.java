package io.fieldproof.device.runtime;

/** What the runtime makes of one reading of one input, before it may reach the model. */
public enum ReadingVerdict {
  /** Valid: normalized and fed to the model. */
  OK(null),
  /** No value (the sensor did not answer). A sensor fault. */
  DROPOUT("dropout"),
  /** Outside the input's valid range. A sensor fault. */
  OUT_OF_RANGE("out_of_range"),
  /** A jump larger than maxStep from the previous valid reading: rejected, not a fault. */
  UNSTABLE("unstable"),
  /** stuckSamples identical readings in a row. A sensor fault. */
  STUCK("stuck");

  private final String faultKind;

  ReadingVerdict(String faultKind) {
    this.faultKind = faultKind;
  }

  public boolean valid() {
    return this == OK;
  }

  /** The counter name suffix of a sensor fault, or null for OK and UNSTABLE. */
  public String faultKind() {
    return this == UNSTABLE ? null : faultKind;
  }

  /** Why the reading was not used, as counted: dropout, out_of_range, unstable, stuck. */
  public String rejectionKind() {
    return faultKind;
  }
}
