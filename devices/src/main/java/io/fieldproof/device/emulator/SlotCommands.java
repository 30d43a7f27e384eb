package io.fieldproof.device.emulator;

import io.fieldproof.device.emulator.flash.ModelSlots;
import io.fieldproof.device.emulator.flash.PowerLossException;
import io.fieldproof.device.protocol.ErrorCode;
import io.fieldproof.device.protocol.MalformedBodyException;
import io.fieldproof.device.protocol.MessageCodec;
import io.fieldproof.device.protocol.SlotMessages;
import io.fieldproof.device.protocol.SlotWrite;
import io.fieldproof.device.protocol.slots.SlotState;
import io.fieldproof.device.runtime.InterpreterModelRunner;
import io.fieldproof.model.footprint.ChipProfile;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The slot commands of runtime protocol v2 as the firmware serves them, on the device's {@link
 * ModelSlots}: writes go into the inactive slot in order while inference goes on; the digest and
 * self-test read the slot; ACTIVATE commits the slot and runs it on trial; CONFIRM and REVERT end
 * the trial. A power cut ({@link PowerLossException}) passes through to the device, which reboots.
 * Not thread-safe: the runtime serializes requests.
 */
final class SlotCommands {

  private final ModelSlots slots;
  private final ChipProfile chip;
  private int writingSlot = -1;
  private int written;
  private int selfTestSkew;

  SlotCommands(ModelSlots slots, ChipProfile chip) {
    this.slots = slots;
    this.chip = chip;
  }

  /** Fault hook: adds {@code delta} to every self-test output, as a miscompiled kernel would. */
  void skewSelfTests(int delta) {
    this.selfTestSkew = delta;
  }

  /** Forgets an update in progress (the device rebooted). */
  void reset() {
    writingSlot = -1;
    written = 0;
  }

  byte[] write(byte[] body) throws RequestRefusedException {
    SlotWrite write = decodeWrite(body);
    requireInactive(write.slot());
    if (write.begin()) {
      if (slots
          .activeSlot()
          .flatMap(slots::record)
          .filter(r -> r.state() == SlotState.PENDING_VERIFY)
          .isPresent()) {
        throw refused(
            ErrorCode.WRONG_STATE,
            "the running model is on trial: CONFIRM or REVERT it before writing another");
      }
      if (write.offset() != 0) {
        throw refused(ErrorCode.OUT_OF_RANGE, "a write that begins an update starts at 0");
      }
      slots.beginUpdate(write.slot());
      writingSlot = write.slot();
      written = 0;
    }
    if (writingSlot != write.slot()) {
      throw refused(ErrorCode.WRONG_STATE, "no update of slot " + name(write.slot()) + " began");
    }
    if (write.offset() == written - write.data().length && write.offset() >= 0 && !write.begin()) {
      return MessageCodec.write(new SlotMessages.Written(name(write.slot()), written));
    }
    if (write.offset() != written) {
      throw refused(
          ErrorCode.WRONG_STATE,
          "slot " + name(write.slot()) + " holds " + written + " bytes; write at that offset");
    }
    if ((long) written + write.data().length > slots.layout().slotSize()) {
      throw refused(
          ErrorCode.OUT_OF_RANGE,
          "the model does not fit the slot of " + slots.layout().slotSize() + " bytes");
    }
    slots.write(write.slot(), write.offset(), write.data());
    written += write.data().length;
    return MessageCodec.write(new SlotMessages.Written(name(write.slot()), written));
  }

  byte[] digest(byte[] body) throws RequestRefusedException {
    SlotMessages.DigestRequest request = read(body, SlotMessages.DigestRequest.class);
    int slot = slotIndex(request.slot());
    int length = length(request.length());
    String sha = HexFormat.of().formatHex(slots.digest(slot, length));
    return MessageCodec.write(new SlotMessages.Digest(request.slot(), length, sha));
  }

