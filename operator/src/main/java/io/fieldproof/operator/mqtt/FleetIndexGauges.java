package io.fieldproof.operator.mqtt;

import io.fieldproof.operator.fleet.FleetIndex;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * What the fleet index holds, read from it at each scrape: {@code
 * fieldproof_fleet_index_devices{held="announced|reported|desired"}}, the devices a gateway
 * announces, those whose report it holds, and those whose desired state it holds. After a restart
 * they show the index being rebuilt from the broker's retained messages.
 */
final class FleetIndexGauges {

  private FleetIndexGauges() {}

  static void register(MeterRegistry registry, FleetIndex index) {
    gauge(registry, index, "announced", i -> i.announcedCount());
    gauge(registry, index, "reported", i -> i.reportedCount());
    gauge(registry, index, "desired", i -> i.desiredCount());
  }

  private static void gauge(
      MeterRegistry registry, FleetIndex index, String held, ToDoubleFunction<FleetIndex> count) {
    Gauge.builder("fieldproof.fleet.index.devices", index, count)
        .description("Devices the operator's fleet index holds, by what it holds of them")
        .tag("held", held)
        .register(registry);
  }
}
