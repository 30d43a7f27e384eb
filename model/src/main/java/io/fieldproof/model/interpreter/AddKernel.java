package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.OperatorOptions;

/**
 * ADD int8 ({@code reference_integer_ops::Add}, prepare in {@code add_common.cc}) with NumPy-style
 * broadcasting. Prepare: {@code twiceMax = 2 * max(scale1, scale2)}; input multipliers {@code
 * scale_i / twiceMax} and output multiplier {@code twiceMax / (2^20 * outputScale)}, each through
 * {@code QuantizeMultiplierSmallerThanOneExp}. Evaluation: each input minus its zero point, shifted
 * left by 20, scaled by its multiplier; the sum scaled by the output multiplier, plus the output
 * zero point, clamped to the activation range. Broadcast index maps are built at prepare.
 */
final class AddKernel implements Kernel {

  private static final int LEFT_SHIFT = 20;

  private final byte[] input1;
  private final int input1Offset;
  private final byte[] input2;
  private final int input2Offset;
  private final byte[] output;
  private final int outputOffset;
  private final int size;
  private final int[] index1;
  private final int[] index2;
  private final int input1ZeroOffset;
  private final int input2ZeroOffset;
  private final int outputZeroPoint;
  private final int multiplier1;
  private final int shift1;
  private final int multiplier2;
  private final int shift2;
  private final int outputMultiplier;
  private final int outputShift;
  private final ActivationRange range;

  AddKernel(Operator op, TensorStorage storage) {
    Int8Operand a = storage.int8Input(op, 0);
    Int8Operand b = storage.int8Input(op, 1);
    Int8Operand out = storage.int8Output(op, 0);
    this.index1 = BroadcastIndex.of(op, a.shape(), out.shape());
    this.index2 = BroadcastIndex.of(op, b.shape(), out.shape());
    double twiceMaxInputScale = 2 * (double) Math.max(a.scale(), b.scale());
    double real1 = (double) a.scale() / twiceMaxInputScale;
    double real2 = (double) b.scale() / twiceMaxInputScale;
    double realOutput = twiceMaxInputScale / ((1 << LEFT_SHIFT) * (double) out.scale());
    QuantizedMultiplier q1 = smallerThanOne(op, real1);
    QuantizedMultiplier q2 = smallerThanOne(op, real2);
    QuantizedMultiplier qOut = smallerThanOne(op, realOutput);
    this.multiplier1 = q1.multiplier();
    this.shift1 = q1.shift();
    this.multiplier2 = q2.multiplier();
    this.shift2 = q2.shift();
    this.outputMultiplier = qOut.multiplier();
    this.outputShift = qOut.shift();
    this.range =
        KernelChecks.activation(op, ((OperatorOptions.Add) op.options()).activation(), out);
    this.input1ZeroOffset = -a.zeroPoint();
    this.input2ZeroOffset = -b.zeroPoint();
    this.outputZeroPoint = out.zeroPoint();
    this.size = out.size();
    this.input1 = a.data();
    this.input1Offset = a.offset();
    this.input2 = b.data();
    this.input2Offset = b.offset();
    this.output = out.data();
    this.outputOffset = out.offset();
  }

  private static QuantizedMultiplier smallerThanOne(Operator op, double real) {
    try {
      return QuantizedMath.quantizeMultiplierSmallerThanOneExp(real);
    } catch (IllegalArgumentException outOfRange) {
      throw TensorStorage.badQuantization(op, outOfRange.getMessage());
    }
  }

  @Override
  public void run() {
    for (int i = 0; i < size; i++) {
      int x = input1[input1Offset + (index1 == null ? i : index1[i])];
      int y = input2[input2Offset + (index2 == null ? i : index2[i])];
      int shifted1 = (input1ZeroOffset + x) * (1 << LEFT_SHIFT);
      int shifted2 = (input2ZeroOffset + y) * (1 << LEFT_SHIFT);
      int scaled1 =
          QuantizedMath.multiplyByQuantizedMultiplierSmallerThanOneExp(
              shifted1, multiplier1, shift1);
      int scaled2 =
          QuantizedMath.multiplyByQuantizedMultiplierSmallerThanOneExp(
              shifted2, multiplier2, shift2);
      int rawOutput =
          QuantizedMath.multiplyByQuantizedMultiplierSmallerThanOneExp(
                  scaled1 + scaled2, outputMultiplier, outputShift)
              + outputZeroPoint;
      output[outputOffset + i] = (byte) range.clamp(rawOutput);
    }
  }
}
