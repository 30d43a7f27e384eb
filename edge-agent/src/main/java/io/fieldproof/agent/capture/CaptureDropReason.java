package io.fieldproof.agent.capture;

/** Why a captured window never reached the object store; the label of its drop counter. */
public enum CaptureDropReason {
  /**
   * The window cannot be named in the bucket (CaptureKey): no group, an unknown trigger, a device
   * id or model digest outside their grammar.
   */
  INVALID("invalid"),
  /** Its device had used up its bytes of the UTC day (CaptureBudget.bytesPerDevicePerDay). */
  DEVICE_BUDGET("device_budget"),
  /** Its group had used up the gateway's bytes of the UTC day (bytesPerGroupPerDay). */
  GROUP_BUDGET("group_budget"),
  /** The spool was full: the oldest windows waiting for the store made room for a new one. */
  SPOOL_FULL("spool_full"),
  /** The window alone is larger than the whole spool. */
  TOO_LARGE("too_large"),
  /** The state folder refused to store it (a full disk, a read-only folder). */
  WRITE_FAILED("write_failed"),
  /** A spooled window that could not be read back after a restart (cut short by a crash). */
  UNREADABLE("unreadable"),
  /** The store refused the object itself (not the credentials or the connection): a 4xx. */
  REFUSED_BY_STORE("refused_by_store"),
  /** The agent's config names no capture store: it keeps no window. */
  NO_STORE("no_store");

  private final String label;

  CaptureDropReason(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
