package io.fieldproof.operator.devicegroup;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.api.v1alpha1.CaptureSpec;
import io.fieldproof.api.v1alpha1.DecisionSpec;
import io.fieldproof.api.v1alpha1.DeviceGroupSpec;
import io.fieldproof.api.v1alpha1.DriftReference;
import io.fieldproof.api.v1alpha1.DriftSpec;
import io.fieldproof.api.v1alpha1.InputSpec;
import io.fieldproof.api.v1alpha1.Normalization;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.RuntimeConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeConfigMapperTest {

  @Test
  void anExplicitDriftReferenceAndMinSamplesGoToTheDevice() {
    DeviceGroupSpec spec = spec();
    spec.inputs.get(0).driftReference = new DriftReference();
    spec.inputs.get(0).driftReference.mean = 0.5;
    spec.inputs.get(0).driftReference.std = 0.2;
    spec.drift.minSamples = 30;

    RuntimeConfig config = RuntimeConfigMapper.from(spec);

    assertThat(config.inputs().get(0).reference()).isEqualTo(new RuntimeConfig.Reference(0.5, 0.2));
    assertThat(config.inputs().get(0).driftReference())
        .isEqualTo(new RuntimeConfig.Reference(0.5, 0.2));
    assertThat(config.drift().minSamples()).isEqualTo(30);
    assertThat(config.drift().windowSeconds()).isEqualTo(1200);
  }

  @Test
  void withoutThemTheConfigIsAsBeforeAndTheDeviceTakesTheNormalization() throws Exception {
    RuntimeConfig config = RuntimeConfigMapper.from(spec());

    assertThat(config.inputs().get(0).reference()).isNull();
    assertThat(config.inputs().get(0).driftReference())
        .isEqualTo(new RuntimeConfig.Reference(0.42, 0.13));
    assertThat(config.drift().minSamples()).isNull();
    String json = MessageCodec.mapper().writeValueAsString(config);
    assertThat(json).doesNotContain("reference").doesNotContain("minSamples");
  }

  @Test
  void aCaptureGoesToTheDeviceOnlyWhenEnabledWithItsDefaults() throws Exception {
    DeviceGroupSpec spec = spec();
    spec.capture = new CaptureSpec();
    assertThat(RuntimeConfigMapper.from(spec).capture()).isNull();
    assertThat(MessageCodec.mapper().writeValueAsString(RuntimeConfigMapper.from(spec)))
        .doesNotContain("capture");

    spec.capture.enabled = true;
    assertThat(RuntimeConfigMapper.from(spec).capture())
        .isEqualTo(
            new RuntimeConfig.Capture(
                30,
                30,
                List.of("alarm", "fallback", "sensorFault", "drift"),
                0,
                1L << 20,
                64L << 20));

    spec.capture.triggers = List.of(CaptureSpec.Trigger.SENSOR_FAULT, CaptureSpec.Trigger.DRIFT);
    spec.capture.windowBefore = 5;
    spec.capture.windowAfter = 0;
    spec.capture.sampleOneIn = 600L;
    RuntimeConfig.Capture capture = RuntimeConfigMapper.from(spec).capture();
    assertThat(capture.triggers()).containsExactly("sensorFault", "drift");
    assertThat(capture.before()).isEqualTo(5);
    assertThat(capture.after()).isZero();
    assertThat(capture.sampleOneIn()).isEqualTo(600);
  }

  private static DeviceGroupSpec spec() {
    DeviceGroupSpec spec = new DeviceGroupSpec();
    InputSpec input = new InputSpec();
    input.name = "accel_rms";
    input.normalize = new Normalization();
    input.normalize.mean = 0.42;
    input.normalize.std = 0.13;
    spec.inputs = List.of(input);
    spec.decision = new DecisionSpec();
    spec.decision.threshold = 0.8;
    spec.drift = new DriftSpec();
    spec.drift.window = "20m";
    spec.drift.maxMeanShiftSigma = 3.0;
    return spec;
  }
}
