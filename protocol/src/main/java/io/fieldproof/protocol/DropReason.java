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
  DIGEST_MISMATCH("digest_mismatch");

  private final String label;

  DropReason(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
