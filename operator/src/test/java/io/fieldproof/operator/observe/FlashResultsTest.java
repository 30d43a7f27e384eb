package io.fieldproof.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.protocol.DeviceEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class FlashResultsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final FlashResults flashes = new FlashResults(registry);

  @Test
  void countsUpdateOutcomesByResultAndIgnoresOtherEvents() {
    flashes.record("plant-a", event("update", "ModelConfirmed"));
    flashes.record("plant-a", event("update", "ModelConfirmed"));
    flashes.record("plant-a", event("update", "ModelReverted"));
    flashes.record("plant-b", event("update", "UpdateFailed"));
    flashes.record("plant-a", event("link", "LinkLost"));

    assertThat(count("plant-a", "confirmed")).isEqualTo(2);
    assertThat(count("plant-a", "reverted")).isEqualTo(1);
    assertThat(count("plant-b", "failed")).isEqualTo(1);
    assertThat(registry.find("fieldproof.flashes").counters()).hasSize(3);
  }

  private double count(String namespace, String result) {
    return registry
        .get("fieldproof.flashes")
        .tags("namespace", namespace, "result", result)
        .counter()
        .count();
  }

  private static DeviceEvent event(String kind, String reason) {
    return new DeviceEvent(1, "esp32-1", "gw-1", 1, "2026-01-01T00:00:00Z", kind, reason, "m");
  }
}
