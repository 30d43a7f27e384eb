package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;

/**
 * RELU6 int8 ({@code micro/kernels/activations_common.cc}, {@code Relu6Quantized}): clamps the raw
 * int8 values between the input's quantized 0 (its zero point) and quantized 6 ({@code round(6 /
 * inputScale) + inputZeroPoint}, limited to int8). No requantization: TFLite Micro uses the input's
 * quantization for the output.
 */
final class Relu6Kernel implements Kernel {

  private final Int8Operand in;
  private final Int8Operand out;
  private final int lower;
  private final int upper;

  Relu6Kernel(Operator op, TensorStorage storage) {
    this.in = storage.int8Input(op, 0);
    this.out = storage.int8Output(op, 0);
    KernelChecks.sameSize(op, in, out);
    this.lower = in.zeroPoint();
    float quotient = 6f / in.scale();
    double six = QuantizedMath.roundHalfAwayFromZero(quotient) + in.zeroPoint();
    this.upper = (int) Math.min(ActivationRange.INT8_MAX, Math.max(ActivationRange.INT8_MIN, six));
  }

  @Override
  public void run() {
    byte[] x = in.data();
    byte[] o = out.data();
    int size = out.size();
    for (int i = 0; i < size; i++) {
      int v = x[in.offset() + i];
      o[out.offset() + i] = (byte) (v > upper ? upper : v < lower ? lower : v);
    }
  }
}
