package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Whether a rollout with maintenance windows may start writes now, and until or from when. */
public class MaintenanceWindowStatus {

  @JsonPropertyDescription("Whether one of spec.maintenanceWindows is open now.")
  public boolean open;

  @JsonPropertyDescription("While open, when the open window closes, RFC 3339.")
  public String closesAt;

  @JsonPropertyDescription("While closed, when the next window opens, RFC 3339.")
  public String opensAt;
}
