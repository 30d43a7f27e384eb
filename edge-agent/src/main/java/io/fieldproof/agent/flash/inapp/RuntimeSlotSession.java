package io.fieldproof.agent.flash.inapp;

import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.agent.flash.FlashFailure;
import io.fieldproof.agent.flash.FlashProgress;
import io.fieldproof.agent.link.DeviceLink;
import io.fieldproof.agent.link.DeviceLinkException;
import io.fieldproof.device.protocol.ErrorCode;
import io.fieldproof.device.protocol.MalformedBodyException;
import io.fieldproof.device.protocol.MessageCodec;
import io.fieldproof.device.protocol.MessageType;
import io.fieldproof.device.protocol.SlotMessages;
import io.fieldproof.device.protocol.SlotTable;
import io.fieldproof.device.protocol.SlotWrite;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * The in-app update path: the slot commands of runtime protocol v2 over a device link, while the
 * firmware keeps running its model. Writes go in order in chunks that fill a frame; a chunk whose
 * answer was lost is sent again (the device acknowledges a repeated last chunk without writing it
 * twice). Failures are {@link FlashException}s with the reason codes the bootloader paths use.
 */
public final class RuntimeSlotSession {

  private static final int CHUNK_ATTEMPTS = 4;

  private final DeviceLink link;

  public RuntimeSlotSession(DeviceLink link) {
    this.link = link;
  }

  /** The device's slot table. */
  public SlotTable slots() throws FlashException {
    try {
      return link.hello().slots();
    } catch (IOException e) {
      throw failure("HELLO", e);
    }
  }

  /** The slot that does not run: where a new model goes. */
  public static String inactiveSlot(SlotTable table) {
    return SlotTable.SLOT_A.equals(table.active()) ? SlotTable.SLOT_B : SlotTable.SLOT_A;
  }

  /** Writes {@code model} into {@code slot} from its start, erasing it first. */
  public void write(String slot, byte[] model, FlashProgress progress) throws FlashException {
    int index = slotIndex(slot);
    for (int offset = 0; offset < model.length; offset += SlotWrite.MAX_DATA) {
      byte[] chunk =
          Arrays.copyOfRange(model, offset, Math.min(model.length, offset + SlotWrite.MAX_DATA));
      SlotWrite write = new SlotWrite(index, offset == 0, offset, chunk);
      long written = writeChunk(write);
      if (written != offset + chunk.length) {
        throw new FlashException(
            FlashFailure.GARBLED,
            "slot "
                + slot
                + " holds "
                + written
                + " bytes after a write up to "
                + (offset + chunk.length));
      }
      progress.progress(written, model.length);
    }
  }

  /** The sha256 (hex) of the first {@code length} bytes of {@code slot}. */
  public String digest(String slot, long length) throws FlashException {
    SlotMessages.Digest digest =
        call(
            MessageType.SLOT_DIGEST,
            new SlotMessages.DigestRequest(slot, length),
            SlotMessages.Digest.class);
    return digest.sha256();
  }

  /** Runs one int8 vector through the model in {@code slot}. */
  public SlotMessages.SelfTestResult selfTest(String slot, long length, List<Integer> input)
      throws FlashException {
    return call(
        MessageType.SELFTEST,
        new SlotMessages.SelfTestRequest(slot, length, input),
        SlotMessages.SelfTestResult.class);
  }

  /** Commits {@code slot} and runs it on trial. */
  public SlotTable activate(SlotMessages.ActivateRequest request) throws FlashException {
    return call(MessageType.ACTIVATE, request, SlotTable.class);
  }

  /** Keeps the model on trial. */
  public SlotTable confirm() throws FlashException {
    return call(MessageType.CONFIRM, java.util.Map.of(), SlotTable.class);
  }

  /** Goes back to the previous valid model. */
  public SlotTable revert() throws FlashException {
    return call(MessageType.REVERT, java.util.Map.of(), SlotTable.class);
  }

  private long writeChunk(SlotWrite write) throws FlashException {
    FlashException last = null;
    for (int attempt = 1; attempt <= CHUNK_ATTEMPTS; attempt++) {
      try {
        byte[] answer = link.request(MessageType.SLOT_WRITE.code(), write.encode());
        return MessageCodec.read(answer, SlotMessages.Written.class).written();
      } catch (DeviceLinkException e) {
        last = failure("SLOT_WRITE at " + write.offset(), e);
        if (e.failure() != DeviceLinkException.Failure.TIMEOUT) {
          throw last;
        }
      } catch (MalformedBodyException e) {
        throw new FlashException(FlashFailure.GARBLED, "SLOT_WRITE answer: " + e.getMessage(), e);
      } catch (IOException e) {
        throw failure("SLOT_WRITE at " + write.offset(), e);
      }
    }
    throw last;
  }

  private <T> T call(MessageType type, Object body, Class<T> answerType) throws FlashException {
    try {
      return MessageCodec.read(link.request(type.code(), MessageCodec.write(body)), answerType);
    } catch (MalformedBodyException e) {
      throw new FlashException(FlashFailure.GARBLED, type + " answer: " + e.getMessage(), e);
    } catch (IOException e) {
      throw failure(type.name(), e);
    }
  }

  private static int slotIndex(String slot) throws FlashException {
    try {
      return SlotWrite.slotIndex(slot);
    } catch (MalformedBodyException e) {
      throw new FlashException(FlashFailure.OUT_OF_RANGE, e.getMessage());
    }
  }

  /** The reason code of a failed request. */
  static FlashException failure(String what, IOException e) {
    if (!(e instanceof DeviceLinkException link)) {
      return new FlashException(FlashFailure.LINK_LOST, what + ": " + e.getMessage(), e);
    }
    FlashFailure failure =
        switch (link.failure()) {
          case TIMEOUT, OVERLOADED -> FlashFailure.TIMEOUT;
          case DISCONNECTED -> FlashFailure.LINK_LOST;
          case BAD_RESPONSE -> FlashFailure.GARBLED;
          case DEVICE_ERROR -> deviceFailure(link.errorCode().orElse(null));
        };
    return new FlashException(failure, what + ": " + e.getMessage(), e);
  }

  private static FlashFailure deviceFailure(ErrorCode code) {
    if (code == null) {
      return FlashFailure.REFUSED;
    }
    return switch (code) {
      case NOT_SUPPORTED, UNKNOWN_TYPE -> FlashFailure.UNSUPPORTED;
      case OUT_OF_RANGE -> FlashFailure.OUT_OF_RANGE;
      case DIGEST_MISMATCH -> FlashFailure.VERIFY_MISMATCH;
      case MODEL_INVALID -> FlashFailure.MODEL_REJECTED;
      default -> FlashFailure.REFUSED;
    };
  }
}
