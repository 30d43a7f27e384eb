package io.fieldproof.model.tflite;

import java.util.Arrays;

/**
 * The builtin options of an operator. Where the file carries no options table the schema's default
 * values are used; the interpreter's prepare step refuses values the kernels cannot run (a stride
 * of 0, a softmax beta of 0).
 */
public sealed interface OperatorOptions {

  /** The fused activation the operator applies to its output, {@link Activation#NONE} if none. */
  default Activation activation() {
    return Activation.NONE;
  }

  /**
   * CONV_2D options.
   *
   * @param padding padding scheme
   * @param strideWidth horizontal stride
   * @param strideHeight vertical stride
   * @param dilationWidth horizontal dilation factor
   * @param dilationHeight vertical dilation factor
   * @param activation fused activation
   */
  record Conv2D(
      Padding padding,
      int strideWidth,
      int strideHeight,
      int dilationWidth,
      int dilationHeight,
      Activation activation)
      implements OperatorOptions {}

  /**
   * DEPTHWISE_CONV_2D options.
   *
   * @param padding padding scheme
   * @param strideWidth horizontal stride
   * @param strideHeight vertical stride
   * @param depthMultiplier output channels per input channel
   * @param dilationWidth horizontal dilation factor
   * @param dilationHeight vertical dilation factor
   * @param activation fused activation
   */
  record DepthwiseConv2D(
      Padding padding,
      int strideWidth,
      int strideHeight,
      int depthMultiplier,
      int dilationWidth,
      int dilationHeight,
      Activation activation)
      implements OperatorOptions {}

  /**
   * AVERAGE_POOL_2D and MAX_POOL_2D options.
   *
   * @param padding padding scheme
   * @param strideWidth horizontal stride
   * @param strideHeight vertical stride
   * @param filterWidth window width
   * @param filterHeight window height
   * @param activation fused activation
   */
  record Pool2D(
      Padding padding,
      int strideWidth,
      int strideHeight,
      int filterWidth,
      int filterHeight,
      Activation activation)
      implements OperatorOptions {}

  /**
   * FULLY_CONNECTED options.
   *
   * @param activation fused activation
   * @param keepNumDims whether the output keeps the input's rank
   * @param weightsFormat weights layout (0 = DEFAULT, the only one the kernels run)
   */
  record FullyConnected(Activation activation, boolean keepNumDims, int weightsFormat)
      implements OperatorOptions {}

  /**
   * SOFTMAX options.
   *
   * @param beta inverse temperature
   */
  record Softmax(float beta) implements OperatorOptions {}

  /**
   * ADD options.
   *
   * @param activation fused activation
   */
  record Add(Activation activation) implements OperatorOptions {}

  /** RESHAPE options: the requested new shape, which may hold one -1. */
  final class Reshape implements OperatorOptions {
    private final int[] newShape;

    /** Options with the given new shape (copied). */
    public Reshape(int[] newShape) {
      this.newShape = newShape.clone();
    }

    /** A copy of the requested new shape. */
    public int[] newShape() {
      return newShape.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Reshape r && Arrays.equals(newShape, r.newShape);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(newShape);
    }

    @Override
    public String toString() {
      return "Reshape[newShape=" + Arrays.toString(newShape) + "]";
    }
  }

  /**
   * STRIDED_SLICE options: bit {@code i} of a mask concerns dimension {@code i}.
   *
   * @param beginMask dimensions whose begin is ignored (the first element)
   * @param endMask dimensions whose end is ignored (past the last element)
   * @param ellipsisMask dimensions standing for an ellipsis
   * @param newAxisMask dimensions inserted with size 1
   * @param shrinkAxisMask dimensions taken at their begin and dropped from the output
   * @param offset whether the end is relative to the begin
   */
  record StridedSlice(
      int beginMask,
      int endMask,
      int ellipsisMask,
      int newAxisMask,
      int shrinkAxisMask,
      boolean offset)
      implements OperatorOptions {}

  /**
   * PACK options.
   *
   * @param valuesCount number of inputs the file declares
   * @param axis position of the new axis in the output (negative counts from the end)
   */
  record Pack(int valuesCount, int axis) implements OperatorOptions {}

  /**
   * CONCATENATION options.
   *
   * @param axis the axis joined along (negative counts from the end)
   * @param activation fused activation
   */
  record Concatenation(int axis, Activation activation) implements OperatorOptions {}

  /**
   * MUL options.
   *
   * @param activation fused activation
   */
  record Mul(Activation activation) implements OperatorOptions {}

  /**
   * SUB options.
   *
   * @param activation fused activation
   */
  record Sub(Activation activation) implements OperatorOptions {}

  /**
   * MEAN options.
   *
   * @param keepDims whether reduced dimensions stay with size 1
   */
  record Reducer(boolean keepDims) implements OperatorOptions {}

  /**
   * LEAKY_RELU options.
   *
   * @param alpha slope below zero
   */
  record LeakyRelu(float alpha) implements OperatorOptions {}

  /**
   * SPLIT options.
   *
   * @param numSplits number of equal parts (outputs)
   */
  record Split(int numSplits) implements OperatorOptions {}

  /**
   * UNPACK options.
   *
   * @param num number of slices (outputs)
   * @param axis the axis unpacked (negative counts from the end)
   */
  record Unpack(int num, int axis) implements OperatorOptions {}

  /**
   * Operators without options (QUANTIZE, DEQUANTIZE, LOGISTIC, SHAPE, the activations, PAD,
   * TRANSPOSE, SQUEEZE, EXPAND_DIMS, MAXIMUM, MINIMUM).
   */
  record None() implements OperatorOptions {}
}