  byte[] selfTest(byte[] body) throws RequestRefusedException {
    SlotMessages.SelfTestRequest request = read(body, SlotMessages.SelfTestRequest.class);
    int slot = slotIndex(request.slot());
    byte[] model = slots.read(slot, length(request.length()));
    byte[] input = int8(request.input());
    InterpreterModelRunner runner;
    byte[] output;
    try {
      runner = InterpreterModelRunner.load(model, chip);
      output = runner.invokeRaw(input);
    } catch (RuntimeException e) {
      throw refused(
          ErrorCode.MODEL_INVALID, "the model in slot " + request.slot() + ": " + e.getMessage());
    }
    List<Integer> values = new ArrayList<>(output.length);
    for (byte value : output) {
      values.add(Math.max(-128, Math.min(127, value + selfTestSkew)));
    }
    return MessageCodec.write(new SlotMessages.SelfTestResult(values, runner.lastCycles()));
  }

  /** Commits the slot (NEW) and boots it on trial without a reset; returns the booted slot. */
  void activate(byte[] body) throws RequestRefusedException {
    SlotMessages.ActivateRequest request = read(body, SlotMessages.ActivateRequest.class);
    int slot = slotIndex(request.slot());
    requireInactive(slot);
    byte[] sha;
    try {
      sha = HexFormat.of().parseHex(request.sha256());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw refused(ErrorCode.MALFORMED_BODY, "sha256 must be 64 hex digits");
    }
    if (sha.length != 32) {
      throw refused(ErrorCode.MALFORMED_BODY, "sha256 must be 64 hex digits");
    }
    int length = length(request.length());
    try {
      InterpreterModelRunner.load(slots.read(slot, length), chip);
    } catch (RuntimeException e) {
      throw refused(ErrorCode.MODEL_INVALID, "slot " + request.slot() + ": " + e.getMessage());
    }
    try {
      slots.commit(slot, length, sha, request.name(), request.version());
    } catch (IllegalStateException e) {
      throw refused(ErrorCode.DIGEST_MISMATCH, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw refused(ErrorCode.MALFORMED_BODY, e.getMessage());
    }
    reset();
    slots.boot();
  }

  void confirm() throws RequestRefusedException {
    try {
      slots.confirm();
    } catch (IllegalStateException e) {
      throw refused(ErrorCode.WRONG_STATE, e.getMessage());
    }
  }

  void revert() throws RequestRefusedException {
    try {
      slots.revert();
    } catch (IllegalStateException e) {
      throw refused(ErrorCode.WRONG_STATE, e.getMessage());
    }
    reset();
  }

  private void requireInactive(int slot) throws RequestRefusedException {
    if (slots.activeSlot().filter(active -> active == slot).isPresent()) {
      throw refused(ErrorCode.SLOT_ACTIVE, "slot " + name(slot) + " runs: write the other one");
    }
  }

  private int length(long requested) throws RequestRefusedException {
    if (requested < 1 || requested > slots.layout().slotSize()) {
      throw refused(
          ErrorCode.OUT_OF_RANGE, "length must lie within 1.." + slots.layout().slotSize());
    }
    return (int) requested;
  }

  private static byte[] int8(List<Integer> values) throws RequestRefusedException {
    if (values == null || values.isEmpty()) {
      throw refused(ErrorCode.MALFORMED_BODY, "input must be a non-empty int8 array");
    }
    byte[] bytes = new byte[values.size()];
    for (int i = 0; i < bytes.length; i++) {
      Integer value = values.get(i);
      if (value == null || value < -128 || value > 127) {
        throw refused(ErrorCode.MALFORMED_BODY, "input values must lie within -128..127");
      }
      bytes[i] = value.byteValue();
    }
    return bytes;
  }

  private static SlotWrite decodeWrite(byte[] body) throws RequestRefusedException {
    try {
      return SlotWrite.decode(body);
    } catch (MalformedBodyException e) {
      throw refused(ErrorCode.MALFORMED_BODY, e.getMessage());
    }
  }

  private static int slotIndex(String name) throws RequestRefusedException {
    try {
      return SlotWrite.slotIndex(name);
    } catch (MalformedBodyException e) {
      throw refused(ErrorCode.MALFORMED_BODY, e.getMessage());
    }
  }

  private static <T> T read(byte[] body, Class<T> type) throws RequestRefusedException {
    try {
      return SlotRequestReader.read(body, type);
    } catch (MalformedBodyException e) {
      throw refused(ErrorCode.MALFORMED_BODY, e.getMessage());
    }
  }

  private static String name(int slot) {
    return SlotWrite.slotName(slot);
  }

  private static RequestRefusedException refused(ErrorCode code, String message) {
    return new RequestRefusedException(code, message);
  }
}
