package io.fieldproof.model.interpreter;

import static io.fieldproof.model.interpreter.FixedPointMath.expOnNegativeValues;
import static io.fieldproof.model.interpreter.FixedPointMath.logistic;
import static io.fieldproof.model.interpreter.FixedPointMath.oneOverOnePlusXForXIn01;
import static io.fieldproof.model.interpreter.FixedPointMath.rescale;
import static io.fieldproof.model.interpreter.FixedPointMath.roundingHalfSum;
import static io.fieldproof.model.interpreter.FixedPointMath.saturatingRoundingMultiplyByPot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * gemmlowp's fixed-point functions: exact identities and hand-worked values, and agreement with the
 * real functions to the precision gemmlowp documents (about 2^-24 relative here).
 */
class FixedPointMathTest {

  private static final double Q31 = 0x1p31;

  private static int q(double real, int integerBits) {
    return (int) Math.round(real * Math.scalb(1.0, 31 - integerBits));
  }

  @Test
  void multiplyByPowerOfTwoSaturatesLeftAndRoundsRight() {
    assertThat(saturatingRoundingMultiplyByPot(1 << 29, 1)).isEqualTo(1 << 30);
    assertThat(saturatingRoundingMultiplyByPot(1 << 30, 1)).isEqualTo(Integer.MAX_VALUE);
    assertThat(saturatingRoundingMultiplyByPot(-(1 << 30), 1)).isEqualTo(Integer.MIN_VALUE);
    assertThat(saturatingRoundingMultiplyByPot(5, -1)).isEqualTo(3);
    assertThat(saturatingRoundingMultiplyByPot(-5, 0)).isEqualTo(-5);
  }

  @Test
  void rescaleOfOneToQ12IsTwoToTheNineteen() {
    // (2^31 - 1) / 2^12 = 524287.9998 -> 524288
    assertThat(rescale(Integer.MAX_VALUE, 0, 12)).isEqualTo(524288);
  }

  @Test
  void roundingHalfSumRoundsAwayFromZeroWithoutOverflow() {
    assertThat(roundingHalfSum(Integer.MAX_VALUE, Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    assertThat(roundingHalfSum(1, 2)).isEqualTo(2);
    assertThat(roundingHalfSum(-1, -2)).isEqualTo(-2);
    assertThat(roundingHalfSum(0, 0)).isZero();
  }

  @Test
  void expOfZeroIsOne() {
    assertThat(expOnNegativeValues(0, 5)).isEqualTo(Integer.MAX_VALUE);
    assertThat(expOnNegativeValues(0, 4)).isEqualTo(Integer.MAX_VALUE);
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.001, -0.1, -0.25, -0.5, -1, -2.5, -7, -12.75, -20, -31.9})
  void expMatchesMathExpOnQ5(double x) {
    double actual = expOnNegativeValues(q(x, 5), 5) / Q31;
    assertThat(actual).isCloseTo(Math.exp(x), within(5e-7));
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.3, -1, -3.3, -15.5})
  void expMatchesMathExpOnQ4(double x) {
    assertThat(expOnNegativeValues(q(x, 4), 4) / Q31).isCloseTo(Math.exp(x), within(5e-7));
  }

  @Test
  void logisticOfZeroIsExactlyOneHalf() {
    assertThat(logistic(0, 4)).isEqualTo(1 << 30);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.01, 0.5, 1, 2.75, 6, 10, 15.9})
  void logisticIsSymmetricAndMatchesTheSigmoid(double x) {
    int positive = logistic(q(x, 4), 4);
    int negative = logistic(q(-x, 4), 4);
    assertThat(positive + negative).isEqualTo(Integer.MAX_VALUE);
    assertThat(positive / Q31).isCloseTo(1 / (1 + Math.exp(-x)), within(5e-7));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.01, 0.5, 1, 2.75, 6, 10, 15.9})
  void tanhIsOddAndMatchesMathTanh(double x) {
    int positive = FixedPointMath.tanh(q(x, 4), 4);
    assertThat(FixedPointMath.tanh(q(-x, 4), 4)).isEqualTo(-positive);
    assertThat(positive / Q31).isCloseTo(Math.tanh(x), within(2e-6));
  }

  @Test
  void tanhOfZeroIsZero() {
    assertThat(FixedPointMath.tanh(0, 4)).isZero();
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, 0.125, 0.5, 0.75, 0.999})
  void oneOverOnePlusXConverges(double x) {
    assertThat(oneOverOnePlusXForXIn01(q(x, 0)) / Q31).isCloseTo(1 / (1 + x), within(2e-8));
  }

  @Test
  void reciprocalSplitsOffThePowerOfTwo() {
    // 3.0 in Q12.19 is 1.5 * 2^1: one bit over unit, and 1 / 1.5 in Q0.31
    int threeInQ12 = 3 << 19;
    int bits = FixedPointMath.reciprocalBitsOverUnit(threeInQ12, 12);
    double reciprocal = FixedPointMath.reciprocal(threeInQ12) / Q31 * Math.scalb(1.0, -bits);
    assertThat(bits).isEqualTo(1);
    assertThat(reciprocal).isCloseTo(1 / 3.0, within(1e-8));
  }
}
