package io.fieldproof.device.protocol;

import java.util.Arrays;

/**
 * One decoded frame: the header fields and the body bytes (UTF-8 JSON for every v1 message). The
 * body array is owned by the frame and must not be modified after construction.
 *
 * @param type the message type code (u8), see {@link MessageType}
 * @param flags bit 0 = response, bit 1 = error
 * @param requestId u16 chosen by the host, echoed in the response; 0 for unsolicited frames
 * @param body at most {@link FrameCodec#MAX_BODY_LENGTH} bytes
 */
public record Frame(int type, int flags, int requestId, byte[] body) {

  /** Flag bit 0: the frame answers a request. */
  public static final int FLAG_RESPONSE = 0x01;

  /** Flag bit 1: the response is an error; the body is {@link ErrorBody}. */
  public static final int FLAG_ERROR = 0x02;

  public Frame {
    checkRange("type", type, 0xFF);
    checkRange("flags", flags, 0xFF);
    checkRange("requestId", requestId, 0xFFFF);
    if (body == null) {
      throw new IllegalArgumentException("body must not be null");
    }
    if (body.length > FrameCodec.MAX_BODY_LENGTH) {
      throw new IllegalArgumentException(
          "body of " + body.length + " bytes exceeds " + FrameCodec.MAX_BODY_LENGTH);
    }
  }

  /** A request from the host. */
  public static Frame request(int type, int requestId, byte[] body) {
    return new Frame(type, 0, requestId, body);
  }

  /** A successful response to {@code request}. */
  public static Frame response(Frame request, byte[] body) {
    return new Frame(request.type(), FLAG_RESPONSE, request.requestId(), body);
  }

  /** An error response to {@code request}. */
  public static Frame error(Frame request, byte[] body) {
    return new Frame(request.type(), FLAG_RESPONSE | FLAG_ERROR, request.requestId(), body);
  }

  /** An unsolicited frame from the device (request id 0). */
  public static Frame unsolicited(int type, byte[] body) {
    return new Frame(type, 0, 0, body);
  }

  public boolean isResponse() {
    return (flags & FLAG_RESPONSE) != 0;
  }

  public boolean isError() {
    return (flags & FLAG_ERROR) != 0;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Frame that
        && type == that.type
        && flags == that.flags
        && requestId == that.requestId
        && Arrays.equals(body, that.body);
  }

  @Override
  public int hashCode() {
    return ((type * 31 + flags) * 31 + requestId) * 31 + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return String.format(
        "Frame[type=0x%02x, flags=0x%02x, requestId=%d, body=%d bytes]",
        type, flags, requestId, body.length);
  }

  private static void checkRange(String name, int value, int max) {
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(name + " " + value + " is outside 0.." + max);
    }
  }
}
