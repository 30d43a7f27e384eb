package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.OperatorOptions;

/**
 * LEAKY_RELU int8 ({@code micro/kernels/leaky_relu_common.cc}, {@code QuantizeLeakyRelu}). Prepare:
 * two multipliers, {@code inputScale * alpha / outputScale} and {@code inputScale / outputScale},
 * each a float expression widened to double for {@code QuantizeMultiplier}. Evaluation: {@code d =
 * x - inputZeroPoint}; {@code d >= 0} takes the identity multiplier, below zero the alpha one
 * (applied to its magnitude and negated back for a negative alpha); plus the output zero point,
 * clamped to int8.
 */
final class LeakyReluKernel implements Kernel {

  private final Int8Operand in;
  private final Int8Operand out;
  private final int identityMultiplier;
  private final int identityShift;
  private final int alphaMultiplier;
  private final int alphaShift;
  private final boolean alphaNegative;

  LeakyReluKernel(Operator op, TensorStorage storage) {
    this.in = storage.int8Input(op, 0);
    this.out = storage.int8Output(op, 0);
    KernelChecks.sameSize(op, in, out);
    float alpha = ((OperatorOptions.LeakyRelu) op.options()).alpha();
    QuantizedMultiplier qAlpha =
        QuantizedMath.quantizeMultiplier((double) (in.scale() * alpha / out.scale()));
    QuantizedMultiplier qIdentity =
        QuantizedMath.quantizeMultiplier((double) (in.scale() / out.scale()));
    this.alphaNegative = qAlpha.multiplier() < 0;
    this.alphaMultiplier = alphaNegative ? -qAlpha.multiplier() : qAlpha.multiplier();
    this.alphaShift = qAlpha.shift();
    this.identityMultiplier = qIdentity.multiplier();
    this.identityShift = qIdentity.shift();
  }

  @Override
  public void run() {
    byte[] x = in.data();
    byte[] o = out.data();
    int size = out.size();
    for (int i = 0; i < size; i++) {
      int d = x[in.offset() + i] - in.zeroPoint();
      int v = out.zeroPoint();
      if (d >= 0) {
        v += QuantizedMath.multiplyByQuantizedMultiplier(d, identityMultiplier, identityShift);
      } else {
        int scaled = QuantizedMath.multiplyByQuantizedMultiplier(d, alphaMultiplier, alphaShift);
        v += alphaNegative ? -scaled : scaled;
      }
      o[out.offset() + i] = (byte) QuantizedMath.clamp(v, -128, 127);
    }
  }
}
