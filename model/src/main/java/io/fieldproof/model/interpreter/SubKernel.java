package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.OperatorOptions;

/**
 * SUB int8 ({@code micro/kernels/sub_common.cc}, {@code reference_ops::Sub} and {@code
 * BroadcastQuantSubSlow}) with NumPy-style broadcasting. ADD's arithmetic with the second input
 * subtracted, but the prepare step computes in float as TFLite Micro's does: {@code twiceMax = 2 *
 * max(scale1, scale2)}, {@code scale_i / twiceMax} and {@code twiceMax / (2^20 * outputScale)} are
 * float divisions widened to double before {@code QuantizeMultiplierSmallerThanOneExp}.
 */
final class SubKernel implements Kernel {

  private static final int LEFT_SHIFT = 20;

  private final Int8Operand a;
  private final Int8Operand b;
  private final Int8Operand out;
  private final int[] index1;
  private final int[] index2;
  private final int multiplier1;
  private final int shift1;
  private final int multiplier2;
  private final int shift2;
  private final int outputMultiplier;
  private final int outputShift;
  private final ActivationRange range;

  SubKernel(Operator op, TensorStorage storage) {
    this.a = storage.int8Input(op, 0);
    this.b = storage.int8Input(op, 1);
    this.out = storage.int8Output(op, 0);
    this.index1 = BroadcastIndex.of(op, a.shape(), out.shape());
    this.index2 = BroadcastIndex.of(op, b.shape(), out.shape());
    float twiceMax = 2 * Math.max(a.scale(), b.scale());
    QuantizedMultiplier q1 = smallerThanOne(op, (double) (a.scale() / twiceMax));
    QuantizedMultiplier q2 = smallerThanOne(op, (double) (b.scale() / twiceMax));
    QuantizedMultiplier qOut =
        smallerThanOne(op, (double) (twiceMax / ((1 << LEFT_SHIFT) * out.scale())));
    this.multiplier1 = q1.multiplier();
    this.shift1 = q1.shift();
    this.multiplier2 = q2.multiplier();
    this.shift2 = q2.shift();
    this.outputMultiplier = qOut.multiplier();
    this.outputShift = qOut.shift();
    this.range =
        KernelChecks.activation(op, ((OperatorOptions.Sub) op.options()).activation(), out);
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
    byte[] x = a.data();
    byte[] y = b.data();
    byte[] o = out.data();
    int size = out.size();
    for (int i = 0; i < size; i++) {
      int v1 = x[a.offset() + (index1 == null ? i : index1[i])] - a.zeroPoint();
      int v2 = y[b.offset() + (index2 == null ? i : index2[i])] - b.zeroPoint();
      int scaled1 =
          QuantizedMath.multiplyByQuantizedMultiplierSmallerThanOneExp(
              v1 * (1 << LEFT_SHIFT), multiplier1, shift1);
      int scaled2 =
          QuantizedMath.multiplyByQuantizedMultiplierSmallerThanOneExp(
              v2 * (1 << LEFT_SHIFT), multiplier2, shift2);
      int raw =
          QuantizedMath.multiplyByQuantizedMultiplierSmallerThanOneExp(
                  scaled1 - scaled2, outputMultiplier, outputShift)
              + out.zeroPoint();
      o[out.offset() + i] = (byte) range.clamp(raw);
    }
  }
}
