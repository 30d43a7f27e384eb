package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.OperatorOptions;

/**
 * MEAN int8 ({@code micro/kernels/reduce_common.cc}, {@code reference_ops::QuantizedMeanOrSum}).
 * Prepare: the constant int32 axes (negative ones counted from the end, duplicates dropped), {@code
 * QuantizeMultiplier(inputScale / outputScale)} in double, then the 1/n of the mean folded in as
 * TFLite does: {@code shift = min(floor(log2 n), 32, 31 + outputShift)}, multiplier {@code
 * (multiplier << shift) / n} (truncating), output shift less {@code shift}. Evaluation: the raw
 * int8 values of each output's elements summed in int32, minus {@code inputZeroPoint * n}, scaled,
 * plus the output zero point, clamped.
 */
final class MeanKernel implements Kernel {

  private final Int8Operand in;
  private final Int8Operand out;
  private final int[] target;
  private final int[] sums;
  private final int correction;
  private final int multiplier;
  private final int shift;

  MeanKernel(Operator op, TensorStorage storage) {
    this.in = storage.int8Input(op, 0);
    this.out = storage.int8Output(op, 0);
    int[] axes = storage.int32Constant(op, 1, "axes");
    int rank = in.shape().rank();
    boolean[] reduced = new boolean[rank];
    for (int a : axes) {
      int axis = a < 0 ? a + rank : a;
      if (axis < 0 || axis >= rank) {
        throw TensorStorage.invalid(op, "axis " + a + " is outside an input of rank " + rank);
      }
      reduced[axis] = true;
    }
    boolean keepDims = ((OperatorOptions.Reducer) op.options()).keepDims();
    int kept = 0;
    long n = 1;
    for (int d = 0; d < rank; d++) {
      if (reduced[d]) {
        n *= in.shape().dim(d);
      }
      if (!reduced[d] || keepDims) {
        kept++;
      }
    }
    int[] expected = new int[kept];
    int[] keptDims = new int[rank];
    for (int d = 0, s = 0; d < rank; d++) {
      keptDims[d] = reduced[d] ? 1 : in.shape().dim(d);
      if (!reduced[d] || keepDims) {
        expected[s++] = keptDims[d];
      }
    }
    if (out.size() != in.size() / Math.max(1, n) || n == 0) {
      throw TensorStorage.invalid(
          op,
          "output shape "
              + out.shape()
              + " differs from the computed "
              + java.util.Arrays.toString(expected));
    }
    int[] keptStrides = PadKernel.strides(keptDims);
    this.target = new int[in.size()];
    int[] position = new int[rank];
    for (int i = 0; i < target.length; i++) {
      int at = 0;
      for (int d = 0; d < rank; d++) {
        if (!reduced[d]) {
          at += position[d] * keptStrides[d];
        }
      }
      target[i] = at;
      for (int d = rank - 1; d >= 0; d--) {
        if (++position[d] < in.shape().dim(d)) {
          break;
        }
        position[d] = 0;
      }
    }
    this.sums = new int[out.size()];
    this.correction = (int) (in.zeroPoint() * n);
    QuantizedMultiplier q =
        QuantizedMath.quantizeMultiplier((double) in.scale() / (double) out.scale());
    int foldShift = 63 - Long.numberOfLeadingZeros(n);
    foldShift = Math.min(foldShift, 32);
    foldShift = Math.min(foldShift, 31 + q.shift());
    this.multiplier = (int) (((long) q.multiplier() << foldShift) / n);
    this.shift = q.shift() - foldShift;
  }

  @Override
  public void run() {
    java.util.Arrays.fill(sums, 0);
    byte[] x = in.data();
    for (int i = 0; i < target.length; i++) {
      sums[target[i]] += x[in.offset() + i];
    }
    byte[] o = out.data();
    for (int k = 0; k < sums.length; k++) {
      int v =
          QuantizedMath.multiplyByQuantizedMultiplier(sums[k] - correction, multiplier, shift)
              + out.zeroPoint();
      o[out.offset() + k] = (byte) QuantizedMath.clamp(v, -128, 127);
    }
  }
}
