package io.fieldproof.model.footprint;

import io.fieldproof.model.tflite.ModelRejectedException;
import io.fieldproof.model.tflite.RejectionReason;
import io.fieldproof.model.tflite.Tensor;
import io.fieldproof.model.tflite.TfliteModel;

/**
 * Where TFLite Micro puts each non-constant tensor in the arena's head section: the tensors it
 * plans (not constant, not empty, not variable unless planned offline), their 16-byte aligned sizes
 * and {@link TensorLifetimes}, placed by {@link GreedyArenaPlanner}, honouring
 * "OfflineMemoryAllocation" metadata when present.
 */
public final class TensorArenaPlan {

  /** Offset of a tensor that has no place in the arena (constant, variable or empty). */
  public static final int NOT_PLANNED = -1;

  private final int[] tensorOffsets;
  private final long plannedBytes;

  private TensorArenaPlan(int[] tensorOffsets, long plannedBytes) {
    this.tensorOffsets = tensorOffsets;
    this.plannedBytes = plannedBytes;
  }

  /**
   * Plans the arena of {@code model}.
   *
   * @throws ModelRejectedException ({@link RejectionReason#INVALID_GRAPH}) when the tensors do not
   *     fit a 2 GiB arena, the planner's int offsets, or an offline offset is out of range
   */
  public static TensorArenaPlan of(TfliteModel model) {
    TensorLifetimes lifetimes = TensorLifetimes.of(model);
    int[] offline = model.offlinePlannedOffsets();
    GreedyArenaPlanner planner = new GreedyArenaPlanner();
    int tensors = model.tensors().size();
    int[] bufferOf = new int[tensors];
    long totalBytes = 0;
    for (int i = 0; i < tensors; i++) {
      Tensor tensor = model.tensor(i);
      int offlineOffset = offline.length == 0 ? GreedyArenaPlanner.ONLINE : offline[i];
      boolean variablePlannedOffline =
          tensor.variable() && offlineOffset != GreedyArenaPlanner.ONLINE;
      boolean planned =
          !tensor.isConstant()
              && (!tensor.variable() || variablePlannedOffline)
              && tensor.byteLength() != 0;
      if (!planned) {
        bufferOf[i] = NOT_PLANNED;
        continue;
      }
      long aligned = GreedyArenaPlanner.alignUp(tensor.byteLength());
      totalBytes += aligned;
      boolean offlineOutOfRange =
          offlineOffset != GreedyArenaPlanner.ONLINE
              && (offlineOffset < 0 || offlineOffset + aligned > Integer.MAX_VALUE);
      if (totalBytes > Integer.MAX_VALUE || offlineOutOfRange) {
        throw new ModelRejectedException(
            RejectionReason.INVALID_GRAPH,
            "tensor "
                + i
                + " ("
                + tensor.name()
                + ") does not fit a 2 GiB arena: "
                + aligned
                + " bytes"
                + (offlineOffset == GreedyArenaPlanner.ONLINE
                    ? ""
                    : " at offset " + offlineOffset));
      }
      int size = (int) aligned;
      bufferOf[i] =
          planner.addBuffer(size, lifetimes.firstCreated(i), lifetimes.lastUsed(i), offlineOffset);
    }
    ArenaPlan plan = planner.plan();
    int[] offsets = new int[tensors];
    for (int i = 0; i < tensors; i++) {
      offsets[i] = bufferOf[i] == NOT_PLANNED ? NOT_PLANNED : plan.offset(bufferOf[i]);
    }
    return new TensorArenaPlan(offsets, plan.plannedBytes());
  }

  /** Arena offset of tensor {@code index}, or {@link #NOT_PLANNED}. */
  public int offset(int index) {
    return tensorOffsets[index];
  }

  /** Bytes of the head section the plan needs. */
  public long plannedBytes() {
    return plannedBytes;
  }
}
