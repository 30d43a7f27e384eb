package io.fieldproof.operator.rollout;

import io.fieldproof.api.v1alpha1.ModelInspection;
import io.fieldproof.protocol.SelfTest;

/**
 * The outcome of validating a ModelRollout: valid, waiting for something that may still appear (a
 * DeviceGroup or ConfigMap applied later by GitOps), or invalid for good. A valid verdict carries
 * the model file it validated, which is what gets published to the agents, and the golden vectors
 * the devices must reproduce.
 */
public record Verdict(
    Outcome outcome,
    String reason,
    String message,
    ModelInspection model,
    byte[] modelBytes,
    SelfTest selfTest) {

  /** The three ways validation can end. */
  public enum Outcome {
    VALID,
    WAITING,
    INVALID
  }

  public static Verdict valid(
      ModelInspection model, String message, byte[] modelBytes, SelfTest selfTest) {
    return new Verdict(Outcome.VALID, "Verified", message, model, modelBytes, selfTest);
  }

  public static Verdict waiting(String reason, String message) {
    return new Verdict(Outcome.WAITING, reason, message, null, null, null);
  }

  /**
   * Invalid for good because the model's bytes changed under a rollout that had validated them: the
   * verdict keeps the model it started with, so status goes on naming it and the change is never
   * taken for a new start.
   */
  public static Verdict changed(ModelInspection startedWith, String message) {
    return new Verdict(Outcome.INVALID, "ModelChanged", message, startedWith, null, null);
  }

  public static Verdict invalid(String reason, String message) {
    return new Verdict(Outcome.INVALID, reason, message, null, null, null);
  }
}
