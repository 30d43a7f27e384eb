package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.OperatorOptions;

/**
 * SOFTMAX int8 to int8 over the last dimension, TFLite Micro's fixed-point path ({@code
 * reference_ops::Softmax}, prepare in {@code softmax_common.cc}). Prepare: the output must have
 * zero point -128 and scale exactly 1/256; {@code PreprocessSoftmaxScaling(beta, inputScale, 5)}
 * gives the Q5.26 input multiplier and left shift, {@code diffMin = -CalculateInputRadius(5,
 * leftShift)}. Per row: differences to the row maximum at or above {@code diffMin} are rescaled
 * into Q5.26, exponentiated ({@link FixedPointMath#expOnNegativeValues}) and summed in Q12.19; the
 * sum's reciprocal ({@link FixedPointMath#reciprocal}) scales each exponential, which is rounded
 * down to 8 bits and shifted by -128; differences below {@code diffMin} give -128.
 */
final class SoftmaxKernel implements Kernel {

  private static final int SCALED_DIFF_INTEGER_BITS = 5;
  private static final int ACCUMULATION_INTEGER_BITS = 12;
  private static final int OUTPUT_BITS = 8;
  private static final float OUTPUT_SCALE = 1f / 256;

  private final byte[] input;
  private final int inputOffset;
  private final byte[] output;
  private final int outputOffset;
  private final int rows;
  private final int depth;
  private final int inputMultiplier;
  private final int inputLeftShift;
  private final int diffMin;

  SoftmaxKernel(Operator op, TensorStorage storage) {
    float beta = ((OperatorOptions.Softmax) op.options()).beta();
    Int8Operand in = storage.int8Input(op, 0);
    Int8Operand out = storage.int8Output(op, 0);
    KernelChecks.sameSize(op, in, out);
    if (in.shape().rank() < 1) {
      throw TensorStorage.invalid(op, "input must have at least one dimension");
    }
    if (out.zeroPoint() != ActivationRange.INT8_MIN || out.scale() != OUTPUT_SCALE) {
      throw TensorStorage.badQuantization(
          op,
          "int8 output needs zero point -128 and scale 1/256, has "
              + out.zeroPoint()
              + " and "
              + out.scale());
    }
    double maxRealMultiplier = (1L << 31) - 1.0;
    double realMultiplier =
        Math.min(
            (double) beta * (double) in.scale() * (1 << (31 - SCALED_DIFF_INTEGER_BITS)),
            maxRealMultiplier);
    QuantizedMultiplier q;
    try {
      q = QuantizedMath.quantizeMultiplierGreaterThanOne(realMultiplier);
    } catch (IllegalArgumentException tooSmall) {
      throw TensorStorage.badQuantization(
          op, "beta " + beta + " times input scale " + in.scale() + " is too small");
    }
    this.inputMultiplier = q.multiplier();
    this.inputLeftShift = q.shift();
    this.diffMin =
        -QuantizedMath.calculateInputRadius(SCALED_DIFF_INTEGER_BITS, inputLeftShift, 31);
    this.depth = in.shape().dim(in.shape().rank() - 1);
    this.rows = depth == 0 ? 0 : in.size() / depth;
    this.input = in.data();
    this.inputOffset = in.offset();
    this.output = out.data();
    this.outputOffset = out.offset();
  }

  @Override
  public void run() {
    for (int row = 0; row < rows; row++) {
      int in = inputOffset + row * depth;
      int out = outputOffset + row * depth;
      int maxInRow = ActivationRange.INT8_MIN;
      for (int c = 0; c < depth; c++) {
        maxInRow = Math.max(maxInRow, input[in + c]);
      }
      int sumOfExps = 0;
      for (int c = 0; c < depth; c++) {
        int diff = input[in + c] - maxInRow;
        if (diff >= diffMin) {
          int exp = expOfScaledDiff(diff);
          sumOfExps += FixedPointMath.rescale(exp, 0, ACCUMULATION_INTEGER_BITS);
        }
      }
      int bitsOverUnit =
          FixedPointMath.reciprocalBitsOverUnit(sumOfExps, ACCUMULATION_INTEGER_BITS);
      int shiftedScale = FixedPointMath.reciprocal(sumOfExps);
      int exponent = bitsOverUnit + 31 - OUTPUT_BITS;
      for (int c = 0; c < depth; c++) {
        int diff = input[in + c] - maxInRow;
        int value = ActivationRange.INT8_MIN;
        if (diff >= diffMin) {
          int scaled =
              QuantizedMath.saturatingRoundingDoublingHighMul(shiftedScale, expOfScaledDiff(diff));
          int unsaturated = QuantizedMath.roundingDivideByPot(scaled, exponent);
          value = QuantizedMath.clamp(unsaturated + ActivationRange.INT8_MIN, -128, 127);
        }
        output[out + c] = (byte) value;
      }
    }
  }

  private int expOfScaledDiff(int diff) {
    int rescaled =
        QuantizedMath.multiplyByQuantizedMultiplierGreaterThanOne(
            diff, inputMultiplier, inputLeftShift);
    return FixedPointMath.expOnNegativeValues(rescaled, SCALED_DIFF_INTEGER_BITS);
  }
}
