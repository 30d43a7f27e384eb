package io.fieldproof.model.footprint;

import java.util.List;

/**
 * The answer of {@link FitCheck}.
 *
 * @param problems every reason the model does not fit; empty when it fits
 */
public record FitResult(List<FitProblem> problems) {

  public FitResult {
    problems = List.copyOf(problems);
  }

  /** Whether the model fits. */
  public boolean fits() {
    return problems.isEmpty();
  }
}
