package io.fieldproof.model.interpreter;

import static io.fieldproof.model.interpreter.QuantizedMath.calculateInputRadius;
import static io.fieldproof.model.interpreter.QuantizedMath.frexpExponent;
import static io.fieldproof.model.interpreter.QuantizedMath.multiplyByQuantizedMultiplier;
import static io.fieldproof.model.interpreter.QuantizedMath.multiplyByQuantizedMultiplierGreaterThanOne;
import static io.fieldproof.model.interpreter.QuantizedMath.multiplyByQuantizedMultiplierSmallerThanOneExp;
import static io.fieldproof.model.interpreter.QuantizedMath.quantizeMultiplier;
import static io.fieldproof.model.interpreter.QuantizedMath.roundHalfAwayFromZero;
import static io.fieldproof.model.interpreter.QuantizedMath.roundingDivideByPot;
import static io.fieldproof.model.interpreter.QuantizedMath.saturatingRoundingDoublingHighMul;
import static io.fieldproof.model.interpreter.QuantizedMath.truncateToInt32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The TFLite/gemmlowp primitives against values worked out by hand from their definitions. */
class QuantizedMathTest {

  private static final int HALF = 1 << 30;

  @Test
  void doublingHighMulRoundsThePositiveHalfAwayFromZero() {
    assertThat(saturatingRoundingDoublingHighMul(HALF, HALF)).isEqualTo(1 << 29);
    assertThat(saturatingRoundingDoublingHighMul(3, HALF)).isEqualTo(2);
    assertThat(saturatingRoundingDoublingHighMul(12, HALF)).isEqualTo(6);
    assertThat(saturatingRoundingDoublingHighMul(Integer.MAX_VALUE, Integer.MAX_VALUE))
        .isEqualTo(Integer.MAX_VALUE - 1);
  }

  @Test
  void doublingHighMulTruncatesNegativesTowardZeroAfterTheNudge() {
    // (-3 * 2^30 + 1 - 2^30) / 2^31 = -1.99999999953..., C++ division truncates to -1
    assertThat(saturatingRoundingDoublingHighMul(-3, HALF)).isEqualTo(-1);
    // (-5 * 2^30 + 1 - 2^30) / 2^31 = -2.99999999953... -> -2
    assertThat(saturatingRoundingDoublingHighMul(-5, HALF)).isEqualTo(-2);
    assertThat(saturatingRoundingDoublingHighMul(-12, HALF)).isEqualTo(-6);
  }

  @Test
  void doublingHighMulSaturatesMinTimesMin() {
    assertThat(saturatingRoundingDoublingHighMul(Integer.MIN_VALUE, Integer.MIN_VALUE))
        .isEqualTo(Integer.MAX_VALUE);
    assertThat(saturatingRoundingDoublingHighMul(Integer.MIN_VALUE, Integer.MAX_VALUE))
        .isEqualTo(Integer.MIN_VALUE + 1);
  }

  @Test
  void roundingDivideByPotRoundsHalvesAwayFromZero() {
    assertThat(roundingDivideByPot(5, 1)).isEqualTo(3);
    assertThat(roundingDivideByPot(-5, 1)).isEqualTo(-3);
    assertThat(roundingDivideByPot(3, 1)).isEqualTo(2);
    assertThat(roundingDivideByPot(-3, 1)).isEqualTo(-2);
    assertThat(roundingDivideByPot(6, 2)).isEqualTo(2);
    assertThat(roundingDivideByPot(-6, 2)).isEqualTo(-2);
    assertThat(roundingDivideByPot(5, 2)).isEqualTo(1);
    assertThat(roundingDivideByPot(-5, 2)).isEqualTo(-1);
    assertThat(roundingDivideByPot(7, 0)).isEqualTo(7);
    assertThat(roundingDivideByPot(Integer.MAX_VALUE, 31)).isEqualTo(1);
    assertThat(roundingDivideByPot(Integer.MIN_VALUE, 31)).isEqualTo(-1);
  }

  @Test
  void multiplyByQuantizedMultiplierShiftsLeftBeforeAndRightAfter() {
    assertThat(multiplyByQuantizedMultiplier(12, HALF, 0)).isEqualTo(6);
    assertThat(multiplyByQuantizedMultiplier(3, HALF, 1)).isEqualTo(3);
    // 100 * 0.5 = 50, then 50 / 4 = 12.5 -> 13
    assertThat(multiplyByQuantizedMultiplier(100, HALF, -2)).isEqualTo(13);
    assertThat(multiplyByQuantizedMultiplier(-100, HALF, -2)).isEqualTo(-13);
    assertThat(multiplyByQuantizedMultiplierSmallerThanOneExp(100, HALF, -2)).isEqualTo(13);
    assertThat(multiplyByQuantizedMultiplierGreaterThanOne(3, HALF, 2)).isEqualTo(6);
  }

