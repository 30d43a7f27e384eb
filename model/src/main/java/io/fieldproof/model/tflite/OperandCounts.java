package io.fieldproof.model.tflite;

/**
 * How many operands each supported operator takes, as TFLite Micro's prepare functions require: the
 * data inputs must be present, a convolution's or dense layer's bias and RESHAPE's shape tensor may
 * be absent (-1) or left out, PACK and CONCATENATION take one or more, SPLIT and UNPACK have one
 * output per part, every other operator exactly one output.
 */
final class OperandCounts {

  private OperandCounts() {}

  static void check(Operator op) {
    int required;
    int maximum;
    switch (op.builtin()) {
      case ADD, MUL, SUB, MAXIMUM, MINIMUM, MEAN, PAD, TRANSPOSE, SPLIT, EXPAND_DIMS -> {
        required = 2;
        maximum = 2;
      }
      case SQUEEZE -> {
        required = 1;
        maximum = 1;
      }
      case CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED -> {
        required = 2;
        maximum = 3;
      }
      case RESHAPE -> {
        required = 1;
        maximum = 2;
      }
      case STRIDED_SLICE -> {
        required = 4;
        maximum = 4;
      }
      case PACK, CONCATENATION -> {
        required = Math.max(1, op.inputCount());
        maximum = required;
      }
      default -> {
        required = 1;
        maximum = 1;
      }
    }
    int outputs = outputCount(op);
    boolean inputsOk = op.inputCount() >= required && op.inputCount() <= maximum;
    for (int slot = 0; inputsOk && slot < required; slot++) {
      inputsOk = op.input(slot) >= 0;
    }
    if (!inputsOk || op.outputCount() != outputs) {
      throw new ModelRejectedException(
          RejectionReason.INVALID_GRAPH,
          op.builtin()
              + " #"
              + op.index()
              + " has "
              + op.inputCount()
              + " inputs and "
              + op.outputCount()
              + " outputs; it takes "
              + (required == maximum ? required : required + " to " + maximum)
              + " inputs (the first "
              + required
              + " present) and "
              + outputs
              + (outputs == 1 ? " output" : " outputs"));
    }
  }

  /** SPLIT and UNPACK have one output per part (their options say how many), others one. */
  private static int outputCount(Operator op) {
    if (op.options() instanceof OperatorOptions.Split split) {
      return Math.max(1, split.numSplits());
    }
    if (op.options() instanceof OperatorOptions.Unpack unpack) {
      return Math.max(1, unpack.num());
    }
    return 1;
  }
}
