package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * How often the members' fallback took over, by action, summed over the members' last reports. Each
 * member counts since its last boot, so a reboot lowers the sum; members whose devices do not count
 * activations by action add nothing.
 */
public class FallbackActivations {

  @JsonPropertyDescription(
      "Times a safe-state rule took over (drove the outputs to their safe state), summed over the"
          + " members since their last boot.")
  public long safeState;

  @JsonPropertyDescription("Times a suppress rule took over (held alarms back).")
  public long suppress;

  @JsonPropertyDescription("Times an alarm rule took over (raised an alarm).")
  public long alarm;

  @JsonPropertyDescription(
      "Times hold-last took over (kept the model's last decision while it could not run).")
  public long holdLast;
}
