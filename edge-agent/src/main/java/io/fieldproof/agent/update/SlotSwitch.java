package io.fieldproof.agent.update;

import io.fieldproof.agent.flash.inapp.RuntimeSlotSession;
import io.fieldproof.device.protocol.Hello;
import io.fieldproof.device.protocol.SlotTable;
import io.fieldproof.protocol.ModelRef;
import java.time.Duration;
import java.util.Optional;

/**
 * Rollback without a download: when an update asks for the model the device's other slot still
 * holds (the model it ran before), the agent checks those bytes where they are and switches back to
 * them, on trial and confirmed like a model it wrote. Through firmware with slot commands (runtime
 * v2) by {@link InAppSlotSwitch}; through the bootloader for older firmware by {@link
 * BootloaderUpdate#switchBack}. The firmware's slot table must name the model in the slot that does
 * not run, with nothing on trial. When the slot turns out not to hold the model, its bytes do not
 * check or the device refuses, nothing has changed and {@link #run} returns false: the model is
 * downloaded and written as usual.
 */
final class SlotSwitch {

  /** The {@link UpdateResult#path()} of a switch through the firmware. */
  static final String IN_APP = "slot-switch";

  /** The {@link UpdateResult#path()} of a switch through the bootloader. */
  static final String BOOTLOADER = "bootloader-slot-switch";

  private final UpdateTarget target;
  private final BootloaderConnector bootloaders;
  private final UpdateListener listener;
  private final Duration poll;

  SlotSwitch(
      UpdateTarget target,
      BootloaderConnector bootloaders,
      UpdateListener listener,
      Duration poll) {
    this.target = target;
    this.bootloaders = bootloaders;
    this.listener = listener;
    this.poll = poll;
  }

  /**
   * Switches the device back to {@code request}'s model if its other slot holds it.
   *
   * @param hello what the firmware answered, null when it did not
   * @return true when the model runs confirmed, false when no switch was possible and nothing
   *     changed
   * @throws UpdateException when the switch failed; a permanent reason ends the update
   */
  boolean run(UpdateRequest request, Hello hello) throws UpdateException {
    if (hello == null) {
      return false;
    }
    Optional<String> slot = otherSlotHolding(hello.slots(), request.model());
    boolean inApp = hello.supportsSlotCommands();
    if (slot.isEmpty() || (!inApp && target.bootloaderUri() == null)) {
      return false;
    }
    listener.phase(
        UpdatePhase.Verifying,
        "switching back to slot " + slot.get() + ", already holds " + request.model().sha256());
    if (inApp) {
      return new InAppSlotSwitch(target.link(), listener, poll).run(request, slot.get());
    }
    return new BootloaderUpdate(
            bootloaders, target.bootloaderUri(), target.chip(), target.link(), listener, poll)
        .switchBack(request, slot.get(), target.capabilities());
  }

  /** The path a switch takes on the device that answered {@code hello}. */
  String path(Hello hello) {
    return hello != null && hello.supportsSlotCommands() ? IN_APP : BOOTLOADER;
  }

  /**
   * The slot that does not run, if the table names {@code model} (sha256 and size) in it and the
   * running model is not on trial (a trial is reverted or confirmed by the ordinary path first).
   */
  static Optional<String> otherSlotHolding(SlotTable table, ModelRef model) {
    if (table.active() == null || table.onTrial()) {
      return Optional.empty();
    }
    String other = RuntimeSlotSession.inactiveSlot(table);
    io.fieldproof.device.protocol.ModelRef held = table.model(other);
    boolean holds =
        held != null && held.sha256().equals(model.sha256()) && held.size() == model.size();
    return holds ? Optional.of(other) : Optional.empty();
  }
}
