package io.fieldproof.model.tflite;

import java.util.Arrays;
import java.util.Objects;

/**
 * One operator of the subgraph, in execution order. Operand indices point into {@link
 * TfliteModel#tensors()}; -1 marks an absent optional input (a convolution without bias).
 */
public final class Operator {

  private final int index;
  private final BuiltinOperator builtin;
  private final int version;
  private final int[] inputs;
  private final int[] outputs;
  private final OperatorOptions options;

  /**
   * Creates an operator.
   *
   * @param index position in execution order
   * @param builtin the effective builtin operator
   * @param version the operator version from the operator code
   * @param inputs input tensor indices (copied)
   * @param outputs output tensor indices (copied)
   * @param options builtin options
   */
  public Operator(
      int index,
      BuiltinOperator builtin,
      int version,
      int[] inputs,
      int[] outputs,
      OperatorOptions options) {
    this.index = index;
    this.builtin = Objects.requireNonNull(builtin, "builtin");
    this.version = version;
    this.inputs = inputs.clone();
    this.outputs = outputs.clone();
    this.options = Objects.requireNonNull(options, "options");
  }

  /** Position in execution order. */
  public int index() {
    return index;
  }

  /** The effective builtin operator. */
  public BuiltinOperator builtin() {
    return builtin;
  }

  /** The operator version from the operator code. */
  public int version() {
    return version;
  }

  /** Number of input slots, absent optional ones included. */
  public int inputCount() {
    return inputs.length;
  }

  /** Tensor index of input slot {@code slot}, or -1 when absent or beyond the slots. */
  public int input(int slot) {
    return slot < inputs.length ? inputs[slot] : -1;
  }

  /** A copy of the input tensor indices. */
  public int[] inputs() {
    return inputs.clone();
  }

  /** Number of outputs. */
  public int outputCount() {
    return outputs.length;
  }

  /** Tensor index of output {@code slot}. */
  public int output(int slot) {
    return outputs[slot];
  }

  /** A copy of the output tensor indices. */
  public int[] outputs() {
    return outputs.clone();
  }

  /** The builtin options. */
  public OperatorOptions options() {
    return options;
  }

  @Override
  public String toString() {
    return "#"
        + index
        + " "
        + builtin
        + " in="
        + Arrays.toString(inputs)
        + " out="
        + Arrays.toString(outputs)
        + " "
        + options;
  }
}
