package io.fieldproof.model.footprint;

import io.fieldproof.model.tflite.BuiltinOperator;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether a model fits a device. A headroom fraction of the arena and of the slot is kept
 * free: the arena because the persistent part is estimated and the firmware may grow, the slot
 * because a slot also carries the model's header. With headroom {@code h} a model fits when its
 * arena, plus the runtime's per-input state ({@link RuntimeState}) when the caller knows the
 * inputs, is at most {@code arenaBytes * (1 - h)}, its file at most {@code slotBytes * (1 - h)},
 * and every operator it uses is in the device's list.
 */
public final class FitCheck {

  /** The headroom the operator applies unless configured otherwise: 10 %. */
  public static final double DEFAULT_HEADROOM = 0.10;

  private FitCheck() {}

  /** Checks with {@link #DEFAULT_HEADROOM}. */
  public static FitResult check(Footprint footprint, DeviceBudget budget) {
    return check(footprint, budget, DEFAULT_HEADROOM);
  }

  /**
   * Checks {@code footprint} against {@code budget}.
   *
   * @param headroom fraction in [0, 1) of arena and slot kept free
   */
  public static FitResult check(Footprint footprint, DeviceBudget budget, double headroom) {
    return check(footprint, budget, headroom, 0);
  }

  /**
   * Checks {@code footprint} against {@code budget}, with {@code runtimeBytes} of the device
   * runtime's own state ({@link RuntimeState#bytes}) counted in the arena.
   *
   * @param headroom fraction in [0, 1) of arena and slot kept free
   */
  public static FitResult check(
      Footprint footprint, DeviceBudget budget, double headroom, long runtimeBytes) {
    if (!(headroom >= 0 && headroom < 1)) {
      throw new IllegalArgumentException("headroom must be in [0, 1), got " + headroom);
    }
    List<FitProblem> problems = new ArrayList<>();
    long arenaLimit = usable(budget.arenaBytes(), headroom);
    long arena = footprint.arena().totalBytes() + runtimeBytes;
    if (arena > arenaLimit) {
      problems.add(
          new FitProblem(
              FitProblem.Kind.ARENA,
              String.format(
                  "needs %d bytes of tensor arena (%d planned + %d persistent%s), the device"
                      + " offers %d of %d with %.0f%% headroom",
                  arena,
                  footprint.arena().plannedBytes(),
                  footprint.arena().persistentBytes(),
                  runtimeBytes > 0
                      ? " + " + runtimeBytes + " runtime state of the inputs (drift, capture)"
                      : "",
                  arenaLimit,
                  budget.arenaBytes(),
                  headroom * 100)));
    }
    long slotLimit = usable(budget.slotBytes(), headroom);
    if (footprint.flashBytes() > slotLimit) {
      problems.add(
          new FitProblem(
              FitProblem.Kind.FLASH,
              String.format(
                  "needs %d bytes of flash, the model slot offers %d of %d with %.0f%% headroom",
                  footprint.flashBytes(), slotLimit, budget.slotBytes(), headroom * 100)));
    }
    List<String> missing = new ArrayList<>();
    for (BuiltinOperator op : footprint.operators()) {
      if (!budget.operators().contains(op.name())) {
        missing.add(op.name());
      }
    }
    if (!missing.isEmpty()) {
      problems.add(
          new FitProblem(
              FitProblem.Kind.OPERATORS, "the device's runtime lacks operators " + missing));
    }
    return new FitResult(problems);
  }

  private static long usable(long bytes, double headroom) {
    return (long) Math.floor(bytes * (1 - headroom));
  }
}
