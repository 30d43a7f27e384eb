package io.fieldproof.model.tflite;

import java.util.List;

/**
 * What {@link Int8Check} found.
 *
 * @param scheme the classification
 * @param floatInterface whether a model input or output is float32 (quantized inside)
 * @param findings one line per operand that breaks the int8 rules, empty for an int8 model
 */
public record QuantizationReport(
    QuantizationScheme scheme, boolean floatInterface, List<String> findings) {

  public QuantizationReport {
    findings = List.copyOf(findings);
  }

  /** Whether the model is int8. */
  public boolean isInt8() {
    return scheme == QuantizationScheme.INT8;
  }
}
