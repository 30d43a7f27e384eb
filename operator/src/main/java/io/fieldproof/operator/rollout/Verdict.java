package io.fieldproof.operator.rollout;

import io.fieldproof.api.v1alpha1.ModelInspection;

/**
 * The outcome of validating a ModelRollout: valid, waiting for something that may still appear (a
 * DeviceGroup or ConfigMap applied later by GitOps), or invalid for good. A valid verdict carries
 * the model file it validated, which is what gets published to the agents.
 */
public record Verdict(
    Outcome outcome, String reason, String message, ModelInspection model, byte[] modelBytes) {

  /** The three ways validation can end. */
  public enum Outcome {
    VALID,
    WAITING,
    INVALID
  }

  public static Verdict valid(ModelInspection model, String message, byte[] modelBytes) {
    return new Verdict(Outcome.VALID, "Verified", message, model, modelBytes);
  }

  public static Verdict waiting(String reason, String message) {
    return new Verdict(Outcome.WAITING, reason, message, null, null);
  }

  public static Verdict invalid(String reason, String message) {
    return new Verdict(Outcome.INVALID, reason, message, null, null);
  }
}
