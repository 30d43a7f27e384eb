package io.fieldproof.model.interpreter;

import io.fieldproof.model.footprint.TensorArenaPlan;
import io.fieldproof.model.tflite.ModelRejectedException;
import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.RejectionReason;
import io.fieldproof.model.tflite.Tensor;
import io.fieldproof.model.tflite.TensorType;
import io.fieldproof.model.tflite.TfliteModel;

/**
 * The memory of one interpreter, allocated once when it is built. Non-constant int8 tensors live in
 * one byte array at the offsets TFLite Micro's greedy planner gives them, so tensors whose
 * lifetimes do not overlap share bytes exactly as on the device; constants get their own copies;
 * non-constant float32 tensors (the float ends of QUANTIZE and DEQUANTIZE) and int32 tensors (the
 * shape arithmetic of SHAPE, STRIDED_SLICE and PACK) get their own arrays.
 */
final class TensorStorage {

  private final TfliteModel model;
  private final byte[] arena;
  private final TensorArenaPlan plan;
  private final Int8Operand[] int8;
  private final float[][] float32;
  private final int[][] int32;

  /** The largest arena the interpreter allocates: far beyond any microcontroller's RAM. */
  static final long MAX_ARENA_BYTES = 256L * 1024 * 1024;

  TensorStorage(TfliteModel model) {
    this.model = model;
    this.plan = TensorArenaPlan.of(model);
    if (plan.plannedBytes() > MAX_ARENA_BYTES) {
      throw new ModelRejectedException(
          RejectionReason.INVALID_GRAPH,
          "the model needs a tensor arena of "
              + plan.plannedBytes()
              + " bytes, more than the "
              + MAX_ARENA_BYTES
              + " this interpreter allocates");
    }
    this.arena = new byte[(int) plan.plannedBytes()];
    int count = model.tensors().size();
    this.int8 = new Int8Operand[count];
    this.float32 = new float[count][];
    this.int32 = new int[count][];
    for (Tensor tensor : model.tensors()) {
      allocate(tensor);
    }
  }

  private void allocate(Tensor tensor) {
    int index = tensor.index();
    switch (tensor.type()) {
      case INT8 -> int8[index] = int8Operand(tensor);
      case FLOAT32 ->
          float32[index] =
              tensor.data().map(d -> d.asFloat32()).orElseGet(() -> new float[size(tensor)]);
      case INT32 ->
          int32[index] = tensor.data().map(d -> d.asInt32()).orElseGet(() -> new int[size(tensor)]);
      default -> {
        // other types are refused by Int8Check before storage is built
      }
    }
  }

  private Int8Operand int8Operand(Tensor tensor) {
    byte[] data;
    int offset;
    if (tensor.isConstant()) {
      data = tensor.data().orElseThrow().asInt8();
      offset = 0;
    } else if (plan.offset(tensor.index()) != TensorArenaPlan.NOT_PLANNED) {
      data = arena;
      offset = plan.offset(tensor.index());
    } else {
      data = new byte[size(tensor)];
      offset = 0;
    }
    return new Int8Operand(
        tensor.index(),
        data,
        offset,
        tensor.shape(),
        tensor.quantization().scale(),
        tensor.quantization().zeroPoint());
  }

  private static int size(Tensor tensor) {
    return tensor.shape().flatSize();
  }

  /** The model the storage belongs to. */
  TfliteModel model() {
    return model;
  }

  /** Bytes of the shared arena. */
  int arenaBytes() {
    return arena.length;
  }

  /** Tensor {@code index}. */
  Tensor tensor(int index) {
    return model.tensor(index);
  }

  /** Input {@code slot} of {@code op} as int8, required present. */
  Int8Operand int8Input(Operator op, int slot) {
    return int8(op, op.input(slot), "input " + slot);
  }

  /** Output {@code slot} of {@code op} as int8. */
  Int8Operand int8Output(Operator op, int slot) {
    return int8(op, op.output(slot), "output " + slot);
  }

  /** Input {@code slot} of {@code op} as a float32 array, required present. */
  float[] float32Input(Operator op, int slot) {
    return float32(op, op.input(slot), "input " + slot);
  }

  /** Output {@code slot} of {@code op} as a float32 array. */
  float[] float32Output(Operator op, int slot) {
    return float32(op, op.output(slot), "output " + slot);
  }

  /** Input {@code slot} of {@code op} as an int32 array, required present. */
  int[] int32Input(Operator op, int slot) {
    int index = op.input(slot);
    if (index < 0 || int32[index] == null) {
      throw invalid(op, "input " + slot + " must be an int32 tensor");
    }
    return int32[index];
  }

  /** Output {@code slot} of {@code op} as an int32 array. */
  int[] int32Output(Operator op, int slot) {
    int index = op.output(slot);
    if (index < 0 || int32[index] == null) {
      throw invalid(op, "output " + slot + " must be an int32 tensor");
    }
    return int32[index];
  }

  /** The values of input {@code slot}, required to be a constant int32 tensor. */
  int[] int32Constant(Operator op, int slot, String what) {
    int index = op.input(slot);
    if (index < 0 || int32[index] == null || !model.tensor(index).isConstant()) {
      throw invalid(op, what + " (input " + slot + ") must be a constant int32 tensor");
    }
    return int32[index];
  }

  /** The constant int32 values of input {@code slot} (a bias), or null when the slot is absent. */
  int[] optionalInt32Constant(Operator op, int slot) {
    int index = op.input(slot);
    if (index < 0) {
      return null;
    }
    if (int32[index] == null || !model.tensor(index).isConstant()) {
      throw invalid(op, "input " + slot + " must be a constant int32 tensor");
    }
    return int32[index];
  }

  /** The int8 operand of a model input or output tensor. */
  Int8Operand int8Tensor(int index) {
    return int8[index];
  }

  /** The float32 array of a model input or output tensor. */
  float[] float32Tensor(int index) {
    return float32[index];
  }

  private Int8Operand int8(Operator op, int index, String what) {
    if (index < 0 || int8[index] == null) {
      throw invalid(op, what + " must be an int8 tensor");
    }
    return int8[index];
  }

  private float[] float32(Operator op, int index, String what) {
    if (index < 0 || float32[index] == null) {
      throw invalid(op, what + " must be a float32 tensor");
    }
    return float32[index];
  }

  /** A rejection for an inconsistent operator. */
  static ModelRejectedException invalid(Operator op, String what) {
    return new ModelRejectedException(
        RejectionReason.INVALID_GRAPH, op.builtin() + " #" + op.index() + ": " + what);
  }

  /** A rejection for unusable quantization parameters of an operator. */
  static ModelRejectedException badQuantization(Operator op, String what) {
    return new ModelRejectedException(
        RejectionReason.INVALID_QUANTIZATION, op.builtin() + " #" + op.index() + ": " + what);
  }

  /** The element type of tensor {@code index}. */
  TensorType type(int index) {
    return model.tensor(index).type();
  }
}
