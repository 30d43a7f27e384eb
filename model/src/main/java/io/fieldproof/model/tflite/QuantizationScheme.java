package io.fieldproof.model.tflite;

/** How a model computes, as {@link Int8Check} classifies it. */
public enum QuantizationScheme {
  /** Every computing operator works on int8 (int32 biases); float only at QUANTIZE/DEQUANTIZE. */
  INT8,
  /** No operator computes in int8: a float model. */
  FLOAT32,
  /** Some operators compute in int8 and others do not. */
  MIXED
}
