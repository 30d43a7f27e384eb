package io.fieldproof.operator.devicegroup;

import io.fieldproof.api.v1alpha1.DeviceCounts;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.DeviceGroupStatus;
import io.fieldproof.api.v1alpha1.HealthSpec;
import io.fieldproof.operator.power.GroupPowerSummary;
import io.fieldproof.operator.power.PowerBudget;
import io.fieldproof.operator.status.ConditionsBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a DeviceGroup's status, and owns its conditions: Ready, Degraded, ModelConverged, Drifting
 * and Conflict. The same inputs give the same status.
 */
public final class DeviceGroupStatusAggregator {

  public static final String READY = "Ready";
  public static final String DEGRADED = "Degraded";
  public static final String MODEL_CONVERGED = "ModelConverged";
  public static final String DRIFTING = "Drifting";
  public static final String CONFLICT = "Conflict";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";

  /** What the reconciler observed about the group's members. */
  public record Observation(
      List<Member> members, List<String> specProblems, GroupRollouts rollouts) {}

  public DeviceGroupStatus aggregate(DeviceGroup group, Observation observed, Instant now) {
    DeviceGroupStatus previous = group.getStatus();
    DeviceGroupStatus status = new DeviceGroupStatus();
    long generation = group.getMetadata().getGeneration();
    status.observedGeneration = generation;
    status.devices = MemberCounter.count(observed.members());
    status.currentModel = observed.rollouts().currentModel();
    status.activeRollout = observed.rollouts().activeRollout();
    status.attention = AttentionList.of(observed.members());
    status.models = MemberCounter.models(observed.members());
    List<io.fieldproof.api.v1alpha1.InputDrift> drift =
        InputDriftSummary.of(group.getSpec().inputs, observed.members());
    status.drift = drift.isEmpty() ? null : drift;
    status.fallbackActivations = MemberCounter.activations(observed.members());
    status.capture = GroupCaptureSummary.of(group.getSpec().capture, observed.members());
    GroupPowerSummary power =
        GroupPowerSummary.of(
            group.getSpec(),
            observed.rollouts().currentInspection(),
            observed.members().stream()
                .filter(m -> m.entry().info() != null && m.entry().info().chip() != null)
                .map(m -> m.entry().info().chip())
                .toList());
    status.power = power.power();
    List<Member> conflicted = observed.members().stream().filter(Member::conflicted).toList();

    DeviceCounts counts = status.devices;
    List<String> degradedBy = degradedBy(counts, group.getSpec().health);
    boolean healthLimit = !degradedBy.isEmpty();
    power
        .overBudget()
        .ifPresent(
            over ->
                degradedBy.add(
                    status.currentModel.name + " " + status.currentModel.version + " on " + over));
    ConditionsBuilder conditions =
        new ConditionsBuilder(previous == null ? null : previous.conditions, generation, now);
    conditions.set(
        READY,
        observed.specProblems().isEmpty()
            && counts.total > 0
            && degradedBy.isEmpty()
            && conflicted.isEmpty(),
        readyReason(observed.specProblems(), counts, degradedBy, conflicted),
        readyMessage(observed.specProblems(), counts, degradedBy, conflicted));
    conditions.set(
        DEGRADED,
        !degradedBy.isEmpty(),
        healthLimit
            ? "HealthLimitExceeded"
            : degradedBy.isEmpty() ? "WithinLimits" : PowerBudget.OVER_POWER_BUDGET,
        degradedBy.isEmpty()
            ? "offline, fallback and sensor-fault shares within limits"
            : String.join("; ", degradedBy));
    int running = runningCurrent(observed.members(), status);
    boolean converged = status.currentModel != null && running == observed.members().size();
    conditions.set(
        MODEL_CONVERGED,
        converged,
        status.currentModel == null ? "NoModel" : converged ? "Converged" : "Converging",
        status.currentModel == null
            ? "no rollout has succeeded on this group yet"
            : running
                + " of "
                + observed.members().size()
                + " members run "
                + status.currentModel.name
                + " "
                + status.currentModel.version);
    conditions.set(
        DRIFTING,
        counts.drifting > 0,
        counts.drifting > 0 ? "InputsDrifting" : "NoDrift",
        driftMessage(counts, status.drift));
    conditions.set(
        CONFLICT,
        !conflicted.isEmpty(),
        conflicted.isEmpty() ? "NoConflict" : "DeviceClaimedTwice",
        conflicted.isEmpty()
            ? "no member is claimed by another group or gateway"
            : conflictMessage(conflicted));
    kstatus(conditions, group, observed, conflicted);
    status.conditions = conditions.build();
    return status;
  }