  @Test
  void quantizeMultiplierSplitsIntoSignificandAndExponent() {
    assertThat(quantizeMultiplier(0.5)).isEqualTo(new QuantizedMultiplier(HALF, 0));
    assertThat(quantizeMultiplier(1.0)).isEqualTo(new QuantizedMultiplier(HALF, 1));
    assertThat(quantizeMultiplier(0.75)).isEqualTo(new QuantizedMultiplier(1610612736, 0));
    assertThat(quantizeMultiplier(3.0)).isEqualTo(new QuantizedMultiplier(1610612736, 2));
    // 0.1 = 0.8 * 2^-3; 0.8 * 2^31 = 1717986918.4
    assertThat(quantizeMultiplier(0.1)).isEqualTo(new QuantizedMultiplier(1717986918, -3));
    assertThat(quantizeMultiplier(0.0)).isEqualTo(new QuantizedMultiplier(0, 0));
  }

  @Test
  void quantizeMultiplierCarriesARoundUpToTwoToTheThirtyOneIntoTheExponent() {
    assertThat(quantizeMultiplier(1 - 0x1p-40)).isEqualTo(new QuantizedMultiplier(HALF, 1));
  }

  @Test
  void quantizeMultiplierFlushesExponentsBelowMinus31ToZero() {
    assertThat(quantizeMultiplier(0x1p-40)).isEqualTo(new QuantizedMultiplier(0, 0));
    assertThat(quantizeMultiplier(0x1p-32)).isEqualTo(new QuantizedMultiplier(HALF, -31));
  }

  @Test
  void rangeCheckedVariantsRefuseWhatTfliteWouldAbortOn() {
    assertThatThrownBy(() -> QuantizedMath.quantizeMultiplierSmallerThanOneExp(1.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> QuantizedMath.quantizeMultiplierGreaterThanOne(0.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(QuantizedMath.quantizeMultiplierGreaterThanOne(3.0).shift()).isEqualTo(2);
  }

  @Test
  void inputRadiusIsTheFlooredRescaledMaximum() {
    // (2^4 - 1) * 2^27 / 2^20 = 1920
    assertThat(calculateInputRadius(4, 20, 31)).isEqualTo(1920);
    // (2^5 - 1) * 2^26 / 2^26 = 31
    assertThat(calculateInputRadius(5, 26, 31)).isEqualTo(31);
    // 31 * 2^26 / 2^30 = 1.9375
    assertThat(calculateInputRadius(5, 30, 31)).isEqualTo(1);
  }

  @Test
  void roundingIsCsRound() {
    assertThat(roundHalfAwayFromZero(2.5)).isEqualTo(3.0);
    assertThat(roundHalfAwayFromZero(-2.5)).isEqualTo(-3.0);
    assertThat(roundHalfAwayFromZero(-0.5)).isEqualTo(-1.0);
    assertThat(roundHalfAwayFromZero(0.49999999999999994)).isEqualTo(0.0);
    assertThat(roundHalfAwayFromZero(-1.4)).isEqualTo(-1.0);
    assertThat(roundHalfAwayFromZero(1e300)).isEqualTo(1e300);
  }

  @Test
  void int32ConversionFollowsX86OutOfRange() {
    assertThat(truncateToInt32(-2.9)).isEqualTo(-2);
    assertThat(truncateToInt32(2147483520.0)).isEqualTo(2147483520);
    assertThat(truncateToInt32(3e9)).isEqualTo(Integer.MIN_VALUE);
    assertThat(truncateToInt32(-3e9)).isEqualTo(Integer.MIN_VALUE);
    assertThat(truncateToInt32(Double.NaN)).isEqualTo(Integer.MIN_VALUE);
  }

  @Test
  void frexpExponentMatchesC() {
    assertThat(frexpExponent(1.0)).isEqualTo(1);
    assertThat(frexpExponent(0.5)).isEqualTo(0);
    assertThat(frexpExponent(0.1)).isEqualTo(-3);
    assertThat(frexpExponent(-6.0)).isEqualTo(3);
    assertThat(frexpExponent(Double.MIN_VALUE)).isEqualTo(-1073);
  }
}
