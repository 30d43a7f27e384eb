package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.OperatorOptions;

/**
 * STRIDED_SLICE ({@code micro/kernels/strided_slice.cc}, {@code reference_ops::StridedSlice} with
 * {@code strided_slice_logic.h}) on int8 or int32 data. Begin, end and strides are constant int32
 * vectors of one entry per input dimension, as TFLite Micro requires (it reads that many). The
 * indices are padded at the front to 5 dimensions (start 0, stop 1, stride 1, begin and end masks
 * set), then per axis: a negative begin or end counts from the end, is clamped to [0, size] ([-1,
 * size - 1] for a negative stride), a set begin (end) mask bit replaces it by the first (past the
 * last) element, {@code offset} makes the end relative to the begin, and a shrunk axis takes one
 * element at its begin (none when the begin is past the end). The elements are visited in row-major
 * order; the index of each, in that order, is computed at prepare.
 */
final class StridedSliceKernel implements Kernel {

  private static final int MAX_DIMS = 5;

  private final DataOperand input;
  private final DataOperand output;
  private final int[] sourceIndex;

  StridedSliceKernel(Operator op, TensorStorage storage) {
    this.input = DataOperand.input(op, storage, 0);
    this.output = DataOperand.output(op, storage, 0);
    input.requireSameType(op, output, "output 0");
    OperatorOptions.StridedSlice options = (OperatorOptions.StridedSlice) op.options();
    if (options.ellipsisMask() != 0 || options.newAxisMask() != 0) {
      throw TensorStorage.invalid(
          op,
          "ellipsis mask "
              + options.ellipsisMask()
              + " and new axis mask "
              + options.newAxisMask()
              + " are not supported; convert so that both are 0 (the TFLite converter folds"
              + " them into RESHAPE)");
    }
    int[] begin = storage.int32Constant(op, 1, "begin");
    int[] end = storage.int32Constant(op, 2, "end");
    int[] strides = storage.int32Constant(op, 3, "strides");
    int[] inDims = input.shape().dims();
    int count = begin.length;
    if (end.length != count || strides.length != count || count != inDims.length) {
      throw TensorStorage.invalid(
          op,
          "begin, end and strides have "
              + begin.length
              + ", "
              + end.length
              + " and "
              + strides.length
              + " entries for an input of shape "
              + input.shape()
              + "; TFLite Micro reads one of each per input dimension, "
              + inDims.length);
    }
    if (inDims.length > MAX_DIMS) {
      throw TensorStorage.invalid(op, "input " + input.shape() + " has more than 5 dimensions");
    }
    for (int stride : strides) {
      if (stride == 0) {
        throw TensorStorage.invalid(op, "a stride of 0 does not advance");
      }
    }
    this.sourceIndex = indices(op, options, begin, end, strides, inDims);
  }

  private int[] indices(
      Operator op,
      OperatorOptions.StridedSlice options,
      int[] begin,
      int[] end,
      int[] strides,
      int[] inDims) {
    int pad = MAX_DIMS - begin.length;
    int[] start = new int[MAX_DIMS];
    int[] stop = new int[MAX_DIMS];
    int[] stride = new int[MAX_DIMS];
    int fill = (1 << pad) - 1;
    int beginMask = (options.beginMask() << pad) | fill;
    int endMask = (options.endMask() << pad) | fill;
    int shrinkMask = options.shrinkAxisMask() << pad;
    int[] dims = new int[MAX_DIMS];
    int dimPad = MAX_DIMS - inDims.length;
    for (int d = 0; d < MAX_DIMS; d++) {
      dims[d] = d < dimPad ? 1 : inDims[d - dimPad];
      boolean padded = d < pad;
      stride[d] = padded ? 1 : strides[d - pad];
      int rawBegin = padded ? 0 : begin[d - pad];
      int rawEnd = padded ? 1 : end[d - pad];
      start[d] = startForAxis(rawBegin, stride[d], dims[d], (beginMask & (1 << d)) != 0);
      stop[d] =
          endForAxis(
              rawEnd,
              stride[d],
              dims[d],
              start[d],
              (endMask & (1 << d)) != 0,
              (shrinkMask & (1 << d)) != 0,
              options.offset());
    }
    int[] inStrides = new int[MAX_DIMS];
    int s = 1;
    for (int d = MAX_DIMS - 1; d >= 0; d--) {
      inStrides[d] = s;
      s *= dims[d];
    }
    int total = 1;
    for (int d = 0; d < MAX_DIMS; d++) {
      total *= Math.max(0, ceilDiv(stop[d] - start[d], stride[d]));
    }
    if (total != output.shape().flatSize()) {
      throw TensorStorage.invalid(
          op,
          "the slice has "
              + total
              + " elements, output shape "
              + output.shape()
              + " holds "
              + output.shape().flatSize());
    }
    int[] map = new int[total];
    int at = 0;
    for (int i0 = start[0]; !done(i0, stop[0], stride[0]); i0 += stride[0]) {
      for (int i1 = start[1]; !done(i1, stop[1], stride[1]); i1 += stride[1]) {
        for (int i2 = start[2]; !done(i2, stop[2], stride[2]); i2 += stride[2]) {
          for (int i3 = start[3]; !done(i3, stop[3], stride[3]); i3 += stride[3]) {
            for (int i4 = start[4]; !done(i4, stop[4], stride[4]); i4 += stride[4]) {
              map[at++] =
                  i0 * inStrides[0]
                      + i1 * inStrides[1]
                      + i2 * inStrides[2]
                      + i3 * inStrides[3]
                      + i4;
            }
          }
        }
      }
    }
    return map;
  }

  private static int ceilDiv(int span, int stride) {
    if (stride > 0) {
      return span <= 0 ? 0 : (span + stride - 1) / stride;
    }
    return span >= 0 ? 0 : (-span + -stride - 1) / -stride;
  }

  private static boolean done(int index, int stop, int stride) {
    return stride > 0 ? index >= stop : index <= stop;
  }

  private static int clamp(int v, int lo, int hi) {
    return v > hi ? hi : Math.max(v, lo);
  }

  private static int startForAxis(int start, int stride, int size, boolean masked) {
    if (start < 0) {
      start += size;
    }
    start = stride > 0 ? clamp(start, 0, size) : clamp(start, -1, size - 1);
    if (masked) {
      start = stride > 0 ? 0 : size - 1;
    }
    return start;
  }

  private static int endForAxis(
      int end, int stride, int size, int start, boolean masked, boolean shrink, boolean offset) {
    if (shrink) {
      return start >= size ? start : start + 1;
    }
    if (offset) {
      end += start;
    }
    if (end < 0) {
      end += size;
    }
    end = stride > 0 ? clamp(end, 0, size) : clamp(end, -1, size - 1);
    if (masked) {
      end = stride > 0 ? size : -1;
    }
    return end;
  }

  @Override
  public void run() {
    for (int i = 0; i < sourceIndex.length; i++) {
      input.copyTo(sourceIndex[i], output, i, 1);
    }
  }
}
