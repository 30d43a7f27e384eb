package io.fieldproof.operator.rollout;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.CaptureLabel;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.GateRule;
import io.fieldproof.api.v1alpha1.GatesSpec;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.operator.devicegroup.GroupConfigs;
import io.fieldproof.operator.devicegroup.Member;
import io.fieldproof.operator.devicegroup.MembershipObserver;
import io.fieldproof.operator.fleet.FleetIndex;
import io.fieldproof.operator.labels.LabeledWindows;
import java.util.Comparator;
import java.util.List;

/**
 * Gathers what a rollout acts on: its group and the group's members out of conflict, split by
 * whether the validated model fits them, and the newer rollout of the same group that took over.
 */
final class RolloutSceneLoader {

  private final KubernetesClient client;
  private final MembershipObserver membership;

  RolloutSceneLoader(KubernetesClient client, FleetIndex fleet) {
    this.client = client;
    this.membership = new MembershipObserver(fleet);
  }

  RolloutScene load(ModelRollout rollout, Verdict verdict, List<ModelRollout> siblings) {
    String namespace = rollout.getMetadata().getNamespace();
    List<DeviceGroup> groups =
        client.resources(DeviceGroup.class).inNamespace(namespace).list().getItems();
    DeviceGroup group =
        groups.stream()
            .filter(g -> g.getMetadata().getName().equals(rollout.getSpec().deviceGroup))
            .findFirst()
            .orElse(null);
    if (group == null) {
      return RolloutScene.empty();
    }
    List<Member> members =
        membership.observe(group, groups).stream().filter(m -> !m.conflicted()).toList();
    if (verdict.outcome() != Verdict.Outcome.VALID) {
      return new RolloutScene(
          group,
          members,
          0,
          List.of(),
          null,
          GroupConfigs.inForce(group, siblings),
          LabeledWindows.none());
    }
    MemberFit.Result fit =
        MemberFit.check(
            verdict.modelBytes(),
            members,
            group.getSpec().inputs == null ? 0 : group.getSpec().inputs.size());
    return new RolloutScene(
        group,
        fit.compatible(),
        fit.incompatible(),
        fit.listed(),
        supersededBy(rollout, siblings),
        GroupConfigs.inForce(group, siblings),
        labels(rollout));
  }

  /**
   * The group's labeled windows when a gate judges falseAlarmRate; none otherwise, so that rollouts
   * without such a gate never list the labels.
   */
  private LabeledWindows labels(ModelRollout rollout) {
    GatesSpec gates = rollout.getSpec().gates;
    boolean judged =
        gates != null
            && gates.rules != null
            && gates.rules.stream().anyMatch(r -> r.metric == GateRule.Metric.FALSE_ALARM_RATE);
    if (!judged) {
      return LabeledWindows.none();
    }
    String namespace = rollout.getMetadata().getNamespace();
    return LabeledWindows.of(
        namespace,
        rollout.getSpec().deviceGroup,
        client.resources(CaptureLabel.class).inNamespace(namespace).list().getItems());
  }

  /**
   * The newest validated rollout of the same group created after this one, or null: one rollout
   * acts on a group at a time, and the newest wins.
   */
  static String supersededBy(ModelRollout rollout, List<ModelRollout> siblings) {
    Comparator<ModelRollout> age = RolloutSceneLoader::compareAge;
    return siblings.stream()
        .filter(other -> !other.getMetadata().getName().equals(rollout.getMetadata().getName()))
        .filter(other -> rollout.getSpec().deviceGroup.equals(other.getSpec().deviceGroup))
        .filter(other -> other.getMetadata().getDeletionTimestamp() == null)
        .filter(other -> other.getStatus() != null && other.getStatus().model != null)
        .filter(other -> other.getStatus().phase != Phase.FAILED)
        .filter(other -> age.compare(other, rollout) > 0)
        .max(age)
        .map(other -> other.getMetadata().getName())
        .orElse(null);
  }

  /** Creation time, then name: a total order even for rollouts created in the same second. */
  static int compareAge(ModelRollout a, ModelRollout b) {
    int byTime =
        java.time.Instant.parse(a.getMetadata().getCreationTimestamp())
            .compareTo(java.time.Instant.parse(b.getMetadata().getCreationTimestamp()));
    return byTime != 0 ? byTime : a.getMetadata().getName().compareTo(b.getMetadata().getName());
  }
}
