package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;

/**
 * RESHAPE, SQUEEZE and EXPAND_DIMS ({@code micro/kernels/reshape_common.cc}, {@code squeeze.cc},
 * {@code expand_dims.cc}): the output's static shape already holds the new dimensions, so
 * evaluation copies the bytes; no requantization.
 */
final class ReshapeKernel implements Kernel {

  private final byte[] input;
  private final int inputOffset;
  private final byte[] output;
  private final int outputOffset;
  private final int size;

  ReshapeKernel(Operator op, TensorStorage storage) {
    Int8Operand in = storage.int8Input(op, 0);
    Int8Operand out = storage.int8Output(op, 0);
    KernelChecks.sameSize(op, in, out);
    this.input = in.data();
    this.inputOffset = in.offset();
    this.output = out.data();
    this.outputOffset = out.offset();
    this.size = in.size();
  }

  @Override
  public void run() {
    if (input != output || inputOffset != outputOffset) {
      System.arraycopy(input, inputOffset, output, outputOffset, size);
    }
  }
}
