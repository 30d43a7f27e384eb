package io.fieldproof.operator.rollout.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.operator.devicegroup.Member;
import io.fieldproof.operator.fleet.DeviceEntry;
import io.fieldproof.operator.fleet.Presence;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.ReportedState;
import io.fieldproof.protocol.Slots;
import io.fieldproof.protocol.UpdateAttempt;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Where a device a rollback sent back stands: back, switching, failed and due for another attempt
 * after its backoff, waiting to answer again, or given up on after every attempt.
 */
class ReturnWatchTest {

  private static final String NEW = "a".repeat(64);
  private static final String OLD = "b".repeat(64);
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  private static final Duration DEADLINE = Duration.ofMinutes(2);

  private final RetryBook book = new RetryBook();
  private final ReturnWatch watch = new ReturnWatch(new ReturnWatch.Policy(NEW, 3, DEADLINE), book);

  /** Runs the rolled back model, the model it ran before in its other slot. */
  private static final Slots ON_NEW = new Slots("B", model(OLD), model(NEW), "VALID", "VALID");

  private static final Slots BACK = new Slots("A", model(OLD), model(NEW), "VALID", "VALID");

  @Test
  void aDeviceBackOnItsPreviousModelOrNeverSentBackIsNotOnItsWay() {
    assertThat(watch.classify(member(back(1), report(BACK, null, null, null), true), T0)).isNull();
    assertThat(watch.classify(member(asked(NEW, 1), report(ON_NEW, null, null, null), true), T0))
        .as("still told to run the rollout's model: the rollback sends it back, not a retry")
        .isNull();
    Slots neverHadIt = new Slots("A", model(OLD), null, "VALID", null);
    assertThat(watch.classify(member(back(1), report(neverHadIt, null, null, null), true), T0))
        .as("no slot holds the rolled back model: not one the rollback touched")
        .isNull();
  }

  @Test
  void aSwitchUnderWayIsReturningUntilItsDeadline() {
    Member switching = member(back(1), report(ON_NEW, "Verifying", null, attempt(OLD, 1)), true);

    assertThat(watch.classify(switching, T0).stage()).isEqualTo(DeviceReturn.Stage.SWITCHING);
    DeviceReturn late = watch.classify(switching, T0.plus(DEADLINE).plusSeconds(1));
    assertThat(late.stage()).isEqualTo(DeviceReturn.Stage.RETRYING);
    assertThat(late.reason()).isEqualTo("Timeout");
  }

  @Test
  void aFailedSwitchIsTriedAgainAfterItsBackoffThenGivenUpAfterTheLastAttempt() {
    Member reverted =
        member(
            back(1),
            report(
                ON_NEW,
                "Reverted",
                "TrialFailed: the device reset during the trial",
                attempt(OLD, 1)),
            true);

    DeviceReturn first = watch.classify(reverted, T0);
    assertThat(first.stage()).isEqualTo(DeviceReturn.Stage.RETRYING);
    assertThat(first.reason()).isEqualTo("TrialFailed");
    assertThat(first.due(T0)).isFalse();
    assertThat(first.due(T0.plus(RetryBook.backoff(1)))).isTrue();
    assertThat(first.statusReason()).isEqualTo("ReturnRetrying");
    assertThat(first.statusMessage())
        .isEqualTo(
            "attempt 1 of 3 failed (TrialFailed: the device reset during the trial); tried again"
                + " after a backoff");

    Member lastFailed =
        member(back(3), report(ON_NEW, "Failed", "FlashFailed: no ack", attempt(OLD, 3)), true);
    DeviceReturn gaveUp = watch.classify(lastFailed, T0.plusSeconds(60));
    assertThat(gaveUp.stage()).isEqualTo(DeviceReturn.Stage.GAVE_UP);
    assertThat(gaveUp.due(T0.plus(Duration.ofDays(1)))).isFalse();
    assertThat(gaveUp.statusReason()).isEqualTo("ReturnFailed");
  }

  @Test
  void aFailureLeftFromAnEarlierAttemptDoesNotCountForTheNextOne() {
    Member retried =
        member(back(2), report(ON_NEW, "Failed", "FlashFailed: no ack", attempt(OLD, 1)), true);

    assertThat(watch.classify(retried, T0).stage()).isEqualTo(DeviceReturn.Stage.SWITCHING);
  }

  @Test
  void anOfflineDeviceWaitsToAnswerAndItsDeadlineStartsWhenItDoes() {
    Member failedAway =
        member(back(1), report(ON_NEW, "Failed", "FlashFailed: no ack", attempt(OLD, 1)), false);
    DeviceReturn away = watch.classify(failedAway, T0);
    assertThat(away.stage()).isEqualTo(DeviceReturn.Stage.AWAITS_DEVICE);
    assertThat(away.due(T0.plus(Duration.ofHours(1)))).as("never sent while offline").isFalse();
    assertThat(away.statusMessage()).endsWith("tried again once it answers");

    Member neverTried = member(back(1), report(ON_NEW, null, null, null), false);
    assertThat(watch.classify(neverTried, T0).stage()).isEqualTo(DeviceReturn.Stage.AWAITS_DEVICE);
    Member answers = member(back(1), report(ON_NEW, null, null, null), true);
    assertThat(watch.classify(answers, T0.plus(Duration.ofHours(1))).stage())
        .as("the hour offline does not count toward its deadline")
        .isEqualTo(DeviceReturn.Stage.SWITCHING);
  }

  @Test
  void aSwitchConfirmedWhileTheDeviceRunsAnotherModelHasFailed() {
    Member wrong = member(back(1), report(ON_NEW, "Confirmed", null, attempt(OLD, 1)), true);

    DeviceReturn view = watch.classify(wrong, T0);

    assertThat(view.stage()).isEqualTo(DeviceReturn.Stage.RETRYING);
    assertThat(view.reason()).isEqualTo("NotOnPreviousModel");
  }

  @Test
  void aDeviceSentBackThisPassIsOnItsWayUnlessItRunsThatModelAlready() {
    assertThat(
            watch
                .sent(member(asked(NEW, 1), report(ON_NEW, null, null, null), true), model(OLD))
                .stage())
        .isEqualTo(DeviceReturn.Stage.SWITCHING);
    Slots neverSwitched = new Slots("A", model(OLD), null, "VALID", null);
    assertThat(
            watch.sent(
                member(asked(NEW, 1), report(neverSwitched, null, null, null), true), model(OLD)))
        .isNull();
  }

  private static Member member(DesiredState desired, ReportedState reported, boolean online) {
    DeviceEntry entry =
        new DeviceEntry("ns", "esp32-1", Set.of("gw-1"), null, reported, desired, T0);
    return new Member(entry, online ? Presence.ONLINE : Presence.UNREACHABLE, null);
  }

  private static DesiredState back(int attempt) {
    return asked(OLD, attempt);
  }

  private static DesiredState asked(String sha, int attempt) {
    return new DesiredState(1, "esp32-1", "g", 1, null, model(sha), null, 10, attempt);
  }

  private static UpdateAttempt attempt(String sha, int attempt) {
    return new UpdateAttempt(sha, 1, attempt);
  }

  private static ReportedState report(
      Slots slots, String phase, String lastError, UpdateAttempt update) {
    return new ReportedState(
        1, "esp32-1", "gw-1", null, 1, null, slots, phase, lastError, null, update);
  }

  private static ModelRef model(String sha) {
    return new ModelRef("m", sha.equals(NEW) ? "2" : "1", sha, 100);
  }
}
