package io.fieldproof.agent.update;

import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.SelfTest;
import java.time.Duration;
import java.util.Objects;

/**
 * One model update of one device: the model, its golden vectors and how long it runs on trial.
 *
 * @param model the model to run
 * @param selfTest vectors run on the written slot; none means the step is skipped
 * @param trial how long the new model runs before the agent confirms it
 */
public record UpdateRequest(ModelRef model, SelfTest selfTest, Duration trial) {

  public UpdateRequest {
    Objects.requireNonNull(model, "model");
    selfTest = selfTest == null ? new SelfTest(0, java.util.List.of()) : selfTest;
    trial = trial == null ? Duration.ofSeconds(10) : trial;
  }
}
