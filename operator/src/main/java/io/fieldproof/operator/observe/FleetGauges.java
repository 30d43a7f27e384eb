package io.fieldproof.operator.observe;

import io.fieldproof.operator.fleet.GatewayEntry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Gauges of the fleet, recomputed on each refresh: fieldproof_group_devices{namespace,group,state},
 * fieldproof_gateways{namespace,state} and fieldproof_agent_events_dropped{namespace} (events the
 * agents' spools had to drop, as their last births say). Series of a group or namespace that went
 * away are removed.
 */
final class FleetGauges {

  private final FleetView view;
  private final MultiGauge devices;
  private final MultiGauge gateways;
  private final MultiGauge agentDrops;

  FleetGauges(MeterRegistry registry, FleetView view) {
    this.view = view;
    devices =
        MultiGauge.builder("fieldproof.group.devices")
            .description("Members of a DeviceGroup in each state (a member can be in several)")
            .register(registry);
    gateways =
        MultiGauge.builder("fieldproof.gateways")
            .description("Gateways by the state of their MQTT session (last birth or will)")
            .register(registry);
    agentDrops =
        MultiGauge.builder("fieldproof.agent.events.dropped")
            .description("Device events the agents dropped because their spool was full")
            .register(registry);
  }

  void refresh() {
    List<MultiGauge.Row<?>> deviceRows = new ArrayList<>();
    List<MultiGauge.Row<?>> gatewayRows = new ArrayList<>();
    List<MultiGauge.Row<?>> dropRows = new ArrayList<>();
    for (String namespace : view.namespaces()) {
      for (FleetView.GroupMembers group : view.groups(namespace)) {
        Tags tags = Tags.of("namespace", namespace, "group", group.group().getMetadata().getName());
        MemberState.count(group.members())
            .forEach(
                (state, count) ->
                    deviceRows.add(MultiGauge.Row.of(tags.and("state", state.label()), count)));
      }
      List<GatewayEntry> entries = view.index().gateways(namespace);
      if (!entries.isEmpty()) {
        long online = entries.stream().filter(GatewayEntry::online).count();
        Map.of("online", online, "offline", entries.size() - online)
            .forEach(
                (state, count) ->
                    gatewayRows.add(
                        MultiGauge.Row.of(Tags.of("namespace", namespace, "state", state), count)));
        long dropped = entries.stream().mapToLong(GatewayEntry::eventsDropped).sum();
        dropRows.add(MultiGauge.Row.of(Tags.of("namespace", namespace), dropped));
      }
    }
    devices.register(deviceRows, true);
    gateways.register(gatewayRows, true);
    agentDrops.register(dropRows, true);
  }
}
