package io.fieldproof.operator.rollout.progress;

import io.fieldproof.operator.devicegroup.GroupConfigs;
import io.fieldproof.operator.mqtt.DesiredPublisher;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.Message;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.SelfTest;

/**
 * Tells devices which model to run by changing the model part of their retained desired state, and
 * for a rollout that carries a config, the config and its generation with it, as one unit. The
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
   * @param config the runtime config sent with the model as one unit, or null to keep the one the
   *     device is told now
   */
  public record Assignment(
      ModelRef model, SelfTest selfTest, int trialSeconds, int attempt, GroupConfigs.Unit config) {

    /** A model alone: the device keeps the config it is told. */
    public Assignment(ModelRef model, SelfTest selfTest, int trialSeconds, int attempt) {
      this(model, selfTest, trialSeconds, attempt, null);
    }
  }

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
              assignment.config() == null ? current.generation() : assignment.config().generation(),
              assignment.config() == null ? current.config() : assignment.config().config(),
              assignment.model(),
              assignment.selfTest(),
              assignment.trialSeconds(),
              assignment.attempt());
        });
  }
}
