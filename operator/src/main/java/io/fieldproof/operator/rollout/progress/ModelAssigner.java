package io.fieldproof.operator.rollout.progress;

import io.fieldproof.operator.mqtt.DesiredPublisher;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.Message;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.SelfTest;

/**
 * Tells devices which model to run by changing the model part of their retained desired state. The
 * DeviceGroup owns the rest (config, generation, and who is a member): a device whose desired state
 * does not come from the rollout's group yet is left alone until its group published one.
 */
public final class ModelAssigner {

  /**
   * What a device is told.
   *
   * @param model the model to run
   * @param selfTest the golden vectors it must pass first, or null
   * @param trialSeconds how long it runs on trial before it is confirmed
   * @param attempt the operator's attempt
   */
  public record Assignment(ModelRef model, SelfTest selfTest, int trialSeconds, int attempt) {}

  private final DesiredPublisher publisher;

  public ModelAssigner(DesiredPublisher publisher) {
    this.publisher = publisher;
  }

  /**
   * @return whether a new desired state went out
   */
  public boolean assign(String namespace, String group, String device, Assignment assignment) {
    return publisher.update(
        namespace,
        device,
        current -> {
          if (current == null || !group.equals(current.group())) {
            return current;
          }
          return new DesiredState(
              Message.VERSION,
              device,
              group,
              current.generation(),
              current.config(),
              assignment.model(),
              assignment.selfTest(),
              assignment.trialSeconds(),
              assignment.attempt());
        });
  }
}
