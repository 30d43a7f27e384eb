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
 * Tells where each targeted device stands, from what the operator asked of it (its desired model
 * and attempt) and what its agent reported (the model it runs, and the outcome of the update it
 * tried for which model and attempt). A failure only counts for the attempt asked for now, so a
 * failure left from an earlier rollout or attempt is not read as a new one, and a failed phase
 * counts once the agent reported its reason; a device that has not finished within the deadline has
 * failed its attempt with reason Timeout. Each device's view also says whether it could return to
 * the model it ran before ({@link ReturnPath}).
 */
public final class DeviceClassifier {

  /** Update phases that end an attempt without the model running. */
  private static final Set<String> FAILED_PHASES = Set.of("Failed", "Reverted");

  /**
   * What the rollout asks.
   *
   * @param sha256 the model's sha256
   * @param attempts tries per device at most (retries + 1)
   * @param deviceTimeout how long one attempt may take
   * @param configGeneration the generation of the config the rollout sends with its model, or null
   *     when it sends none: a device is updated once it also runs that config
   */
  public record Policy(String sha256, int attempts, Duration deviceTimeout, Long configGeneration) {

    /** A rollout of a model alone. */
    public Policy(String sha256, int attempts, Duration deviceTimeout) {
      this(sha256, attempts, deviceTimeout, null);
    }
  }

  private final Policy policy;
  private final RetryBook book;

  public DeviceClassifier(Policy policy, RetryBook book) {
    this.policy = policy;
    this.book = book;
  }

  public DeviceView classify(Member member, Instant now) {
    String id = member.id();
    ReturnPath path =
        ReturnPath.of(member.entry().reported(), policy.sha256(), policy.configGeneration());
    if (runsConfirmed(member.entry().reported())) {
      return DeviceView.of(member, DeviceState.UPDATED, attemptAsked(member), path);
    }
    int attempt = attemptAsked(member);
    boolean online = member.online();
    if (attempt == 0) {
      return DeviceView.of(member, online ? DeviceState.PENDING : DeviceState.OFFLINE, 0, path);
    }
    Instant since = book.started(id, attempt, now);
    ReportedState reported = member.entry().reported();
    String reason = null;
    String message = null;
    if (failedAttempt(reported, attempt)) {
      String[] parts = split(reported.lastError());
      reason = parts[0];
      message = parts[1];
    } else if (online && since.plus(policy.deviceTimeout()).isBefore(now)) {
      reason = "Timeout";
      message = "no confirmed update within " + policy.deviceTimeout().toSeconds() + " s";
    }
    if (reason == null) {
      return DeviceView.of(
          member, online ? DeviceState.IN_PROGRESS : DeviceState.OFFLINE, attempt, path);
    }
    Instant failedAt = book.failed(id, attempt, now);
    if (attempt >= policy.attempts()) {
      return new DeviceView(member, DeviceState.FAILED, attempt, reason, message, null, path);
    }
    return new DeviceView(
        member,
        DeviceState.RETRYING,
        attempt,
        reason,
        message,
        failedAt.plus(RetryBook.backoff(attempt)),
        path);
  }

  private boolean runsConfirmed(ReportedState reported) {
    Slots slots = reported == null ? null : reported.slots();
    ModelRef active = slots == null ? null : slots.activeModel();
    return active != null
        && policy.sha256().equals(active.sha256())
        && !slots.onTrial()
        && (policy.configGeneration() == null
            || reported.observedGeneration() == policy.configGeneration());
  }

  /** The attempt the desired state asks for with this model, 0 when it asks for another. */
  private int attemptAsked(Member member) {
    DesiredState desired = member.entry().desired();
    if (desired == null
        || desired.model() == null
        || !policy.sha256().equals(desired.model().sha256())
        || (policy.configGeneration() != null
            && desired.generation() != policy.configGeneration())) {
      return 0;
    }
    return desired.attempt() == null ? 1 : desired.attempt();
  }

  private boolean failedAttempt(ReportedState reported, int attempt) {
    if (reported == null
        || reported.update() == null
        || !FAILED_PHASES.contains(reported.phase())
        || reported.lastError() == null
        || reported.lastError().isBlank()) {
      return false;
    }
    UpdateAttempt update = reported.update();
    return policy.sha256().equals(update.sha256()) && update.attempt() == attempt;
  }

  /** "SelfTestMismatch: output 3 ..." into its reason and message. */
  static String[] split(String lastError) {
    if (lastError == null || lastError.isBlank()) {
      return new String[] {"UpdateFailed", "the agent reported no reason"};
    }
    int colon = lastError.indexOf(':');
    if (colon <= 0 || !lastError.substring(0, colon).matches("[A-Za-z]+")) {
      return new String[] {"UpdateFailed", lastError};
    }
    return new String[] {lastError.substring(0, colon), lastError.substring(colon + 1).trim()};
  }
}
