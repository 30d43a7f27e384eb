package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.OperatorOptions;

/**
 * MUL int8 ({@code micro/kernels/mul_common.cc}, {@code reference_integer_ops::Mul} and {@code
 * BroadcastMul6DSlow}) with NumPy-style broadcasting. Prepare: {@code QuantizeMultiplier(scale1 *
 * scale2 / outputScale)} in double. Evaluation: {@code (x - zp1) * (y - zp2)} scaled by that
 * multiplier, plus the output zero point, clamped to the fused activation's range.
 */
final class MulKernel implements Kernel {

  private final Int8Operand a;
  private final Int8Operand b;
  private final Int8Operand out;
  private final int[] index1;
  private final int[] index2;
  private final int multiplier;
  private final int shift;
  private final ActivationRange range;

  MulKernel(Operator op, TensorStorage storage) {
    this.a = storage.int8Input(op, 0);
    this.b = storage.int8Input(op, 1);
    this.out = storage.int8Output(op, 0);
    this.index1 = BroadcastIndex.of(op, a.shape(), out.shape());
    this.index2 = BroadcastIndex.of(op, b.shape(), out.shape());
    double real = (double) a.scale() * (double) b.scale() / (double) out.scale();
    QuantizedMultiplier q = QuantizedMath.quantizeMultiplier(real);
    this.multiplier = q.multiplier();
    this.shift = q.shift();
    this.range =
        KernelChecks.activation(op, ((OperatorOptions.Mul) op.options()).activation(), out);
  }

  @Override
  public void run() {
    byte[] x = a.data();
    byte[] y = b.data();
    byte[] o = out.data();
    int zp1 = a.zeroPoint();
    int zp2 = b.zeroPoint();
    int zpOut = out.zeroPoint();
    int size = out.size();
    for (int i = 0; i < size; i++) {
      int v1 = x[a.offset() + (index1 == null ? i : index1[i])] - zp1;
      int v2 = y[b.offset() + (index2 == null ? i : index2[i])] - zp2;
      int raw = zpOut + QuantizedMath.multiplyByQuantizedMultiplier(v1 * v2, multiplier, shift);
      o[out.offset() + i] = (byte) range.clamp(raw);
    }
  }
}
