package io.fieldproof.device.protocol;

import java.util.Optional;

/**
 * The message types of the runtime protocol and their u8 codes. The slot commands came with
 * protocol v2 ({@link Hello#RUNTIME_V2}); a v1 runtime answers them with {@link
 * ErrorCode#NOT_SUPPORTED}.
 */
public enum MessageType {
  /** Identity, firmware, capabilities and slot table. */
  HELLO(0x01, false),
  /** Apply a runtime configuration. */
  CONFIG(0x02, false),
  /** Health counters. */
  STATS(0x03, false),
  /** Sensor readings, device to host, unsolicited (request id 0). */
  TELEMETRY(0x10, false),
  /**
   * Write a chunk into the inactive model slot (binary body, see {@link SlotWrite}). Protocol v2.
   */
  SLOT_WRITE(0x20, true),
  /** The sha256 of the first bytes of a slot. Protocol v2. */
  SLOT_DIGEST(0x21, true),
  /** Run one self-test vector on the model in a slot. Protocol v2. */
  SELFTEST(0x22, true),
  /** Commit the written slot and run it on trial. Protocol v2. */
  ACTIVATE(0x23, true),
  /** Confirm the model on trial. Protocol v2. */
  CONFIRM(0x24, true),
  /** Go back to the previous valid model. Protocol v2. */
  REVERT(0x25, true);

  private final int code;
  private final boolean reserved;

  MessageType(int code, boolean reserved) {
    this.code = code;
    this.reserved = reserved;
  }

  /** The u8 on the wire. */
  public int code() {
    return code;
  }

  /** A slot command: added by protocol v2, refused by a v1 runtime. */
  public boolean slotCommand() {
    return reserved;
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
