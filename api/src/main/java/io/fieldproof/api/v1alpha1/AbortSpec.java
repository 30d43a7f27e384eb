package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/** When the rollout gives up and (per spec.rollback) rolls back. */
public class AbortSpec {

  @ValidationRule(
      value = Patterns.COUNT_OR_PERCENT_RULE,
      message = "maxFailedDevices " + Patterns.COUNT_OR_PERCENT_MESSAGE)
  @JsonPropertyDescription(
      "Abort when more devices than this have failed with their retries spent: a count or a"
          + " percent of targeted devices.")
  public IntOrString maxFailedDevices;
}
