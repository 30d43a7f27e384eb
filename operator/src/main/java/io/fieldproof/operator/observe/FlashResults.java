package io.fieldproof.operator.observe;

import io.fieldproof.protocol.DeviceEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/**
 * Counts model updates by how they ended (fieldproof_flashes_total{namespace,result}), from the
 * event an agent raises when an update ends: ModelConfirmed, ModelReverted or UpdateFailed. Other
 * events are not counted here.
 */
public final class FlashResults {

  private static final Map<String, String> RESULTS =
      Map.of(
          "ModelConfirmed", "confirmed",
          "ModelReverted", "reverted",
          "UpdateFailed", "failed");

  private final MeterRegistry registry;

  public FlashResults(MeterRegistry registry) {
    this.registry = registry;
  }

  public void record(String namespace, DeviceEvent event) {
    String result = RESULTS.get(event.reason());
    if (result == null) {
      return;
    }
    Counter.builder("fieldproof.flashes")
        .description("Model updates that ended, by result, from the agents' device events")
        .tag("namespace", namespace)
        .tag("result", result)
        .register(registry)
        .increment();
  }
}
