package io.fieldproof.model.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The bytes of a constant tensor (weights, biases) as stored in the model, little-endian. */
public final class ConstantData {

  private final byte[] bytes;

  private ConstantData(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps a copy of {@code bytes}. */
  public static ConstantData of(byte[] bytes) {
    return new ConstantData(bytes.clone());
  }

  /** Number of bytes. */
  public int byteLength() {
    return bytes.length;
  }

  /** A copy of the raw bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The data as int8 values (a copy). */
  public byte[] asInt8() {
    return bytes.clone();
  }

  /** The data as little-endian int32 values. */
  public int[] asInt32() {
    int[] values = new int[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(values);
    return values;
  }

  /** The data as little-endian float32 values. */
  public float[] asFloat32() {
    float[] values = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }
}
