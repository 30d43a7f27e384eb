package io.fieldproof.agent.emulated;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.agent.link.DeviceLink;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.protocol.Hello;
import io.fieldproof.device.protocol.Stats;
import io.fieldproof.device.runtime.InterpreterModelRunner;
import io.fieldproof.model.footprint.LatencyEstimate;
import io.fieldproof.model.tflite.ModelRejectedException;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.RuntimeConfig;
import io.fieldproof.testsupport.ProjectPaths;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An emulated device with a real int8 model in its active slot runs it on every sensor window,
 * through the project's interpreter: inferences, modelled latency and decisions are counted.
 */
class ActiveModelInferenceTest {

  private static byte[] fixture(String name) throws Exception {
    return Files.readAllBytes(ProjectPaths.root().resolve("model/fixtures/models").resolve(name));
  }

  private static RuntimeConfig.Input input(String name) {
    return new RuntimeConfig.Input(
        name, null, -100.0, 100.0, null, null, new RuntimeConfig.Normalize("zscore", 0, 1));
  }

  @Test
  void theActiveModelRunsOnEveryWindow() throws Exception {
    byte[] model = fixture("dense_anomaly.tflite");
    DeviceEmulator emulator =
        DeviceEmulator.builder(Chip.ESP32)
            .seed(11)
            .activeModel("dense-anomaly", "1.0.0", model)
            .build();
    RuntimeConfig config =
        new RuntimeConfig(
            List.of(
                input("accel_rms"),
                input("accel_peak"),
                input("temperature_c"),
                input("current_a")),
            new RuntimeConfig.Decision(0, 0.5, 2),
            new RuntimeConfig.Fallback("hold-last", List.of()),
            new RuntimeConfig.Drift(60, 3),
            1);
    try (DeviceLink link = InProcessDeviceLink.attach(emulator, Duration.ofSeconds(2))) {
      Hello hello = link.hello();
      assertThat(hello.slots().active()).isEqualTo("A");
      assertThat(hello.slots().a().size()).isEqualTo(model.length);
      link.configure(1, MessageCodec.mapper().valueToTree(config));
      for (int i = 0; i < 50; i++) {
        emulator.tick();
      }
      Stats stats = link.stats();
      assertThat(stats.counter("inferences")).isEqualTo(50);
      assertThat(stats.counter("latencyP95Us")).isPositive();
      assertThat(stats.counter("inferenceCycles")).isGreaterThan(4 * 4 * 16);
      assertThat(stats.counter("steps")).isEqualTo(50);
    }
  }

  @Test
  void aModelWhoseInputWidthDiffersFromTheGroupIsNotRun() throws Exception {
    DeviceEmulator emulator =
        DeviceEmulator.builder(Chip.STM32L4)
            .seed(12)
            .activeModel("dense-anomaly", "1.0.0", fixture("dense_anomaly.tflite"))
            .build();
    RuntimeConfig config =
        new RuntimeConfig(
            List.of(input("probe_air_c")),
            new RuntimeConfig.Decision(0, 0.5, 1),
            new RuntimeConfig.Fallback("off", List.of()),
            null,
            1);
    try (DeviceLink link = InProcessDeviceLink.attach(emulator, Duration.ofSeconds(2))) {
      link.configure(1, MessageCodec.mapper().valueToTree(config));
      for (int i = 0; i < 5; i++) {
        emulator.tick();
      }
      assertThat(link.stats().counter("inferences")).isZero();
      assertThat(link.stats().counter("steps")).isEqualTo(5);
    }
  }

  @Test
  void aFloatModelIsRefusedByTheRuntime() throws Exception {
    byte[] floatModel = fixture("float_model.tflite");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> InterpreterModelRunner.load(floatModel, LatencyEstimate.ESP32))
        .isInstanceOf(ModelRejectedException.class);
  }
}
