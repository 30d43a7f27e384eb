package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.OperatorOptions;

/**
 * AVERAGE_POOL_2D, int8 ({@code reference_integer_ops::AveragePool}): the sum over the window's
 * taps inside the image divided by their count, rounding half away from zero, clamped. Input and
 * output share scale and zero point (checked at prepare, as TFLM does).
 */
final class AveragePool2DKernel implements Kernel {

  private final PoolWindow window;
  private final byte[] input;
  private final int inputOffset;
  private final byte[] output;
  private final int outputOffset;
  private final ActivationRange range;

  AveragePool2DKernel(Operator op, TensorStorage storage) {
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
            int acc = 0;
            int count = 0;
            for (int fy = yStart; fy < yEnd; fy++) {
              for (int fx = xStart; fx < xEnd; fx++) {
                acc += input[inputOffset + w.inputIndex(b, inYOrigin + fy, inXOrigin + fx, c)];
                count++;
              }
            }
            int average = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
            output[outputOffset + w.outputIndex(b, outY, outX, c)] = (byte) range.clamp(average);
          }
        }
      }
    }
  }
}
