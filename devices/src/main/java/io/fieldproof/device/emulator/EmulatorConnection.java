package io.fieldproof.device.emulator;

import io.fieldproof.device.protocol.Frame;
import io.fieldproof.device.protocol.FrameDecoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The device end of one connection to a {@link DeviceEmulator}: decodes the bytes the host sends,
 * hands the requests to the emulator and writes responses back to the same {@link FrameSink}. Owns
 * the partly received frame of its connection. Thread-safe.
 */
public final class EmulatorConnection {

  private final DeviceEmulator emulator;
  private final FrameSink sink;
  private final FrameDecoder decoder;
  private volatile boolean attached = true;

  EmulatorConnection(DeviceEmulator emulator, FrameSink sink, FrameDecoder decoder) {
    this.emulator = emulator;
    this.sink = sink;
    this.decoder = decoder;
  }

  /** Bytes received from the host; answers every complete request before returning. */
  public void receive(byte[] data, int offset, int count) {
    List<Frame> requests = new ArrayList<>(1);
    synchronized (decoder) {
      decoder.feed(data, offset, count, requests::add);
    }
    for (Frame request : requests) {
      emulator.handle(request).ifPresent(response -> emulator.send(response, this));
    }
  }

  /** The transport ended: the emulator stops sending to this connection. */
  public void detach() {
    attached = false;
    emulator.detached(this);
  }

  public boolean isAttached() {
    return attached;
  }

  void write(byte[] wire) {
    if (!attached) {
      return;
    }
    try {
      sink.write(wire);
    } catch (IOException e) {
      detach();
    }
  }

  void disconnect() {
    attached = false;
    sink.disconnect();
  }
}
