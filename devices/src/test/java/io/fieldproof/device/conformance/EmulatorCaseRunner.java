package io.fieldproof.device.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.EmulatorConnection;
import io.fieldproof.device.emulator.FrameSink;
import io.fieldproof.device.emulator.flash.ModelSlots;
import io.fieldproof.device.protocol.DroppedFrames;
import io.fieldproof.device.protocol.Frame;
import io.fieldproof.device.protocol.FrameCodec;
import io.fieldproof.device.protocol.FrameDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays one conformance case against a fresh Java emulator (seed 1, a manual clock), in process:
 * the bytes go through the emulator's own decoder and its answers through the host's decoder,
 * without sockets, so "no answer" is known at once.
 */
final class EmulatorCaseRunner {

  private final AtomicLong clock = new AtomicLong(1000);
  private final DeviceEmulator emulator;
  private final EmulatorConnection connection;
  private final FrameDecoder hostDecoder = new FrameDecoder(new DroppedFrames());
  private final Deque<Frame> received = new ArrayDeque<>();

  private EmulatorCaseRunner(String chip) {
    this.emulator = DeviceEmulator.builder(Chip.fromName(chip)).seed(1).clock(clock::get).build();
    this.connection =
        emulator.attach(
            new FrameSink() {
              @Override
              public void write(byte[] wire) {
                hostDecoder.feed(wire, 0, wire.length, received::add);
              }

              @Override
              public void disconnect() {}
            });
  }

  static void run(ConformanceCases.Case c) {
    EmulatorCaseRunner runner = new EmulatorCaseRunner(c.chip());
    for (ConformanceCases.Directive d : c.directives()) {
      try {
        runner.play(d);
      } catch (AssertionError e) {
        throw new AssertionError(d + "\n" + e.getMessage(), e);
      }
    }
    assertThat(runner.received).as("frames left over at the end of " + c.name()).isEmpty();
  }

  private void play(ConformanceCases.Directive d) {
    switch (d.word()) {
      case "request" ->
          send(
              Integer.parseInt(d.arg(1), 16),
              0,
              Integer.parseInt(d.arg(2)),
              d.rest(3).getBytes(StandardCharsets.UTF_8));
      case "request-hex" ->
          send(
              Integer.parseInt(d.arg(1), 16),
              0,
              Integer.parseInt(d.arg(2)),
              ConformanceCases.hex(d.rest(3)));
      case "frame" ->
          send(
              Integer.parseInt(d.arg(1), 16),
              Integer.parseInt(d.arg(2), 16),
              Integer.parseInt(d.arg(3)),
              d.rest(4).getBytes(StandardCharsets.UTF_8));
      case "line" -> line(ConformanceCases.hex(d.rest(1)));
      case "line-fill" -> {
        byte[] bytes = new byte[Integer.parseInt(d.arg(2))];
        Arrays.fill(bytes, (byte) Integer.parseInt(d.arg(1), 16));
        line(bytes);
      }
      case "write" -> slotWrite(d);
      case "expect" -> expect(d);
      case "expect-none" -> assertThat(received).as("frames the device sent").isEmpty();
      case "stage" -> stage(d);
      case "provision" -> {
        stage(d);
        emulator.reset();
        emulator.slots().confirm();
      }
      case "program" -> program(d);
      case "reset" -> emulator.reset();
      case "tick" -> {
        int count = d.rest(1).isEmpty() ? 1 : Integer.parseInt(d.arg(1));
        for (int i = 0; i < count; i++) {
          clock.addAndGet(1000);
          emulator.tick();
        }
      }
      case "readings" -> readings(d.rest(1));
      case "provision-file" -> {
        stage(d.arg(1), fixture(d.arg(2)), d.arg(3), d.arg(4));
        emulator.reset();
        emulator.slots().confirm();
      }
      default -> throw new IllegalArgumentException("unknown directive " + d);
    }
  }

