package io.fieldproof.agent.update;

import io.fieldproof.protocol.ModelRef;
import java.time.Duration;

/** Where the agent gets model bytes from (the MQTT chunk transfer, in production). */
@FunctionalInterface
public interface ModelSource {

  /**
   * The bytes of {@code model}, verified against its sha256 by the source.
   *
   * @throws UpdateException {@link UpdateReason#DownloadFailed} when they cannot be had in time,
   *     {@link UpdateReason#DigestMismatch} when what came does not match
   */
  byte[] fetch(ModelRef model, Duration timeout) throws UpdateException;
}
