package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.BuiltinOperator;
import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.OperatorOptions;

/**
 * SPLIT and UNPACK int8 ({@code micro/kernels/split.cc}, {@code unpack.cc}): cut the input along
 * one axis into equal parts, one per output, copying bytes. SPLIT reads its axis from a constant
 * int32 input 0 (data in input 1) and keeps the axis with size {@code dim / numSplits}; UNPACK
 * takes the axis from its options and drops it (each output one slice). With {@code outer} the
 * product of the dimensions before the axis, output {@code j} gets block {@code k * parts + j} of
 * {@code part} bytes for each outer step {@code k}.
 */
final class SplitKernel implements Kernel {

  private final Int8Operand in;
  private final Int8Operand[] outputs;
  private final int outer;
  private final int part;

  SplitKernel(Operator op, TensorStorage storage) {
    boolean split = op.builtin() == BuiltinOperator.SPLIT;
    this.in = storage.int8Input(op, split ? 1 : 0);
    int rank = in.shape().rank();
    int rawAxis;
    if (split) {
      int[] axisValue = storage.int32Constant(op, 0, "axis");
      if (axisValue.length != 1) {
        throw TensorStorage.invalid(op, "axis must be one value, has " + axisValue.length);
      }
      rawAxis = axisValue[0];
    } else {
      rawAxis = ((OperatorOptions.Unpack) op.options()).axis();
    }
    int axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
    if (axis < 0 || axis >= rank) {
      throw TensorStorage.invalid(op, "axis " + rawAxis + " is outside an input of rank " + rank);
    }
    int parts = op.outputCount();
    int dim = in.shape().dim(axis);
    if (dim % parts != 0) {
      throw TensorStorage.invalid(
          op, "dimension " + axis + " of " + in.shape() + " does not split into " + parts);
    }
    if (!split && dim != parts) {
      throw TensorStorage.invalid(
          op, "unpacks " + parts + " outputs from dimension " + axis + " of " + in.shape());
    }
    int[] expected = split ? in.shape().dims() : new int[rank - 1];
    if (split) {
      expected[axis] = dim / parts;
    } else {
      for (int d = 0, s = 0; d < rank; d++) {
        if (d != axis) {
          expected[s++] = in.shape().dim(d);
        }
      }
    }
    this.outputs = new Int8Operand[parts];
    for (int j = 0; j < parts; j++) {
      outputs[j] = storage.int8Output(op, j);
      KernelChecks.shape(op, outputs[j].shape(), expected);
    }
    int outerSize = 1;
    for (int d = 0; d < axis; d++) {
      outerSize *= in.shape().dim(d);
    }
    this.outer = outerSize;
    this.part = in.size() / outerSize / parts;
  }

  @Override
  public void run() {
    int parts = outputs.length;
    for (int k = 0; k < outer; k++) {
      for (int j = 0; j < parts; j++) {
        Int8Operand target = outputs[j];
        System.arraycopy(
            in.data(),
            in.offset() + (k * parts + j) * part,
            target.data(),
            target.offset() + k * part,
            part);
      }
    }
  }
}
