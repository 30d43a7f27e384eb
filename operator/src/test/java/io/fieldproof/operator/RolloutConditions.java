package io.fieldproof.operator;

import io.fieldproof.api.v1alpha1.ModelRollout;

/** A ModelRollout's conditions as the end-to-end tests compare them. */
final class RolloutConditions {

  private RolloutConditions() {}

  /** Condition {@code type} of the rollout as "status/reason", or "absent". */
  static String condition(ModelRollout rollout, String type) {
    return rollout.getStatus().conditions.stream()
        .filter(c -> type.equals(c.getType()))
        .map(c -> c.getStatus() + "/" + c.getReason())
        .findFirst()
        .orElse("absent");
  }
}
