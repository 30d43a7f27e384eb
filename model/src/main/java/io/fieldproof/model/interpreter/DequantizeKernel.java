package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;

/**
 * DEQUANTIZE int8 to float32 ({@code reference_ops::Dequantize}): {@code (float) ((double) scale *
 * (x - zeroPoint))}.
 */
final class DequantizeKernel implements Kernel {

  private final byte[] input;
  private final int inputOffset;
  private final float[] output;
  private final int size;
  private final double scale;
  private final int zeroPoint;

  DequantizeKernel(Operator op, TensorStorage storage) {
    Int8Operand in = storage.int8Input(op, 0);
    this.output = storage.float32Output(op, 0);
    if (output.length != in.size()) {
      throw TensorStorage.invalid(op, "input and output differ in size");
    }
    this.input = in.data();
    this.inputOffset = in.offset();
    this.size = in.size();
    this.scale = in.scale();
    this.zeroPoint = in.zeroPoint();
  }

  /** One value dequantized as TFLite's Dequantize does. */
  static float dequantize(byte value, double scale, int zeroPoint) {
    return (float) (scale * (value - zeroPoint));
  }

  @Override
  public void run() {
    for (int i = 0; i < size; i++) {
      output[i] = dequantize(input[inputOffset + i], scale, zeroPoint);
    }
  }
}
