package io.fieldproof.agent.update;

import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.agent.flash.FlashFailure;
import io.fieldproof.agent.flash.inapp.RuntimeSlotSession;
import io.fieldproof.agent.link.DeviceLink;
import io.fieldproof.device.protocol.SlotMessages;
import io.fieldproof.device.protocol.SlotTable;
import io.fieldproof.protocol.SelfTest;
import java.time.Duration;
import java.util.List;

/**
 * The update through the running firmware (runtime protocol v2): write the inactive slot while
 * inference goes on, check its digest, run the golden vectors on it, activate it on trial, watch
 * the device, then confirm; a failed trial is reverted. No reset and no downtime on the happy path.
 */
final class InAppUpdate {

  private final DeviceLink link;
  private final UpdateListener listener;
  private final Duration poll;

  InAppUpdate(DeviceLink link, UpdateListener listener, Duration poll) {
    this.link = link;
    this.listener = listener;
    this.poll = poll;
  }

  void run(UpdateRequest request, byte[] model) throws UpdateException {
    RuntimeSlotSession session = new RuntimeSlotSession(link);
    String sha = request.model().sha256();
    SlotTable table = flash(() -> session.slots());
    if (table.activeModel() != null && sha.equals(table.activeModel().sha256())) {
      if (table.onTrial()) {
        watchAndConfirm(session, request);
      }
      return;
    }
    if (table.onTrial()) {
      listener.phase(UpdatePhase.Writing, "reverting the model left on trial first");
      flash(() -> session.revert());
      table = flash(() -> session.slots());
    }
    String slot = RuntimeSlotSession.inactiveSlot(table);
    listener.phase(UpdatePhase.Writing, "slot " + slot + ", " + model.length + " bytes");
    flash(
        () -> {
          session.write(slot, model, listener::progress);
          return null;
        });
    listener.phase(UpdatePhase.Verifying, "slot " + slot);
    String digest = flash(() -> session.digest(slot, model.length));
    if (!digest.equals(sha)) {
      throw new UpdateException(
          UpdateReason.VerifyMismatch, "slot " + slot + " hashes to " + digest + ", not " + sha);
    }
    selfTest(session, slot, model.length, request.selfTest());
    listener.phase(UpdatePhase.Activating, "slot " + slot);
    flash(
        () ->
            session.activate(
                new SlotMessages.ActivateRequest(
                    slot, model.length, sha, request.model().name(), request.model().version())));
    watchAndConfirm(session, request);
  }

  /** The trial of the model that runs now, then CONFIRM, or REVERT when the device failed it. */
  void watchAndConfirm(RuntimeSlotSession session, UpdateRequest request) throws UpdateException {
    listener.phase(UpdatePhase.Trial, "for " + request.trial().toSeconds() + " s");
    try {
      TrialWatch.watch(link, request.model().sha256(), request.trial(), poll);
    } catch (UpdateException e) {
      revertQuietly(session);
      throw e;
    }
    flash(() -> session.confirm());
  }

  /** Runs the golden vectors on {@code slot} and judges the outputs. */
  void selfTest(RuntimeSlotSession session, String slot, int length, SelfTest selfTest)
      throws UpdateException {
    if (selfTest.vectors().isEmpty()) {
      return;
    }
    listener.phase(UpdatePhase.SelfTesting, selfTest.vectors().size() + " vectors");
    List<SelfTest.Vector> vectors = selfTest.vectors();
    for (int i = 0; i < vectors.size(); i++) {
      SelfTest.Vector vector = vectors.get(i);
      SlotMessages.SelfTestResult result =
          flash(() -> session.selfTest(slot, length, vector.input()));
      SelfTestJudge.judge(i, vector, result.output(), selfTest.tolerance());
    }
  }

  static void revertQuietly(RuntimeSlotSession session) {
    try {
      session.revert();
    } catch (FlashException e) {
      // a device that went back by itself has nothing on trial: the trial failure is the report
    }
  }

  /** A step of the session. */
  private interface Step<T> {
    T run() throws FlashException;
  }

  private static <T> T flash(Step<T> step) throws UpdateException {
    try {
      return step.run();
    } catch (FlashException e) {
      throw translate(e);
    }
  }

  static UpdateException translate(FlashException e) {
    UpdateReason reason =
        switch (e.failure()) {
          case VERIFY_MISMATCH -> UpdateReason.VerifyMismatch;
          case MODEL_REJECTED -> UpdateReason.ModelRejected;
          case UNSUPPORTED -> UpdateReason.NoUpdatePath;
          case OUT_OF_RANGE -> UpdateReason.DoesNotFit;
          case WRONG_CHIP -> UpdateReason.NoUpdatePath;
          default -> UpdateReason.FlashFailed;
        };
    String prefix = e.failure() == FlashFailure.REFUSED ? "refused: " : e.failure() + ": ";
    return new UpdateException(reason, prefix + e.getMessage(), e);
  }
}
