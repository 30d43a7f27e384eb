package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Facts read from the model file. */
public class ModelInspection {

  @JsonPropertyDescription("sha256 of the .tflite file.")
  public String sha256;

  @JsonPropertyDescription("Size of the .tflite file in bytes.")
  public Long sizeBytes;

  @JsonPropertyDescription("Quantization scheme found: int8, float32 or mixed.")
  public String quantization;

  @Size(max = 64)
  @JsonPropertyDescription("Distinct builtin operators the model uses.")
  public List<String> operators;

  @JsonPropertyDescription("The model's input tensor.")
  public TensorInfo input;

  @JsonPropertyDescription("Tensor arena the model needs, in bytes.")
  public Long arenaBytes;

  @JsonPropertyDescription(
      "Multiply-accumulates of one inference (CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED).")
  public Long macsPerInference;

  @Size(max = 16)
  @JsonPropertyDescription(
      "Estimated time of one inference per chip profile, from the MACs and operators with"
          + " coefficients calibrated on the C firmware (docs/benchmarks.md); emulated devices"
          + " report the same cycles.")
  public List<LatencyEstimateInfo> latency;

  @Size(max = 16)
  @JsonPropertyDescription(
      "Estimated energy per inference and average power per chip of the group's members, at"
          + " the group's spec.power.samplingPeriodMilliseconds and"
          + " spec.telemetry.reportIntervalSeconds (docs/device-runtime.md#power); absent while"
          + " the group has no member of a known chip.")
  public List<EnergyEstimateInfo> energy;
}
