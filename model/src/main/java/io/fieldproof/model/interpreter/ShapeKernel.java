package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;

/**
 * SHAPE ({@code micro/kernels/shape.cc}): writes the input's dimensions into an int32 vector of
 * rank elements. The input's shape is static, so the values are known at prepare; they are written
 * on every invoke as the device does.
 */
final class ShapeKernel implements Kernel {

  private final int[] dims;
  private final int[] output;

  ShapeKernel(Operator op, TensorStorage storage) {
    Int8Operand in = storage.int8Input(op, 0);
    this.output = storage.int32Output(op, 0);
    this.dims = in.shape().dims();
    if (output.length != dims.length) {
      throw TensorStorage.invalid(
          op,
          "output has "
              + output.length
              + " elements for the "
              + dims.length
              + " dimensions of input shape "
              + in.shape());
    }
  }

  @Override
  public void run() {
    System.arraycopy(dims, 0, output, 0, dims.length);
  }
}
