package io.fieldproof.model.tflite;

/** Element types of TFLite tensors (schema enum {@code TensorType}) and their byte sizes. */
public enum TensorType {
  /** 32-bit IEEE float. */
  FLOAT32(0, 4),
  /** 16-bit IEEE float. */
  FLOAT16(1, 2),
  /** 32-bit signed integer (biases, shapes). */
  INT32(2, 4),
  /** 8-bit unsigned integer (legacy quantization). */
  UINT8(3, 1),
  /** 64-bit signed integer. */
  INT64(4, 8),
  /** Variable-length strings. */
  STRING(5, 0),
  /** Boolean, one byte each. */
  BOOL(6, 1),
  /** 16-bit signed integer. */
  INT16(7, 2),
  /** Two 32-bit floats. */
  COMPLEX64(8, 8),
  /** 8-bit signed integer: the type this project runs. */
  INT8(9, 1),
  /** 64-bit IEEE float. */
  FLOAT64(10, 8),
  /** Two 64-bit floats. */
  COMPLEX128(11, 16),
  /** 64-bit unsigned integer. */
  UINT64(12, 8),
  /** Resource handle. */
  RESOURCE(13, 0),
  /** Variant handle. */
  VARIANT(14, 0),
  /** 32-bit unsigned integer. */
  UINT32(15, 4),
  /** 16-bit unsigned integer. */
  UINT16(16, 2),
  /** 4-bit signed integer, packed two per byte. */
  INT4(17, 0);

  private final int code;
  private final int bytesPerElement;

  TensorType(int code, int bytesPerElement) {
    this.code = code;
    this.bytesPerElement = bytesPerElement;
  }

  /** The schema code. */
  public int code() {
    return code;
  }

  /** Bytes one element takes; 0 where elements have no fixed whole-byte size. */
  public int bytesPerElement() {
    return bytesPerElement;
  }

  /**
   * The type with schema code {@code code}.
   *
   * @throws ModelRejectedException ({@link RejectionReason#CORRUPT}) for an unknown code
   */
  public static TensorType fromCode(int code) {
    for (TensorType type : values()) {
      if (type.code == code) {
        return type;
      }
    }
    throw new ModelRejectedException(RejectionReason.CORRUPT, "unknown tensor type code " + code);
  }
}
