package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Activation;
import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.Shape;
import java.util.Arrays;

/** Prepare-time checks shared by the kernels; each failure names the operator. */
final class KernelChecks {

  private KernelChecks() {}

  /** Requires {@code operand} to have rank {@code rank}; returns its shape. */
  static Shape rank(Operator op, Int8Operand operand, int rank, String what) {
    Shape shape = operand.shape();
    if (shape.rank() != rank) {
      throw TensorStorage.invalid(op, what + " must have rank " + rank + ", has shape " + shape);
    }
    return shape;
  }

  /** Requires positive strides and dilations. */
  static void window(Operator op, int strideW, int strideH, int dilationW, int dilationH) {
    if (strideW <= 0 || strideH <= 0 || dilationW <= 0 || dilationH <= 0) {
      throw TensorStorage.invalid(
          op,
          "strides ("
              + strideW
              + ", "
              + strideH
              + ") and dilations ("
              + dilationW
              + ", "
              + dilationH
              + ") must be positive");
    }
  }

  /** Requires {@code shape} to equal the dimensions the kernel computes. */
  static void shape(Operator op, Shape shape, int... expected) {
    if (!Arrays.equals(shape.dims(), expected)) {
      throw TensorStorage.invalid(
          op, "output shape " + shape + " differs from the computed " + Arrays.toString(expected));
    }
  }

  /** The optional bias (input 2): a constant int32 tensor of {@code channels} values, or null. */
  static int[] bias(Operator op, TensorStorage storage, int channels) {
    int[] bias = storage.optionalInt32Constant(op, 2);
    if (bias != null && bias.length != channels) {
      throw TensorStorage.invalid(
          op, "bias has " + bias.length + " values for " + channels + " output channels");
    }
    return bias;
  }

  /** The clamp of a fused activation on {@code output}. */
  static ActivationRange activation(Operator op, Activation activation, Int8Operand output) {
    try {
      return ActivationRange.of(activation, output.scale(), output.zeroPoint());
    } catch (IllegalArgumentException unsupported) {
      throw TensorStorage.invalid(op, unsupported.getMessage());
    }
  }

  /** Requires two operands with the same number of elements. */
  static void sameSize(Operator op, Int8Operand a, Int8Operand b) {
    if (a.size() != b.size()) {
      throw TensorStorage.invalid(
          op, "input shape " + a.shape() + " and output shape " + b.shape() + " differ in size");
    }
  }
}
