package io.fieldproof.operator.devicegroup;

import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.DeviceGroupSpec;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.api.v1alpha1.RuntimeConfigOverride;
import io.fieldproof.protocol.RuntimeConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which runtime config a member of a group is told: the group's own runtime fields, with the
 * spec.config of the rollout acting on the device (in its cohort) or, for every other member, of
 * the rollout in force (the group's newest Succeeded rollout that carries a config) on top.
 */
public final class GroupConfigs {

  /**
   * A runtime config and the generation devices key it on.
   *
   * @param config what the device applies
   * @param generation the group's generation for its own config, a {@link ConfigGeneration} of the
   *     rollout's for a rollout's config
   * @param rollout the rollout whose config this is, or null for the group's own
   */
  public record Unit(RuntimeConfig config, long generation, String rollout) {}

  /** Phases in which a rollout still acts on its cohort's config. */
  private static final Set<Phase> ACTING =
      Set.of(Phase.PENDING, Phase.VALIDATING, Phase.PROGRESSING, Phase.PAUSED);

  private GroupConfigs() {}

  /** The group's config with {@code rollout}'s spec.config on top. */
  public static Unit of(DeviceGroup group, ModelRollout rollout) {
    return new Unit(
        RuntimeConfigMapper.from(merged(group.getSpec(), rollout.getSpec().config)),
        ConfigGeneration.of(group.getMetadata().getGeneration(), rollout.getMetadata().getUid()),
        rollout.getMetadata().getName());
  }

  /** The config every member not in an acting config rollout's cohort is told. */
  public static Unit inForce(DeviceGroup group, List<ModelRollout> rollouts) {
    return inForceRollout(group, rollouts)
        .map(r -> of(group, r))
        .orElseGet(
            () ->
                new Unit(
                    RuntimeConfigMapper.from(group.getSpec()),
                    group.getMetadata().getGeneration(),
                    null));
  }

  /** The group's newest Succeeded rollout that carries a config. */
  public static Optional<ModelRollout> inForceRollout(
      DeviceGroup group, List<ModelRollout> rollouts) {
    return ofGroup(group, rollouts).stream()
        .filter(r -> r.getSpec().config != null)
        .filter(r -> r.getStatus() != null && r.getStatus().phase == Phase.SUCCEEDED)
        .max(byAge());
  }

  /**
   * The config {@code current} (a device's desired generation) says the device is in the cohort of:
   * that rollout's while it still acts, else the one in force.
   */
  public static Unit forDevice(
      DeviceGroup group, List<ModelRollout> rollouts, long currentGeneration, Unit inForce) {
    long part = ConfigGeneration.rolloutPart(currentGeneration);
    if (part == 0) {
      return inForce;
    }
    return ofGroup(group, rollouts).stream()
        .filter(r -> r.getSpec().config != null)
        .filter(r -> r.getMetadata().getDeletionTimestamp() == null)
        .filter(r -> r.getStatus() == null || ACTING.contains(r.getStatus().phase))
        .filter(r -> ConfigGeneration.salt(r.getMetadata().getUid()) == part)
        .findFirst()
        .map(r -> of(group, r))
        .orElse(inForce);
  }

  /**
   * Whether {@code rollouts} hold the rollout a config generation was made for (always, for the
   * group's own generation). A cache that lacks it may just not have seen a rollout created a
   * moment ago: read the rollouts afresh before taking its config away from its cohort.
   */
  public static boolean knows(List<ModelRollout> rollouts, long generation) {
    long part = ConfigGeneration.rolloutPart(generation);
    return part == 0
        || rollouts.stream()
            .anyMatch(
                r ->
                    r.getMetadata().getUid() != null
                        && ConfigGeneration.salt(r.getMetadata().getUid()) == part);
  }

  /** The group's spec with the override's fields in place of its own. */
  public static DeviceGroupSpec merged(DeviceGroupSpec group, RuntimeConfigOverride override) {
    if (override == null) {
      return group;
    }
    DeviceGroupSpec merged = new DeviceGroupSpec();
    merged.selector = group.selector;
    merged.inputs = override.inputs != null ? override.inputs : group.inputs;
    merged.decision = override.decision != null ? override.decision : group.decision;
    merged.fallback = override.fallback != null ? override.fallback : group.fallback;
    merged.drift = override.drift != null ? override.drift : group.drift;
    merged.telemetry = group.telemetry;
    merged.connectivity = group.connectivity;
    merged.health = group.health;
    merged.capture = group.capture;
    merged.configUpdates = group.configUpdates;
    return merged;
  }

  /**
   * What keeps {@code override} from running on {@code group}'s devices, each naming the field;
   * empty when it fits.
   */
  public static List<String> problems(DeviceGroupSpec group, RuntimeConfigOverride override) {
    List<String> problems = new ArrayList<>();
    if (override == null) {
      return problems;
    }
    if (override.inputs != null && override.inputs.size() != group.inputs.size()) {
      problems.add(
          "spec.config.inputs: "
              + override.inputs.size()
              + " inputs, the group declares "
              + group.inputs.size()
              + " (the model's input width)");
    }
    DeviceGroupSpec merged = merged(group, override);
    if (merged.fallback != null && merged.fallback.rules != null) {
      Set<String> names = Set.copyOf(merged.inputs.stream().map(i -> i.name).distinct().toList());
      for (int r = 0; r < merged.fallback.rules.size(); r++) {
        var rule = merged.fallback.rules.get(r);
        for (int c = 0; c < rule.all.size(); c++) {
          if (!names.contains(rule.all.get(c).input)) {
            problems.add(
                String.format(
                    "spec.config: fallback rule %s (rules[%d].all[%d]) names input %s, which the"
                        + " effective inputs do not declare",
                    rule.name, r, c, rule.all.get(c).input));
          }
        }
      }
    }
    new DeviceGroupSpecChecker()
        .check(merged)
        .forEach(p -> problems.add(p.replaceFirst("^spec\\.", "spec.config (effective) ")));
    return problems;
  }

  private static List<ModelRollout> ofGroup(DeviceGroup group, List<ModelRollout> rollouts) {
    String name = group.getMetadata().getName();
    return rollouts.stream()
        .filter(r -> r.getSpec() != null && name.equals(r.getSpec().deviceGroup))
        .toList();
  }

  private static Comparator<ModelRollout> byAge() {
    return Comparator.comparing(
            (ModelRollout r) -> Instant.parse(r.getMetadata().getCreationTimestamp()))
        .thenComparing(r -> r.getMetadata().getName());
  }
}
