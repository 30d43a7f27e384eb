package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.OperatorOptions;
import java.util.Arrays;

/**
 * PACK ({@code micro/kernels/pack.cc}): stacks N inputs of one shape along a new axis. With {@code
 * outer} the product of the dimensions before the axis and {@code copy} the product of those from
 * it on, output element {@code (k * N + i) * copy + j} is element {@code k * copy + j} of input
 * {@code i}. Values are copied unchanged (int8 bytes keep their quantization, as TFLite Micro
 * does).
 */
final class PackKernel implements Kernel {

  private final DataOperand[] inputs;
  private final DataOperand output;
  private final int outer;
  private final int copy;

  PackKernel(Operator op, TensorStorage storage) {
    this.output = DataOperand.output(op, storage, 0);
    this.inputs = new DataOperand[op.inputCount()];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = DataOperand.input(op, storage, i);
      inputs[i].requireSameType(op, output, "input " + i);
      if (!Arrays.equals(inputs[i].shape().dims(), inputs[0].shape().dims())) {
        throw TensorStorage.invalid(
            op,
            "input " + i + " has shape " + inputs[i].shape() + ", input 0 " + inputs[0].shape());
      }
    }
    OperatorOptions.Pack options = (OperatorOptions.Pack) op.options();
    int[] inDims = inputs[0].shape().dims();
    int rank = inDims.length + 1;
    int axis = options.axis() < 0 ? options.axis() + rank : options.axis();
    if (axis < 0 || axis >= rank) {
      throw TensorStorage.invalid(
          op, "axis " + options.axis() + " is outside an output of rank " + rank);
    }
    int[] expected = new int[rank];
    for (int d = 0, s = 0; d < rank; d++) {
      expected[d] = d == axis ? inputs.length : inDims[s++];
    }
    KernelChecks.shape(op, output.shape(), expected);
    int outerSize = 1;
    for (int d = 0; d < axis; d++) {
      outerSize *= inDims[d];
    }
    int copySize = 1;
    for (int d = axis; d < inDims.length; d++) {
      copySize *= inDims[d];
    }
    this.outer = outerSize;
    this.copy = copySize;
  }

  @Override
  public void run() {
    int n = inputs.length;
    for (int i = 0; i < n; i++) {
      DataOperand in = inputs[i];
      for (int k = 0; k < outer; k++) {
        in.copyTo(k * copy, output, (k * n + i) * copy, copy);
      }
    }
  }
}
