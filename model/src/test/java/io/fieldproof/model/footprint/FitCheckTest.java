package io.fieldproof.model.footprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fieldproof.model.tflite.BuiltinOperator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Fit decisions at and around the budgets. */
class FitCheckTest {

  private static Footprint footprint(long flash, long planned, long persistent) {
    return new Footprint(
        flash,
        new ArenaEstimate(planned, persistent),
        List.of(BuiltinOperator.CONV_2D, BuiltinOperator.SOFTMAX),
        List.of());
  }

  private static final Set<String> OPS = Set.of("CONV_2D", "SOFTMAX");

  @Test
  void fitsExactlyAtTheBudgetLessHeadroom() {
    DeviceBudget budget = new DeviceBudget(1000, 2000, OPS);
    assertThat(FitCheck.check(footprint(1800, 600, 300), budget, 0.1).fits()).isTrue();
    assertThat(FitCheck.check(footprint(1800, 601, 300), budget, 0.1).fits()).isFalse();
    assertThat(FitCheck.check(footprint(1801, 600, 300), budget, 0.1).fits()).isFalse();
    assertThat(FitCheck.check(footprint(2000, 700, 300), budget, 0).fits()).isTrue();
  }

  @Test
  void listsEveryReasonWithItsNumbers() {
    DeviceBudget budget = new DeviceBudget(1000, 2000, Set.of("SOFTMAX"));
    FitResult result = FitCheck.check(footprint(5000, 2000, 100), budget, 0.1);
    assertThat(result.fits()).isFalse();
    assertThat(result.problems())
        .extracting(FitProblem::kind)
        .containsExactly(FitProblem.Kind.ARENA, FitProblem.Kind.FLASH, FitProblem.Kind.OPERATORS);
    assertThat(result.problems().get(0).message())
        .contains("2100 bytes", "2000 planned", "100 persistent", "900 of 1000", "10%");
    assertThat(result.problems().get(1).message()).contains("5000 bytes", "1800 of 2000");
    assertThat(result.problems().get(2).message()).contains("[CONV_2D]");
  }

  @Test
  void theRuntimesDriftStateOfEachInputCountsAgainstTheArena() {
    DeviceBudget budget = new DeviceBudget(1000, 2000, OPS);
    long fourInputs = RuntimeState.bytes(4);
    assertThat(fourInputs).isEqualTo(128);
    assertThat(FitCheck.check(footprint(100, 772, 0), budget, 0.1, fourInputs).fits()).isTrue();
    FitResult tight = FitCheck.check(footprint(100, 773, 0), budget, 0.1, fourInputs);
    assertThat(tight.fits()).isFalse();
    assertThat(tight.problems().get(0).message())
        .contains("901 bytes", "773 planned", "128 runtime state of the inputs", "900 of 1000");
    assertThat(FitCheck.check(footprint(100, 773, 0), budget, 0.1).fits()).isTrue();
  }

  @Test
  void defaultHeadroomIsTenPercent() {
    DeviceBudget budget = new DeviceBudget(1000, 2000, OPS);
    assertThat(FitCheck.check(footprint(100, 900, 0), budget).fits()).isTrue();
    assertThat(FitCheck.check(footprint(100, 901, 0), budget).fits()).isFalse();
  }

  @Test
  void refusesAHeadroomOutsideZeroToOne() {
    DeviceBudget budget = new DeviceBudget(1000, 2000, OPS);
    assertThatThrownBy(() -> FitCheck.check(footprint(1, 1, 1), budget, 1.0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FitCheck.check(footprint(1, 1, 1), budget, -0.1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FitCheck.check(footprint(1, 1, 1), budget, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
