package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.Shape;
import io.fieldproof.model.tflite.TensorType;

/**
 * A tensor an operator only moves (STRIDED_SLICE, PACK): int8 bytes in the arena or a constant, or
 * an int32 array. Exactly one of {@code bytes} and {@code ints} is set.
 *
 * @param bytes int8 backing array, or null
 * @param offset first element in {@code bytes}
 * @param ints int32 values, or null
 * @param shape the tensor's shape
 */
record DataOperand(byte[] bytes, int offset, int[] ints, Shape shape) {

  static DataOperand input(Operator op, TensorStorage storage, int slot) {
    if (storage.type(op.input(slot)) == TensorType.INT32) {
      return new DataOperand(
          null, 0, storage.int32Input(op, slot), storage.tensor(op.input(slot)).shape());
    }
    Int8Operand in = storage.int8Input(op, slot);
    return new DataOperand(in.data(), in.offset(), null, in.shape());
  }

  static DataOperand output(Operator op, TensorStorage storage, int slot) {
    if (storage.type(op.output(slot)) == TensorType.INT32) {
      return new DataOperand(
          null, 0, storage.int32Output(op, slot), storage.tensor(op.output(slot)).shape());
    }
    Int8Operand out = storage.int8Output(op, slot);
    return new DataOperand(out.data(), out.offset(), null, out.shape());
  }

  boolean isInt32() {
    return ints != null;
  }

  /**
   * Copies {@code length} elements from element {@code from} of this to {@code to} of {@code
   * target}.
   */
  void copyTo(int from, DataOperand target, int to, int length) {
    if (isInt32()) {
      System.arraycopy(ints, from, target.ints, to, length);
    } else {
      System.arraycopy(bytes, offset + from, target.bytes, target.offset + to, length);
    }
  }

  /** Requires {@code other} to hold the same element type. */
  void requireSameType(Operator op, DataOperand other, String what) {
    if (isInt32() != other.isInt32()) {
      throw TensorStorage.invalid(op, what + " must have the type of input 0");
    }
  }
}
