package io.fieldproof.agent.link;

import java.util.Optional;

/**
 * The message types of protocol v1 and their u8 codes. The slot commands are reserved here and
 * defined by the flashing work; a v1 runtime answers them with {@link ErrorCode#NOT_SUPPORTED}.
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
  /** Reserved: write a chunk into the inactive model slot. */
  SLOT_WRITE(0x20, true),
  /** Reserved: digest of a slot's contents. */
  SLOT_DIGEST(0x21, true),
  /** Reserved: run self-test vectors on a slot. */
  SELFTEST(0x22, true),
  /** Reserved: activate a slot on trial. */
  ACTIVATE(0x23, true),
  /** Reserved: confirm the trial slot. */
  CONFIRM(0x24, true),
  /** Reserved: revert to the previous valid slot. */
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

  /** Declared for the flashing work, not implemented by protocol v1. */
  public boolean reserved() {
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
