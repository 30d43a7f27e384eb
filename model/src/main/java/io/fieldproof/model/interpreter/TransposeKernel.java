package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;

/**
 * TRANSPOSE int8 ({@code micro/kernels/transpose.cc}): output dimension {@code d} is input
 * dimension {@code perm[d]}, with {@code perm} a constant int32 permutation; up to 5 dimensions as
 * in TFLite Micro. Bytes move unchanged through an index map built at prepare.
 */
final class TransposeKernel implements Kernel {

  private static final int MAX_RANK = 5;

  private final Int8Operand in;
  private final Int8Operand out;
  private final int[] source;

  TransposeKernel(Operator op, TensorStorage storage) {
    this.in = storage.int8Input(op, 0);
    this.out = storage.int8Output(op, 0);
    int[] perm = storage.int32Constant(op, 1, "permutation");
    int rank = in.shape().rank();
    if (rank > MAX_RANK) {
      throw TensorStorage.invalid(
          op, "input " + in.shape() + " has more than " + MAX_RANK + " dimensions");
    }
    if (perm.length != rank) {
      throw TensorStorage.invalid(
          op, "permutation has " + perm.length + " entries for an input of rank " + rank);
    }
    boolean[] seen = new boolean[rank];
    int[] expected = new int[rank];
    for (int d = 0; d < rank; d++) {
      if (perm[d] < 0 || perm[d] >= rank || seen[perm[d]]) {
        throw TensorStorage.invalid(op, "permutation " + java.util.Arrays.toString(perm));
      }
      seen[perm[d]] = true;
      expected[d] = in.shape().dim(perm[d]);
    }
    KernelChecks.shape(op, out.shape(), expected);
    int[] inStrides = PadKernel.strides(in.shape().dims());
    this.source = new int[out.size()];
    int[] position = new int[rank];
    for (int i = 0; i < source.length; i++) {
      int at = 0;
      for (int d = 0; d < rank; d++) {
        at += position[d] * inStrides[perm[d]];
      }
      source[i] = at;
      for (int d = rank - 1; d >= 0; d--) {
        if (++position[d] < expected[d]) {
          break;
        }
        position[d] = 0;
      }
    }
  }

  @Override
  public void run() {
    byte[] x = in.data();
    byte[] o = out.data();
    for (int i = 0; i < source.length; i++) {
      o[out.offset() + i] = x[in.offset() + source[i]];
    }
  }
}
