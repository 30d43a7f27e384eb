package io.fieldproof.operator.devicegroup;

import io.fieldproof.api.v1alpha1.ModelInspection;
import io.fieldproof.api.v1alpha1.ModelRef;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a group's rollouts say about it: its current model (that of its newest Succeeded rollout)
 * and the rollout acting on it now (the newest still Pending, Progressing or Paused).
 */
public final class GroupRollouts {

  private static final Set<Phase> ACTIVE = Set.of(Phase.PENDING, Phase.PROGRESSING, Phase.PAUSED);

  private final List<ModelRollout> rollouts;

  /**
   * @param rollouts the group's rollouts
   */
  public GroupRollouts(List<ModelRollout> rollouts) {
    this.rollouts =
        rollouts.stream()
            .filter(r -> r.getStatus() != null && r.getStatus().phase != null)
            .sorted(newestFirst())
            .toList();
  }

  public ModelRef currentModel() {
    return rollouts.stream()
        .filter(r -> r.getStatus().phase == Phase.SUCCEEDED && r.getStatus().model != null)
        .findFirst()
        .map(GroupRollouts::modelOf)
        .orElse(null);
  }

  /** What inspection found in the current model's file (its latency estimates), or null. */
  public ModelInspection currentInspection() {
    return rollouts.stream()
        .filter(r -> r.getStatus().phase == Phase.SUCCEEDED && r.getStatus().model != null)
        .findFirst()
        .map(r -> r.getStatus().model)
        .orElse(null);
  }

  public String activeRollout() {
    return rollouts.stream()
        .filter(r -> ACTIVE.contains(r.getStatus().phase))
        .findFirst()
        .map(r -> r.getMetadata().getName())
        .orElse(null);
  }

  public Optional<ModelRollout> newest() {
    return rollouts.stream().findFirst();
  }

  private static ModelRef modelOf(ModelRollout rollout) {
    ModelRef ref = new ModelRef();
    ref.name = rollout.getSpec().model.name;
    ref.version = rollout.getSpec().model.version;
    ref.sha256 = rollout.getStatus().model.sha256;
    return ref;
  }

  private static Comparator<ModelRollout> newestFirst() {
    Comparator<ModelRollout> byAge =
        Comparator.comparing(
                (ModelRollout r) -> Instant.parse(r.getMetadata().getCreationTimestamp()))
            .thenComparing(r -> r.getMetadata().getName());
    return byAge.reversed();
  }
}
