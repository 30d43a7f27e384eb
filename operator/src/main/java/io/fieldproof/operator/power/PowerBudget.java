package io.fieldproof.operator.power;

import io.fieldproof.model.footprint.EnergyEstimate;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whether a model's estimates put a chip of the group over its power budget ({@code
 * spec.power.budgetMilliwatts}), and the sentence that says by how much.
 */
public final class PowerBudget {

  /** The condition and Event reason of a rollout refused for its power. */
  public static final String OVER_POWER_BUDGET = "OverPowerBudget";

  private PowerBudget() {}

  /**
   * Each chip over the budget, e.g. "esp32: 41.3 mW average at 10 inferences/s exceeds the group's
   * budget of 30 mW"; empty when every chip is within it or there is no budget.
   */
  public static Optional<String> exceeded(
      List<EnergyEstimate> estimates, GroupRates rates, Double budgetMilliwatts) {
    if (budgetMilliwatts == null) {
      return Optional.empty();
    }
    String over =
        estimates.stream()
            .filter(e -> e.averagePowerMilliwatts() > budgetMilliwatts)
            .map(
                e ->
                    e.chip()
                        + ": "
                        + GroupRates.figure(e.averagePowerMilliwatts())
                        + " mW average at "
                        + GroupRates.figure(rates.inferencesPerSecond())
                        + " inferences/s exceeds the group's budget of "
                        + GroupRates.figure(budgetMilliwatts)
                        + " mW")
            .collect(Collectors.joining("; "));
    return over.isEmpty() ? Optional.empty() : Optional.of(over);
  }
}
