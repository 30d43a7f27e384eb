package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;

/**
 * AVERAGE_POOL_2D, int8 ({@code reference_integer_ops::AveragePool}): the sum over the window's
 * taps inside the image divided by their count, rounding half away from zero, clamped. Input and
 * output share scale and zero point (checked at prepare, as TFLM does).
 */
final class AveragePool2DKernel extends Pool2DKernel {

  AveragePool2DKernel(Operator op, TensorStorage storage) {
    super(op, storage);
  }

  @Override
  int reduce(int b, int inY, int inX, int yStart, int yEnd, int xStart, int xEnd, int c) {
    int acc = 0;
    int count = 0;
    for (int fy = yStart; fy < yEnd; fy++) {
      for (int fx = xStart; fx < xEnd; fx++) {
        acc += tap(b, inY + fy, inX + fx, c);
        count++;
      }
    }
    return acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
  }
}
