package io.fieldproof.operator.rollout.progress;

import io.fieldproof.api.v1alpha1.GateRule;
import io.fieldproof.operator.rollout.gates.GateVerdict;

/**
 * The gates as a step sees them: the verdict, and whether an inconclusive one is for too few
 * updated devices (the rollout pauses) or only for too few that reported since their update (it
 * waits for signals).
 *
 * @param verdict the gates' verdict; PASSED when the rollout has no gates
 * @param tooFewUpdated whether fewer devices run the model than the gates' minDevices
 */
public record GateCheck(GateVerdict verdict, boolean tooFewUpdated) {

  public boolean failed() {
    return verdict.outcome() == GateVerdict.Outcome.FAILED;
  }

  /** Whether the gates failed on a reboots rule: a device crash-looping on the model. */
  public boolean crashLoop() {
    return failed()
        && verdict.rules().stream()
            .anyMatch(
                r ->
                    r.metric() == GateRule.Metric.REBOOTS
                        && r.outcome() == GateVerdict.Outcome.FAILED);
  }

  public boolean passed() {
    return verdict.outcome() == GateVerdict.Outcome.PASSED;
  }
}
