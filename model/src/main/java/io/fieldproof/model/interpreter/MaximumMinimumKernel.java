package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.BuiltinOperator;
import io.fieldproof.model.tflite.Operator;

/**
 * MAXIMUM and MINIMUM int8 ({@code micro/kernels/maximum_minimum.cc}, {@code
 * MaximumMinimumBroadcastSlow}): the larger or smaller of the two raw int8 values, with NumPy-style
 * broadcasting. No requantization: TFLite Micro compares the stored bytes (the converter gives both
 * inputs and the output one quantization).
 */
final class MaximumMinimumKernel implements Kernel {

  private final Int8Operand a;
  private final Int8Operand b;
  private final Int8Operand out;
  private final int[] index1;
  private final int[] index2;
  private final boolean maximum;

  MaximumMinimumKernel(Operator op, TensorStorage storage) {
    this.a = storage.int8Input(op, 0);
    this.b = storage.int8Input(op, 1);
    this.out = storage.int8Output(op, 0);
    this.index1 = BroadcastIndex.of(op, a.shape(), out.shape());
    this.index2 = BroadcastIndex.of(op, b.shape(), out.shape());
    this.maximum = op.builtin() == BuiltinOperator.MAXIMUM;
  }

  @Override
  public void run() {
    byte[] x = a.data();
    byte[] y = b.data();
    byte[] o = out.data();
    int size = out.size();
    for (int i = 0; i < size; i++) {
      byte v1 = x[a.offset() + (index1 == null ? i : index1[i])];
      byte v2 = y[b.offset() + (index2 == null ? i : index2[i])];
      o[out.offset() + i] = maximum ? (v1 > v2 ? v1 : v2) : (v1 < v2 ? v1 : v2);
    }
  }
}
