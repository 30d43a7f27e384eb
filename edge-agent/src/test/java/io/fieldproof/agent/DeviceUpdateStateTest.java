package io.fieldproof.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.agent.state.DeviceRecord;
import io.fieldproof.agent.update.UpdateRequest;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.Slots;
import org.junit.jupiter.api.Test;

/**
 * When the supervisor starts a model update: a rollback to the model the device's other slot still
 * holds is an update like any other (the updater then switches slots instead of downloading), and
 * the model that already runs confirmed is none.
 */
class DeviceUpdateStateTest {

  private static final ModelRef X = new ModelRef("x", "1", "a".repeat(64), 3264);
  private static final ModelRef Y = new ModelRef("y", "2", "b".repeat(64), 3616);

  /** Ran X from slot A, now runs Y from slot B, confirmed. */
  private static final DeviceRecord AFTER_AN_UPDATE =
      new DeviceRecord(
          "tcp://device", "esp32-1", "esp32", "1.0", null, 1, null, new Slots("B", X, Y, "VALID"));

  @Test
  void aDesiredModelInTheInactiveSlotIsAnUpdate() {
    assertThat(new DeviceUpdateState().wanted(desired(X), AFTER_AN_UPDATE))
        .map(UpdateRequest::model)
        .hasValue(X);
  }

  @Test
  void theModelThatRunsConfirmedIsNoUpdate() {
    assertThat(new DeviceUpdateState().wanted(desired(Y), AFTER_AN_UPDATE)).isEmpty();
  }

  private static DesiredState desired(ModelRef model) {
    return new DesiredState(1, "esp32-1", "group", 2, null, model);
  }
}
