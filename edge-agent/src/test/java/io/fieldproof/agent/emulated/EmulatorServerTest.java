package io.fieldproof.agent.emulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fieldproof.agent.link.DeviceLinkException;
import io.fieldproof.agent.link.TcpDeviceLink;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.EmulatorServer;
import io.fieldproof.device.emulator.TelemetryScheduler;
import io.fieldproof.device.protocol.DroppedFrames;
import io.fieldproof.device.protocol.ErrorCode;
import io.fieldproof.device.protocol.Frame;
import io.fieldproof.device.protocol.FrameCodec;
import io.fieldproof.device.protocol.FrameDecoder;
import io.fieldproof.device.protocol.Hello;
import io.fieldproof.device.protocol.MessageType;
import io.fieldproof.device.protocol.Stats;
import io.fieldproof.device.protocol.Telemetry;
import io.fieldproof.testsupport.RuntimeConfigs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmulatorServerTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private DeviceEmulator emulator;
  private EmulatorServer server;
  private TcpDeviceLink link;

  @BeforeEach
  void start() throws IOException {
    emulator = DeviceEmulator.builder(Chip.ESP32).seed(11).telemetryIntervalMs(10).build();
    server = EmulatorServer.start(emulator, 0);
    link = TcpDeviceLink.connect("127.0.0.1", server.port(), TIMEOUT);
  }

  @AfterEach
  void stop() {
    link.close();
    server.close();
  }

  @Test
  void bindsToTheLoopbackOnAFreePort() {
    assertThat(server.port()).isPositive();
    assertThat(server.uri()).isEqualTo("tcp://127.0.0.1:" + server.port());
  }

  @Test
  void helloReturnsTheIdentity() throws IOException {
    Hello hello = link.hello();

    assertThat(hello.deviceId()).isEqualTo(emulator.deviceId()).startsWith("esp32-");
    assertThat(hello.chip()).isEqualTo("esp32");
    assertThat(hello.runtime()).isEqualTo(Hello.RUNTIME_V3);
    assertThat(hello.supportsSlotCommands()).isTrue();
    assertThat(hello.supportsCapture()).isTrue();
    assertThat(hello.firmware()).isEqualTo(Chip.Family.ESP32.defaultFirmware());
    assertThat(hello.capabilities()).isEqualTo(Chip.ESP32.capabilities());
    assertThat(hello.slots().active()).isNull();
    assertThat(hello.slots().a()).isNull();
    assertThat(hello.slots().b()).isNull();
  }

  @Test
  void configAppliesAndIsIdempotent() throws IOException {
    assertThat(link.configure(3, RuntimeConfigs.withInputs("temperature_c"))).isEqualTo(3);
    assertThat(link.configure(3, RuntimeConfigs.withInputs("ignored"))).isEqualTo(3);

    assertThat(emulator.config()).contains(RuntimeConfigs.withInputs("temperature_c"));
    Stats stats = link.stats();
    assertThat(stats.configGeneration()).isEqualTo(3);
    assertThat(stats.counter("configsApplied")).isEqualTo(1);

    assertThat(link.configure(4, RuntimeConfigs.withInputs("pressure_pa"))).isEqualTo(4);
    assertThat(link.stats().counter("configsApplied")).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[]",
        "{}",
        "{\"inputs\":{}}",
        "{\"inputs\":[{\"unit\":\"C\"}]}",
        "{\"inputs\":[{\"name\":7}]}",
        "{\"inputs\":[{\"name\":\"\"}]}",
        "{\"inputs\":[\"t\"]}",
        "{\"inputs\":[{\"name\":\"t\"},{\"name\":\"t\"}]}",
        "{\"inputs\":[],\"reportIntervalSeconds\":-1}"
      })
  void anInvalidConfigIsRefusedAndThePreviousOneStays(String config) throws IOException {
    link.configure(1, RuntimeConfigs.withInputs("t"));

    assertThatThrownBy(() -> link.configure(2, RuntimeConfigs.parse(config)))
        .isInstanceOfSatisfying(
            DeviceLinkException.class,
            e -> assertThat(e.errorCode()).contains(ErrorCode.INVALID_CONFIG));
    assertThat(link.stats().configGeneration()).isEqualTo(1);
    assertThat(emulator.appliedGeneration()).isEqualTo(1);
  }

  @Test
  void statsCountRequestsErrorsAndTelemetry() throws IOException {
    link.hello();
    link.configure(1, RuntimeConfigs.withInputs("a", "b"));
    expectError(0x7F, "{}", ErrorCode.UNKNOWN_TYPE);
    emulator.tick();
    emulator.tick();

    Stats stats = link.stats();

    assertThat(stats.counter("requests")).isEqualTo(4);
    assertThat(stats.counter("errorResponses")).isEqualTo(1);
    assertThat(stats.telemetryFrames()).isEqualTo(2);
    assertThat(stats.readings()).isEqualTo(4);
    assertThat(stats.framesDropped()).isZero();
    assertThat(stats.uptimeMs()).isNotNegative();
  }

  @Test
  void telemetryArrivesWithReadingsForTheConfiguredInputs() throws Exception {
    List<Telemetry> received = new CopyOnWriteArrayList<>();
    link.onTelemetry(received::add);
    link.configure(1, RuntimeConfigs.withInputs("temperature_c", "accel_rms"));

    try (TelemetryScheduler scheduler = new TelemetryScheduler(1);
        AutoCloseable ticking = scheduler.schedule(emulator)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> received.size() >= 5);
    }

    assertThat(received.get(0).seq()).isEqualTo(1);
    assertThat(received).extracting(Telemetry::seq).isSorted();
    assertThat(received)
        .allSatisfy(
            t ->
                assertThat(t.readings())
                    .containsOnlyKeys("temperature_c", "accel_rms")
                    .allSatisfy((name, value) -> assertThat(value).isBetween(40.0, 60.0)));
  }

  @Test
  void noTelemetryIsSentBeforeAConfiguration() throws IOException {
    List<Telemetry> received = new CopyOnWriteArrayList<>();
    link.onTelemetry(received::add);

    emulator.tick();
    link.hello();

    assertThat(received).isEmpty();
    assertThat(link.stats().telemetryFrames()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "[1,2]",
        "{\"config\":{}}",
        "{\"generation\":\"7\",\"config\":{}}",
        "{\"generation\":0,\"config\":{}}",
        "{\"generation\":1}",
        "{\"generation\":1,\"config\":{}} {}"
      })
  void aMalformedConfigBodyGetsMalformedBody(String body) throws IOException {
    expectError(MessageType.CONFIG.code(), body, ErrorCode.MALFORMED_BODY);
    assertThat(link.hello().deviceId()).isEqualTo(emulator.deviceId());
  }

  @Test
  void aMalformedHelloBodyGetsMalformedBodyAndAnEmptyOneIsAccepted() throws IOException {
    expectError(MessageType.HELLO.code(), "\"hi\"", ErrorCode.MALFORMED_BODY);
    expectError(MessageType.STATS.code(), "{", ErrorCode.MALFORMED_BODY);

    byte[] hello = link.request(MessageType.HELLO.code(), new byte[0]);
    assertThat(new String(hello, StandardCharsets.UTF_8)).contains(emulator.deviceId());
  }

  @Test
  void anUnknownTypeGetsUnknownType() throws IOException {
    expectError(0x7F, "{}", ErrorCode.UNKNOWN_TYPE);
    expectError(MessageType.TELEMETRY.code(), "{}", ErrorCode.UNKNOWN_TYPE);
  }

  @ParameterizedTest
  @EnumSource(
      value = MessageType.class,
      names = {"SLOT_WRITE", "SLOT_DIGEST", "SELFTEST", "ACTIVATE", "CONFIRM", "REVERT"})
  void aVersionOneRuntimeRefusesSlotCommands(MessageType type) throws IOException {
    DeviceEmulator old =
        DeviceEmulator.builder(Chip.ESP32).seed(9).runtimeVersion(Hello.RUNTIME_V1).build();
    try (InProcessDeviceLink v1 = InProcessDeviceLink.attach(old, Duration.ofSeconds(5))) {
      assertThat(type.slotCommand()).isTrue();
      assertThat(v1.hello().supportsSlotCommands()).isFalse();
      assertThatThrownBy(() -> v1.request(type.code(), "{}".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOfSatisfying(
              DeviceLinkException.class,
              e -> assertThat(e.errorCode()).hasValue(ErrorCode.NOT_SUPPORTED));
    }
  }

  @Test
  void aVersionTwoRuntimeRefusesCapture() throws IOException {
    DeviceEmulator old =
        DeviceEmulator.builder(Chip.ESP32).seed(9).runtimeVersion(Hello.RUNTIME_V2).build();
    try (InProcessDeviceLink v2 = InProcessDeviceLink.attach(old, Duration.ofSeconds(5))) {
      assertThat(v2.hello().supportsSlotCommands()).isTrue();
      assertThat(v2.hello().supportsCapture()).isFalse();
      assertThatThrownBy(
              () -> v2.request(MessageType.CAPTURE.code(), "{}".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOfSatisfying(
              DeviceLinkException.class,
              e -> assertThat(e.errorCode()).hasValue(ErrorCode.NOT_SUPPORTED));
    }
  }

  @Test
  void garbageBytesDoNotBreakTheNextValidRequest() throws IOException {
    link.close();
    byte[] noise = new byte[3000];
    new SplittableRandom(5).nextBytes(noise);

    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(noise);
      out.write("no delimiter after this".getBytes(StandardCharsets.UTF_8));
      out.write(0);
      out.write(
          FrameCodec.encode(
              Frame.request(MessageType.HELLO.code(), 9, "{}".getBytes(StandardCharsets.UTF_8))));
      out.flush();

      Frame response = readFrame(socket.getInputStream());

      assertThat(response.requestId()).isEqualTo(9);
      assertThat(response.isError()).isFalse();
      assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains(emulator.deviceId());
    }
    assertThat(emulator.framesDropped()).isPositive();
  }

  @Test
  void anAbruptDisconnectMidFrameLeavesTheEmulatorServing() throws IOException {
    link.close();
    byte[] wire =
        FrameCodec.encode(Frame.request(MessageType.HELLO.code(), 1, new byte[] {'{', '}'}));
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.getOutputStream().write(Arrays.copyOf(wire, 5));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> !emulator.isAttached());

    try (TcpDeviceLink again = TcpDeviceLink.connect("127.0.0.1", server.port(), TIMEOUT)) {
      assertThat(again.hello().deviceId()).isEqualTo(emulator.deviceId());
    }
  }

  @Test
  void aNewConnectionTakesTheLineOver() throws IOException {
    try (TcpDeviceLink second = TcpDeviceLink.connect("127.0.0.1", server.port(), TIMEOUT)) {
      assertThat(second.hello().deviceId()).isEqualTo(emulator.deviceId());
      await().atMost(Duration.ofSeconds(5)).until(() -> !link.isConnected());
    }
  }

  private void expectError(int type, String body, ErrorCode code) {
    assertThatThrownBy(() -> link.request(type, body.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            DeviceLinkException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(DeviceLinkException.Failure.DEVICE_ERROR);
              assertThat(e.errorCode()).contains(code);
              assertThat(e.deviceCode()).isEqualTo(code.code());
            });
  }

  private static Frame readFrame(InputStream in) throws IOException {
    FrameDecoder decoder = new FrameDecoder(new DroppedFrames());
    List<Frame> frames = new ArrayList<>();
    byte[] buffer = new byte[512];
    while (frames.isEmpty()) {
      int count = in.read(buffer);
      if (count < 0) {
        throw new IOException("connection closed before a frame arrived");
      }
      decoder.feed(buffer, 0, count, frames::add);
    }
    return frames.get(0);
  }
}
