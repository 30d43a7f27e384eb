package io.fieldproof.protocol;

/** Why a received message was dropped; the label of the drop counter. */
public enum DropReason {
  UNKNOWN_TOPIC("unknown_topic"),
  OVERSIZED("oversized"),
  MALFORMED_JSON("malformed_json"),
  WRONG_SCHEMA_VERSION("wrong_schema_version"),
  INVALID_FIELD("invalid_field"),
  IDENTITY_MISMATCH("identity_mismatch"),
  UNKNOWN_DEVICE("unknown_device"),
  /** A model chunk that is not the one its manifest lists: wrong length or sha256. */
  DIGEST_MISMATCH("digest_mismatch"),
  /**
   * A message the receiver's bounds refuse: a birth announcing more devices than a gateway may, or
   * a new device, gateway or namespace past the receiver's cap.
   */
  OVER_LIMIT("over_limit"),
  /**
   * A report whose health counters cannot be true: negative, gone back without a reboot, or grown
   * faster than a device can count.
   */
  IMPLAUSIBLE_COUNTER("implausible_counter"),
  /** A desired state without the operator's signature. */
  UNSIGNED("unsigned"),
  /** A desired state signed by a key the receiver does not trust. */
  UNKNOWN_KEY("unknown_key"),
  /** A desired state whose signature does not verify for its namespace and device. */
  BAD_SIGNATURE("bad_signature"),
  /** A desired state signed before the newest one the receiver accepted for the device. */
  STALE("stale");

  private final String label;

  DropReason(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
