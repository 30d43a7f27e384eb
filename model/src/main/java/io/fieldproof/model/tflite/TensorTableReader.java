package io.fieldproof.model.tflite;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.tensorflow.lite.schema.Buffer;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.QuantizationParameters;
import org.tensorflow.lite.schema.SubGraph;

/**
 * Reads a subgraph's tensors: shapes, types, quantization and constant data, checking that data
 * matches shapes and that every shape is static.
 */
final class TensorTableReader {

  private final Model model;
  private final SubGraph subgraph;
  private final VectorLength lengths;

  TensorTableReader(Model model, SubGraph subgraph, VectorLength lengths) {
    this.model = model;
    this.subgraph = subgraph;
    this.lengths = lengths;
  }

  /** Every tensor of the subgraph, by index. */
  List<Tensor> read() {
    int count = lengths.check(subgraph.tensorsLength(), 4, "tensors");
    int buffers = lengths.check(model.buffersLength(), 4, "buffers");
    List<Tensor> tensors = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      org.tensorflow.lite.schema.Tensor t = subgraph.tensors(i);
      if (t == null) {
        throw new ModelRejectedException(RejectionReason.CORRUPT, "tensor " + i + " is missing");
      }
      String name = t.name() == null ? "" : t.name();
      TensorType type = TensorType.fromCode(t.type());
      int[] dims = new int[lengths.check(t.shapeLength(), 4, "shape of tensor " + name)];
      for (int d = 0; d < dims.length; d++) {
        dims[d] = t.shape(d);
      }
      checkElementCount(dims, name);
      Optional<ConstantData> data = constantData(t.buffer(), buffers, name);
      data.ifPresent(constant -> checkDataLength(constant, type, dims, name));
      tensors.add(
          new Tensor(
              i, name, type, Shape.of(dims), quantization(t.quantization()), data, t.isVariable()));
    }
    return tensors;
  }

  /**
   * Refuses a tensor whose shape is not static: a negative dimension in its shape. A shape
   * signature with -1 (what a Keras {@code Input} without a fixed batch size produces) is accepted
   * when the shape itself is static, as TFLite Micro does: it ignores {@code shape_signature} and
   * allocates from {@code shape}.
   */
  void rejectDynamicShapes(List<Tensor> tensors) {
    for (Tensor tensor : tensors) {
      int[] dims = tensor.shape().dims();
      if (Arrays.stream(dims).anyMatch(d -> d < 0)) {
        throw new ModelRejectedException(
            RejectionReason.DYNAMIC_SHAPE,
            "tensor "
                + tensor.index()
                + " ("
                + tensor.name()
                + ") has a dynamic shape "
                + tensor.shape()
                + "; the device allocates every tensor once, so each dimension must be known:"
                + " convert with a fixed size for it (a -1 only in the shape signature, with the"
                + " shape holding the size, is accepted)");
      }
    }
  }

  private Optional<ConstantData> constantData(long bufferIndex, int buffers, String tensorName) {
    if (bufferIndex >= buffers) {
      throw new ModelRejectedException(
          RejectionReason.CORRUPT,
          "tensor " + tensorName + " refers to buffer " + bufferIndex + " of " + buffers);
    }
    if (bufferIndex == 0) {
      return Optional.empty();
    }
    Buffer buffer = model.buffers((int) bufferIndex);
    ByteBuffer data = buffer == null ? null : buffer.dataAsByteBuffer();
    if (data == null || !data.hasRemaining()) {
      return Optional.empty();
    }
    byte[] copy = new byte[data.remaining()];
    data.get(copy);
    return Optional.of(ConstantData.of(copy));
  }

  private static void checkElementCount(int[] dims, String tensorName) {
    long elements = 1;
    for (int d : dims) {
      elements *= Math.max(d, 0);
      if (elements > Integer.MAX_VALUE) {
        throw new ModelRejectedException(
            RejectionReason.CORRUPT,
            "tensor " + tensorName + " has more than " + Integer.MAX_VALUE + " elements");
      }
    }
  }

  private static void checkDataLength(
      ConstantData data, TensorType type, int[] dims, String tensorName) {
    if (type.bytesPerElement() == 0) {
      return;
    }
    long expected = type.bytesPerElement();
    for (int d : dims) {
      expected *= Math.max(d, 0);
    }
    if (data.byteLength() != expected) {
      throw new ModelRejectedException(
          RejectionReason.CORRUPT,
          "tensor "
              + tensorName
              + " holds "
              + data.byteLength()
              + " bytes of data, its shape needs "
              + expected);
    }
  }

  private Quantization quantization(QuantizationParameters q) {
    if (q == null) {
      return Quantization.NONE;
    }
    float[] scales = new float[lengths.check(q.scaleLength(), 4, "quantization scales")];
    for (int i = 0; i < scales.length; i++) {
      scales[i] = q.scale(i);
    }
    long[] zeroPoints = new long[lengths.check(q.zeroPointLength(), 8, "quantization zero points")];
    for (int i = 0; i < zeroPoints.length; i++) {
      zeroPoints[i] = q.zeroPoint(i);
    }
    return Quantization.of(scales, zeroPoints, q.quantizedDimension());
  }
}
