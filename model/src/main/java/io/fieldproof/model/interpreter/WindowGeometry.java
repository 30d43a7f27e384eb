package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Padding;

/**
 * Output size and leading padding of a sliding window along one axis (TFLite's {@code padding.h}):
 * the effective filter is {@code (filter - 1) * dilation + 1}; SAME gives {@code ceil(in / stride)}
 * outputs, VALID {@code (in - effective + stride) / stride}; the total padding {@code max((out - 1)
 * * stride + effective - in, 0)} is split with the odd byte at the end, so the leading padding is
 * half of it, rounded down.
 *
 * @param outputSize number of window positions
 * @param padding padding before the first input element
 */
record WindowGeometry(int outputSize, int padding) {

  static WindowGeometry of(
      Padding scheme, int inputSize, int filterSize, int stride, int dilation) {
    long effectiveFilter = (long) (filterSize - 1) * dilation + 1;
    long out =
        scheme == Padding.SAME
            ? ((long) inputSize + stride - 1) / stride
            : ((long) inputSize + stride - effectiveFilter) / stride;
    long totalPadding = Math.max((out - 1) * stride + effectiveFilter - inputSize, 0);
    return new WindowGeometry(Math.toIntExact(Math.max(out, 0)), Math.toIntExact(totalPadding / 2));
  }
}
