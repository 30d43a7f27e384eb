package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.OperatorOptions;
import io.fieldproof.model.tflite.Shape;

/**
 * The geometry of a 2-D pool (TFLM's {@code pooling_common.cc}): NHWC shapes, strides, filter size
 * and padding from {@link WindowGeometry} with dilation 1; prepare also requires input and output
 * to share scale (within 1e-6) and zero point.
 */
record PoolWindow(
    int batches,
    int inputHeight,
    int inputWidth,
    int depth,
    int outputHeight,
    int outputWidth,
    int filterHeight,
    int filterWidth,
    int strideHeight,
    int strideWidth,
    int padHeight,
    int padWidth) {

  private static final double SCALE_TOLERANCE = 1.0e-6;

  static PoolWindow of(Operator op, TensorStorage storage) {
    OperatorOptions.Pool2D options = (OperatorOptions.Pool2D) op.options();
    Int8Operand in = storage.int8Input(op, 0);
    Int8Operand out = storage.int8Output(op, 0);
    Shape inShape = KernelChecks.rank(op, in, 4, "input");
    Shape outShape = KernelChecks.rank(op, out, 4, "output");
    KernelChecks.window(op, options.strideWidth(), options.strideHeight(), 1, 1);
    if (options.filterWidth() <= 0 || options.filterHeight() <= 0) {
      throw TensorStorage.invalid(
          op, "filter " + options.filterWidth() + "x" + options.filterHeight() + " is empty");
    }
    if (!(Math.abs((double) (in.scale() - out.scale())) <= SCALE_TOLERANCE)
        || in.zeroPoint() != out.zeroPoint()) {
      throw TensorStorage.badQuantization(op, "input and output must share scale and zero point");
    }
    WindowGeometry rows =
        WindowGeometry.of(
            options.padding(), inShape.dim(1), options.filterHeight(), options.strideHeight(), 1);
    WindowGeometry columns =
        WindowGeometry.of(
            options.padding(), inShape.dim(2), options.filterWidth(), options.strideWidth(), 1);
    KernelChecks.shape(
        op, outShape, inShape.dim(0), rows.outputSize(), columns.outputSize(), inShape.dim(3));
    return new PoolWindow(
        inShape.dim(0),
        inShape.dim(1),
        inShape.dim(2),
        inShape.dim(3),
        rows.outputSize(),
        columns.outputSize(),
        options.filterHeight(),
        options.filterWidth(),
        options.strideHeight(),
        options.strideWidth(),
        rows.padding(),
        columns.padding());
  }

  int inputIndex(int b, int y, int x, int c) {
    return ((b * inputHeight + y) * inputWidth + x) * depth + c;
  }

  int outputIndex(int b, int y, int x, int c) {
    return ((b * outputHeight + y) * outputWidth + x) * depth + c;
  }
}
