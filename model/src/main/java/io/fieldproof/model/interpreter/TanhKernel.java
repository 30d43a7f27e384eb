package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;

/**
 * TANH int8 ({@code micro/kernels/tanh.cc}, {@code reference_integer_ops::Tanh}). Prepare, as for
 * LOGISTIC: {@code frexp(inputScale * 2^27)} gives the Q4.27 input multiplier and left shift,
 * {@code CalculateInputRadius(4, leftShift, 31)} the radius. Evaluation: {@code d = x -
 * inputZeroPoint}; {@code d <= -radius} gives -128, {@code d >= radius} 127; otherwise gemmlowp's
 * {@link FixedPointMath#tanh} of the rescaled Q4.27 value, a rounding shift right by 24, clamped.
 * The output's quantization is not used (TFLite's int8 tanh output is scale 1/128, zero point 0).
 */
final class TanhKernel implements Kernel {

  private static final int INPUT_INTEGER_BITS = 4;
  private static final int OUTPUT_SCALE_BITS = 7;

  private final Int8Operand in;
  private final Int8Operand out;
  private final int inputMultiplier;
  private final int inputLeftShift;
  private final int inputRangeRadius;

  TanhKernel(Operator op, TensorStorage storage) {
    this.in = storage.int8Input(op, 0);
    this.out = storage.int8Output(op, 0);
    KernelChecks.sameSize(op, in, out);
    double realMultiplier = (double) in.scale() * (double) (1 << (31 - INPUT_INTEGER_BITS));
    this.inputLeftShift = QuantizedMath.frexpExponent(realMultiplier);
    double fraction = Math.scalb(realMultiplier, -inputLeftShift);
    this.inputMultiplier = (int) (long) QuantizedMath.roundHalfAwayFromZero(fraction * (1L << 31));
    this.inputRangeRadius =
        QuantizedMath.calculateInputRadius(INPUT_INTEGER_BITS, inputLeftShift, 31);
  }

  @Override
  public void run() {
    byte[] x = in.data();
    byte[] o = out.data();
    int size = out.size();
    for (int i = 0; i < size; i++) {
      int d = x[in.offset() + i] - in.zeroPoint();
      int value;
      if (d <= -inputRangeRadius) {
        value = ActivationRange.INT8_MIN;
      } else if (d >= inputRangeRadius) {
        value = ActivationRange.INT8_MAX;
      } else {
        int inputQ4 =
            QuantizedMath.multiplyByQuantizedMultiplier(d, inputMultiplier, inputLeftShift);
        int outputQ0 = FixedPointMath.tanh(inputQ4, INPUT_INTEGER_BITS);
        value =
            QuantizedMath.clamp(
                QuantizedMath.roundingDivideByPot(outputQ0, 31 - OUTPUT_SCALE_BITS), -128, 127);
      }
      o[out.offset() + i] = (byte) value;
    }
  }
}
