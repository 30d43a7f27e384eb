package io.fieldproof.operator.rollout.progress;

import io.fieldproof.operator.devicegroup.Member;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.ReportedState;
import io.fieldproof.protocol.Slots;
import io.fieldproof.protocol.UpdateAttempt;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Where each device a rollback sent back stands on its way back, read from what the operator asked
 * of it (the model it ran before and the attempt, in its desired state) and what its agent reported
 * (the slots, and the outcome of the update it tried for which model and attempt). A device is on
 * its way back while its desired model is not the rollout's, one of its slots still holds the
 * rollout's model, and it does not run the desired model, confirmed. Its attempt fails when the
 * agent reports that very attempt Failed or Reverted, reports it Confirmed while the device runs
 * another model, or when it has not ended within the device deadline while online. A failed attempt
 * is tried again after the same backoff as an update, only while the device is online, up to the
 * rollout's attempts per device; the time a device spends offline counts toward neither. Stateless
 * but for the clocks in its {@link RetryBook}, so an operator restarted midway goes on.
 */
public final class ReturnWatch {

  /** Update phases that end an attempt without the model running. */
  private static final Set<String> FAILED_PHASES = Set.of("Failed", "Reverted");

  /**
   * What the rollback asks.
   *
   * @param sha256 the rolled back model's sha256
   * @param attempts tries per device at most (the strategy's retries + 1)
   * @param deviceTimeout how long one attempt may take while the device is online
   */
  public record Policy(String sha256, int attempts, Duration deviceTimeout) {}

  private final Policy policy;
  private final RetryBook book;

  public ReturnWatch(Policy policy, RetryBook book) {
    this.policy = policy;
    this.book = book;
  }

  /**
   * Where the member stands on its way back; null when it is not on its way back: the rollback did
   * not send it back, or it is back.
   */
  public DeviceReturn classify(Member member, Instant now) {
    DesiredState desired = member.entry().desired();
    ReportedState reported = member.entry().reported();
    Slots slots = reported == null ? null : reported.slots();
    if (desired == null
        || desired.model() == null
        || desired.model().sha256().equals(policy.sha256())
        || !holdsRolledBack(slots)) {
      return null;
    }
    String id = member.id();
    ModelRef previous = desired.model();
    if (runsConfirmed(slots, previous.sha256())) {
      book.forget(id);
      return null;
    }
    int attempt = desired.attempt() == null ? 1 : desired.attempt();
    String[] failure = failure(reported, previous, attempt);
    boolean online = member.online();
    if (failure == null && !online) {
      // the retained desired state reaches it when it answers; its deadline starts then
      book.forget(id);
      return view(member, DeviceReturn.Stage.AWAITS_DEVICE, attempt, previous, null, null);
    }
    if (failure == null) {
      Instant since = book.started(id, attempt, now);
      if (!since.plus(policy.deviceTimeout()).isBefore(now)) {
        return view(member, DeviceReturn.Stage.SWITCHING, attempt, previous, null, null);
      }
      failure =
          new String[] {"Timeout", "not back within " + policy.deviceTimeout().toSeconds() + " s"};
    }
    Instant failedAt = book.failed(id, attempt, now);
    if (attempt >= policy.attempts()) {
      return view(member, DeviceReturn.Stage.GAVE_UP, attempt, previous, failure, null);
    }
    if (!online) {
      return view(member, DeviceReturn.Stage.AWAITS_DEVICE, attempt, previous, failure, null);
    }
    return view(
        member,
        DeviceReturn.Stage.RETRYING,
        attempt,
        previous,
        failure,
        failedAt.plus(RetryBook.backoff(attempt)));
  }

  /**
   * A device told on this pass to switch back to {@code model}: on its way back (or waiting for it
   * to answer), unless it runs that model confirmed already; null then.
   */
  public DeviceReturn sent(Member member, ModelRef model) {
    ReportedState reported = member.entry().reported();
    Slots slots = reported == null ? null : reported.slots();
    if (slots != null && runsConfirmed(slots, model.sha256())) {
      return null;
    }
    return view(
        member,
        member.online() ? DeviceReturn.Stage.SWITCHING : DeviceReturn.Stage.AWAITS_DEVICE,
        1,
        model,
        null,
        null);
  }

  private DeviceReturn view(
      Member member,
      DeviceReturn.Stage stage,
      int attempt,
      ModelRef model,
      String[] failure,
      Instant retryAt) {
    return new DeviceReturn(
        member,
        stage,
        attempt,
        policy.attempts(),
        model.name() + " " + model.version(),
        failure == null ? null : failure[0],
        failure == null ? null : failure[1],
        retryAt);
  }

  /** Whether a slot of the device still holds the rolled back model. */
  private boolean holdsRolledBack(Slots slots) {
    return slots != null
        && (sha(slots.a()).equals(policy.sha256()) || sha(slots.b()).equals(policy.sha256()));
  }

  /**
   * The reason and message of attempt {@code attempt}'s failure, as its agent reported it; null
   * while it reported none.
   */
  private static String[] failure(ReportedState reported, ModelRef previous, int attempt) {
    UpdateAttempt update = reported.update();
    if (update == null
        || !previous.sha256().equals(update.sha256())
        || update.attempt() != attempt) {
      return null;
    }
    if (FAILED_PHASES.contains(reported.phase())
        && reported.lastError() != null
        && !reported.lastError().isBlank()) {
      return DeviceClassifier.split(reported.lastError());
    }
    if ("Confirmed".equals(reported.phase())) {
      ModelRef active = reported.slots().activeModel();
      return new String[] {
        "NotOnPreviousModel",
        "its agent confirmed the switch, but the device runs "
            + (active == null ? "no model" : active.name() + " " + active.version())
      };
    }
    return null;
  }

  private static boolean runsConfirmed(Slots slots, String sha) {
    ModelRef active = slots.activeModel();
    return active != null && sha.equals(active.sha256()) && !slots.onTrial();
  }

  private static String sha(ModelRef model) {
    return model == null ? "" : model.sha256();
  }
}
