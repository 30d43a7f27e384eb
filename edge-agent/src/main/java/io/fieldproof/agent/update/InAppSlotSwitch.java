package io.fieldproof.agent.update;

import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.agent.flash.inapp.RuntimeSlotSession;
import io.fieldproof.agent.link.DeviceLink;
import io.fieldproof.device.protocol.SlotMessages;
import io.fieldproof.protocol.ModelRef;
import java.time.Duration;

/**
 * The slot switch through the running firmware (runtime v2): SLOT_DIGEST of the other slot over the
 * model's size must equal its sha256, the golden vectors run on it, then ACTIVATE (which needs no
 * write before it: it checks the digest and commits the slot NEW), the trial and CONFIRM, as {@link
 * InAppUpdate} does after a write. Nothing is written to the slot itself.
 */
final class InAppSlotSwitch {

  private final DeviceLink link;
  private final UpdateListener listener;
  private final Duration poll;

  InAppSlotSwitch(DeviceLink link, UpdateListener listener, Duration poll) {
    this.link = link;
    this.listener = listener;
    this.poll = poll;
  }

  /**
   * Switches to the model in {@code slot}; false, with nothing changed, when the device cannot hash
   * the slot, its digest differs, or the device does not activate it. A self-test mismatch or a
   * failed trial ends the update: the same bytes written again would fail the same way.
   */
  boolean run(UpdateRequest request, String slot) throws UpdateException {
    RuntimeSlotSession session = new RuntimeSlotSession(link);
    InAppUpdate inApp = new InAppUpdate(link, listener, poll);
    ModelRef model = request.model();
    String digest;
    try {
      digest = session.digest(slot, model.size());
    } catch (FlashException e) {
      listener.phase(
          UpdatePhase.Verifying,
          "slot " + slot + " could not be hashed (" + e.getMessage() + "): downloading");
      return false;
    }
    if (!digest.equals(model.sha256())) {
      listener.phase(
          UpdatePhase.Verifying,
          "slot " + slot + " hashes to " + digest + ", not " + model.sha256() + ": downloading");
      return false;
    }
    inApp.selfTest(session, slot, (int) model.size(), request.selfTest());
    listener.phase(UpdatePhase.Activating, "slot " + slot + ", no write");
    try {
      session.activate(
          new SlotMessages.ActivateRequest(
              slot, model.size(), model.sha256(), model.name(), model.version()));
    } catch (FlashException e) {
      listener.phase(
          UpdatePhase.Activating,
          "the device did not activate slot " + slot + " (" + e.getMessage() + "): downloading");
      return false;
    }
    inApp.watchAndConfirm(session, request);
    return true;
  }
}
