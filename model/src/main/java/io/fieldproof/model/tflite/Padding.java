package io.fieldproof.model.tflite;

/** Padding of convolutions and pools (schema enum {@code Padding}). */
public enum Padding {
  /** Output size ceil(in / stride); zero-point padding split evenly, the odd one at the end. */
  SAME,
  /** No padding: only windows fully inside the input. */
  VALID;

  static Padding fromCode(int code) {
    return switch (code) {
      case 0 -> SAME;
      case 1 -> VALID;
      default ->
          throw new ModelRejectedException(RejectionReason.CORRUPT, "unknown padding " + code);
    };
  }
}
