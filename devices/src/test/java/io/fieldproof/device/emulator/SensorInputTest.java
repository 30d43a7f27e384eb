package io.fieldproof.device.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.testsupport.RuntimeConfigs;
import org.junit.jupiter.api.Test;

class SensorInputTest {

  @Test
  void takesTheOperatingPointFromZScoreNormalization() {
    SensorInput input =
        SensorInput.fromConfig(
            "accel_rms",
            RuntimeConfigs.parse(
                "{\"name\":\"accel_rms\",\"validRange\":{\"min\":0,\"max\":16},"
                    + "\"normalize\":{\"mean\":0.42,\"std\":0.13}}"));

    assertThat(input).isEqualTo(new SensorInput("accel_rms", 0.42, 0.13));
  }

  @Test
  void takesTheMiddleOfAMinMaxNormalizationOrOfTheValidRange() {
    SensorInput minMax =
        SensorInput.fromConfig(
            "t", RuntimeConfigs.parse("{\"normalize\":{\"min\":-40,\"max\":125}}"));
    SensorInput range =
        SensorInput.fromConfig(
            "t", RuntimeConfigs.parse("{\"validRange\":{\"min\":0,\"max\":100}}"));

    assertThat(minMax.baseline()).isEqualTo(42.5);
    assertThat(minMax.scale()).isEqualTo(16.5);
    assertThat(range.baseline()).isEqualTo(50);
    assertThat(range.scale()).isEqualTo(10);
  }

  @Test
  void understandsTheOperatorsFlattenedRuntimeConfig() {
    SensorInput zscore =
        SensorInput.fromConfig(
            "accel_rms",
            RuntimeConfigs.parse(
                "{\"name\":\"accel_rms\",\"unit\":\"g\",\"min\":0.0,\"max\":16.0,"
                    + "\"normalize\":{\"kind\":\"zscore\",\"a\":0.42,\"b\":0.13}}"));
    SensorInput minMax =
        SensorInput.fromConfig(
            "t",
            RuntimeConfigs.parse(
                "{\"min\":-40,\"max\":125,\"normalize\":{\"kind\":\"minmax\",\"a\":0,\"b\":50}}"));
    SensorInput flatRange =
        SensorInput.fromConfig(
            "t", RuntimeConfigs.parse("{\"min\":0,\"max\":10,\"normalize\":null}"));

    assertThat(zscore).isEqualTo(new SensorInput("accel_rms", 0.42, 0.13));
    assertThat(minMax).isEqualTo(new SensorInput("t", 25, 5));
    assertThat(flatRange).isEqualTo(new SensorInput("t", 5, 1));
  }

  @Test
  void defaultsToZeroAndOne() {
    assertThat(SensorInput.fromConfig("x", RuntimeConfigs.parse("{\"name\":\"x\"}")))
        .isEqualTo(new SensorInput("x", 0, 1));
  }
}
