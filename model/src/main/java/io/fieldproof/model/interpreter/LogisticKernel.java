package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;

/**
 * LOGISTIC int8 ({@code reference_integer_ops::Logistic}, prepare in {@code logistic_common.cc}).
 * Prepare: output zero point must be -128; {@code frexp(inputScale * 2^27)} gives the Q4.27 input
 * multiplier and left shift, and {@code CalculateInputRadius(4, leftShift, 31)} the radius.
 * Evaluation: {@code d = x - inputZeroPoint}; {@code d <= -radius} gives -128, {@code d >= radius}
 * gives 127; otherwise gemmlowp's {@link FixedPointMath#logistic} of the rescaled Q4.27 value, a
 * rounding shift right by 23 and -128, clamped.
 */
final class LogisticKernel implements Kernel {

  private static final int INPUT_INTEGER_BITS = 4;
  private static final int OUTPUT_INTEGER_BITS = 8;

  private final byte[] input;
  private final int inputOffset;
  private final byte[] output;
  private final int outputOffset;
  private final int size;
  private final int inputZeroPoint;
  private final int inputMultiplier;
  private final int inputLeftShift;
  private final int inputRangeRadius;

  LogisticKernel(Operator op, TensorStorage storage) {
    Int8Operand in = storage.int8Input(op, 0);
    Int8Operand out = storage.int8Output(op, 0);
    KernelChecks.sameSize(op, in, out);
    if (out.zeroPoint() != ActivationRange.INT8_MIN) {
      throw TensorStorage.badQuantization(
          op, "int8 output needs zero point -128, has " + out.zeroPoint());
    }
    double realMultiplier = (double) in.scale() * (double) (1 << (31 - INPUT_INTEGER_BITS));
    this.inputLeftShift = QuantizedMath.frexpExponent(realMultiplier);
    double fraction = Math.scalb(realMultiplier, -inputLeftShift);
    this.inputMultiplier = (int) (long) QuantizedMath.roundHalfAwayFromZero(fraction * (1L << 31));
    this.inputRangeRadius =
        QuantizedMath.calculateInputRadius(INPUT_INTEGER_BITS, inputLeftShift, 31);
    this.inputZeroPoint = in.zeroPoint();
    this.size = in.size();
    this.input = in.data();
    this.inputOffset = in.offset();
    this.output = out.data();
    this.outputOffset = out.offset();
  }

  @Override
  public void run() {
    for (int i = 0; i < size; i++) {
      int d = input[inputOffset + i] - inputZeroPoint;
      int value;
      if (d <= -inputRangeRadius) {
        value = ActivationRange.INT8_MIN;
      } else if (d >= inputRangeRadius) {
        value = ActivationRange.INT8_MAX;
      } else {
        int inputQ4 =
            QuantizedMath.multiplyByQuantizedMultiplier(d, inputMultiplier, inputLeftShift);
        int outputQ0 = FixedPointMath.logistic(inputQ4, INPUT_INTEGER_BITS);
        int outputQ23 = QuantizedMath.roundingDivideByPot(outputQ0, 31 - OUTPUT_INTEGER_BITS);
        value = QuantizedMath.clamp(outputQ23 + ActivationRange.INT8_MIN, -128, 127);
      }
      output[outputOffset + i] = (byte) value;
    }
  }
}
