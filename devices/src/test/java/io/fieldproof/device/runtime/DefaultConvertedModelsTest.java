package io.fieldproof.device.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.model.footprint.LatencyEstimate;
import io.fieldproof.protocol.RuntimeConfig;
import io.fieldproof.testsupport.ProjectPaths;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Models converted the default way (a Keras Input without a fixed batch: shape signatures with -1,
 * Flatten as SHAPE/STRIDED_SLICE/PACK/RESHAPE) and the operators issue 17 added run in the emulated
 * devices' runtime: each step with valid readings is an inference and a decision, as on the older
 * fixed-batch models.
 */
class DefaultConvertedModelsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "activations_mix, 12",
    "shape_ops, 24",
    "concat_pad_mean, 128",
    "dense_dynamic_batch, 32",
    "flatten_dynamic_batch, 128"
  })
  void runsInTheEmulatedRuntime(String fixture, int inputs) throws Exception {
    byte[] model =
        Files.readAllBytes(
            ProjectPaths.root().resolve("model/fixtures/models").resolve(fixture + ".tflite"));
    InterpreterModelRunner runner =
        InterpreterModelRunner.load(model, LatencyEstimate.forChip("esp32s3").orElseThrow());
    assertThat(runner.features()).isEqualTo(inputs);

    DeviceRuntimeEngine engine = new DeviceRuntimeEngine(config(inputs), 10, 240);
    engine.activate(runner);
    for (int step = 0; step < 20; step++) {
      engine.step(readings(inputs, step));
    }

    Map<String, Long> counters = engine.health().counters();
    assertThat(counters.get("steps")).isEqualTo(20);
    assertThat(counters.get("inferences")).as("every step ran the model").isEqualTo(20);
    assertThat(counters.get("inferenceCycles")).isPositive();
  }

  private static RuntimeConfig config(int inputs) {
    List<RuntimeConfig.Input> list = new ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      list.add(
          new RuntimeConfig.Input(
              "x" + i, null, -10.0, 10.0, null, null, new RuntimeConfig.Normalize("zscore", 0, 1)));
    }
    return new RuntimeConfig(
        list,
        new RuntimeConfig.Decision(0, 0.5, 1),
        new RuntimeConfig.Fallback("off", List.of()),
        new RuntimeConfig.Drift(10, 3.0),
        30);
  }

  private static Map<String, Double> readings(int inputs, int step) {
    Map<String, Double> raw = new HashMap<>();
    for (int i = 0; i < inputs; i++) {
      raw.put("x" + i, Math.sin(step * 0.7 + i) * 2);
    }
    return raw;
  }
}
