package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;

/**
 * PAD int8 ({@code micro/kernels/pad_common.cc}, {@code reference_ops::Pad}): the input's bytes
 * placed inside an output filled with the output's zero point (the quantized 0.0), with the
 * constant int32 paddings {@code [rank, 2]} (before, after) per dimension; up to 5 dimensions as in
 * TFLite Micro. An index map from input element to output element is built at prepare.
 */
final class PadKernel implements Kernel {

  private static final int MAX_RANK = 5;

  private final Int8Operand in;
  private final Int8Operand out;
  private final int[] target;
  private final byte fill;

  PadKernel(Operator op, TensorStorage storage) {
    this.in = storage.int8Input(op, 0);
    this.out = storage.int8Output(op, 0);
    int[] paddings = storage.int32Constant(op, 1, "paddings");
    int rank = in.shape().rank();
    if (rank > MAX_RANK) {
      throw TensorStorage.invalid(
          op, "input " + in.shape() + " has more than " + MAX_RANK + " dimensions");
    }
    if (paddings.length != 2 * rank) {
      throw TensorStorage.invalid(
          op, "paddings hold " + paddings.length + " values for an input of rank " + rank);
    }
    int[] expected = new int[rank];
    for (int d = 0; d < rank; d++) {
      if (paddings[2 * d] < 0 || paddings[2 * d + 1] < 0) {
        throw TensorStorage.invalid(op, "negative padding in dimension " + d);
      }
      expected[d] = in.shape().dim(d) + paddings[2 * d] + paddings[2 * d + 1];
    }
    KernelChecks.shape(op, out.shape(), expected);
    int[] outStrides = strides(expected);
    this.target = new int[in.size()];
    int[] position = new int[rank];
    for (int i = 0; i < target.length; i++) {
      int at = 0;
      for (int d = 0; d < rank; d++) {
        at += (position[d] + paddings[2 * d]) * outStrides[d];
      }
      target[i] = at;
      for (int d = rank - 1; d >= 0; d--) {
        if (++position[d] < in.shape().dim(d)) {
          break;
        }
        position[d] = 0;
      }
    }
    this.fill = (byte) out.zeroPoint();
  }

  static int[] strides(int[] dims) {
    int[] strides = new int[dims.length];
    int stride = 1;
    for (int d = dims.length - 1; d >= 0; d--) {
      strides[d] = stride;
      stride *= dims[d];
    }
    return strides;
  }

  @Override
  public void run() {
    byte[] o = out.data();
    java.util.Arrays.fill(o, out.offset(), out.offset() + out.size(), fill);
    byte[] x = in.data();
    for (int i = 0; i < target.length; i++) {
      o[out.offset() + target[i]] = x[in.offset() + i];
    }
  }
}
