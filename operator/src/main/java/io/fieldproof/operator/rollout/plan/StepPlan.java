package io.fieldproof.operator.rollout.plan;

import io.fieldproof.api.v1alpha1.Step;
import io.fieldproof.api.v1alpha1.StrategySpec;
import java.time.Duration;
import java.util.List;

/**
 * A rollout's steps as the planner reads them: each either raises the updated percent or pauses,
 * timed or manual. Without steps, one step of 100 %. The percent in force at a step is the highest
 * setPercent up to it, so a pause holds the cohort of the step before it and a step never shrinks
 * the cohort.
 */
public final class StepPlan {

  private final List<Step> steps;

  public StepPlan(StrategySpec strategy) {
    this.steps =
        strategy == null || strategy.steps == null || strategy.steps.isEmpty()
            ? List.of(percent(100))
            : List.copyOf(strategy.steps);
  }

  public int size() {
    return steps.size();
  }

  /** The percent of targeted devices that runs the model once step {@code index} (0-based) ran. */
  public int percentAt(int index) {
    int percent = 0;
    for (int i = 0; i <= index && i < steps.size(); i++) {
      if (steps.get(i).setPercent != null) {
        percent = Math.max(percent, steps.get(i).setPercent);
      }
    }
    return percent;
  }

  public boolean isPause(int index) {
    return steps.get(index).pause != null;
  }

  /** Whether step {@code index} is a pause without a duration: it waits for a promote. */
  public boolean isManualPause(int index) {
    return isPause(index)
        && (steps.get(index).pause.duration == null || steps.get(index).pause.duration.isBlank());
  }

  /** How long the timed pause at {@code index} lasts. */
  public Duration pauseDuration(int index) {
    return Durations.parse(steps.get(index).pause.duration, Duration.ZERO);
  }

  /** One line naming step {@code index}, for messages and events. */
  public String describe(int index) {
    Step step = steps.get(index);
    String what =
        step.setPercent != null
            ? "setPercent " + step.setPercent
            : isManualPause(index) ? "manual pause" : "pause " + step.pause.duration;
    return "step " + (index + 1) + "/" + steps.size() + " (" + what + ")";
  }

  private static Step percent(int value) {
    Step step = new Step();
    step.setPercent = value;
    return step;
  }
}
