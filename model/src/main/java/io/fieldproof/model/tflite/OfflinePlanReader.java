package io.fieldproof.model.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.lite.schema.Model;

/**
 * Reads the "OfflineMemoryAllocation" metadata TFLite Micro honours: a buffer of int32 values
 * {@code [version, subgraph, tensor count, offset per tensor...]}, -1 meaning "plan online".
 */
final class OfflinePlanReader {

  static final String METADATA_NAME = "OfflineMemoryAllocation";

  private OfflinePlanReader() {}

  /** One offset per tensor, or an empty array when the model carries no such metadata. */
  static int[] read(Model model, VectorLength lengths, int tensorCount) {
    int metadataCount = lengths.check(model.metadataLength(), 4, "metadata");
    for (int i = 0; i < metadataCount; i++) {
      org.tensorflow.lite.schema.Metadata metadata = model.metadata(i);
      if (metadata != null && METADATA_NAME.equals(metadata.name())) {
        return offsets(model, metadata.buffer(), tensorCount);
      }
    }
    return new int[0];
  }

  private static int[] offsets(Model model, long bufferIndex, int tensorCount) {
    if (bufferIndex >= model.buffersLength()) {
      throw new ModelRejectedException(
          RejectionReason.CORRUPT, METADATA_NAME + " refers to a missing buffer");
    }
    ByteBuffer data = model.buffers((int) bufferIndex).dataAsByteBuffer();
    if (data == null || data.remaining() < 12) {
      throw new ModelRejectedException(
          RejectionReason.CORRUPT, METADATA_NAME + " is shorter than its header");
    }
    data.order(ByteOrder.LITTLE_ENDIAN);
    int base = data.position();
    int count = data.getInt(base + 8);
    if (count != tensorCount || data.remaining() < 12 + 4L * count) {
      throw new ModelRejectedException(
          RejectionReason.CORRUPT,
          METADATA_NAME + " holds " + count + " offsets for " + tensorCount + " tensors");
    }
    int[] offsets = new int[count];
    for (int t = 0; t < count; t++) {
      offsets[t] = data.getInt(base + 12 + 4 * t);
    }
    return offsets;
  }
}
