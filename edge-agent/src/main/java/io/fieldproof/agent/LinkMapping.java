package io.fieldproof.agent;

import io.fieldproof.agent.link.Hello;
import io.fieldproof.agent.link.SlotTable;
import io.fieldproof.agent.link.Stats;
import io.fieldproof.protocol.Capabilities;
import io.fieldproof.protocol.Health;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.Slots;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Translates what a device says on its link into the MQTT contract's records. */
final class LinkMapping {

  /** Device counters whose name starts with this are sensor faults by kind. */
  static final String SENSOR_FAULT_PREFIX = "sensorFault.";

  private LinkMapping() {}

  static Capabilities capabilities(Hello hello) {
    var c = hello.capabilities();
    return c == null
        ? new Capabilities(List.of(), 0, 0)
        : new Capabilities(c.operators(), c.arenaBytes(), c.slotBytes());
  }

  static Slots slots(Hello hello) {
    SlotTable table = hello.slots();
    return table == null
        ? new Slots(null, null, null)
        : new Slots(table.active(), model(table.a()), model(table.b()));
  }

  static Health health(Stats stats) {
    Map<String, Long> counters = stats.counters() == null ? Map.of() : stats.counters();
    Map<String, Long> faults = new LinkedHashMap<>();
    counters.forEach(
        (name, value) -> {
          if (name.startsWith(SENSOR_FAULT_PREFIX)) {
            faults.put(name.substring(SENSOR_FAULT_PREFIX.length()), value);
          }
        });
    long sensorFaults = faults.values().stream().mapToLong(Long::longValue).sum();
    return new Health(
        stats.uptimeMs(),
        stats.readings(),
        stats.telemetryFrames(),
        counters.getOrDefault("inferences", 0L),
        counters.getOrDefault("alarms", 0L),
        counters.getOrDefault("fallbackActivations", 0L),
        counters.getOrDefault("fallbackActive", 0L) > 0,
        sensorFaults,
        faults,
        List.of(),
        null);
  }

  private static ModelRef model(io.fieldproof.agent.link.ModelRef ref) {
    return ref == null ? null : new ModelRef(ref.name(), ref.version(), ref.sha256(), ref.size());
  }
}
