package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Shape;

/**
 * An int8 tensor as a kernel sees it: {@code shape.flatSize()} bytes of {@code data} from {@code
 * offset} (a region of the arena, or a constant's own array), with its per-tensor quantization.
 *
 * @param tensor the tensor's index in the model
 * @param data backing array
 * @param offset first element in {@code data}
 * @param shape the tensor's shape
 * @param scale per-tensor scale (the first scale of a per-channel tensor)
 * @param zeroPoint per-tensor zero point
 */
record Int8Operand(int tensor, byte[] data, int offset, Shape shape, float scale, int zeroPoint) {

  /** Number of elements. */
  int size() {
    return shape.flatSize();
  }
}
