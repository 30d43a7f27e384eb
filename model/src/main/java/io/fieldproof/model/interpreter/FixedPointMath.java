package io.fieldproof.model.interpreter;

import static io.fieldproof.model.interpreter.QuantizedMath.roundingDivideByPot;
import static io.fieldproof.model.interpreter.QuantizedMath.saturatingRoundingDoublingHighMul;

/**
 * The scalar int32 transcendental functions of gemmlowp's {@code fixedpoint.h} (the revision TFLite
 * Micro pins), on raw values: a value with {@code integerBits} integer bits is {@code raw / 2^(31 -
 * integerBits)}. Multiplication of two fixed-point values is {@link
 * QuantizedMath#saturatingRoundingDoublingHighMul} (integer bits add up); addition and negation
 * wrap. Used by SOFTMAX (exp and reciprocal), LOGISTIC and TANH.
 */
public final class FixedPointMath {

  /** Raw 1.0 (saturated) in Q0.31. */
  public static final int ONE_Q0 = Integer.MAX_VALUE;

  private static final int EXP_MINUS_ONE_EIGHTH_Q0 = 1895147668;
  private static final int ONE_THIRD_Q0 = 715827883;
  private static final int FORTY_EIGHT_SEVENTEENTHS_Q2 = 1515870810;
  private static final int MINUS_THIRTY_TWO_SEVENTEENTHS_Q2 = -1010580540;
  private static final int ONE_Q2 = 1 << 29;
  private static final int ONE_HALF_Q0 = 1 << 30;

  /** exp(-2^e) in Q0.31 for e = -2 .. 4, the barrel shifter of exp_on_negative_values. */
  private static final int[] EXP_OF_MINUS_POWER_OF_TWO = {
    1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242
  };

  private static final int FIRST_BARREL_EXPONENT = -2;

  private FixedPointMath() {}

  /**
   * {@code SaturatingRoundingMultiplyByPOT<exponent>}: a saturating left shift for a positive
   * exponent, a rounding right shift for a negative one.
   */
  public static int saturatingRoundingMultiplyByPot(int x, int exponent) {
    if (exponent == 0) {
      return x;
    }
    if (exponent < 0) {
      return roundingDivideByPot(x, -exponent);
    }
    int threshold = (1 << (31 - exponent)) - 1;
    if (x > threshold) {
      return Integer.MAX_VALUE;
    }
    if (x < -threshold) {
      return Integer.MIN_VALUE;
    }
    return x << exponent;
  }

  /** {@code Rescale<dstIntegerBits>}: changes the format of {@code raw} from src to dst bits. */
  public static int rescale(int raw, int srcIntegerBits, int dstIntegerBits) {
    return saturatingRoundingMultiplyByPot(raw, srcIntegerBits - dstIntegerBits);
  }

  /** {@code RoundingHalfSum}: {@code (a + b) / 2} rounded half away from zero, without overflow. */
  public static int roundingHalfSum(int a, int b) {
    long sum = (long) a + b;
    long sign = sum >= 0 ? 1 : -1;
    return (int) ((sum + sign) / 2);
  }

  /** exp(a) for a in [-1/4, 0), all in Q0.31: a Taylor expansion around -1/8. */
  static int expOnIntervalBetweenNegativeOneQuarterAnd0Excl(int a) {
    int x = a + (1 << 28);
    int x2 = saturatingRoundingDoublingHighMul(x, x);
    int x3 = saturatingRoundingDoublingHighMul(x2, x);
    int x4 = saturatingRoundingDoublingHighMul(x2, x2);
    int x4Over4 = saturatingRoundingMultiplyByPot(x4, -2);
    int x4Over24PlusX3Over6PlusX2Over2 =
        saturatingRoundingMultiplyByPot(
            saturatingRoundingDoublingHighMul(x4Over4 + x3, ONE_THIRD_Q0) + x2, -1);
    return EXP_MINUS_ONE_EIGHTH_Q0
        + saturatingRoundingDoublingHighMul(
            EXP_MINUS_ONE_EIGHTH_Q0, x + x4Over24PlusX3Over6PlusX2Over2);
  }

