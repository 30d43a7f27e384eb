package io.fieldproof.device.protocol;

/** Why a received frame was dropped: the frame is discarded and counted, never delivered. */
public final class FrameException extends Exception {

  private static final long serialVersionUID = 1L;

  /** The class of damage, used as the name of a drop counter. */
  public enum Reason {
    /** The byte stuffing is invalid. */
    BAD_COBS,
    /** Shorter than header and CRC, or the body length field disagrees with the frame. */
    BAD_LENGTH,
    /** The CRC-32 does not match. */
    BAD_CRC,
    /** More bytes than the largest valid frame arrived before a delimiter. */
    TOO_LONG
  }

  private final Reason reason;

  public FrameException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
