package io.fieldproof.operator.power;

import io.fieldproof.api.v1alpha1.EnergyEstimateInfo;
import io.fieldproof.api.v1alpha1.LatencyEstimateInfo;
import io.fieldproof.model.footprint.DutyCycle;
import io.fieldproof.model.footprint.EnergyEstimate;
import io.fieldproof.model.footprint.PowerProfile;
import io.fieldproof.model.footprint.PowerProfiles;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A model's energy figures on the chips a group's members have, from the latency estimates its
 * inspection recorded ({@code status.model.latency}) and the chips' {@link PowerProfiles}. Chips
 * without a power profile or without a latency estimate get no figures.
 */
public final class PowerFigures {

  private PowerFigures() {}

  /** One estimate per chip in {@code chips} the fleet knows, in the order of the profiles. */
  public static List<EnergyEstimate> of(
      List<LatencyEstimateInfo> latency, Collection<String> chips, DutyCycle duty) {
    List<EnergyEstimate> estimates = new ArrayList<>();
    if (latency == null) {
      return estimates;
    }
    for (PowerProfile profile : PowerProfiles.profiles()) {
      if (!chips.contains(profile.chip())) {
        continue;
      }
      latency.stream()
          .filter(l -> profile.chip().equals(l.chip) && l.micros != null)
          .findFirst()
          .ifPresent(l -> estimates.add(EnergyEstimate.of(profile, l.micros, duty)));
    }
    return estimates;
  }

  /** The estimate as status shows it: µJ to 0.01, mW to 0.001. */
  public static EnergyEstimateInfo info(EnergyEstimate estimate) {
    EnergyEstimateInfo info = new EnergyEstimateInfo();
    info.chip = estimate.chip();
    info.energyPerInferenceMicrojoules = round(estimate.energyPerInferenceMicrojoules(), 100);
    info.averagePowerMilliwatts = round(estimate.averagePowerMilliwatts(), 1000);
    return info;
  }

  static double round(double value, int per) {
    return Math.round(value * per) / (double) per;
  }
}
