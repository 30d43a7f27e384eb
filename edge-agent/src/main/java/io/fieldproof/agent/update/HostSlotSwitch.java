package io.fieldproof.agent.update;

import io.fieldproof.agent.flash.BootloaderSession;
import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.device.protocol.Capabilities;
import io.fieldproof.device.protocol.slots.SlotLayout;
import io.fieldproof.device.protocol.slots.SlotRecord;
import io.fieldproof.device.protocol.slots.SlotState;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.Sha256;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The slot switch through a chip's bootloader, for firmware without slot commands: the slot records
 * must show a VALID model running and the wanted model (sha256 and length) in the other slot; that
 * slot is read back and hashed on the gateway, checked as a downloaded model would be (int8, fit,
 * golden vectors on the gateway's interpreter), and gets a NEW record with the next sequence. The
 * slot's bytes are never written: only its record is.
 */
final class HostSlotSwitch {

  private final BootloaderSession session;
  private final SlotLayout layout;
  private final UpdateListener listener;

  HostSlotSwitch(BootloaderSession session, SlotLayout layout, UpdateListener listener) {
    this.session = session;
    this.layout = layout;
    this.listener = listener;
  }

  /**
   * Writes the NEW record that makes the chip boot the model in {@code slotName} on trial.
   *
   * @return that record, or empty, with nothing written, when the records or the bytes say the slot
   *     does not hold the model
   */
  Optional<SlotRecord> flip(UpdateRequest request, String slotName, Capabilities capabilities)
      throws FlashException, UpdateException {
    ModelRef model = request.model();
    HostSlotRecords records = HostSlotRecords.read(session, layout);
    int slot = records.target();
    boolean runningValid =
        records
            .running()
            .flatMap(records::record)
            .filter(r -> r.state() == SlotState.VALID)
            .isPresent();
    Optional<SlotRecord> held =
        records
            .record(slot)
            .filter(r -> r.sha256Hex().equals(model.sha256()))
            .filter(r -> r.length() == model.size() && r.length() <= layout.slotSize());
    if (!runningValid || !SlotLayout.name(slot).equals(slotName) || held.isEmpty()) {
      listener.phase(
          UpdatePhase.Verifying,
          "the slot records do not show the model in slot " + slotName + ": downloading");
      return Optional.empty();
    }
    byte[] bytes = session.read(layout.busAddress(layout.slotOffset(slot)), held.get().length());
    String digest = Sha256.hex(bytes);
    if (!digest.equals(model.sha256())) {
      listener.phase(
          UpdatePhase.Verifying,
          "slot "
              + slotName
              + " reads back as "
              + digest
              + ", not "
              + model.sha256()
              + ": downloading");
      return Optional.empty();
    }
    listener.phase(UpdatePhase.Validating, bytes.length + " bytes read back from slot " + slotName);
    ModelValidation.check(model, bytes, capabilities);
    HostSelfTest.run(bytes, request.selfTest());
    SlotRecord record =
        new SlotRecord(
            records.nextSeq(),
            SlotState.NEW,
            bytes.length,
            HexFormat.of().parseHex(model.sha256()),
            model.name(),
            model.version());
    listener.phase(UpdatePhase.Activating, "record " + slotName + " NEW, no write of the slot");
    BootloaderUpdate.writeRecord(session, layout, slot, record);
    return Optional.of(record);
  }
}
