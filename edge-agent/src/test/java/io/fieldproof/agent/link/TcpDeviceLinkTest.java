package io.fieldproof.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.EmulatorServer;
import io.fieldproof.device.protocol.FrameException;
import io.fieldproof.testsupport.RuntimeConfigs;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpDeviceLinkTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final List<AutoCloseable> resources = new ArrayList<>();
  private DeviceEmulator emulator;
  private EmulatorServer server;

  @BeforeEach
  void start() throws IOException {
    emulator = DeviceEmulator.create(Chip.STM32F4, 21);
    server = track(EmulatorServer.start(emulator, 0));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  @Test
  void servesRequestsFromSeveralThreadsAtOnce() throws Exception {
    TcpDeviceLink link = track(TcpDeviceLink.connect("127.0.0.1", server.port(), TIMEOUT));
    link.configure(1, RuntimeConfigs.withInputs("t"));
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        boolean hello = i % 2 == 0;
        results.add(
            threads.submit(
                () ->
                    hello
                        ? link.hello().deviceId().equals(emulator.deviceId())
                        : link.stats().configGeneration() == 1));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void reconnectsAfterTheDeviceDroppedTheConnection() throws IOException {
    TcpDeviceLink link = track(TcpDeviceLink.connect("127.0.0.1", server.port(), TIMEOUT));
    link.hello();

    emulator.dropConnection();
    await().atMost(TIMEOUT).until(() -> !link.isConnected());

    assertThat(link.hello().deviceId()).isEqualTo(emulator.deviceId());
    assertThat(link.isConnected()).isTrue();
  }

  @Test
  void reconnectsToARestartedServer() throws IOException {
    TcpDeviceLink link = track(TcpDeviceLink.connect("127.0.0.1", server.port(), TIMEOUT));
    int port = server.port();
    link.configure(5, RuntimeConfigs.withInputs("t"));

    server.close();
    await().atMost(TIMEOUT).until(() -> !link.isConnected());
    assertThatThrownBy(link::hello)
        .isInstanceOfSatisfying(
            DeviceLinkException.class,
            e -> assertThat(e.failure()).isEqualTo(DeviceLinkException.Failure.DISCONNECTED));

    DeviceEmulator rebooted = DeviceEmulator.create(Chip.STM32F4, 21);
    track(EmulatorServer.start(rebooted, port));

    assertThat(link.hello().deviceId()).isEqualTo(emulator.deviceId());
    assertThat(link.stats().configGeneration()).isZero();
  }

  @Test
  void corruptedResponsesAreCountedAndFailTheRequest() throws IOException {
    TcpDeviceLink link =
        track(TcpDeviceLink.connect("127.0.0.1", server.port(), Duration.ofMillis(400)));
    emulator.corruptOutgoingFrames(1.0);

    assertThatThrownBy(link::hello)
        .isInstanceOfSatisfying(
            DeviceLinkException.class,
            e -> assertThat(e.failure()).isEqualTo(DeviceLinkException.Failure.TIMEOUT));
    await().atMost(TIMEOUT).until(() -> link.framesDropped() == 1);
    assertThat(link.droppedFrames().count(FrameException.Reason.BAD_CRC)).isEqualTo(1);

    emulator.corruptOutgoingFrames(0.5);
    int failed = 0;
    for (int i = 0; i < 12; i++) {
      try {
        assertThat(link.hello().deviceId()).isEqualTo(emulator.deviceId());
      } catch (DeviceLinkException e) {
        assertThat(e.failure()).isEqualTo(DeviceLinkException.Failure.TIMEOUT);
        failed++;
      }
    }

    assertThat(failed).isPositive();
    await().atMost(TIMEOUT).until(() -> link.framesDropped() == emulator.framesCorrupted());
    assertThat((long) failed).isGreaterThanOrEqualTo(emulator.framesCorrupted() - 1);
  }

  @Test
  void closingFailsFurtherRequests() throws IOException {
    TcpDeviceLink link = TcpDeviceLink.connect("127.0.0.1", server.port(), TIMEOUT);
    link.close();
    link.close();

    assertThatThrownBy(link::stats)
        .isInstanceOfSatisfying(
            DeviceLinkException.class,
            e -> assertThat(e.failure()).isEqualTo(DeviceLinkException.Failure.DISCONNECTED));
  }

  @Test
  void opensTcpUris() throws IOException {
    try (DeviceLink link = DeviceLinks.open(server.uri(), TIMEOUT)) {
      assertThat(link.hello().chip()).isEqualTo("stm32f4");
    }
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(0, resource);
    return resource;
  }
}
