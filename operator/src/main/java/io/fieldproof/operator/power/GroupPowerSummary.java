package io.fieldproof.operator.power;

import io.fieldproof.api.v1alpha1.ChipPower;
import io.fieldproof.api.v1alpha1.DeviceGroupSpec;
import io.fieldproof.api.v1alpha1.GroupPower;
import io.fieldproof.api.v1alpha1.ModelInspection;
import io.fieldproof.model.footprint.EnergyEstimate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A group's power for its status: the current model's figures per chip of its members at the
 * group's rates, their sum and mean, and whether a chip is over the group's budget (a budget
 * lowered under the running model: the group turns Degraded, the model keeps running).
 *
 * @param power the status figures, or null without a current model or a member of a known chip
 * @param overBudget the sentence naming each chip over the budget, if any
 */
public record GroupPowerSummary(GroupPower power, Optional<String> overBudget) {

  private static final GroupPowerSummary NONE = new GroupPowerSummary(null, Optional.empty());

  /**
   * @param model the inspection of the group's current model, or null
   * @param memberChips the chip of each member, as its gateway announced it
   */
  public static GroupPowerSummary of(
      DeviceGroupSpec spec, ModelInspection model, List<String> memberChips) {
    if (model == null || memberChips.isEmpty()) {
      return NONE;
    }
    Map<String, Long> devicesPerChip =
        memberChips.stream()
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    GroupRates rates = GroupRates.of(spec);
    List<EnergyEstimate> estimates =
        PowerFigures.of(model.latency, devicesPerChip.keySet(), rates.duty());
    if (estimates.isEmpty()) {
      return NONE;
    }
    GroupPower power = new GroupPower();
    power.inferencesPerSecond = PowerFigures.round(rates.inferencesPerSecond(), 1000);
    double total = 0;
    long devices = 0;
    power.chips = new ArrayList<>();
    for (EnergyEstimate estimate : estimates) {
      long count = devicesPerChip.get(estimate.chip());
      ChipPower chip = new ChipPower();
      chip.chip = estimate.chip();
      chip.devices = (int) count;
      chip.energyPerInferenceMicrojoules =
          PowerFigures.round(estimate.energyPerInferenceMicrojoules(), 100);
      chip.averagePowerMilliwatts = PowerFigures.round(estimate.averagePowerMilliwatts(), 1000);
      power.chips.add(chip);
      total += estimate.averagePowerMilliwatts() * count;
      devices += count;
    }
    power.totalMilliwatts = PowerFigures.round(total, 1000);
    power.averagePowerMilliwatts = PowerFigures.round(total / devices, 1000);
    return new GroupPowerSummary(
        power, PowerBudget.exceeded(estimates, rates, GroupRates.budgetMilliwatts(spec)));
  }
}
