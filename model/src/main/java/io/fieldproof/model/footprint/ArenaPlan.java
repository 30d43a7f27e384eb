package io.fieldproof.model.footprint;

/** The result of {@link GreedyArenaPlanner#plan()}: an offset per buffer and the arena size. */
public final class ArenaPlan {

  private final int[] offsets;
  private final long plannedBytes;

  ArenaPlan(int[] offsets, long plannedBytes) {
    this.offsets = offsets.clone();
    this.plannedBytes = plannedBytes;
  }

  /** Offset of each buffer, by buffer id (a copy). */
  public int[] offsets() {
    return offsets.clone();
  }

  /** Offset of buffer {@code id}. */
  public int offset(int id) {
    return offsets[id];
  }

  /** Bytes the plan needs: the largest end offset over all buffers. */
  public long plannedBytes() {
    return plannedBytes;
  }
}
