package io.fieldproof.agent.emulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fieldproof.agent.link.DeviceLinkException;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.SensorScenario;
import io.fieldproof.device.emulator.TelemetryScheduler;
import io.fieldproof.device.protocol.Hello;
import io.fieldproof.device.protocol.ModelRef;
import io.fieldproof.device.protocol.SlotTable;
import io.fieldproof.device.protocol.Telemetry;
import io.fieldproof.testsupport.RuntimeConfigs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

class InProcessDeviceLinkTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  @Test
  void tenThousandEmulatorsAnswerHelloAndConfigWithoutAThreadEach() throws Exception {
    int devices = 10_000;
    Chip[] chips = Chip.values();
    JsonNode config = RuntimeConfigs.withInputs("temperature_c", "accel_rms");
    int threadsBefore = Thread.activeCount();
    List<InProcessDeviceLink> links = new ArrayList<>(devices);
    Set<String> ids = new HashSet<>();
    try {
      for (int i = 0; i < devices; i++) {
        DeviceEmulator emulator = DeviceEmulator.create(chips[i % chips.length], i);
        InProcessDeviceLink link = InProcessDeviceLink.attach(emulator, TIMEOUT);
        links.add(link);

        Hello hello = link.hello();
        assertThat(hello.deviceId()).isEqualTo(emulator.deviceId());
        assertThat(hello.chip()).isEqualTo(emulator.chip().wireName());
        assertThat(link.configure(1, config)).isEqualTo(1);
        ids.add(hello.deviceId());
      }

      assertThat(ids).hasSize(devices);
      assertThat(Thread.activeCount()).isLessThan(threadsBefore + 10);
      assertThat(links)
          .allSatisfy(link -> assertThat(link.emulator().appliedGeneration()).isEqualTo(1));
    } finally {
      links.forEach(InProcessDeviceLink::close);
    }
  }

  @Test
  void aSharedSchedulerDrivesTheTelemetryOfAThousandEmulators() throws Exception {
    int devices = 1000;
    AtomicLongArray frames = new AtomicLongArray(devices);
    List<InProcessDeviceLink> links = new ArrayList<>();
    try (TelemetryScheduler scheduler = new TelemetryScheduler(2)) {
      for (int i = 0; i < devices; i++) {
        DeviceEmulator emulator =
            DeviceEmulator.builder(Chip.ESP32).seed(i).telemetryIntervalMs(20).build();
        InProcessDeviceLink link = InProcessDeviceLink.attach(emulator, TIMEOUT);
        links.add(link);
        int index = i;
        link.onTelemetry(telemetry -> frames.incrementAndGet(index));
        link.configure(1, RuntimeConfigs.withInputs("t"));
        scheduler.schedule(emulator);
      }

      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                for (int i = 0; i < devices; i++) {
                  if (frames.get(i) < 3) {
                    return false;
                  }
                }
                return true;
              });
    } finally {
      links.forEach(InProcessDeviceLink::close);
    }
  }

  @Test
  void explicitTicksDeliverTelemetryInOrder() throws Exception {
    DeviceEmulator emulator = DeviceEmulator.create(Chip.STM32L4, 3);
    emulator.setScenario("humidity", SensorScenario.DROPOUT);
    try (InProcessDeviceLink link = InProcessDeviceLink.attach(emulator, TIMEOUT)) {
      List<Telemetry> received = new ArrayList<>();
      link.onTelemetry(received::add);
      link.configure(1, RuntimeConfigs.withInputs("temperature_c", "humidity"));

      for (int i = 0; i < 200; i++) {
        emulator.tick();
      }

      assertThat(received).extracting(Telemetry::seq).containsExactlyElementsOf(range(1, 200));
      assertThat(received)
          .allSatisfy(t -> assertThat(t.readings()).containsOnlyKeys("temperature_c", "humidity"));
      assertThat(received).anySatisfy(t -> assertThat(t.readings().get("humidity")).isNull());
      assertThat(received)
          .allSatisfy(t -> assertThat(t.readings().get("temperature_c")).isNotNull());
      assertThat(link.stats().counter("sensorFault.dropout")).isPositive();
    }
  }

  @Test
  void theProvisionedModelIsReportedFromTheSlotRecords() throws Exception {
    byte[] tflite = new byte[20480];
    new java.util.SplittableRandom(3).nextBytes(tflite);
    DeviceEmulator emulator =
        DeviceEmulator.builder(Chip.ESP32S3).activeModel("pump-anomaly", "1.2.0", tflite).build();
    String sha =
        java.util.HexFormat.of()
            .formatHex(io.fieldproof.device.emulator.flash.ModelSlots.sha256(tflite));
    try (InProcessDeviceLink link = InProcessDeviceLink.attach(emulator, TIMEOUT)) {
      assertThat(link.hello().slots())
          .isEqualTo(
              new SlotTable("A", new ModelRef("pump-anomaly", "1.2.0", sha, 20480), null, "VALID"));
    }
  }

  @Test
  void corruptedFramesAreCountedAndNeverGiveWrongData() throws Exception {
    DeviceEmulator emulator = DeviceEmulator.create(Chip.ESP32, 4);
    try (InProcessDeviceLink link = InProcessDeviceLink.attach(emulator, TIMEOUT)) {
      link.configure(1, RuntimeConfigs.withInputs("t"));
      emulator.corruptOutgoingFrames(0.3);
      int failed = 0;
      for (int i = 0; i < 300; i++) {
        try {
          assertThat(link.hello().deviceId()).isEqualTo(emulator.deviceId());
          assertThat(link.stats().configGeneration()).isEqualTo(1);
        } catch (DeviceLinkException e) {
          assertThat(e.failure()).isEqualTo(DeviceLinkException.Failure.TIMEOUT);
          failed++;
        }
      }

      assertThat(failed).isBetween(100, 300);
      assertThat(emulator.framesCorrupted()).isPositive();
      assertThat(link.framesDropped()).isEqualTo(emulator.framesCorrupted());
    }
  }

  @Test
  void reattachesAfterTheEmulatorDroppedTheConnection() throws Exception {
    DeviceEmulator emulator = DeviceEmulator.create(Chip.ESP32, 5);
    try (InProcessDeviceLink link = InProcessDeviceLink.attach(emulator, TIMEOUT)) {
      link.hello();

      emulator.dropConnection();

      assertThat(emulator.isAttached()).isFalse();
      assertThat(link.hello().deviceId()).isEqualTo(emulator.deviceId());
      assertThat(emulator.isAttached()).isTrue();
    }
  }

  @Test
  void aClosedLinkRefusesRequestsAndDetaches() {
    DeviceEmulator emulator = DeviceEmulator.create(Chip.ESP32, 6);
    InProcessDeviceLink link = InProcessDeviceLink.attach(emulator, TIMEOUT);

    link.close();

    assertThat(emulator.isAttached()).isFalse();
    assertThatThrownBy(link::hello).isInstanceOf(DeviceLinkException.class);
  }

  private static List<Long> range(long first, long last) {
    List<Long> values = new ArrayList<>();
    for (long value = first; value <= last; value++) {
      values.add(value);
    }
    return values;
  }
}
