package io.fieldproof.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.agent.state.DeviceRecord;
import io.fieldproof.agent.update.UpdatePhase;
import io.fieldproof.agent.update.UpdateReason;
import io.fieldproof.agent.update.UpdateRequest;
import io.fieldproof.agent.update.UpdateResult;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.Slots;
import io.fieldproof.protocol.UpdateAttempt;
import org.junit.jupiter.api.Test;

/**
 * When the supervisor starts a model update: a rollback to the model the device's other slot still
 * holds is an update like any other (the updater then switches slots instead of downloading), the
 * model that already runs confirmed is none, a failed attempt waits for the operator, and a
 * confirmed model the device lost since is written again at once, for the same attempt.
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

  /** A chip fresh from the factory: nothing in its slots (an emulator restarted without flash). */
  private static final DeviceRecord BLANK =
      new DeviceRecord(
          "tcp://device", "esp32-1", "esp32", "1.0", null, 0, null, new Slots(null, null, null));

  @Test
  void aConfirmedModelTheDeviceLostIsWrittenAgainForTheSameAttempt() {
    DeviceUpdateState state = new DeviceUpdateState();
    state.started(desired(Y));
    state.ended(new UpdateResult(UpdatePhase.Confirmed, null, "confirmed by in-app", 1, "in-app"));
    assertThat(state.wanted(desired(Y), AFTER_AN_UPDATE)).isEmpty();
    assertThat(state.lostConfirmed(desired(Y), AFTER_AN_UPDATE)).isFalse();

    assertThat(state.lostConfirmed(desired(Y), BLANK)).isTrue();
    assertThat(state.wanted(desired(Y), BLANK)).map(UpdateRequest::model).hasValue(Y);

    state.started(desired(Y));
    assertThat(state.attempted()).isEqualTo(new UpdateAttempt(Y.sha256(), 2, 1));
    assertThat(state.phase()).as("no longer Confirmed").isEqualTo("Downloading");
    assertThat(state.lastError()).isNull();
  }

  @Test
  void aFailedAttemptIsNotTriedAgainUntilTheOperatorAsks() {
    DeviceUpdateState state = new DeviceUpdateState();
    state.started(desired(Y));
    state.ended(
        new UpdateResult(UpdatePhase.Failed, UpdateReason.FlashFailed, "line broke", 4, "in-app"));

    assertThat(state.wanted(desired(Y), BLANK)).isEmpty();
    assertThat(state.lostConfirmed(desired(Y), BLANK)).isFalse();
    assertThat(state.phase()).isEqualTo("Failed");
  }

  private static DesiredState desired(ModelRef model) {
    return new DesiredState(1, "esp32-1", "group", 2, null, model);
  }
}
