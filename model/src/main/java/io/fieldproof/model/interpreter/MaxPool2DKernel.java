package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.OperatorOptions;

/**
 * MAX_POOL_2D, int8 ({@code reference_integer_ops::MaxPool}): the largest of the window's taps
 * inside the image (starting from -128), clamped. Input and output share scale and zero point.
 */
final class MaxPool2DKernel implements Kernel {

  private final PoolWindow window;
  private final byte[] input;
  private final int inputOffset;
  private final byte[] output;
  private final int outputOffset;
  private final ActivationRange range;

  MaxPool2DKernel(Operator op, TensorStorage storage) {
    this.window = PoolWindow.of(op, storage);
    Int8Operand in = storage.int8Input(op, 0);
    Int8Operand out = storage.int8Output(op, 0);
    this.range =
        KernelChecks.activation(op, ((OperatorOptions.Pool2D) op.options()).activation(), out);
    this.input = in.data();
    this.inputOffset = in.offset();
    this.output = out.data();
    this.outputOffset = out.offset();
  }

  @Override
  public void run() {
    PoolWindow w = window;
    for (int b = 0; b < w.batches(); b++) {
      for (int outY = 0; outY < w.outputHeight(); outY++) {
        int inYOrigin = outY * w.strideHeight() - w.padHeight();
        int yStart = Math.max(0, -inYOrigin);
        int yEnd = Math.min(w.filterHeight(), w.inputHeight() - inYOrigin);
        for (int outX = 0; outX < w.outputWidth(); outX++) {
          int inXOrigin = outX * w.strideWidth() - w.padWidth();
          int xStart = Math.max(0, -inXOrigin);
          int xEnd = Math.min(w.filterWidth(), w.inputWidth() - inXOrigin);
          for (int c = 0; c < w.depth(); c++) {
            int max = ActivationRange.INT8_MIN;
            for (int fy = yStart; fy < yEnd; fy++) {
              for (int fx = xStart; fx < xEnd; fx++) {
                max =
                    Math.max(
                        max,
                        input[inputOffset + w.inputIndex(b, inYOrigin + fy, inXOrigin + fx, c)]);
              }
            }
            output[outputOffset + w.outputIndex(b, outY, outX, c)] = (byte) range.clamp(max);
          }
        }
      }
    }
  }
}
