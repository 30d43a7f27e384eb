package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;

/**
 * MAX_POOL_2D, int8 ({@code reference_integer_ops::MaxPool}): the largest of the window's taps
 * inside the image (starting from -128), clamped. Input and output share scale and zero point.
 */
final class MaxPool2DKernel extends Pool2DKernel {

  MaxPool2DKernel(Operator op, TensorStorage storage) {
    super(op, storage);
  }

  @Override
  int reduce(int b, int inY, int inX, int yStart, int yEnd, int xStart, int xEnd, int c) {
    int max = ActivationRange.INT8_MIN;
    for (int fy = yStart; fy < yEnd; fy++) {
      for (int fx = xStart; fx < xEnd; fx++) {
        max = Math.max(max, tap(b, inY + fy, inX + fx, c));
      }
    }
    return max;
  }
}
