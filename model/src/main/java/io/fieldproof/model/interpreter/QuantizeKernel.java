package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;

/**
 * QUANTIZE float32 to int8 ({@code reference_ops::AffineQuantize}): {@code q = (int32) round(value
 * / scale) + zeroPoint} with a float division and rounding half away from zero, clamped to int8.
 * The int32 conversion follows x86 for values out of range ({@link QuantizedMath#truncateToInt32}).
 */
final class QuantizeKernel implements Kernel {

  private final float[] input;
  private final byte[] output;
  private final int outputOffset;
  private final int size;
  private final float scale;
  private final int zeroPoint;

  QuantizeKernel(Operator op, TensorStorage storage) {
    this.input = storage.float32Input(op, 0);
    Int8Operand out = storage.int8Output(op, 0);
    if (input.length != out.size()) {
      throw TensorStorage.invalid(op, "input and output differ in size");
    }
    if (storage.tensor(out.tensor()).quantization().isPerChannel()) {
      throw TensorStorage.badQuantization(op, "per-channel output quantization is not supported");
    }
    this.output = out.data();
    this.outputOffset = out.offset();
    this.size = out.size();
    this.scale = out.scale();
    this.zeroPoint = out.zeroPoint();
  }

  /** One value quantized as TFLite's AffineQuantize does. */
  static byte quantize(float value, float scale, int zeroPoint) {
    float quotient = value / scale;
    int rounded = QuantizedMath.truncateToInt32(QuantizedMath.roundHalfAwayFromZero(quotient));
    return (byte) QuantizedMath.clamp(rounded + zeroPoint, -128, 127);
  }

  @Override
  public void run() {
    for (int i = 0; i < size; i++) {
      output[outputOffset + i] = quantize(input[i], scale, zeroPoint);
    }
  }
}
