package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;

/**
 * QUANTIZE int8 to int8 ({@code reference_ops::Requantize}, prepare in {@code quantize_common.cc}):
 * {@code (double) inputScale / (double) outputScale} through {@link
 * QuantizedMath#quantizeMultiplier}; {@code q = MultiplyByQuantizedMultiplier(x - inputZeroPoint) +
 * outputZeroPoint}, clamped.
 */
final class RequantizeKernel implements Kernel {

  private final byte[] input;
  private final int inputOffset;
  private final byte[] output;
  private final int outputOffset;
  private final int size;
  private final int inputZeroPoint;
  private final int outputZeroPoint;
  private final int multiplier;
  private final int shift;

  RequantizeKernel(Operator op, TensorStorage storage) {
    Int8Operand in = storage.int8Input(op, 0);
    Int8Operand out = storage.int8Output(op, 0);
    KernelChecks.sameSize(op, in, out);
    QuantizedMultiplier q =
        QuantizedMath.quantizeMultiplier((double) in.scale() / (double) out.scale());
    this.multiplier = q.multiplier();
    this.shift = q.shift();
    this.inputZeroPoint = in.zeroPoint();
    this.outputZeroPoint = out.zeroPoint();
    this.size = in.size();
    this.input = in.data();
    this.inputOffset = in.offset();
    this.output = out.data();
    this.outputOffset = out.offset();
  }

  @Override
  public void run() {
    for (int i = 0; i < size; i++) {
      int value =
          QuantizedMath.multiplyByQuantizedMultiplier(
                  input[inputOffset + i] - inputZeroPoint, multiplier, shift)
              + outputZeroPoint;
      output[outputOffset + i] = (byte) QuantizedMath.clamp(value, -128, 127);
    }
  }
}
