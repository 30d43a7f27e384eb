package io.fieldproof.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.api.v1alpha1.UnreturnedDevice;
import io.fieldproof.operator.devicegroup.Member;
import io.fieldproof.operator.fleet.DeviceEntry;
import io.fieldproof.operator.fleet.Presence;
import io.fieldproof.operator.rollout.progress.DeviceReturn;
import io.fieldproof.operator.rollout.progress.ReturnPath;
import io.fieldproof.operator.rollout.progress.RolloutDecision;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * How a rollback tells the devices not back yet: listed and named while any is on its way, the
 * RollbackComplete condition, and a message that says so once every one is back.
 */
class ReturnsTest {

  private static final ReturnPath NONE =
      new ReturnPath(null, "NoPreviousModel", "its other slot holds no model to return to");

  @Test
  void devicesOnTheirWayAreNamedUntilEveryOneIsBack() {
    Returns twoAway =
        Returns.of(
            Map.of(),
            List.of(
                way("esp32-2", DeviceReturn.Stage.AWAITS_DEVICE),
                way("esp32-1", DeviceReturn.Stage.RETRYING)));

    RolloutDecision first = twoAway.described(rolledBack("aborted; devices return"));
    assertThat(first.message())
        .isEqualTo(
            "aborted; devices return; 2 devices not back on their previous model yet: esp32-1"
                + " (ReturnRetrying), esp32-2 (ReturnAwaitsDevice)");
    assertThat(twoAway.described(first).message())
        .as("a later pass does not add them twice")
        .isEqualTo(first.message());
    assertThat(twoAway.complete()).isFalse();
    assertThat(twoAway.reason()).isEqualTo("DevicesNotBack");
    assertThat(twoAway.retrying()).isTrue();
    assertThat(twoAway.listed(20)).extracting(d -> d.device).containsExactly("esp32-1", "esp32-2");

    Returns allBack = Returns.of(Map.of(), List.of());
    RolloutDecision done = allBack.described(first);
    assertThat(done.message())
        .isEqualTo("aborted; devices return; every device sent back runs its previous model again");
    assertThat(allBack.described(done).message()).isEqualTo(done.message());
    assertThat(allBack.complete()).isTrue();
    assertThat(allBack.reason()).isEqualTo("AllReturned");
    assertThat(allBack.listed(20)).isEmpty();
  }

  @Test
  void strandedAndGivenUpDevicesLeaveTheRollbackIncomplete() {
    Returns returns =
        Returns.of(Map.of("esp32-3", NONE), List.of(way("esp32-1", DeviceReturn.Stage.GAVE_UP)));

    String message = returns.described(rolledBack("gate failed: x")).message();

    assertThat(message)
        .isEqualTo(
            "gate failed: x; 1 device cannot return to a previous model and keeps this one:"
                + " esp32-3 (NoPreviousModel); 1 device not back on its previous model yet:"
                + " esp32-1 (ReturnFailed)");
    assertThat(returns.reason()).isEqualTo("ReturnIncomplete");
    assertThat(returns.notBack()).isEqualTo(2);
    assertThat(returns.message())
        .isEqualTo(
            "2 devices do not run their previous model: esp32-1 (ReturnFailed), esp32-3"
                + " (NoPreviousModel)");
    assertThat(returns.listed(1))
        .extracting((UnreturnedDevice d) -> d.device)
        .containsExactly("esp32-1");
    assertThat(
            Returns.of(Map.of("esp32-3", NONE), List.of()).described(rolledBack(message)).message())
        .isEqualTo(
            "gate failed: x; 1 device cannot return to a previous model and keeps this one:"
                + " esp32-3 (NoPreviousModel); every other device sent back runs its previous"
                + " model again");
  }

  @Test
  void aRollbackNoLongerActingOnTheDevicesDropsWhatItAdded() {
    String message =
        "gate failed: x; 1 device not back on its previous model yet: esp32-1 (Returning)";

    assertThat(Returns.NONE.described(rolledBack(message)).message()).isEqualTo("gate failed: x");
  }

  private static DeviceReturn way(String id, DeviceReturn.Stage stage) {
    Member member =
        new Member(
            new DeviceEntry("ns", id, Set.of("gw-1"), null, null, null, Instant.EPOCH),
            Presence.ONLINE,
            null);
    boolean failed = stage != DeviceReturn.Stage.SWITCHING;
    return new DeviceReturn(
        member,
        stage,
        1,
        3,
        "m 1",
        failed ? "FlashFailed" : null,
        failed ? "no ack" : null,
        stage == DeviceReturn.Stage.RETRYING ? Instant.EPOCH : null);
  }

  private static RolloutDecision rolledBack(String message) {
    return new RolloutDecision(
        Phase.ROLLED_BACK,
        2,
        Instant.EPOCH,
        RolloutDecision.Action.ROLL_BACK,
        0,
        "GateFailed",
        message);
  }
}
