package io.fieldproof.agent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fieldproof.agent.emulated.InProcessDeviceLink;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand emulated devices in one JVM, attached in-process: how long creating them and one
 * HELLO + CONFIG + STATS round trip each takes, and what each costs in heap. Figures go to
 * target/benchmarks/emulator-fleet.json. Run with scripts/bench.sh.
 */
@Tag("benchmark")
class EmulatorFleetBenchmark {

  private static final int DEVICES = 10_000;

  @Test
  void tenThousandInProcessEmulators() throws Exception {
    JsonNode config =
        new ObjectMapper()
            .readTree(
                "{\"inputs\":[{\"name\":\"accel_rms\"},{\"name\":\"temperature_c\"}],\"reportIntervalSeconds\":30}");
    long heapBefore = usedHeapAfterGc();
    long start = System.nanoTime();
    List<InProcessDeviceLink> links = new ArrayList<>(DEVICES);
    for (int i = 0; i < DEVICES; i++) {
      Chip chip = i % 2 == 0 ? Chip.ESP32 : Chip.STM32L4;
      links.add(InProcessDeviceLink.attach(DeviceEmulator.create(chip, i), Duration.ofSeconds(5)));
    }
    long created = System.nanoTime();
    for (InProcessDeviceLink link : links) {
      link.hello();
      link.configure(1, config);
      link.stats();
    }
    long roundTrips = System.nanoTime();
    long heapAfter = usedHeapAfterGc();
    String json =
        String.format(
            "{\"benchmark\":\"emulator-fleet\",\"time\":\"%s\",\"devices\":%d,\"createSeconds\":%.3f,"
                + "\"helloConfigStatsSeconds\":%.3f,\"roundTripsPerSecond\":%.0f,\"heapBytesPerDevice\":%d,\"cores\":%d}%n",
            Instant.now(),
            DEVICES,
            (created - start) / 1e9,
            (roundTrips - created) / 1e9,
            3 * DEVICES / ((roundTrips - created) / 1e9),
            Math.max(0, (heapAfter - heapBefore) / DEVICES),
            Runtime.getRuntime().availableProcessors());
    links.forEach(InProcessDeviceLink::close);
    Path out = Path.of("target", "benchmarks", "emulator-fleet.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, json);
    System.out.print("[benchmark] " + json);
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
