package io.fieldproof.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fieldproof.api.v1alpha1.ModelInspection;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.api.v1alpha1.RolloutDeviceCounts;
import io.fieldproof.operator.devicegroup.Member;
import io.fieldproof.operator.fleet.DeviceEntry;
import io.fieldproof.operator.fleet.Presence;
import io.fieldproof.operator.rollout.progress.DeviceReturn;
import io.fieldproof.operator.rollout.progress.RolloutDecision;
import io.fieldproof.operator.status.StatusPatch;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The RollbackComplete condition of a rolled back rollout: False while a device is not back, True
 * once every one is, Unknown once a newer rollout owns the devices; and a pass that sees the same
 * devices computes the same status, so it is not written again.
 */
class RollbackConditionTest {

  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

  private final ModelRolloutStatusAggregator aggregator = new ModelRolloutStatusAggregator();
  private final Verdict verdict = Verdict.valid(new ModelInspection(), "ok", new byte[0], null);

  @Test
  void falseWhileADeviceIsOnItsWayTrueOnceEveryOneIsBack() {
    ModelRollout rollout = rollout();
    Returns away = Returns.of(Map.of(), List.of(retrying("esp32-1")));

    ModelRolloutStatus first = aggregator.progressed(rollout, verdict, outcome(away), NOW);
    assertThat(condition(first)).isEqualTo("False/DevicesNotBack");
    assertThat(first.notReturned).extracting(d -> d.reason).containsExactly("ReturnRetrying");
    assertThat(first.devices.notReturned).isEqualTo(1);

    rollout.setStatus(first);
    ModelRolloutStatus again =
        aggregator.progressed(rollout, verdict, outcome(away), NOW.plusSeconds(30));
    assertThat(StatusPatch.changed(rollout, again))
        .as("nothing changed on the device: no status write")
        .isFalse();

    Returns allBack = Returns.of(Map.of(), List.of());
    ModelRolloutStatus done =
        aggregator.progressed(rollout, verdict, outcome(allBack), NOW.plusSeconds(60));
    assertThat(condition(done)).isEqualTo("True/AllReturned");
    assertThat(done.notReturned).isNull();
    assertThat(done.devices.notReturned).isZero();
    assertThat(StatusPatch.changed(rollout, done)).isTrue();
  }

  @Test
  void unknownOnceANewerRolloutOwnsTheDevicesAndAbsentBeforeARollback() {
    ModelRolloutStatus superseded =
        aggregator.progressed(rollout(), verdict, outcome(Returns.NONE), NOW);
    assertThat(condition(superseded)).isEqualTo("Unknown/Superseded");

    RolloutDecision progressing =
        new RolloutDecision(
            Phase.PROGRESSING, 1, NOW, RolloutDecision.Action.ASSIGN, 20, "Updating", "x");
    ModelRolloutStatus running =
        aggregator.progressed(rollout(), verdict, outcome(progressing, Returns.NONE), NOW);
    assertThat(condition(running)).isEqualTo("absent");
  }

  private static RolloutEngine.Outcome outcome(Returns returns) {
    RolloutDecision decision =
        new RolloutDecision(
            Phase.ROLLED_BACK,
            2,
            NOW,
            RolloutDecision.Action.ROLL_BACK,
            0,
            "AbortedByUser",
            "aborted; devices return to their previous model");
    return outcome(returns.described(decision), returns);
  }

  private static RolloutEngine.Outcome outcome(RolloutDecision decision, Returns returns) {
    RolloutDeviceCounts counts = new RolloutDeviceCounts();
    counts.targeted = 3;
    counts.notReturned = returns.notBack();
    return new RolloutEngine.Outcome(
        decision,
        counts,
        List.of(),
        List.of(),
        null,
        returns.listed(RolloutEngine.LISTED),
        List.of(),
        null,
        returns);
  }

  private static DeviceReturn retrying(String id) {
    Member member =
        new Member(
            new DeviceEntry("ns", id, Set.of("gw-1"), null, null, null, NOW),
            Presence.ONLINE,
            null);
    return new DeviceReturn(
        member,
        DeviceReturn.Stage.RETRYING,
        1,
        3,
        "m 1",
        "TrialFailed",
        "the device reset during the trial",
        NOW.plusSeconds(5));
  }

  private static ModelRollout rollout() {
    ModelRollout rollout = new ModelRollout();
    rollout.setMetadata(
        new ObjectMetaBuilder().withName("r").withNamespace("ns").withGeneration(1L).build());
    return rollout;
  }

  private static String condition(ModelRolloutStatus status) {
    return status.conditions.stream()
        .filter(c -> Returns.CONDITION.equals(c.getType()))
        .map((Condition c) -> c.getStatus() + "/" + c.getReason())
        .findFirst()
        .orElse("absent");
  }
}
