package io.fieldproof.model.tflite;

import java.util.Optional;

/**
 * One tensor of the model's subgraph.
 *
 * @param index position in the subgraph's tensor list
 * @param name the tensor's name in the file (may be empty)
 * @param type element type
 * @param shape static shape
 * @param quantization quantization parameters ({@link Quantization#NONE} when absent)
 * @param data the constant bytes when the tensor is a constant (weights, biases), else empty
 * @param variable whether the tensor is a variable (state kept across invocations)
 */
public record Tensor(
    int index,
    String name,
    TensorType type,
    Shape shape,
    Quantization quantization,
    Optional<ConstantData> data,
    boolean variable) {

  /** Whether the tensor holds constant data from the file. */
  public boolean isConstant() {
    return data.isPresent();
  }

  /** Bytes the tensor's elements take. */
  public long byteLength() {
    return (long) shape.flatSize() * type.bytesPerElement();
  }
}
