package io.fieldproof.device.protocol;

import java.util.Optional;

/**
 * The message types of the runtime protocol and their u8 codes. The slot commands came with
 * protocol v2 ({@link Hello#RUNTIME_V2}), CAPTURE with v3 ({@link Hello#RUNTIME_V3}); an older
 * runtime answers a type newer than itself with {@link ErrorCode#NOT_SUPPORTED}.
 */
public enum MessageType {
  /** Identity, firmware, capabilities and slot table. */
  HELLO(0x01, 1),
  /** Apply a runtime configuration. */
  CONFIG(0x02, 1),
  /** Health counters. */
  STATS(0x03, 1),
  /** Sensor readings, device to host, unsolicited (request id 0). */
  TELEMETRY(0x10, 1),
  /**
   * Write a chunk into the inactive model slot (binary body, see {@link SlotWrite}). Protocol v2.
   */
  SLOT_WRITE(0x20, 2),
  /** The sha256 of the first bytes of a slot. Protocol v2. */
  SLOT_DIGEST(0x21, 2),
  /** Run one self-test vector on the model in a slot. Protocol v2. */
  SELFTEST(0x22, 2),
  /** Commit the written slot and run it on trial. Protocol v2. */
  ACTIVATE(0x23, 2),
  /** Confirm the model on trial. Protocol v2. */
  CONFIRM(0x24, 2),
  /** Go back to the previous valid model. Protocol v2. */
  REVERT(0x25, 2),
  /** Read or release the window of readings the device captured around a trigger. Protocol v3. */
  CAPTURE(0x30, 3);

  private final int code;
  private final int since;

  MessageType(int code, int since) {
    this.code = code;
    this.since = since;
  }

  /** The u8 on the wire. */
  public int code() {
    return code;
  }

  /** A slot command: added by protocol v2, refused by a v1 runtime. */
  public boolean slotCommand() {
    return since == 2;
  }

  /** The protocol version that added the type: a runtime of an older one refuses it. */
  public int since() {
    return since;
  }

  /** The type with {@code code}, if any. */
  public static Optional<MessageType> fromCode(int code) {
    for (MessageType type : values()) {
      if (type.code == code) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
