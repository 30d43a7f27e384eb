package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A member that needs attention, and why. */
public class AttentionItem {

  @JsonPropertyDescription("Device id.")
  public String device;

  @JsonPropertyDescription("Gateway the device is attached to.")
  public String gateway;

  @JsonPropertyDescription(
      "Machine-readable cause, worst first: Conflict, ClaimedByAnotherGateway, Offline,"
          + " Unreachable, ConfigRejected, SafeState, SensorFault, FallbackActive, Drifting.")
  public String reason;

  @JsonPropertyDescription("Human-readable detail.")
  public String message;

  @JsonPropertyDescription("When the cause was first seen (RFC 3339).")
  public String since;
}
