package io.fieldproof.operator.models;

import io.fieldproof.api.v1alpha1.ModelRollout;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which model each ModelRollout holds: the sha256 of the model it last validated, or nothing. A
 * rollout this run has not reconciled yet holds what its status says it validated, so a restarted
 * operator never retracts a model whose rollout it has not looked at yet.
 */
final class ModelReferences {

  private final Map<RolloutKey, Optional<String>> byRollout = new HashMap<>();

  void hold(ModelRollout rollout, String sha256) {
    byRollout.put(RolloutKey.of(rollout), Optional.of(sha256));
  }

  /** The rollout holds no model (its model is not valid, or not readable, now). */
  void release(ModelRollout rollout) {
    byRollout.put(RolloutKey.of(rollout), Optional.empty());
  }

  /** The rollout is gone. */
  void forget(ModelRollout rollout) {
    byRollout.remove(RolloutKey.of(rollout));
  }

  /**
   * The models that the rollouts of a namespace hold; rollouts being deleted hold nothing.
   *
   * @param rollouts the namespace's ModelRollouts as the informer has them
   */
  Set<String> heldIn(String namespace, Collection<ModelRollout> rollouts) {
    Set<RolloutKey> deleting = new HashSet<>();
    Set<String> held = new HashSet<>();
    for (ModelRollout rollout : rollouts) {
      RolloutKey key = RolloutKey.of(rollout);
      if (rollout.getMetadata().getDeletionTimestamp() != null) {
        deleting.add(key);
      } else if (!byRollout.containsKey(key)) {
        validatedBefore(rollout).ifPresent(held::add);
      }
    }
    byRollout.forEach(
        (key, sha256) -> {
          if (key.namespace().equals(namespace) && !deleting.contains(key)) {
            sha256.ifPresent(held::add);
          }
        });
    return held;
  }

  private static Optional<String> validatedBefore(ModelRollout rollout) {
    return rollout.getStatus() == null || rollout.getStatus().model == null
        ? Optional.empty()
        : Optional.ofNullable(rollout.getStatus().model.sha256);
  }

  /** A rollout by namespace and name. */
  private record RolloutKey(String namespace, String name) {
    static RolloutKey of(ModelRollout rollout) {
      return new RolloutKey(rollout.getMetadata().getNamespace(), rollout.getMetadata().getName());
    }
  }
}