  /**
   * {@code exp_on_negative_values}: exp(a) in Q0.31 for a &lt;= 0 given with {@code integerBits}
   * integer bits.
   */
  public static int expOnNegativeValues(int a, int integerBits) {
    int fractionalBits = 31 - integerBits;
    int oneQuarter = 1 << (fractionalBits - 2);
    int mask = oneQuarter - 1;
    int aModQuarterMinusOneQuarter = (a & mask) - oneQuarter;
    int result =
        expOnIntervalBetweenNegativeOneQuarterAnd0Excl(
            rescale(aModQuarterMinusOneQuarter, integerBits, 0));
    int remainder = aModQuarterMinusOneQuarter - a;
    for (int i = 0; i < EXP_OF_MINUS_POWER_OF_TWO.length; i++) {
      int exponent = FIRST_BARREL_EXPONENT + i;
      if (integerBits > exponent) {
        int shiftAmount = fractionalBits + exponent;
        if ((remainder & (1 << shiftAmount)) != 0) {
          result = saturatingRoundingDoublingHighMul(result, EXP_OF_MINUS_POWER_OF_TWO[i]);
        }
      }
    }
    if (integerBits > 5) {
      int clamp = -(1 << (36 - integerBits));
      if (a < clamp) {
        result = 0;
      }
    }
    return a == 0 ? ONE_Q0 : result;
  }

  /**
   * {@code one_over_one_plus_x_for_x_in_0_1}: 1 / (1 + a) in Q0.31 for a in [0, 1) in Q0.31, by
   * three Newton-Raphson steps.
   */
  public static int oneOverOnePlusXForXIn01(int a) {
    int halfDenominator = roundingHalfSum(a, ONE_Q0);
    int x =
        FORTY_EIGHT_SEVENTEENTHS_Q2
            + saturatingRoundingDoublingHighMul(halfDenominator, MINUS_THIRTY_TWO_SEVENTEENTHS_Q2);
    for (int i = 0; i < 3; i++) {
      int halfDenominatorTimesX = saturatingRoundingDoublingHighMul(halfDenominator, x);
      int oneMinusHalfDenominatorTimesX = ONE_Q2 - halfDenominatorTimesX;
      x = x + rescale(saturatingRoundingDoublingHighMul(x, oneMinusHalfDenominatorTimesX), 4, 2);
    }
    return rescale(x, 1, 0);
  }

  /** {@code logistic}: 1 / (1 + exp(-a)) in Q0.31 for any a given with {@code integerBits}. */
  public static int logistic(int a, int integerBits) {
    int absInput = a > 0 ? a : -a;
    int resultIfPositive = oneOverOnePlusXForXIn01(expOnNegativeValues(-absInput, integerBits));
    if (a == 0) {
      return ONE_HALF_Q0;
    }
    return a > 0 ? resultIfPositive : ONE_Q0 - resultIfPositive;
  }

  /**
   * {@code one_minus_x_over_one_plus_x_for_x_in_0_1}: (1 - a) / (1 + a) in Q0.31 for a in [0, 1) in
   * Q0.31, by three Newton-Raphson steps on the half denominator.
   */
  public static int oneMinusXOverOnePlusXForXIn01(int a) {
    int halfDenominator = roundingHalfSum(a, ONE_Q0);
    int x =
        FORTY_EIGHT_SEVENTEENTHS_Q2
            + saturatingRoundingDoublingHighMul(halfDenominator, MINUS_THIRTY_TWO_SEVENTEENTHS_Q2);
    for (int i = 0; i < 3; i++) {
      int halfDenominatorTimesX = saturatingRoundingDoublingHighMul(halfDenominator, x);
      int oneMinusHalfDenominatorTimesX = ONE_Q2 - halfDenominatorTimesX;
      x = x + rescale(saturatingRoundingDoublingHighMul(x, oneMinusHalfDenominatorTimesX), 4, 2);
    }
    return rescale(x - ONE_Q2, 2, 0);
  }

  /**
   * {@code tanh}: tanh(a) in Q0.31 for any a given with {@code integerBits}: {@code
   * neg_tanh_on_negative_values(-|a|)}, i.e. (1 - exp(-2|a|)) / (1 + exp(-2|a|)) where the doubling
   * reinterprets the raw value with one more integer bit, and the sign of a put back.
   */
  public static int tanh(int a, int integerBits) {
    if (a == 0) {
      return 0;
    }
    int negative = a < 0 ? a : -a;
    int t = oneMinusXOverOnePlusXForXIn01(expOnNegativeValues(negative, integerBits + 1));
    return a < 0 ? -t : t;
  }

  /**
   * The Q0.31 part of TFLite's {@code GetReciprocal(x, integerDigits, &numBitsOverUnit)}: 1 / x
   * scaled by 2^numBitsOverUnit, where {@link #reciprocalBitsOverUnit} gives that exponent.
   */
  public static int reciprocal(int x) {
    int headroomPlusOne = Integer.numberOfLeadingZeros(x);
    int shiftedSumMinusOne = (x << headroomPlusOne) - Integer.MIN_VALUE;
    return oneOverOnePlusXForXIn01(shiftedSumMinusOne);
  }

  /** The {@code num_bits_over_unit} output of TFLite's {@code GetReciprocal}. */
  public static int reciprocalBitsOverUnit(int x, int integerDigits) {
    return integerDigits - Integer.numberOfLeadingZeros(x);
  }
}
