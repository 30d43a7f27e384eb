package io.fieldproof.device.protocol.slots;

import java.util.Optional;

/** The states of a model slot, with ESP-IDF's otadata encoding. */
public enum SlotState {
  NEW(0x0),
  PENDING_VERIFY(0x1),
  VALID(0x2),
  INVALID(0x3),
  ABORTED(0x4);

  private final int code;

  SlotState(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The state encoded as {@code code}, if any. */
  public static Optional<SlotState> of(int code) {
    for (SlotState state : values()) {
      if (state.code == code) {
        return Optional.of(state);
      }
    }
    return Optional.empty();
  }
}
