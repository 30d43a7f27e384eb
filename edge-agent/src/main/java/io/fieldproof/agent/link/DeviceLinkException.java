package io.fieldproof.agent.link;

import io.fieldproof.device.protocol.ErrorBody;
import io.fieldproof.device.protocol.ErrorCode;
import java.io.IOException;
import java.util.Optional;

/**
 * A device request that did not produce a valid answer: the device answered with an error response
 * (its code is kept), no answer came in time, the link is down, or the answer was not what the
 * request type requires.
 */
public class DeviceLinkException extends IOException {

  private static final long serialVersionUID = 1L;

  /** What went wrong, independent of the device's own error codes. */
  public enum Failure {
    /** The device answered with an error response; see {@link #deviceCode()}. */
    DEVICE_ERROR,
    /** No valid response arrived within the link's timeout (lost, corrupted or too slow). */
    TIMEOUT,
    /** The link is closed, was lost while waiting, or the device cannot be reached. */
    DISCONNECTED,
    /** A response arrived but its type or body is not what the request requires. */
    BAD_RESPONSE,
    /** All 65535 request ids are waiting for answers. */
    OVERLOADED
  }

  private final Failure failure;
  private final int deviceCode;

  public DeviceLinkException(Failure failure, String message) {
    this(failure, 0, message, null);
  }

  public DeviceLinkException(Failure failure, String message, Throwable cause) {
    this(failure, 0, message, cause);
  }

  private DeviceLinkException(Failure failure, int deviceCode, String message, Throwable cause) {
    super(message, cause);
    this.failure = failure;
    this.deviceCode = deviceCode;
  }

  /** The exception for an error response carrying {@code body}. */
  public static DeviceLinkException deviceError(ErrorBody body) {
    String name = ErrorCode.fromCode(body.code()).map(Enum::name).orElse("code " + body.code());
    return new DeviceLinkException(
        Failure.DEVICE_ERROR, body.code(), "device error " + name + ": " + body.message(), null);
  }

  public Failure failure() {
    return failure;
  }

  /** The device's error code for {@link Failure#DEVICE_ERROR}, 0 otherwise. */
  public int deviceCode() {
    return deviceCode;
  }

  /** The device's error code when it is one protocol v1 defines. */
  public Optional<ErrorCode> errorCode() {
    return failure == Failure.DEVICE_ERROR ? ErrorCode.fromCode(deviceCode) : Optional.empty();
  }
}