  private void send(int type, int flags, int id, byte[] body) {
    byte[] wire = FrameCodec.encode(new Frame(type, flags, id, body));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.writeBytes(wire);
    line(out.toByteArray());
  }

  private void line(byte[] bytes) {
    connection.receive(bytes, 0, bytes.length);
  }

  private void slotWrite(ConformanceCases.Directive d) {
    int offset = Integer.parseInt(d.arg(3));
    int length = Integer.parseInt(d.arg(4));
    long seed = Long.parseLong(d.arg(5));
    ByteBuffer body = ByteBuffer.allocate(8 + length).order(ByteOrder.LITTLE_ENDIAN);
    body.put((byte) Integer.parseInt(d.arg(1)));
    body.put((byte) Integer.parseInt(d.arg(2), 16));
    body.putShort((short) 0).putInt(offset);
    for (int i = 0; i < length; i++) {
      body.put(ConformanceCases.gen(seed, offset + i));
    }
    send(0x20, 0, Integer.parseInt(d.arg(6)), body.array());
  }

  private void expect(ConformanceCases.Directive d) {
    int type = Integer.parseInt(d.arg(1), 16);
    int flags = Integer.parseInt(d.arg(2), 16);
    int id = Integer.parseInt(d.arg(3));
    String pattern = d.rest(4);
    Frame frame = received.poll();
    assertThat(frame).as("a frame from the device").isNotNull();
    String body = new String(frame.body(), StandardCharsets.UTF_8);
    String got =
        String.format("%02x %02x %d %s", frame.type(), frame.flags(), frame.requestId(), body);
    String want = String.format("%02x %02x %d %s", type, flags, id, pattern);
    assertThat(
            frame.type() == type
                && frame.flags() == flags
                && frame.requestId() == id
                && ConformanceCases.matches(pattern, body))
        .as("expected %s%n     got %s", want, got)
        .isTrue();
  }

  /** NAME=VALUE or NAME=null words: what those inputs read from the next tick on. */
  private void readings(String words) {
    for (String word : words.trim().split(" +")) {
      int eq = word.indexOf('=');
      String value = word.substring(eq + 1);
      emulator.holdReading(
          word.substring(0, eq), value.equals("null") ? null : Double.valueOf(value));
    }
  }

  /** A model file of the repository's model/fixtures/models. */
  private static byte[] fixture(String file) {
    Path dir = ConformanceTest.conformanceDir().getParent().getParent();
    try {
      return Files.readAllBytes(
          dir.resolve("model").resolve("fixtures").resolve("models").resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void stage(ConformanceCases.Directive d) {
    int length = Integer.parseInt(d.arg(2));
    long seed = Long.parseLong(d.arg(3));
    byte[] model = new byte[length];
    for (int i = 0; i < length; i++) {
      model[i] = ConformanceCases.gen(seed, i);
    }
    stage(d.arg(1), model, d.arg(4), d.arg(5));
  }

  private void stage(String slotName, byte[] model, String name, String version) {
    int slot = slotOf(slotName);
    int length = model.length;
    ModelSlots slots = emulator.slots();
    slots.beginUpdate(slot);
    slots.write(slot, 0, model);
    slots.commit(slot, length, ModelSlots.sha256(model), name, version);
  }

  private void program(ConformanceCases.Directive d) {
    String region = d.arg(1);
    int slot = slotOf(region.substring(region.length() - 1));
    ModelSlots slots = emulator.slots();
    int base =
        region.startsWith("record")
            ? slots.layout().recordOffset(slot)
            : slots.layout().slotOffset(slot);
    byte[] bytes = ConformanceCases.hex(d.rest(3));
    emulator.flash().write(base + Integer.parseInt(d.arg(2)), bytes, 0, bytes.length);
  }

  private static int slotOf(String name) {
    return name.equals("A") || name.equals("0") ? ModelSlots.A : ModelSlots.B;
  }
}
