package io.fieldproof.agent.emulated;

import io.fieldproof.agent.link.DeviceLinkException;
import io.fieldproof.agent.link.FramedDeviceLink;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.EmulatorConnection;
import io.fieldproof.device.emulator.FrameSink;
import io.fieldproof.device.protocol.Frame;
import io.fieldproof.device.protocol.FrameDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A device link to an emulator in the same JVM, through the same frame encoding and decoding as a
 * socket but without sockets or threads: the emulator answers on the calling thread before {@link
 * #transmit} returns, and telemetry arrives on whichever thread calls {@link
 * DeviceEmulator#tick()}. Thousands of these cost only memory. A response that does not arrive
 * during the call (it was corrupted and dropped) fails at once with {@link
 * DeviceLinkException.Failure#TIMEOUT}. After the emulator dropped the connection, the next request
 * attaches again.
 */
public final class InProcessDeviceLink extends FramedDeviceLink {

  private final DeviceEmulator emulator;
  private final FrameDecoder decoder = newDecoder();
  private Sink sink;
  private EmulatorConnection connection;

  private InProcessDeviceLink(DeviceEmulator emulator, Duration timeout) {
    super(timeout);
    this.emulator = emulator;
  }

  /** Attaches a new link to {@code emulator}, taking its line over from any other connection. */
  public static InProcessDeviceLink attach(DeviceEmulator emulator, Duration timeout) {
    InProcessDeviceLink link = new InProcessDeviceLink(emulator, timeout);
    link.connection();
    return link;
  }

  public DeviceEmulator emulator() {
    return emulator;
  }

  @Override
  protected void transmit(byte[] wire) throws DeviceLinkException {
    if (isClosed()) {
      throw new DeviceLinkException(DeviceLinkException.Failure.DISCONNECTED, "link is closed");
    }
    connection().receive(wire, 0, wire.length);
  }

  @Override
  protected Frame awaitResponse(CompletableFuture<Frame> response, Duration timeout)
      throws DeviceLinkException {
    if (!response.isDone()) {
      throw new DeviceLinkException(
          DeviceLinkException.Failure.TIMEOUT, "no valid response from " + emulator);
    }
    return super.awaitResponse(response, timeout);
  }

  @Override
  protected void closeTransport() {
    EmulatorConnection ended;
    synchronized (this) {
      ended = connection;
      connection = null;
      sink = null;
    }
    if (ended != null) {
      ended.detach();
    }
  }

  private synchronized EmulatorConnection connection() {
    if (connection == null || !connection.isAttached()) {
      synchronized (decoder) {
        decoder.reset();
      }
      sink = new Sink();
      connection = emulator.attach(sink);
    }
    return connection;
  }

  private void received(byte[] wire) {
    List<Frame> frames = new ArrayList<>(1);
    synchronized (decoder) {
      decoder.feed(wire, 0, wire.length, frames::add);
    }
    frames.forEach(this::deliver);
  }

  private void dropped(Sink ended) {
    synchronized (this) {
      if (sink != ended) {
        return;
      }
      sink = null;
      connection = null;
    }
    connectionLost("emulator " + emulator + " dropped the connection");
  }

  /** The link's end of one attachment, as the emulator sees it. */
  private final class Sink implements FrameSink {
    @Override
    public void write(byte[] wire) {
      received(wire);
    }

    @Override
    public void disconnect() {
      dropped(this);
    }
  }
}
