package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.OperatorOptions;

/**
 * The shared walk of the int8 pooling kernels: for every output position and channel, the window of
 * taps that lies inside the image (TFLite Micro clips the window at the edges rather than padding),
 * reduced by the subclass and clamped to the fused activation. Input and output share scale and
 * zero point.
 */
abstract class Pool2DKernel implements Kernel {

  private final PoolWindow window;
  private final int inputOffset;
  private final byte[] output;
  private final int outputOffset;
  private final ActivationRange range;

  /** The input tensor's backing array; taps are read through {@link #tap}. */
  private final byte[] input;

  Pool2DKernel(Operator op, TensorStorage storage) {
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

  /**
   * Reduces the taps rows [yStart, yEnd) and columns [xStart, xEnd) of the window whose origin in
   * the input is (inY, inX), for batch b and channel c.
   */
  abstract int reduce(int b, int inY, int inX, int yStart, int yEnd, int xStart, int xEnd, int c);

  /** One input value: batch b, row y, column x, channel c. */
  final int tap(int b, int y, int x, int c) {
    return input[inputOffset + window.inputIndex(b, y, x, c)];
  }

  @Override
  public final void run() {
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
            int value = reduce(b, inYOrigin, inXOrigin, yStart, yEnd, xStart, xEnd, c);
            output[outputOffset + w.outputIndex(b, outY, outX, c)] = (byte) range.clamp(value);
          }
        }
      }
    }
  }
}
