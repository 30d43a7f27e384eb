package io.fieldproof.model.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.SubGraph;

/**
 * Turns the generated flatbuffer accessors into {@link TfliteModel}: identifier, schema version,
 * the one subgraph, then {@link TensorTableReader}, {@link OperatorTableReader} and {@link
 * OfflinePlanReader}. Every out-of-range offset the flatbuffer runtime trips over surfaces as
 * {@link RejectionReason#CORRUPT}.
 */
final class FlatbufferModelReader {

  private FlatbufferModelReader() {}

  static TfliteModel read(byte[] bytes) {
    requireIdentifier(bytes);
    try {
      ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      return readModel(Model.getRootAsModel(buffer), bytes.length);
    } catch (ModelRejectedException rejected) {
      throw rejected;
    } catch (RuntimeException broken) {
      throw new ModelRejectedException(
          RejectionReason.CORRUPT,
          "truncated or corrupt flatbuffer ("
              + broken.getClass().getSimpleName()
              + (broken.getMessage() == null ? "" : ": " + broken.getMessage())
              + ")",
          broken);
    }
  }

  private static void requireIdentifier(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new ModelRejectedException(RejectionReason.NOT_TFLITE, "the model file is empty");
    }
    if (bytes.length < 8) {
      throw new ModelRejectedException(
          RejectionReason.NOT_TFLITE,
          "the model file has " + bytes.length + " bytes, too short for a TFLite flatbuffer");
    }
    String identifier = new String(bytes, 4, 4, StandardCharsets.ISO_8859_1);
    if (!TfliteModel.FILE_IDENTIFIER.equals(identifier)) {
      throw new ModelRejectedException(
          RejectionReason.NOT_TFLITE,
          "file identifier is \""
              + printable(identifier)
              + "\", a TFLite model has \""
              + TfliteModel.FILE_IDENTIFIER
              + "\"");
    }
  }

  private static TfliteModel readModel(Model model, int fileBytes) {
    long version = model.version();
    if (version != TfliteModel.SCHEMA_VERSION) {
      throw new ModelRejectedException(
          RejectionReason.UNSUPPORTED_SCHEMA_VERSION,
          "schema version " + version + ", TFLite Micro needs " + TfliteModel.SCHEMA_VERSION);
    }
    VectorLength lengths = new VectorLength(fileBytes);
    int subgraphs = lengths.check(model.subgraphsLength(), 4, "subgraphs");
    if (subgraphs != 1) {
      throw new ModelRejectedException(
          RejectionReason.SUBGRAPH_COUNT,
          "the model has " + subgraphs + " subgraphs, exactly one is supported");
    }
    SubGraph subgraph = model.subgraphs(0);
    if (subgraph == null) {
      throw new ModelRejectedException(RejectionReason.CORRUPT, "subgraph 0 is missing");
    }
    TensorTableReader tensorReader = new TensorTableReader(model, subgraph, lengths);
    List<Tensor> tensors = tensorReader.read();
    int count = tensors.size();
    int[] inputs = indices(lengths, subgraph.inputsLength(), subgraph::inputs, count, "input");
    int[] outputs = indices(lengths, subgraph.outputsLength(), subgraph::outputs, count, "output");
    List<Operator> operators = new OperatorTableReader(model, subgraph, lengths, count).read();
    tensorReader.rejectDynamicShapes(tensors);
    String description = model.description();
    return new TfliteModel(
        (int) version,
        description == null ? "" : description,
        fileBytes,
        tensors,
        operators,
        inputs,
        outputs,
        OfflinePlanReader.read(model, lengths, count));
  }

  private static int[] indices(
      VectorLength lengths, int length, IntUnaryOperator accessor, int tensorCount, String what) {
    int[] indices = new int[lengths.check(length, 4, what + "s")];
    for (int i = 0; i < indices.length; i++) {
      int index = accessor.applyAsInt(i);
      if (index < 0 || index >= tensorCount) {
        throw new ModelRejectedException(
            RejectionReason.CORRUPT,
            "subgraph " + what + " " + i + " refers to tensor " + index + " of " + tensorCount);
      }
      indices[i] = index;
    }
    return indices;
  }

  private static String printable(String identifier) {
    StringBuilder out = new StringBuilder();
    for (char c : identifier.toCharArray()) {
      if (c >= 0x20 && c < 0x7f) {
        out.append(c);
      } else {
        out.append(String.format("\\x%02x", (int) c));
      }
    }
    return out.toString();
  }
}
