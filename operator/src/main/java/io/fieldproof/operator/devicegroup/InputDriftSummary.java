package io.fieldproof.operator.devicegroup;

import io.fieldproof.api.v1alpha1.InputDrift;
import io.fieldproof.api.v1alpha1.InputSpec;
import io.fieldproof.protocol.Health;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Drift against the training reference per input, over a group's members as they last reported it:
 * how many report the input's magnitude, how many drift on it, and the largest and the 95th
 * percentile magnitude. One entry per spec input that any member reports, in spec order, so the
 * list is bounded by the spec's 32 inputs whatever the fleet's size. Magnitudes are rounded to 0.1
 * standard deviation, so a steady fleet gives a steady status.
 */
final class InputDriftSummary {

  private InputDriftSummary() {}

  static List<InputDrift> of(List<InputSpec> inputs, List<Member> members) {
    List<Health> reports =
        members.stream().map(MemberHealth::health).flatMap(Optional::stream).toList();
    List<InputDrift> out = new ArrayList<>();
    for (InputSpec input : inputs == null ? List.<InputSpec>of() : inputs) {
      double[] magnitudes =
          reports.stream()
              .map(h -> h.driftSigma().get(input.name))
              .filter(m -> m != null && !m.isNaN())
              .mapToDouble(Double::doubleValue)
              .sorted()
              .toArray();
      int drifting =
          (int) reports.stream().filter(h -> h.driftingInputs().contains(input.name)).count();
      if (magnitudes.length == 0 && drifting == 0) {
        continue;
      }
      InputDrift drift = new InputDrift();
      drift.input = input.name;
      drift.devices = magnitudes.length;
      drift.drifting = drifting;
      drift.maxSigma = magnitudes.length == 0 ? 0 : tenths(magnitudes[magnitudes.length - 1]);
      drift.p95Sigma = tenths(p95(magnitudes));
      out.add(drift);
    }
    return out;
  }

  /** Nearest rank: the smallest magnitude at or above 95 % of the members'. */
  private static double p95(double[] sorted) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(0.95 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  private static double tenths(double sigma) {
    return Math.round(sigma * 10) / 10.0;
  }
}
