package io.fieldproof.model.tflite;

/** Why a model file was refused: each value maps to one precise, user-facing failure. */
public enum RejectionReason {
  /** The bytes are not a TFLite flatbuffer: empty, too short, or file identifier not "TFL3". */
  NOT_TFLITE,
  /** The flatbuffer is truncated or corrupt: an offset, a vector or an index points nowhere. */
  CORRUPT,
  /** The schema version is not 3, the only one TFLite Micro accepts. */
  UNSUPPORTED_SCHEMA_VERSION,
  /** The model has no subgraph or more than one; TFLite Micro devices here run exactly one. */
  SUBGRAPH_COUNT,
  /** An operator outside the supported set (named in the message). */
  UNSUPPORTED_OPERATOR,
  /**
   * A tensor has an unknown dimension (a negative value in its shape; shape signatures are
   * ignored).
   */
  DYNAMIC_SHAPE,
  /** Every computing operator works in float32: not an int8 model. */
  FLOAT_MODEL,
  /** Some operators compute in int8 and others in another type (float32, int16, uint8, ...). */
  MIXED_PRECISION,
  /** Quantization parameters are missing or unusable for the operator (scale, zero point). */
  INVALID_QUANTIZATION,
  /** The graph is inconsistent: operand counts, shapes or options the kernels cannot run. */
  INVALID_GRAPH
}
