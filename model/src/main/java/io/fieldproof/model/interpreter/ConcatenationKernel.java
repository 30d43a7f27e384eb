package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Activation;
import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.OperatorOptions;

/**
 * CONCATENATION int8 ({@code micro/kernels/concatenation.cc}): joins up to 10 inputs along an axis
 * by copying bytes. TFLite Micro requires every input to carry the output's scale and zero point
 * (the converter gives them one) and no fused activation, and so does this kernel. With {@code
 * outer} the product of the dimensions before the axis, each outer step copies every input's {@code
 * inner} block in turn.
 */
final class ConcatenationKernel implements Kernel {

  private static final int MAX_INPUTS = 10;

  private final Int8Operand[] inputs;
  private final int[] inner;
  private final Int8Operand output;
  private final int outer;

  ConcatenationKernel(Operator op, TensorStorage storage) {
    OperatorOptions.Concatenation options = (OperatorOptions.Concatenation) op.options();
    if (options.activation() != Activation.NONE) {
      throw TensorStorage.invalid(
          op,
          "fused "
              + options.activation()
              + " is not supported (TFLite Micro refuses it too); apply the activation as a layer"
              + " after the concatenation");
    }
    if (op.inputCount() > MAX_INPUTS) {
      throw TensorStorage.invalid(
          op,
          op.inputCount()
              + " inputs, TFLite Micro joins at most "
              + MAX_INPUTS
              + "; concatenate in several steps");
    }
    this.output = storage.int8Output(op, 0);
    int rank = output.shape().rank();
    int axis = options.axis() < 0 ? options.axis() + rank : options.axis();
    if (axis < 0 || axis >= rank) {
      throw TensorStorage.invalid(
          op, "axis " + options.axis() + " is outside an output of rank " + rank);
    }
    this.inputs = new Int8Operand[op.inputCount()];
    this.inner = new int[inputs.length];
    int joined = 0;
    for (int i = 0; i < inputs.length; i++) {
      Int8Operand in = storage.int8Input(op, i);
      if (in.scale() != output.scale() || in.zeroPoint() != output.zeroPoint()) {
        throw TensorStorage.badQuantization(
            op,
            "input "
                + i
                + " has scale "
                + in.scale()
                + " and zero point "
                + in.zeroPoint()
                + ", the output "
                + output.scale()
                + " and "
                + output.zeroPoint()
                + "; TFLite Micro concatenates only equally quantized tensors (convert with"
                + " TensorFlow's default int8 path, which unifies them)");
      }
      if (in.shape().rank() != rank) {
        throw TensorStorage.invalid(
            op, "input " + i + " has shape " + in.shape() + ", the output " + output.shape());
      }
      for (int d = 0; d < rank; d++) {
        if (d != axis && in.shape().dim(d) != output.shape().dim(d)) {
          throw TensorStorage.invalid(
              op, "input " + i + " has shape " + in.shape() + ", the output " + output.shape());
        }
      }
      joined += in.shape().dim(axis);
      int size = 1;
      for (int d = axis; d < rank; d++) {
        size *= in.shape().dim(d);
      }
      inputs[i] = in;
      inner[i] = size;
    }
    if (joined != output.shape().dim(axis)) {
      throw TensorStorage.invalid(
          op, "inputs join to " + joined + " along axis " + axis + ", output " + output.shape());
    }
    int outerSize = 1;
    for (int d = 0; d < axis; d++) {
      outerSize *= output.shape().dim(d);
    }
    this.outer = outerSize;
  }

  @Override
  public void run() {
    byte[] out = output.data();
    int at = output.offset();
    for (int k = 0; k < outer; k++) {
      for (int i = 0; i < inputs.length; i++) {
        Int8Operand in = inputs[i];
        System.arraycopy(in.data(), in.offset() + k * inner[i], out, at, inner[i]);
        at += inner[i];
      }
    }
  }
}
