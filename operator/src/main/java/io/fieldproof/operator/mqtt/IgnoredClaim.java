package io.fieldproof.operator.mqtt;

/**
 * Part of an accepted message that the operator ignores, with its label on {@code
 * fieldproof_mqtt_ignored_total{reason}}: the message goes through without it.
 */
public enum IgnoredClaim {
  /** A label under {@code fieldproof.io/} in a birth: only the operator sets those. */
  RESERVED_LABEL("reserved_label"),
  /** A device a birth announces that another gateway of the namespace announced first. */
  LATER_CLAIM("later_claim");

  private final String label;

  IgnoredClaim(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
