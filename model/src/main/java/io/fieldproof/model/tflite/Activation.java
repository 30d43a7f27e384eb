package io.fieldproof.model.tflite;

/** Fused activation functions (schema enum {@code ActivationFunctionType}). */
public enum Activation {
  /** No activation. */
  NONE,
  /** max(0, x). */
  RELU,
  /** clamp(x, -1, 1). */
  RELU_N1_TO_1,
  /** clamp(x, 0, 6). */
  RELU6,
  /** tanh(x). */
  TANH,
  /** sign bit. */
  SIGN_BIT;

  static Activation fromCode(int code) {
    if (code < 0 || code >= values().length) {
      throw new ModelRejectedException(RejectionReason.CORRUPT, "unknown fused activation " + code);
    }
    return values()[code];
  }
}
