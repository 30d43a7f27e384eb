package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;

/**
 * RELU int8 ({@code micro/kernels/activations_common.cc}, {@code ReluQuantized}). Prepare: {@code
 * QuantizeMultiplier(inputScale / outputScale)} (a float division), the lower clamp {@code
 * max(-128, outputZeroPoint + roundf(0 / outputScale))}, upper 127. Evaluation: {@code x -
 * inputZeroPoint} rescaled, plus the output zero point, clamped.
 */
final class ReluKernel implements Kernel {

  private final Int8Operand in;
  private final Int8Operand out;
  private final int multiplier;
  private final int shift;
  private final int min;

  ReluKernel(Operator op, TensorStorage storage) {
    this.in = storage.int8Input(op, 0);
    this.out = storage.int8Output(op, 0);
    KernelChecks.sameSize(op, in, out);
    QuantizedMultiplier q = QuantizedMath.quantizeMultiplier((double) (in.scale() / out.scale()));
    this.multiplier = q.multiplier();
    this.shift = q.shift();
    this.min = Math.max(ActivationRange.INT8_MIN, out.zeroPoint());
  }

  @Override
  public void run() {
    byte[] x = in.data();
    byte[] o = out.data();
    int size = out.size();
    for (int i = 0; i < size; i++) {
      int v =
          out.zeroPoint()
              + QuantizedMath.multiplyByQuantizedMultiplier(
                  x[in.offset() + i] - in.zeroPoint(), multiplier, shift);
      o[out.offset() + i] = (byte) Math.min(ActivationRange.INT8_MAX, Math.max(min, v));
    }
  }
}
