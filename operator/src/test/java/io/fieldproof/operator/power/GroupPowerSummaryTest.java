package io.fieldproof.operator.power;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.api.v1alpha1.ChipPower;
import io.fieldproof.api.v1alpha1.DeviceGroupSpec;
import io.fieldproof.api.v1alpha1.InputSpec;
import io.fieldproof.api.v1alpha1.LatencyEstimateInfo;
import io.fieldproof.api.v1alpha1.ModelInspection;
import io.fieldproof.api.v1alpha1.PowerSpec;
import io.fieldproof.api.v1alpha1.TelemetrySpec;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A group's power figures and budget against sums done by hand: one input (84-byte TELEMETRY
 * frames, 7291.67 µs at 115200 baud), a sampling period of 100 ms, a report every 30 s (a 600-byte
 * STATS exchange, 52083.33 µs).
 */
class GroupPowerSummaryTest {

  @Test
  void withoutPowerOrTelemetryTheFirmwaresDefaultsApply() {
    GroupRates rates = GroupRates.of(spec(null, null));

    assertThat(rates.samplingPeriodMillis()).isEqualTo(1000);
    assertThat(rates.reportIntervalSeconds()).isEqualTo(30);
    assertThat(rates.duty().inferencesPerSecond()).isEqualTo(1.0);
    assertThat(GroupRates.budgetMilliwatts(spec(null, null))).isNull();
  }

  @Test
  void aChipOverTheBudgetIsNamedWithItsFigureAndTheRate() {
    DeviceGroupSpec spec = spec(100, 20.0);
    GroupRates rates = GroupRates.of(spec);

    // esp32: 224.4 mW x 0.0846528 awake + 2.64 mW x 0.9153472 asleep = 21.4126 mW
    assertThat(
            PowerBudget.exceeded(
                PowerFigures.of(model().latency, Set.of("esp32", "stm32l4"), rates.duty()),
                rates,
                20.0))
        .contains("esp32: 21.4 mW average at 10 inferences/s exceeds the group's budget of 20 mW");
    assertThat(
            PowerBudget.exceeded(
                PowerFigures.of(model().latency, Set.of("stm32l4"), rates.duty()), rates, 20.0))
        .isEmpty();
    assertThat(
            PowerBudget.exceeded(
                PowerFigures.of(model().latency, Set.of("esp32"), rates.duty()), rates, null))
        .isEmpty();
  }

  @Test
  void theGroupSumsItsMembersPerChip() {
    GroupPowerSummary summary =
        GroupPowerSummary.of(
            spec(100, 20.0), model(), List.of("esp32", "stm32l4", "esp32", "rp2040"));

    assertThat(summary.power().inferencesPerSecond).isEqualTo(10.0);
    assertThat(summary.power().chips).extracting(c -> c.chip).containsExactly("esp32", "stm32l4");
    ChipPower esp32 = summary.power().chips.get(0);
    assertThat(esp32.devices).isEqualTo(2);
    assertThat(esp32.energyPerInferenceMicrojoules).isEqualTo(224.4);
    assertThat(esp32.averagePowerMilliwatts).isEqualTo(21.413);
    ChipPower l4 = summary.power().chips.get(1);
    // 33 mW x 500 µs = 16.5 µJ; 33 x 0.0796528 + 0.00462 x 0.9203472 = 2.63279 mW
    assertThat(l4.energyPerInferenceMicrojoules).isEqualTo(16.5);
    assertThat(l4.averagePowerMilliwatts).isEqualTo(2.633);
    // 2 x 21.4126 + 2.63279 = 45.45799 over the 3 members of a known chip
    assertThat(summary.power().totalMilliwatts).isEqualTo(45.458);
    assertThat(summary.power().averagePowerMilliwatts).isEqualTo(15.153);
    assertThat(summary.overBudget())
        .hasValueSatisfying(m -> assertThat(m).startsWith("esp32: 21.4 mW"));
  }

  @Test
  void noCurrentModelOrNoKnownChipGivesNoFigures() {
    assertThat(GroupPowerSummary.of(spec(100, 1.0), null, List.of("esp32")).power()).isNull();
    assertThat(GroupPowerSummary.of(spec(100, 1.0), model(), List.of("rp2040")).overBudget())
        .isEmpty();
  }

  private static ModelInspection model() {
    ModelInspection model = new ModelInspection();
    model.latency = List.of(latency("esp32", 1000), latency("stm32l4", 500));
    return model;
  }

  private static LatencyEstimateInfo latency(String chip, long micros) {
    LatencyEstimateInfo info = new LatencyEstimateInfo();
    info.chip = chip;
    info.micros = micros;
    return info;
  }

  private static DeviceGroupSpec spec(Integer periodMillis, Double budget) {
    DeviceGroupSpec spec = new DeviceGroupSpec();
    spec.inputs = List.of(new InputSpec());
    if (periodMillis != null) {
      spec.power = new PowerSpec();
      spec.power.samplingPeriodMilliseconds = periodMillis;
      spec.power.budgetMilliwatts = budget;
      spec.telemetry = new TelemetrySpec();
      spec.telemetry.reportIntervalSeconds = 30;
    }
    return spec;
  }
}
