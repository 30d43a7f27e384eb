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
 * Where one device stands: the attempt asked of it, its reported outcome for that very attempt, the
 * per-device deadline (reason Timeout) and the retry backoff.
 */
class DeviceClassifierTest {

  private static final String NEW = "a".repeat(64);
  private static final String OLD = "b".repeat(64);
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  private static final Duration DEADLINE = Duration.ofMinutes(2);

  private final RetryBook book = new RetryBook();
  private final DeviceClassifier classifier =
      new DeviceClassifier(new DeviceClassifier.Policy(NEW, 3, DEADLINE), book);

  @Test
  void aDeviceNeverAskedIsPendingOrOffline() {
    assertThat(classifier.classify(member(null, running(OLD), true), T0).state())
        .isEqualTo(DeviceState.PENDING);
    assertThat(classifier.classify(member(null, running(OLD), false), T0).state())
        .isEqualTo(DeviceState.OFFLINE);
  }

  @Test
  void aDeviceRunningTheModelConfirmedIsUpdatedAndOnTrialIsNot() {
    assertThat(classifier.classify(member(asked(1), running(NEW), true), T0).state())
        .isEqualTo(DeviceState.UPDATED);
    ReportedState onTrial = report(new Slots("B", model(OLD), model(NEW), "PENDING_VERIFY"));
    assertThat(classifier.classify(member(asked(1), onTrial, true), T0).state())
        .isEqualTo(DeviceState.IN_PROGRESS);
  }

  @Test
  void aDeviceSilentPastTheDeadlineFailsItsAttemptWithTimeoutAndRetriesAfterTheBackoff() {
    Member busy = member(asked(1), running(OLD), true);
    assertThat(classifier.classify(busy, T0).state()).isEqualTo(DeviceState.IN_PROGRESS);
    assertThat(classifier.classify(busy, T0.plus(DEADLINE)).state())
        .isEqualTo(DeviceState.IN_PROGRESS);

    Instant late = T0.plus(DEADLINE).plusSeconds(1);
    DeviceView timedOut = classifier.classify(busy, late);

    assertThat(timedOut.state()).isEqualTo(DeviceState.RETRYING);
    assertThat(timedOut.reason()).isEqualTo("Timeout");
    assertThat(timedOut.message()).isEqualTo("no confirmed update within 120 s");
    assertThat(timedOut.retryAt()).isEqualTo(late.plus(RetryBook.FIRST_BACKOFF));
    assertThat(classifier.classify(busy, late.plusSeconds(30)).retryAt())
        .as("the first sighting of the failure fixes the backoff")
        .isEqualTo(late.plus(RetryBook.FIRST_BACKOFF));
  }

  @Test
  void anOfflineDeviceIsNeverTimedOut() {
    Member away = member(asked(1), running(OLD), false);
    classifier.classify(away, T0);

    assertThat(classifier.classify(away, T0.plus(DEADLINE.multipliedBy(10))).state())
        .isEqualTo(DeviceState.OFFLINE);
  }

  @Test
  void theAgentsReasonCountsOnlyForTheAttemptAskedNow() {
    ReportedState failedFirst = failed(1, "SelfTestMismatch: output 0 is 12, expected 14");
    DeviceView first = classifier.classify(member(asked(1), failedFirst, true), T0);
    assertThat(first.state()).isEqualTo(DeviceState.RETRYING);
    assertThat(first.reason()).isEqualTo("SelfTestMismatch");
    assertThat(first.message()).isEqualTo("output 0 is 12, expected 14");

    assertThat(classifier.classify(member(asked(2), failedFirst, true), T0).state())
        .as("the failure of attempt 1 is not read as one of attempt 2")
        .isEqualTo(DeviceState.IN_PROGRESS);
  }

  @Test
  void theLastAllowedAttemptFailingIsFailedForGood() {
    DeviceView last =
        classifier.classify(member(asked(3), failed(3, "FlashFailed: timeout"), true), T0);

    assertThat(last.state()).isEqualTo(DeviceState.FAILED);
    assertThat(last.reason()).isEqualTo("FlashFailed");
    assertThat(last.retryAt()).isNull();
  }

  @Test
  void aReasonWithoutItsPrefixIsAnUpdateFailure() {
    DeviceView view =
        classifier.classify(member(asked(1), failed(1, "the line went quiet"), true), T0);

    assertThat(view.reason()).isEqualTo("UpdateFailed");
    assertThat(view.message()).isEqualTo("the line went quiet");
  }

