package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How often the group's devices infer, and the average power each may draw. */
public class PowerSpec {

  @Min(10)
  @Max(3600000)
  @Default("1000")
  @JsonPropertyDescription(
      "Milliseconds between two sampling periods of the group's devices: one reading per input,"
          + " one inference and one TELEMETRY frame each. Devices are built with it (the"
          + " firmware's sampling period, the emulators' telemetryIntervalMs; default 1000 on"
          + " both): the operator cannot set it or read it, and takes this figure for the"
          + " group's energy estimates (docs/device-runtime.md#power).")
  public Integer samplingPeriodMilliseconds;

  @Min(0.001)
  @Max(100000)
  @JsonPropertyDescription(
      "Average power, in milliwatts, that one member may draw running the group's model at the"
          + " sampling period and spec.telemetry.reportIntervalSeconds, as the operator"
          + " estimates it for the member's chip (docs/device-runtime.md#power). A ModelRollout"
          + " whose model would put a chip of the group's members over it fails validation"
          + " (OverPowerBudget); lowering it under the running model turns Degraded True."
          + " Unset: no budget.")
  public Double budgetMilliwatts;
}
