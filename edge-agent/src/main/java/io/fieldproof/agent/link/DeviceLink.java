package io.fieldproof.agent.link;

import com.fasterxml.jackson.databind.JsonNode;
import io.fieldproof.device.protocol.Hello;
import io.fieldproof.device.protocol.Stats;
import io.fieldproof.device.protocol.Telemetry;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * A connection to the runtime of one device, speaking protocol v1. Requests may be issued from
 * several threads; each waits for its own response up to the link's timeout. Failures are {@link
 * DeviceLinkException}s.
 */
public interface DeviceLink extends AutoCloseable {

  /** HELLO: identity, firmware, capabilities and slot table. */
  Hello hello() throws IOException;

  /**
   * CONFIG: applies a runtime configuration. Sending the generation the device already runs is a
   * no-op.
   *
   * @param generation at least 1
   * @param config the runtime configuration, a JSON object with an {@code inputs} array
   * @return the generation the device runs with afterwards
   * @throws IllegalArgumentException when the request body would exceed 4096 bytes
   */
  long configure(long generation, JsonNode config) throws IOException;

  /**
   * Sends one request of any type and returns the body of its successful response.
   *
   * @throws DeviceLinkException for an error response, a timeout or a lost link
   */
  byte[] request(int type, byte[] body) throws IOException;

  /** STATS: health counters. */
  Stats stats() throws IOException;

  /**
   * Registers a listener for TELEMETRY frames. Listeners run on the thread that receives frames and
   * must not wait for requests on the same link.
   */
  void onTelemetry(Consumer<Telemetry> listener);

  /** Damaged frames received from the device and dropped since the link was opened. */
  long framesDropped();

  /**
   * Closes the link; waiting requests fail with {@link DeviceLinkException.Failure#DISCONNECTED}.
   */
  @Override
  void close();
}
