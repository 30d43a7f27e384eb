package io.fieldproof.operator.observe;

import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.DeviceGroupStatus;
import io.fieldproof.api.v1alpha1.GateResult;
import io.fieldproof.api.v1alpha1.GateRule;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.operator.devicegroup.Member;
import io.fieldproof.operator.fleet.DeviceEntry;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.ReportedState;
import io.fieldproof.protocol.Vitals;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Builds the fleet page's summary from the cluster state and the fleet index. */
@Singleton
public class FleetSummaryBuilder {

  /** Devices listed at most; the totals count them all. */
  static final int MAX_DEVICES = 1000;

  /**
   * How long a device no group selects stays online without being heard of: the default of a
   * group's connectivity.offlineAfterSeconds.
   */
  static final Duration UNGROUPED_OFFLINE_AFTER = Duration.ofSeconds(90);

  /** Phases of a rollout that still acts on its group. */
  private static final Set<String> ACTIVE =
      Set.of(
          JsonNames.of(Phase.PENDING), JsonNames.of(Phase.PROGRESSING), JsonNames.of(Phase.PAUSED));

  private final FleetView view;

  public FleetSummaryBuilder(FleetView view) {
    this.view = view;
  }

  /**
   * @param namespace the one namespace to show, or empty for all
   */
  public FleetSummary build(Optional<String> namespace) {
    Set<String> namespaces = view.namespaces();
    List<String> shown = namespace.map(List::of).orElse(List.copyOf(namespaces));
    List<FleetSummary.GroupRow> groups = new ArrayList<>();
    List<FleetSummary.RolloutRow> rollouts = new ArrayList<>();
    List<FleetSummary.DeviceRow> devices = new ArrayList<>();
    for (String ns : shown) {
      List<FleetView.GroupMembers> members = view.groups(ns);
      members.forEach(m -> groups.add(groupRow(m.group())));
      view.cluster().rollouts(ns).forEach(r -> rollouts.add(rolloutRow(r)));
      devices.addAll(deviceRows(ns, members));
    }
    devices.sort(
        Comparator.comparing(FleetSummary.DeviceRow::namespace)
            .thenComparing(FleetSummary.DeviceRow::id));
    List<FleetSummary.DeviceRow> listed = devices.stream().limit(MAX_DEVICES).toList();
    return new FleetSummary(
        view.index().now().toString(),
        List.copyOf(namespaces),
        totals(groups, rollouts, devices),
        groups,
        rollouts,
        listed,
        listed.size());
  }

  private static FleetSummary.Totals totals(
      List<FleetSummary.GroupRow> groups,
      List<FleetSummary.RolloutRow> rollouts,
      List<FleetSummary.DeviceRow> devices) {
    Set<String> attention = new TreeSet<>();
    for (FleetSummary.GroupRow group : groups) {
      if (group.attention() != null) {
        group.attention().forEach(a -> attention.add(group.namespace() + "/" + a.device));
      }
    }
    int active =
        (int)
            rollouts.stream().filter(r -> r.phase() != null && ACTIVE.contains(r.phase())).count();
    int online = (int) devices.stream().filter(FleetSummary.DeviceRow::online).count();
    return new FleetSummary.Totals(groups.size(), devices.size(), online, active, attention.size());
  }

  private static FleetSummary.GroupRow groupRow(DeviceGroup group) {
    DeviceGroupStatus status =
        group.getStatus() == null ? new DeviceGroupStatus() : group.getStatus();
    return new FleetSummary.GroupRow(
        group.getMetadata().getNamespace(),
        group.getMetadata().getName(),
        status.devices,
        status.currentModel,
        status.activeRollout,
        status.conditions,
        status.models == null ? List.of() : status.models,
        status.attention == null ? List.of() : status.attention);
  }

  private static FleetSummary.RolloutRow rolloutRow(ModelRollout rollout) {
    ModelRolloutStatus status =
        rollout.getStatus() == null ? new ModelRolloutStatus() : rollout.getStatus();
    var spec = rollout.getSpec();
    int steps =
        spec.strategy == null || spec.strategy.steps == null ? 0 : spec.strategy.steps.size();
    List<GateRule> rules =
        spec.gates == null || spec.gates.rules == null ? List.of() : spec.gates.rules;
    return new FleetSummary.RolloutRow(
        rollout.getMetadata().getNamespace(),
        rollout.getMetadata().getName(),
        spec.deviceGroup,
        spec.model == null ? null : spec.model.name,
        spec.model == null ? null : spec.model.version,
        JsonNames.of(status.phase),
        status.currentStep,
        steps,
        status.devices,
        gateRows(status.gates, rules),
        status.failures == null ? List.of() : status.failures,
        status.message);
  }

  private static List<FleetSummary.GateRow> gateRows(
      List<GateResult> results, List<GateRule> rules) {
    if (results == null) {
      return List.of();
    }
    return results.stream()
        .map(
            g -> {
              GateRule rule =
                  rules.stream().filter(r -> r.metric == g.metric).findFirst().orElse(null);
              return new FleetSummary.GateRow(
                  JsonNames.of(g.metric),
                  g.value,
                  g.baseline,
                  rule == null ? null : rule.max,
                  rule == null ? null : rule.maxRatioToBaseline,
                  JsonNames.of(g.result));
            })
        .toList();
  }

  private List<FleetSummary.DeviceRow> deviceRows(
      String namespace, List<FleetView.GroupMembers> groups) {
    Map<String, List<String>> groupsOf = new HashMap<>();
    Map<String, Member> memberOf = new HashMap<>();
    for (FleetView.GroupMembers group : groups) {
      for (Member member : group.members()) {
        groupsOf
            .computeIfAbsent(member.id(), id -> new ArrayList<>())
            .add(group.group().getMetadata().getName());
        memberOf.putIfAbsent(member.id(), member);
      }
    }
    List<FleetSummary.DeviceRow> rows = new ArrayList<>();
    for (DeviceEntry entry : view.index().devices(namespace)) {
      if (entry.info() == null) {
        continue;
      }
      Member member = memberOf.get(entry.id());
      boolean online =
          member != null ? member.online() : view.index().online(entry, UNGROUPED_OFFLINE_AFTER);
      List<String> names = groupsOf.get(entry.id());
      rows.add(deviceRow(entry, names == null ? null : String.join(", ", names), online));
    }
    return rows;
  }

  private static FleetSummary.DeviceRow deviceRow(DeviceEntry entry, String group, boolean online) {
    ReportedState reported = entry.reported();
    ModelRef model =
        reported == null || reported.slots() == null ? null : reported.slots().activeModel();
    Vitals vitals =
        reported == null || reported.health() == null ? null : reported.health().vitals();
    return new FleetSummary.DeviceRow(
        entry.namespace(),
        entry.id(),
        entry.gateway(),
        entry.info().chip(),
        group,
        online,
        reported == null || reported.link() == null ? null : JsonNames.of(reported.link()),
        model == null ? null : model.name() + " " + model.version(),
        reported == null ? null : reported.phase(),
        entry.lastHeard() == null ? null : entry.lastHeard().toString(),
        vitals == null ? null : vitals.batteryPercent(),
        vitals == null ? null : vitals.linkQuality());
  }
}
