package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Shape and quantization of one tensor. */
public class TensorInfo {

  @Size(max = 8)
  @JsonPropertyDescription("Tensor shape.")
  public List<Integer> shape;

  @JsonPropertyDescription("Quantization scale.")
  public Double scale;

  @JsonPropertyDescription("Quantization zero point.")
  public Integer zeroPoint;
}
