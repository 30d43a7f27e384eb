package io.fieldproof.model.interpreter;

/**
 * The fixed-point primitives of TFLite's reference kernels ({@code quantization_util.cc}, {@code
 * common.h}/{@code common.cc}) and gemmlowp ({@code fixedpoint.h}) that every int8 kernel uses.
 *
 * <p>TFLite Micro is built without {@code TFLITE_SINGLE_ROUNDING}, so {@link
 * #multiplyByQuantizedMultiplier} is the double-rounding form: a saturating rounding doubling high
 * multiply followed by a rounding right shift. C++ integer overflow in these functions wraps on
 * every target TFLM runs on; Java's int arithmetic wraps the same way.
 */
public final class QuantizedMath {

  private QuantizedMath() {}

  /**
   * gemmlowp's {@code SaturatingRoundingDoublingHighMul}: {@code round(a * b / 2^31)}, rounding
   * half away from zero, saturating the one overflow ({@code MIN * MIN}) to {@code MAX}.
   */
  public static int saturatingRoundingDoublingHighMul(int a, int b) {
    if (a == Integer.MIN_VALUE && b == Integer.MIN_VALUE) {
      return Integer.MAX_VALUE;
    }
    long ab = (long) a * b;
    long nudge = ab >= 0 ? 1L << 30 : 1 - (1L << 30);
    return (int) ((ab + nudge) / (1L << 31));
  }

  /**
   * gemmlowp's {@code RoundingDivideByPOT}: {@code x / 2^exponent} rounded to nearest, ties away
   * from zero.
   *
   * @param exponent in [0, 31]
   */
  public static int roundingDivideByPot(int x, int exponent) {
    int mask = (int) ((1L << exponent) - 1);
    int remainder = x & mask;
    int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
  }

  /**
   * TFLite's {@code MultiplyByQuantizedMultiplier} (double rounding): {@code x * multiplier *
   * 2^shift}.
   */
  public static int multiplyByQuantizedMultiplier(int x, int multiplier, int shift) {
    int leftShift = shift > 0 ? shift : 0;
    int rightShift = shift > 0 ? 0 : -shift;
    return roundingDivideByPot(
        saturatingRoundingDoublingHighMul(x * (1 << leftShift), multiplier), rightShift);
  }

  /** {@code MultiplyByQuantizedMultiplierSmallerThanOneExp}: for a shift of at most 0. */
  public static int multiplyByQuantizedMultiplierSmallerThanOneExp(
      int x, int multiplier, int leftShift) {
    return roundingDivideByPot(saturatingRoundingDoublingHighMul(x, multiplier), -leftShift);
  }

  /** {@code MultiplyByQuantizedMultiplierGreaterThanOne}: for a shift of at least 0. */
  public static int multiplyByQuantizedMultiplierGreaterThanOne(
      int x, int multiplier, int leftShift) {
    return saturatingRoundingDoublingHighMul(x * (1 << leftShift), multiplier);
  }

  /**
   * TFLite's {@code QuantizeMultiplier}: splits {@code real} into a Q0.31 significand and a
   * power-of-two exponent ({@code frexp}, then {@code round(q * 2^31)} half away from zero; a
   * significand rounding up to 2^31 is halved and the exponent raised; exponents below -31 flush to
   * zero).
   */
  public static QuantizedMultiplier quantizeMultiplier(double real) {
    if (real == 0.0) {
      return new QuantizedMultiplier(0, 0);
    }
    int shift = frexpExponent(real);
    double fraction = Math.scalb(real, -shift);
    long fixed = (long) roundHalfAwayFromZero(fraction * (1L << 31));
    if (fixed == 1L << 31) {
      fixed /= 2;
      shift++;
    }
    if (shift < -31) {
      shift = 0;
      fixed = 0;
    }
    return new QuantizedMultiplier((int) fixed, shift);
  }

  /**
   * {@code QuantizeMultiplierSmallerThanOneExp}: as {@link #quantizeMultiplier} for a real in (0,
   * 1).
   *
   * @throws IllegalArgumentException outside (0, 1), where TFLite's check aborts
   */
  public static QuantizedMultiplier quantizeMultiplierSmallerThanOneExp(double real) {
    if (!(real > 0 && real < 1)) {
      throw new IllegalArgumentException("multiplier " + real + " is not in (0, 1)");
    }
    return quantizeMultiplier(real);
  }

  /**
   * {@code QuantizeMultiplierGreaterThanOne}: as {@link #quantizeMultiplier} for a real above 1.
   *
   * @throws IllegalArgumentException for a real of at most 1, where TFLite's check aborts
   */
  public static QuantizedMultiplier quantizeMultiplierGreaterThanOne(double real) {
    if (!(real > 1)) {
      throw new IllegalArgumentException("multiplier " + real + " is not above 1");
    }
    return quantizeMultiplier(real);
  }

  /**
   * The exponent {@code e} of C's {@code frexp}: {@code value = f * 2^e} with {@code |f|} in [0.5,
   * 1). Only for finite non-zero values.
   */
  public static int frexpExponent(double value) {
    int exponent = Math.getExponent(value);
    if (exponent == Double.MIN_EXPONENT - 1) {
      return Math.getExponent(value * 0x1p54) - 54 + 1;
    }
    return exponent + 1;
  }

  /**
   * TFLite's {@code CalculateInputRadius}: the largest input difference that stays representable
   * after scaling into a fixed-point format with {@code inputIntegerBits} integer bits, floored.
   */
  public static int calculateInputRadius(
      int inputIntegerBits, int inputLeftShift, int totalSignedBits) {
    double maxInputRescaled =
        1.0
            * ((1 << inputIntegerBits) - 1)
            * (double) (1L << (totalSignedBits - inputIntegerBits))
            / Math.scalb(1.0, inputLeftShift);
    return (int) Math.floor(maxInputRescaled);
  }

  /** C's {@code round}: to the nearest integer, halves away from zero. */
  public static double roundHalfAwayFromZero(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return x;
    }
    double magnitude = Math.abs(x);
    double floor = Math.floor(magnitude);
    double rounded = magnitude - floor >= 0.5 ? floor + 1 : floor;
    return Math.copySign(rounded, x);
  }

  /**
   * A C {@code static_cast<int32_t>} of a float as x86 executes it ({@code cvttss2si}): truncation
   * toward zero, and {@code INT32_MIN} for NaN and for values outside the int32 range, where C++
   * leaves the result undefined and the TFLM build used as oracle runs on x86.
   */
  public static int truncateToInt32(double value) {
    if (Double.isNaN(value) || value >= 0x1p31 || value < -0x1p31) {
      return Integer.MIN_VALUE;
    }
    return (int) value;
  }

  /** Clamps {@code value} to [{@code min}, {@code max}]. */
  public static int clamp(int value, int min, int max) {
    return Math.min(Math.max(value, min), max);
  }
}
