package io.fieldproof.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fieldproof.api.v1alpha1.ModelInspection;
import io.fieldproof.testsupport.ProjectPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Model files are inspected with the model module before anything could be flashed. */
class ModelInspectorTest {

  private final ModelInspector inspector = new ModelInspector();

  private static byte[] fixture(String name) throws Exception {
    return Files.readAllBytes(ProjectPaths.root().resolve("model/fixtures/models").resolve(name));
  }

  @Test
  void anInt8ModelIsInspected() throws Exception {
    ModelInspector.Result result = inspector.inspect(fixture("dense_anomaly.tflite"), "ab", 4);

    assertThat(result.rejection()).isNull();
    assertThat(result.inspection().quantization).isEqualTo("int8");
    assertThat(result.inspection().operators).contains("FULLY_CONNECTED", "LOGISTIC");
    assertThat(result.inspection().input.shape).containsExactly(1, 4);
    assertThat(result.inspection().input.scale).isPositive();
    assertThat(result.inspection().arenaBytes).isPositive();
  }

  @Test
  void theInspectionEstimatesTheLatencyOnEveryChipProfile() throws Exception {
    ModelInspection inspection =
        inspector.inspect(fixture("dense_anomaly.tflite"), "ab", 4).inspection();

    assertThat(inspection.macsPerInference).isEqualTo(200);
    assertThat(inspection.latency)
        .extracting(l -> l.chip, l -> l.clockMhz, l -> l.cycles, l -> l.micros)
        .containsExactly(
            tuple("esp32", 240L, 4564L, 19L),
            tuple("esp32s3", 240L, 4564L, 19L),
            tuple("stm32f4", 168L, 4564L, 27L),
            tuple("stm32l4", 80L, 4564L, 57L));
  }

  @Test
  void aFloatModelFails() throws Exception {
    Verdict verdict = inspector.inspect(fixture("float_model.tflite"), "ab", 4).rejection();

    assertThat(verdict.outcome()).isEqualTo(Verdict.Outcome.INVALID);
    assertThat(verdict.reason()).isEqualTo("FloatModel");
    assertThat(verdict.message()).startsWith("spec.model.source: ");
  }

  @Test
  void aModelWhoseInputDiffersFromTheGroupFails() throws Exception {
    Verdict verdict = inspector.inspect(fixture("dense_anomaly.tflite"), "ab", 2).rejection();

    assertThat(verdict.reason()).isEqualTo("InputContractMismatch");
    assertThat(verdict.message())
        .contains("takes 4 features but the DeviceGroup declares 2 inputs");
  }

  @Test
  void bytesThatAreNoModelFail() {
    Verdict verdict =
        inspector
            .inspect("definitely not a model".getBytes(StandardCharsets.UTF_8), "ab", 2)
            .rejection();

    assertThat(verdict.reason()).isEqualTo("NotTflite");
  }
}
