package io.fieldproof.operator.observe;

import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The fleet summary limited to the namespaces a caller may read: each readable namespace is built
 * on its own and the parts are put together, so groups, rollouts, devices, totals and the namespace
 * list hold nothing of the others (not even their names). The device list keeps the builder's order
 * (namespace, then id) and limit; the totals still count every device.
 */
@Singleton
public class ScopedSummaryBuilder {

  private final FleetSummaryBuilder summaries;
  private final FleetView view;

  public ScopedSummaryBuilder(FleetSummaryBuilder summaries, FleetView view) {
    this.summaries = summaries;
    this.view = view;
  }

  /**
   * @param namespace the one namespace asked for, or empty for every readable one
   * @param readable whether the caller may read a namespace; asked once per namespace shown
   */
  public FleetSummary build(Optional<String> namespace, Predicate<String> readable) {
    List<String> allowed = view.namespaces().stream().filter(readable).toList();
    List<String> shown =
        namespace.map(ns -> allowed.contains(ns) ? List.of(ns) : List.<String>of()).orElse(allowed);
    List<FleetSummary.GroupRow> groups = new ArrayList<>();
    List<FleetSummary.RolloutRow> rollouts = new ArrayList<>();
    List<FleetSummary.DeviceRow> devices = new ArrayList<>();
    int groupCount = 0;
    int deviceCount = 0;
    int online = 0;
    int active = 0;
    int attention = 0;
    String generatedAt = view.index().now().toString();
    for (String ns : shown) {
      FleetSummary part = summaries.build(Optional.of(ns));
      generatedAt = part.generatedAt();
      groups.addAll(part.groups());
      rollouts.addAll(part.rollouts());
      part.devices().stream()
          .limit(FleetSummaryBuilder.MAX_DEVICES - devices.size())
          .forEach(devices::add);
      groupCount += part.totals().groups();
      deviceCount += part.totals().devices();
      online += part.totals().online();
      active += part.totals().activeRollouts();
      attention += part.totals().needAttention();
    }
    return new FleetSummary(
        generatedAt,
        allowed,
        new FleetSummary.Totals(groupCount, deviceCount, online, active, attention),
        groups,
        rollouts,
        devices,
        devices.size());
  }
}