  @Test
  void backoffDoublesFromFiveSecondsUpToFiveMinutes() {
    assertThat(RetryBook.backoff(1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(RetryBook.backoff(2)).isEqualTo(Duration.ofSeconds(10));
    assertThat(RetryBook.backoff(4)).isEqualTo(Duration.ofSeconds(40));
    assertThat(RetryBook.backoff(7)).isEqualTo(Duration.ofMinutes(5));
    assertThat(RetryBook.backoff(60)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void aNewAttemptStartsItsOwnDeadline() {
    assertThat(book.started("d", 1, T0)).isEqualTo(T0);
    assertThat(book.started("d", 1, T0.plusSeconds(50))).isEqualTo(T0);
    assertThat(book.started("d", 2, T0.plusSeconds(60))).isEqualTo(T0.plusSeconds(60));
    book.forget("d");
    assertThat(book.started("d", 2, T0.plusSeconds(90))).isEqualTo(T0.plusSeconds(90));
  }

  @Test
  void eachFailedAttemptIsRetriedAfterABackoffThatDoublesUntilTheAttemptsAreSpent() {
    Instant failedFirst = T0.plusSeconds(20);
    DeviceView first =
        classifier.classify(member(asked(1), failed(1, "FlashFailed: no ack"), true), failedFirst);
    assertThat(first.state()).isEqualTo(DeviceState.RETRYING);
    assertThat(first.retryAt()).isEqualTo(failedFirst.plusSeconds(5));

    Instant second = failedFirst.plusSeconds(5);
    assertThat(classifier.classify(member(asked(2), failedFirst(1), true), second).state())
        .as("attempt 2 asked: the failure of attempt 1 no longer counts")
        .isEqualTo(DeviceState.IN_PROGRESS);
    Instant failedSecond = second.plusSeconds(30);
    DeviceView again =
        classifier.classify(member(asked(2), failed(2, "FlashFailed: no ack"), true), failedSecond);
    assertThat(again.state()).isEqualTo(DeviceState.RETRYING);
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(again.retryAt())
        .as("the second wait is twice the first")
        .isEqualTo(failedSecond.plusSeconds(10));

    DeviceView spent =
        classifier.classify(
            member(asked(3), failed(3, "FlashFailed: no ack"), true), failedSecond.plusSeconds(60));
    assertThat(spent.state()).isEqualTo(DeviceState.FAILED);
    assertThat(spent.attempt()).isEqualTo(3);
    assertThat(spent.retryAt()).isNull();
  }

  @Test
  void eachAttemptGetsItsOwnDeadlineAndTheLastOneTimingOutFailsForGood() {
    Member first = member(asked(1), running(OLD), true);
    classifier.classify(first, T0);
    Instant late = T0.plus(DEADLINE).plusSeconds(1);
    assertThat(classifier.classify(first, late).reason()).isEqualTo("Timeout");

    Member third = member(asked(3), running(OLD), true);
    Instant thirdStarted = late.plusSeconds(600);
    assertThat(classifier.classify(third, thirdStarted).state())
        .as("attempt 3 starts its own clock: not timed out on attempt 1's")
        .isEqualTo(DeviceState.IN_PROGRESS);
    assertThat(classifier.classify(third, thirdStarted.plus(DEADLINE)).state())
        .isEqualTo(DeviceState.IN_PROGRESS);

    DeviceView timedOut = classifier.classify(third, thirdStarted.plus(DEADLINE).plusSeconds(1));
    assertThat(timedOut.state()).isEqualTo(DeviceState.FAILED);
    assertThat(timedOut.reason()).isEqualTo("Timeout");
    assertThat(timedOut.attempt()).isEqualTo(3);
  }

  @Test
  void aDeviceRunningAConfirmedModelCanRevertToIt() {
    DeviceView view = classifier.classify(member(null, running(OLD), true), T0);

    assertThat(view.canRevert()).isTrue();
    assertThat(view.returnPath().previous().sha256()).isEqualTo(OLD);
  }

  @Test
  void aDeviceThatRunsNoModelOrWasNeverReportedCannotRevert() {
    DeviceView fresh =
        classifier.classify(member(null, report(new Slots(null, null, null, null)), true), T0);
    assertThat(fresh.canRevert()).isFalse();
    assertThat(fresh.returnPath().reason()).isEqualTo("NoPreviousModel");

    DeviceView unknown = classifier.classify(member(null, null, true), T0);
    assertThat(unknown.canRevert()).isFalse();
    assertThat(unknown.returnPath().reason()).isEqualTo("NoSlotReport");
  }

  @Test
  void anUpdatedDeviceCanRevertOnlyWhenItsOtherSlotHoldsAnotherModel() {
    DeviceView withPrevious =
        classifier.classify(
            member(asked(1), report(new Slots("B", model(OLD), model(NEW), "VALID")), true), T0);
    assertThat(withPrevious.state()).isEqualTo(DeviceState.UPDATED);
    assertThat(withPrevious.returnPath().previous().sha256()).isEqualTo(OLD);

    DeviceView firstModel = classifier.classify(member(asked(1), running(NEW), true), T0);
    assertThat(firstModel.state()).isEqualTo(DeviceState.UPDATED);
    assertThat(firstModel.canRevert()).isFalse();
    assertThat(firstModel.returnPath().reason()).isEqualTo("NoPreviousModel");
    assertThat(firstModel.returnPath().message()).contains("other slot holds no model");
  }

  @Test
  void aPreviousModelWhoseRecordIsNoLongerValidIsNoWayBack() {
    ReportedState reverted = report(new Slots("B", model(OLD), model(NEW), "VALID", "INVALID"));

    DeviceView view = classifier.classify(member(asked(1), reverted, true), T0);

    assertThat(view.state()).isEqualTo(DeviceState.UPDATED);
    assertThat(view.canRevert()).isFalse();
    assertThat(view.returnPath().reason()).isEqualTo("PreviousNotBootable");
    assertThat(view.returnPath().message())
        .isEqualTo("the record of m 1 in its other slot is INVALID, not VALID: it would not boot");
    assertThat(
            classifier
                .classify(
                    member(
                        asked(1),
                        report(new Slots("B", model(OLD), model(NEW), "VALID", "VALID")),
                        true),
                    T0)
                .canRevert())
        .isTrue();
  }

  @Test
  void aModelLeftOnTrialIsNoModelToReturnTo() {
    ReportedState onTrial = report(new Slots("A", model(OLD), null, "PENDING_VERIFY"));

    DeviceView view = classifier.classify(member(null, onTrial, true), T0);

    assertThat(view.canRevert()).isFalse();
    assertThat(view.returnPath().reason()).isEqualTo("PreviousOnTrial");
  }

  @Test
  void withAConfigADeviceIsAskedOnlyByTheUnitAndUpdatedOnlyOnceItRunsBoth() {
    long unit = 3_000_417L;
    DeviceClassifier withConfig =
        new DeviceClassifier(new DeviceClassifier.Policy(NEW, 3, DEADLINE, unit), book);
    DesiredState modelOnly = asked(1);
    DesiredState both = new DesiredState(1, "esp32-1", "g", unit, null, model(NEW), null, 10, 1);

    assertThat(withConfig.classify(member(modelOnly, running(NEW), true), T0).state())
        .as("the model without the rollout's config was not asked by this rollout")
        .isEqualTo(DeviceState.PENDING);
    assertThat(withConfig.classify(member(both, running(NEW), true), T0).state())
        .as("runs the model, still on the group's config generation")
        .isEqualTo(DeviceState.IN_PROGRESS);
    ReportedState applied =
        new ReportedState(
            1, "esp32-1", "gw-1", null, unit, null, running(NEW).slots(), null, null, null);
    assertThat(withConfig.classify(member(both, applied, true), T0).state())
        .isEqualTo(DeviceState.UPDATED);
  }

  @Test
  void aConfigForTheModelADeviceRunsCanAlwaysBeTakenBackButAModelItFlashedNeedsTheOtherSlot() {
    long unit = 3_000_417L;
    DeviceClassifier withConfig =
        new DeviceClassifier(new DeviceClassifier.Policy(NEW, 3, DEADLINE, unit), book);

    DeviceView runsIt = withConfig.classify(member(null, running(NEW), true), T0);
    assertThat(runsIt.canRevert())
        .as("it ran the model before the rollout: a rollback only takes the config back")
        .isTrue();
    assertThat(runsIt.returnPath().previous().sha256()).isEqualTo(NEW);

    ReportedState flashedByTheRollout =
        new ReportedState(
            1,
            "esp32-1",
            "gw-1",
            null,
            unit,
            null,
            new Slots("A", model(NEW), null, "VALID"),
            "Confirmed",
            null,
            null,
            new UpdateAttempt(NEW, unit, 1));
    DeviceView flashed = withConfig.classify(member(null, flashedByTheRollout, true), T0);
    assertThat(flashed.canRevert())
        .as("the rollout flashed the model and its other slot is empty")
        .isFalse();
  }

  private static Member member(DesiredState desired, ReportedState reported, boolean online) {
    DeviceEntry entry =
        new DeviceEntry("ns", "esp32-1", Set.of("gw-1"), null, reported, desired, T0);
    return new Member(entry, online ? Presence.ONLINE : Presence.UNREACHABLE, null);
  }

  private static DesiredState asked(int attempt) {
    return new DesiredState(1, "esp32-1", "g", 1, null, model(NEW), null, 10, attempt);
  }

  private static ReportedState running(String sha) {
    return report(new Slots("A", model(sha), null, "VALID"));
  }

  private static ReportedState report(Slots slots) {
    return new ReportedState(1, "esp32-1", "gw-1", null, 1, null, slots, null, null, null);
  }

  /** A report still showing attempt {@code attempt}'s failure. */
  private static ReportedState failedFirst(int attempt) {
    return failed(attempt, "FlashFailed: no ack");
  }

  private static ReportedState failed(int attempt, String lastError) {
    return new ReportedState(
        1,
        "esp32-1",
        "gw-1",
        null,
        1,
        null,
        new Slots("A", model(OLD), null, "VALID"),
        "Failed",
        lastError,
        null,
        new UpdateAttempt(NEW, 1, attempt));
  }

  private static ModelRef model(String sha) {
    return new ModelRef("m", "1", sha, 100);
  }
}
