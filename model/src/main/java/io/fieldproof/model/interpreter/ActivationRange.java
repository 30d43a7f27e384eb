package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Activation;

/**
 * The int8 output clamp a fused activation turns into (TFLite's {@code
 * CalculateActivationRangeQuantized}): RELU clamps below at the quantized 0.0, RELU6 also above at
 * the quantized 6.0, RELU_N1_TO_1 at the quantized -1.0 and 1.0; each bound is {@code zeroPoint +
 * round(real / scale)} with a float division and rounding half away from zero, then limited to
 * [-128, 127].
 *
 * @param min lowest output value
 * @param max highest output value
 */
record ActivationRange(int min, int max) {

  static final int INT8_MIN = -128;
  static final int INT8_MAX = 127;

  /** The full int8 range: no activation. */
  static final ActivationRange NONE = new ActivationRange(INT8_MIN, INT8_MAX);

  /**
   * The clamp for {@code activation} on an output with {@code scale} and {@code zeroPoint}.
   *
   * @throws IllegalArgumentException for TANH and SIGN_BIT, which are not clamps
   */
  static ActivationRange of(Activation activation, float scale, int zeroPoint) {
    return switch (activation) {
      case NONE -> NONE;
      case RELU ->
          new ActivationRange(Math.max(INT8_MIN, quantize(0f, scale, zeroPoint)), INT8_MAX);
      case RELU6 ->
          new ActivationRange(
              Math.max(INT8_MIN, quantize(0f, scale, zeroPoint)),
              Math.min(INT8_MAX, quantize(6f, scale, zeroPoint)));
      case RELU_N1_TO_1 ->
          new ActivationRange(
              Math.max(INT8_MIN, quantize(-1f, scale, zeroPoint)),
              Math.min(INT8_MAX, quantize(1f, scale, zeroPoint)));
      case TANH, SIGN_BIT ->
          throw new IllegalArgumentException(
              "fused "
                  + activation
                  + " is not supported (int8 kernels clamp only NONE, RELU, RELU6 and"
                  + " RELU_N1_TO_1); apply it as a separate layer");
    };
  }

  private static int quantize(float real, float scale, int zeroPoint) {
    float quotient = real / scale;
    double rounded = QuantizedMath.roundHalfAwayFromZero(quotient);
    if (!(rounded >= Integer.MIN_VALUE && rounded <= Integer.MAX_VALUE)) {
      throw new IllegalArgumentException(
          "activation bound " + real + " / scale " + scale + " overflows int32");
    }
    return zeroPoint + (int) rounded;
  }

  /** Clamps {@code value} to this range. */
  int clamp(int value) {
    return Math.min(Math.max(value, min), max);
  }
}
