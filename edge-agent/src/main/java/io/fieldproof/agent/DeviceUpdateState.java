package io.fieldproof.agent;

import io.fieldproof.agent.state.DeviceRecord;
import io.fieldproof.agent.update.UpdatePhase;
import io.fieldproof.agent.update.UpdateRequest;
import io.fieldproof.agent.update.UpdateResult;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.Slots;
import io.fieldproof.protocol.UpdateAttempt;
import java.time.Duration;
import java.util.Optional;

/**
 * One device's model update as its supervisor tracks it: whether one runs, the phase and last error
 * the twin reports, and which desired model was tried for which generation, so a failed update is
 * tried again for a new generation and not in a loop. A model that was confirmed and then left the
 * device (a blank chip after a restart, a slot lost) is written again at once, for the same
 * attempt: only failures wait for the operator. Confined to the supervisor's serial executor.
 */
final class DeviceUpdateState {

  private boolean running;
  private String phase = UpdatePhase.Idle.name();
  private String lastError;
  private UpdateAttempt attempted;
  private boolean confirmed;

  /**
   * The update {@code next} asks for, if the device needs one now: its desired model differs from
   * the model it runs, or that model still runs on trial; and this model was not tried for this
   * generation and attempt yet, or it was and confirmed, and the device lost it since.
   */
  Optional<UpdateRequest> wanted(DesiredState next, DeviceRecord record) {
    ModelRef wanted = next.model();
    if (wanted == null || running || runs(wanted, record.slots())) {
      return Optional.empty();
    }
    if (key(next).equals(attempted) && !confirmed) {
      return Optional.empty();
    }
    Duration trial = next.trialSeconds() == null ? null : Duration.ofSeconds(next.trialSeconds());
    return Optional.of(new UpdateRequest(wanted, next.selfTest(), trial));
  }

  /**
   * Whether the device stopped running the model this agent confirmed on it for {@code next}'s
   * generation and attempt: the update {@link #wanted} then asks for writes it again.
   */
  boolean lostConfirmed(DesiredState next, DeviceRecord record) {
    return next.model() != null
        && !running
        && confirmed
        && key(next).equals(attempted)
        && !runs(next.model(), record.slots());
  }

  /**
   * An update of {@code next}'s model starts: its phase is {@code Downloading} until the updater
   * reports another, never the outcome of the one before.
   */
  void started(DesiredState next) {
    attempted = key(next);
    running = true;
    confirmed = false;
    phase = UpdatePhase.Downloading.name();
    lastError = null;
  }

  /** Records the phase; false when no update runs (a late report of one that ended). */
  boolean phase(UpdatePhase next) {
    if (running) {
      phase = next.name();
    }
    return running;
  }

  void ended(UpdateResult result) {
    running = false;
    confirmed = result.confirmed();
    phase = result.phase().name();
    lastError = result.lastError();
  }

  boolean running() {
    return running;
  }

  String phase() {
    return phase;
  }

  String lastError() {
    return lastError;
  }

  /** The event reason of an outcome. */
  static String eventReason(UpdateResult result) {
    return switch (result.phase()) {
      case Confirmed -> "ModelConfirmed";
      case Reverted -> "ModelReverted";
      default -> "UpdateFailed";
    };
  }

  /** The event message of an outcome. */
  static String eventMessage(ModelRef model, UpdateResult result) {
    return model.name()
        + " "
        + model.version()
        + (result.confirmed() ? " confirmed by " + result.path() : ": " + result.lastError());
  }

  /** The desired model, generation and attempt the latest update was for; null before any. */
  UpdateAttempt attempted() {
    return attempted;
  }

  /** Whether {@code model} runs from a record that is not on trial. */
  private static boolean runs(ModelRef model, Slots slots) {
    ModelRef active = slots == null ? null : slots.activeModel();
    return active != null && model.sha256().equals(active.sha256()) && !slots.onTrial();
  }

  private static UpdateAttempt key(DesiredState next) {
    return new UpdateAttempt(
        next.model().sha256(), next.generation(), next.attempt() == null ? 1 : next.attempt());
  }
}
