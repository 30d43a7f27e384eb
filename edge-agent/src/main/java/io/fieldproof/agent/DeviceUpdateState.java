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
 * tried again for a new generation and not in a loop. Confined to the supervisor's serial executor.
 */
final class DeviceUpdateState {

  private boolean running;
  private String phase = UpdatePhase.Idle.name();
  private String lastError;
  private UpdateAttempt attempted;

  /**
   * The update {@code next} asks for, if the device needs one now: its desired model differs from
   * the model it runs, or that model still runs on trial; and this model was not tried for this
   * generation yet.
   */
  Optional<UpdateRequest> wanted(DesiredState next, DeviceRecord record) {
    ModelRef wanted = next.model();
    if (wanted == null || running) {
      return Optional.empty();
    }
    Slots slots = record.slots();
    ModelRef active = slots == null ? null : slots.activeModel();
    boolean onTrial = slots != null && slots.onTrial();
    if (active != null && wanted.sha256().equals(active.sha256()) && !onTrial) {
      return Optional.empty();
    }
    if (key(next).equals(attempted)) {
      return Optional.empty();
    }
    Duration trial = next.trialSeconds() == null ? null : Duration.ofSeconds(next.trialSeconds());
    return Optional.of(new UpdateRequest(wanted, next.selfTest(), trial));
  }

  void started(DesiredState next) {
    attempted = key(next);
    running = true;
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

  private static UpdateAttempt key(DesiredState next) {
    return new UpdateAttempt(
        next.model().sha256(), next.generation(), next.attempt() == null ? 1 : next.attempt());
  }
}
