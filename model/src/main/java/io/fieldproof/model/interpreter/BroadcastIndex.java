package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.Shape;
import java.util.Arrays;

/**
 * Index maps for NumPy-style broadcasting: for each element of the output, the element of an input
 * whose dimensions are aligned at the end and are either equal to the output's or 1.
 */
final class BroadcastIndex {

  private BroadcastIndex() {}

  /** The map from output element to input element, or null when the shapes are equal. */
  static int[] of(Operator op, Shape input, Shape output) {
    String refusal =
        "input "
            + input
            + " does not broadcast to the output "
            + output
            + " (dimensions aligned at the end must be equal or 1, and the input no longer than"
            + " the output); reshape the operand so that it does";
    if (Arrays.equals(input.dims(), output.dims())) {
      return null;
    }
    int rank = output.rank();
    if (input.rank() > rank) {
      throw TensorStorage.invalid(op, refusal);
    }
    int[] inputDims = new int[rank];
    Arrays.fill(inputDims, 1);
    for (int d = 0; d < input.rank(); d++) {
      inputDims[rank - input.rank() + d] = input.dim(d);
    }
    int[] inputStrides = new int[rank];
    int stride = 1;
    for (int d = rank - 1; d >= 0; d--) {
      if (inputDims[d] != 1 && inputDims[d] != output.dim(d)) {
        throw TensorStorage.invalid(op, refusal);
      }
      inputStrides[d] = inputDims[d] == 1 ? 0 : stride;
      stride *= inputDims[d];
    }
    int[] map = new int[output.flatSize()];
    int[] position = new int[rank];
    for (int i = 0; i < map.length; i++) {
      int at = 0;
      for (int d = 0; d < rank; d++) {
        at += position[d] * inputStrides[d];
      }
      map[i] = at;
      for (int d = rank - 1; d >= 0; d--) {
        if (++position[d] < output.dim(d)) {
          break;
        }
        position[d] = 0;
      }
    }
    return map;
  }
}