  /**
   * Reconciling and Stalled, the abnormal-true pair kstatus (Flux, kpt) reads: InProgress while
   * online members have not applied the group's generation, Failed for an invalid spec or a member
   * in conflict. Fleet health (Degraded, Drifting) is not reconciliation and stays out of both.
   */
  private static void kstatus(
      ConditionsBuilder conditions,
      DeviceGroup group,
      Observation observed,
      List<Member> conflicted) {
    long generation = group.getMetadata().getGeneration();
    long behind =
        observed.members().stream()
            .filter(m -> m.online() && !m.conflicted())
            .filter(
                m ->
                    m.entry().reported() == null
                        || ConfigGeneration.groupPart(m.entry().reported().observedGeneration())
                            < generation)
            .count();
    boolean invalid = !observed.specProblems().isEmpty();
    conditions.set(
        RECONCILING,
        behind > 0 && !invalid,
        behind > 0 && !invalid ? "MembersApplying" : "NotReconciling",
        behind + " online members have not applied generation " + generation + " yet");
    boolean stalled = invalid || !conflicted.isEmpty();
    conditions.set(
        STALLED,
        stalled,
        invalid ? "InvalidSpec" : conflicted.isEmpty() ? "NotStalled" : "DeviceClaimedTwice",
        invalid
            ? String.join("; ", observed.specProblems())
            : conflicted.isEmpty() ? "not stalled" : conflictMessage(conflicted));
  }

  /** How many members run the group's current model. */
  private static int runningCurrent(List<Member> members, DeviceGroupStatus status) {
    if (status.currentModel == null) {
      return 0;
    }
    return (int)
        members.stream()
            .map(m -> m.entry().reported())
            .filter(r -> r != null && r.slots() != null && r.slots().activeModel() != null)
            .filter(r -> status.currentModel.sha256.equals(r.slots().activeModel().sha256()))
            .count();
  }

  /** How many members drift, and on which inputs how far at most. */
  private static String driftMessage(
      DeviceCounts counts, List<io.fieldproof.api.v1alpha1.InputDrift> drift) {
    String message = counts.drifting + " of " + counts.total + " members report drifting inputs";
    if (drift == null) {
      return message;
    }
    List<String> inputs =
        drift.stream()
            .filter(d -> d.drifting > 0)
            .map(d -> d.input + " on " + d.drifting + " (up to " + d.maxSigma + " sigma)")
            .toList();
    return inputs.isEmpty() ? message : message + ": " + String.join(", ", inputs);
  }

  private static String conflictMessage(List<Member> conflicted) {
    String shown =
        conflicted.stream()
            .limit(3)
            .map(m -> m.id() + " (" + m.conflict() + ")")
            .reduce((a, b) -> a + "; " + b)
            .orElse("");
    String more = conflicted.size() > 3 ? "; and " + (conflicted.size() - 3) + " more" : "";
    return conflicted.size() + " members in conflict, left unchanged: " + shown + more;
  }

  private static List<String> degradedBy(DeviceCounts counts, HealthSpec health) {
    List<String> reasons = new ArrayList<>();
    if (counts.total == 0) {
      return reasons;
    }
    double offlineLimit =
        health == null || health.maxOfflinePercent == null ? 10 : health.maxOfflinePercent;
    double fallbackLimit =
        health == null || health.maxFallbackPercent == null ? 5 : health.maxFallbackPercent;
    double faultLimit =
        health == null || health.maxSensorFaultPercent == null ? 5 : health.maxSensorFaultPercent;
    exceed(reasons, "offline", counts.offline, counts.total, offlineLimit);
    exceed(reasons, "on fallback", counts.fallbackActive, counts.total, fallbackLimit);
    exceed(reasons, "with a sensor fault", counts.sensorFault, counts.total, faultLimit);
    return reasons;
  }

  private static void exceed(
      List<String> reasons, String what, int count, int total, double limit) {
    double percent = 100.0 * count / total;
    if (percent > limit) {
      reasons.add(
          String.format(
              "%d of %d members %s (%.1f%% > %.1f%%)", count, total, what, percent, limit));
    }
  }

  private static String readyReason(
      List<String> problems,
      DeviceCounts counts,
      List<String> degradedBy,
      List<Member> conflicted) {
    if (!problems.isEmpty()) {
      return "InvalidSpec";
    }
    if (!conflicted.isEmpty()) {
      return "Conflict";
    }
    if (counts.total == 0) {
      return "NoMembers";
    }
    return degradedBy.isEmpty() ? "MembersHealthy" : "Degraded";
  }

  private static String readyMessage(
      List<String> problems,
      DeviceCounts counts,
      List<String> degradedBy,
      List<Member> conflicted) {
    if (!problems.isEmpty()) {
      return String.join("; ", problems);
    }
    if (!conflicted.isEmpty()) {
      return conflicted.size() + " of " + counts.total + " members are claimed twice";
    }
    if (counts.total == 0) {
      return "no device matches the selector";
    }
    return degradedBy.isEmpty()
        ? counts.healthy + " of " + counts.total + " members healthy"
        : String.join("; ", degradedBy);
  }
}
