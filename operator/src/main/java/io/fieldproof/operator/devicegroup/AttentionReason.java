package io.fieldproof.operator.devicegroup;

/**
 * Why a member is on a group's attention list, worst first: the reason's wire name and its rank (a
 * lower rank comes first; two reasons may share one). The CRD's description of {@code
 * status.attention[].reason} lists these names in this order, and a test holds them together.
 */
public enum AttentionReason {
  CONFLICT("Conflict", 0),
  CLAIMED_BY_ANOTHER_GATEWAY("ClaimedByAnotherGateway", 0),
  OFFLINE("Offline", 1),
  UNREACHABLE("Unreachable", 2),
  CONFIG_REJECTED("ConfigRejected", 3),
  SAFE_STATE("SafeState", 4),
  SENSOR_FAULT("SensorFault", 5),
  FALLBACK_ACTIVE("FallbackActive", 6),
  DRIFTING("Drifting", 7);

  private final String wireName;
  private final int rank;

  AttentionReason(String wireName, int rank) {
    this.wireName = wireName;
    this.rank = rank;
  }

  /** The name status carries. */
  public String wireName() {
    return wireName;
  }

  int rank() {
    return rank;
  }
}
