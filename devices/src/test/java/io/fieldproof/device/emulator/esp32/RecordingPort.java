package io.fieldproof.device.emulator.esp32;

import io.fieldproof.device.emulator.line.LinePort;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** A line port that keeps what the loader sends and the baud changes, in order. */
final class RecordingPort implements LinePort {

  private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
  private final List<String> events = new ArrayList<>();
  private int baud = 115_200;

  @Override
  public void send(byte[] bytes) {
    sent.writeBytes(bytes);
    events.add("send " + bytes.length);
  }

  @Override
  public void changeBaud(int newBaud) {
    baud = newBaud;
    events.add("baud " + newBaud);
  }

  @Override
  public int baud() {
    return baud;
  }

  /** Everything sent since the last call, and forgets it. */
  byte[] take() {
    byte[] bytes = sent.toByteArray();
    sent.reset();
    return bytes;
  }

  List<String> events() {
    return events;
  }
}
