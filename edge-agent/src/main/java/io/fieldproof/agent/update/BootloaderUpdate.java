package io.fieldproof.agent.update;

import io.fieldproof.agent.flash.BootloaderSession;
import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.agent.flash.FlashProgress;
import io.fieldproof.agent.flash.inapp.RuntimeSlotSession;
import io.fieldproof.agent.link.DeviceLink;
import io.fieldproof.device.protocol.Capabilities;
import io.fieldproof.device.protocol.Hello;
import io.fieldproof.device.protocol.SlotTable;
import io.fieldproof.device.protocol.slots.SlotLayout;
import io.fieldproof.device.protocol.slots.SlotRecord;
import io.fieldproof.device.protocol.slots.SlotState;
import java.io.IOException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The update through the chip's own bootloader, for recovery and for firmware without slot
 * commands: read the slot records, write the model into the slot that does not run, verify it (MD5
 * or read-back), write a NEW record with the next sequence, and leave the bootloader: the chip
 * resets and boots the model on trial. Then, where the firmware answers, the golden vectors run on
 * the trial slot (runtime v2), the device is watched, and the model is confirmed, by CONFIRM or by
 * rewriting its record VALID through the bootloader. A reset on trial reverts by the boot rules. A
 * model the other slot still holds is switched back to without a write ({@link #switchBack}).
 */
final class BootloaderUpdate {

  private final BootloaderConnector connector;
  private final String uri;
  private final String chip;
  private final DeviceLink runtime;
  private final UpdateListener listener;
  private final Duration poll;

  BootloaderUpdate(
      BootloaderConnector connector,
      String uri,
      String chip,
      DeviceLink runtime,
      UpdateListener listener,
      Duration poll) {
    this.connector = connector;
    this.uri = uri;
    this.chip = chip;
    this.runtime = runtime;
    this.listener = listener;
    this.poll = poll;
  }

  void run(UpdateRequest request, byte[] model) throws UpdateException {
    SlotLayout layout = SlotLayout.forChip(chip);
    if (model.length > layout.slotSize()) {
      throw new UpdateException(
          UpdateReason.DoesNotFit,
          "the model of " + model.length + " bytes exceeds the slot of " + layout.slotSize());
    }
    SlotRecord record = writeSlot(layout, request, model);
    runOnTrial(layout, request, record);
  }

  /**
   * Switches back to the model the slot named {@code slot} still holds, without writing it: see
   * {@link HostSlotSwitch}. Then the chip boots it on trial as after a write.
   *
   * @return false, with nothing changed, when the records or the bytes read back say otherwise
   */
  boolean switchBack(UpdateRequest request, String slot, Capabilities capabilities)
      throws UpdateException {
    SlotLayout layout = SlotLayout.forChip(chip);
    Optional<SlotRecord> record;
    try (BootloaderSession session = connector.connect(uri, chip)) {
      record = new HostSlotSwitch(session, layout, listener).flip(request, slot, capabilities);
    } catch (FlashException e) {
      throw InAppUpdate.translate(e);
    }
    if (record.isEmpty()) {
      return false;
    }
    runOnTrial(layout, request, record.get());
    return true;
  }

  /**
   * The chip left the bootloader with {@code record} NEW: it boots the model on trial. The firmware
   * judges it (golden vectors where it has slot commands), the device is watched, and the model is
   * confirmed; without a firmware link the record is rewritten VALID at once.
   */
  private void runOnTrial(SlotLayout layout, UpdateRequest request, SlotRecord record)
      throws UpdateException {
    if (runtime == null) {
      rewriteRecord(layout, record);
      return;
    }
    Hello hello = awaitFirmware();
    if (hello == null) {
      throw new UpdateException(
          UpdateReason.TrialFailed, "the firmware did not answer after booting the new model");
    }
    if (hello.supportsSlotCommands()) {
      confirmInApp(request, record.length(), record);
    } else {
      listener.phase(UpdatePhase.Trial, "for " + request.trial().toSeconds() + " s");
      TrialWatch.watch(runtime, request.model().sha256(), request.trial(), poll);
      rewriteRecord(layout, record);
    }
  }

  private SlotRecord writeSlot(SlotLayout layout, UpdateRequest request, byte[] model)
      throws UpdateException {
    try (BootloaderSession session = connector.connect(uri, chip)) {
      HostSlotRecords records = HostSlotRecords.read(session, layout);
      int slot = records.target();
      long address = layout.busAddress(layout.slotOffset(slot));
      listener.phase(
          UpdatePhase.Writing,
          "slot "
              + SlotLayout.name(slot)
              + " at 0x"
              + Long.toHexString(address)
              + " by bootloader");
      session.write(address, model, listener::progress);
      listener.phase(UpdatePhase.Verifying, "slot " + SlotLayout.name(slot));
      session.verify(address, model);
      SlotRecord record =
          new SlotRecord(
              records.nextSeq(),
              SlotState.NEW,
              model.length,
              HexFormat.of().parseHex(request.model().sha256()),
              request.model().name(),
              request.model().version());
      listener.phase(UpdatePhase.Activating, "record " + SlotLayout.name(slot) + " NEW");
      writeRecord(session, layout, slot, record);
      return record;
    } catch (FlashException e) {
      throw InAppUpdate.translate(e);
    }
  }

  /**
   * Confirms the model on trial through the bootloader: its record, still NEW or PENDING_VERIFY
   * with the same sequence and sha256, is rewritten VALID. A record the boot rules already marked
   * ABORTED stays so: the device went back by itself.
   */
  private void rewriteRecord(SlotLayout layout, SlotRecord written) throws UpdateException {
    try (BootloaderSession session = connector.connect(uri, chip)) {
      HostSlotRecords records = HostSlotRecords.read(session, layout);
      for (int slot : new int[] {SlotLayout.A, SlotLayout.B}) {
        boolean onTrial =
            records
                .record(slot)
                .filter(r -> r.seq() == written.seq())
                .filter(r -> r.sha256Hex().equals(written.sha256Hex()))
                .filter(r -> r.state() == SlotState.NEW || r.state() == SlotState.PENDING_VERIFY)
                .isPresent();
        if (onTrial) {
          writeRecord(session, layout, slot, written.with(SlotState.VALID));
          return;
        }
      }
      throw new UpdateException(
          UpdateReason.TrialFailed, "the record of the new model is gone: the device reverted");
    } catch (FlashException e) {
      throw InAppUpdate.translate(e);
    }
  }

  static void writeRecord(BootloaderSession session, SlotLayout layout, int slot, SlotRecord record)
      throws FlashException {
    long address = layout.busAddress(layout.recordOffset(slot));
    byte[] bytes = record.encode();
    session.write(address, bytes, FlashProgress.NONE);
    session.verify(address, bytes);
  }

  /**
   * Firmware with slot commands judges the model it booted on trial: golden vectors on the active
   * slot (a mismatch reverts), the trial, then CONFIRM.
   */
  private void confirmInApp(UpdateRequest request, int length, SlotRecord record)
      throws UpdateException {
    RuntimeSlotSession session = new RuntimeSlotSession(runtime);
    InAppUpdate inApp = new InAppUpdate(runtime, listener, poll);
    SlotTable table;
    try {
      table = session.slots();
    } catch (FlashException e) {
      throw InAppUpdate.translate(e);
    }
    if (table.activeModel() == null || !record.sha256Hex().equals(table.activeModel().sha256())) {
      throw new UpdateException(
          UpdateReason.TrialFailed, "the device did not boot the new model; it went back");
    }
    try {
      inApp.selfTest(session, table.active(), length, request.selfTest());
    } catch (UpdateException e) {
      InAppUpdate.revertQuietly(session);
      throw e;
    }
    inApp.watchAndConfirm(session, request);
  }

  private Hello awaitFirmware() {
    if (runtime == null) {
      return null;
    }
    for (int attempt = 0; attempt < 10; attempt++) {
      try {
        return runtime.hello();
      } catch (IOException e) {
        java.util.concurrent.locks.LockSupport.parkNanos(poll.toNanos());
      }
    }
    return null;
  }
}
