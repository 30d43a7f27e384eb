package io.fieldproof.agent.link;

import com.fasterxml.jackson.databind.JsonNode;
import io.fieldproof.device.protocol.ConfigApplied;
import io.fieldproof.device.protocol.ConfigRequest;
import io.fieldproof.device.protocol.DroppedFrames;
import io.fieldproof.device.protocol.ErrorBody;
import io.fieldproof.device.protocol.Frame;
import io.fieldproof.device.protocol.FrameCodec;
import io.fieldproof.device.protocol.FrameDecoder;
import io.fieldproof.device.protocol.Hello;
import io.fieldproof.device.protocol.MalformedBodyException;
import io.fieldproof.device.protocol.MessageCodec;
import io.fieldproof.device.protocol.MessageType;
import io.fieldproof.device.protocol.Stats;
import io.fieldproof.device.protocol.Telemetry;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The transport-independent half of a {@link DeviceLink}: request ids, waiting for responses,
 * decoding bodies, telemetry dispatch and the dropped-frame count. A subclass owns the transport:
 * it writes the bytes {@link #transmit} gets, feeds received frames to {@link #deliver} through a
 * decoder from {@link #newDecoder}, and calls {@link #connectionLost} when the stream breaks.
 */
public abstract class FramedDeviceLink implements DeviceLink {

  private static final System.Logger LOG = System.getLogger(FramedDeviceLink.class.getName());

  private final Duration timeout;
  private final PendingRequests pending = new PendingRequests();
  private final TelemetryListeners listeners = new TelemetryListeners();
  private final DroppedFrames dropped = new DroppedFrames();
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param timeout how long a request waits for its response
   */
  protected FramedDeviceLink(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, not " + timeout);
    }
    this.timeout = timeout;
  }

  @Override
  public Hello hello() throws DeviceLinkException {
    return call(MessageType.HELLO, MessageCodec.emptyObject(), Hello.class);
  }

  @Override
  public long configure(long generation, JsonNode config) throws DeviceLinkException {
    Objects.requireNonNull(config, "config");
    if (generation < 1) {
      throw new IllegalArgumentException("generation must be at least 1, not " + generation);
    }
    byte[] body = MessageCodec.write(new ConfigRequest(generation, config));
    return call(MessageType.CONFIG, body, ConfigApplied.class).appliedGeneration();
  }

  @Override
  public Stats stats() throws DeviceLinkException {
    return call(MessageType.STATS, MessageCodec.emptyObject(), Stats.class);
  }

  @Override
  public void onTelemetry(Consumer<Telemetry> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public long framesDropped() {
    return dropped.total();
  }

  /** The dropped-frame counts by reason. */
  public DroppedFrames droppedFrames() {
    return dropped;
  }

  /** How long a request waits for its response. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Sends one request of any type and returns the body of its successful response; the raw exchange
   * that typed requests, and message types added by later work, are built on.
   *
   * @throws DeviceLinkException for an error response, a timeout, a lost link or a response of
   *     another type
   */
  public byte[] request(int type, byte[] body) throws DeviceLinkException {
    if (closed.get()) {
      throw new DeviceLinkException(DeviceLinkException.Failure.DISCONNECTED, "link is closed");
    }
    PendingRequest request = pending.open();
    try {
      transmit(
          withLeadingDelimiter(FrameCodec.encode(Frame.request(type, request.requestId(), body))));
      Frame response = awaitResponse(request.response(), timeout);
      if (response.type() != type) {
        throw new DeviceLinkException(
            DeviceLinkException.Failure.BAD_RESPONSE,
            String.format(
                "response of type 0x%02x to a request of type 0x%02x", response.type(), type));
      }
      if (response.isError()) {
        throw DeviceLinkException.deviceError(readBody(response.body(), ErrorBody.class));
      }
      return response.body();
    } finally {
      pending.abandon(request);
    }
  }

  @Override
  public final void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closeTransport();
    connectionLost("link closed");
  }

  /** Whether {@link #close} was called. */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Writes the wire bytes of one request.
   *
   * @throws DeviceLinkException with {@link DeviceLinkException.Failure#DISCONNECTED} when the
   *     transport cannot carry it
   */
  protected abstract void transmit(byte[] wire) throws DeviceLinkException;

  /** Releases the transport; called once, by {@link #close}. */
  protected abstract void closeTransport();

  /**
   * Waits for the response of a transmitted request. Transports that deliver responses before
   * {@link #transmit} returns may answer at once instead.
   */
  protected Frame awaitResponse(CompletableFuture<Frame> response, Duration timeout)
      throws DeviceLinkException {
    try {
      return response.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new DeviceLinkException(
          DeviceLinkException.Failure.TIMEOUT, "no response within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof DeviceLinkException linkFailure) {
        throw new DeviceLinkException(linkFailure.failure(), linkFailure.getMessage(), linkFailure);
      }
      throw new DeviceLinkException(
          DeviceLinkException.Failure.DISCONNECTED, "request failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeviceLinkException(
          DeviceLinkException.Failure.DISCONNECTED, "interrupted while waiting for a response", e);
    }
  }

  /** A decoder that counts its drops in this link's counter. */
  protected final FrameDecoder newDecoder() {
    return new FrameDecoder(dropped);
  }

  /** Handles a frame received from the device: a response or a telemetry frame. */
  protected final void deliver(Frame frame) {
    if (frame.isResponse()) {
      if (!pending.complete(frame)) {
        LOG.log(Level.DEBUG, "dropping a response nobody waits for: {0}", frame);
      }
    } else if (frame.type() == MessageType.TELEMETRY.code()) {
      publishTelemetry(frame);
    } else {
      LOG.log(Level.DEBUG, "ignoring an unsolicited frame: {0}", frame);
    }
  }

  /** Fails every waiting request: the stream their responses would come on is gone. */
  protected final void connectionLost(String reason) {
    pending.failAll(new DeviceLinkException(DeviceLinkException.Failure.DISCONNECTED, reason));
  }

  private void publishTelemetry(Frame frame) {
    try {
      listeners.publish(MessageCodec.read(frame.body(), Telemetry.class));
    } catch (MalformedBodyException e) {
      LOG.log(Level.DEBUG, "ignoring a malformed telemetry frame: {0}", e.getMessage());
    }
  }

  private <T> T call(MessageType type, byte[] body, Class<T> responseType)
      throws DeviceLinkException {
    return readBody(request(type.code(), body), responseType);
  }

  private static <T> T readBody(byte[] body, Class<T> type) throws DeviceLinkException {
    try {
      return MessageCodec.read(body, type);
    } catch (MalformedBodyException e) {
      throw new DeviceLinkException(DeviceLinkException.Failure.BAD_RESPONSE, e.getMessage(), e);
    }
  }

  private static byte[] withLeadingDelimiter(byte[] wire) {
    byte[] framed = new byte[wire.length + 1];
    framed[0] = FrameCodec.DELIMITER;
    System.arraycopy(wire, 0, framed, 1, wire.length);
    return framed;
  }
}
