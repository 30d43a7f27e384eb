package io.fieldproof.device.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.device.protocol.CaptureMessages;
import io.fieldproof.protocol.RuntimeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CaptureRingTest {

  private static DeviceRuntimeEngine engine(int inputs, RuntimeConfig.Capture capture) {
    List<RuntimeConfig.Input> list =
        IntStream.range(0, inputs)
            .mapToObj(
                i ->
                    new RuntimeConfig.Input(
                        "in" + i,
                        null,
                        null,
                        null,
                        null,
                        null,
                        new RuntimeConfig.Normalize("zscore", 0.0, 1.0)))
            .toList();
    return new DeviceRuntimeEngine(
        new RuntimeConfig(
            list,
            new RuntimeConfig.Decision(0, 0.5, 1),
            new RuntimeConfig.Fallback("off", List.of()),
            new RuntimeConfig.Drift(4, 3.0, 2),
            30,
            capture),
        4,
        240);
  }

  private static Map<String, Double> one(double value) {
    return Map.of("in0", value);
  }

  @Test
  void theRingHoldsTheWindowWithinThePool() {
    assertThat(CaptureRing.capacity(30, 30, 4)).isEqualTo(61);
    assertThat(CaptureRing.bytes(30, 30, 4)).isEqualTo(61 * 48);
    assertThat(CaptureRing.capacity(300, 300, 32)).isEqualTo(8192 / 300);
    assertThat(CaptureRing.capacity(0, 0, 1)).isEqualTo(1);
    assertThat(CaptureMessages.samplesPerPage(1)).isEqualTo(20);
    assertThat(CaptureMessages.samplesPerPage(32)).isEqualTo(2);
  }

  @Test
  void driftStartingFreezesAWindowAroundIt() {
    DeviceRuntimeEngine engine =
        engine(1, new RuntimeConfig.Capture(3, 2, List.of("drift"), 0, 0, 0));
    for (int i = 0; i < 5; i++) {
      engine.step(one(0.0), 1000L * i);
    }
    CaptureRing ring = engine.capture().orElseThrow();
    int step = 5;
    while (ring.page(0, 0).ready() == false && step < 50) {
      engine.step(one(10.0), 1000L * step++);
    }
    CaptureMessages.Page page = ring.page(0, 99_000);
    assertThat(page.trigger()).isEqualTo("drift");
    assertThat(page.total()).isEqualTo(6);
    assertThat(page.triggerIndex()).isEqualTo(3);
    assertThat(page.samples().get(0).raw()).containsExactly(0.0f);
    assertThat(page.samples().get(5).raw()).containsExactly(10.0f);
    // frozen: further steps change nothing until the window is released
    engine.step(one(20.0), 1000L * step);
    assertThat(ring.page(0, 0).samples()).isEqualTo(page.samples());
    assertThat(ring.release(page.id() + 1)).isFalse();
    assertThat(ring.release(page.id())).isTrue();
    assertThat(ring.page(0, 0).ready()).isFalse();
  }

  @Test
  void aPoolTooSmallForTheWindowKeepsTheTriggerAndWhatFollowsIt() {
    List<String> names = IntStream.range(0, 32).mapToObj(i -> "in" + i).toList();
    DeviceRuntimeEngine engine =
        engine(32, new RuntimeConfig.Capture(300, 300, List.of(), 1, 0, 0));
    java.util.HashMap<String, Double> raw = new java.util.HashMap<>();
    names.forEach(n -> raw.put(n, 0.1));
    CaptureRing ring = engine.capture().orElseThrow();
    int steps = 0;
    while (!ring.page(0, 0).ready() && steps < 100) {
      engine.step(raw, steps++);
    }
    CaptureMessages.Page page = ring.page(0, 0);
    assertThat(page.trigger()).isEqualTo("sample");
    assertThat(page.total()).isEqualTo(27);
    assertThat(page.triggerIndex()).isZero();
    assertThat(page.samples()).hasSize(2);
    assertThat(page.next()).isEqualTo(2);
  }

  @Test
  void randomSamplesDependOnTheDeviceIdAndComeOnAverageOnceInN() {
    assertThat(sampledSteps("esp32-000000000001")).isEqualTo(sampledSteps("esp32-000000000001"));
    assertThat(sampledSteps("esp32-000000000001")).isNotEqualTo(sampledSteps("esp32-000000000002"));
    assertThat(sampledSteps("esp32-000000000001").size()).isBetween(60, 140);
  }

  /** The steps a capture of normal operation fires on, over 1000 steps, 1 in 10, window 1. */
  private static List<Integer> sampledSteps(String device) {
    DeviceRuntimeEngine engine = engine(1, new RuntimeConfig.Capture(0, 0, List.of(), 10, 0, 0));
    engine.captureSeed(device);
    CaptureRing ring = engine.capture().orElseThrow();
    List<Integer> fired = new ArrayList<>();
    for (int step = 0; step < 1000; step++) {
      engine.step(one(0.0), step);
      CaptureMessages.Page page = ring.page(0, step);
      if (page.ready()) {
        fired.add(step);
        ring.release(page.id());
      }
    }
    return fired;
  }
}
