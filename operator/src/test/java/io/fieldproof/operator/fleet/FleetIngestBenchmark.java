package io.fieldproof.operator.fleet;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fleet-scale ingestion, measured not asserted: ten thousand devices announced by forty gateways,
 * then a burst of one report per device through Mosquitto into the fleet index. Writes its figures
 * to target/benchmarks/fleet-ingest.json. Run with scripts/bench.sh.
 */
@Tag("benchmark")
class FleetIngestBenchmark {

  private static final int DEVICES = 10_000;
  private static final int PER_GATEWAY = 250;
  private static final int GROUPS = 10;

  @Test
  void tenThousandDevices() throws Exception {
    try (FleetLoad load = new FleetLoad(GROUPS, Duration.ofMillis(250))) {
      long heapBefore = usedHeapAfterGc();
      long announceStart = System.nanoTime();
      load.announce(DEVICES, PER_GATEWAY, GROUPS);
      long announceNanos = System.nanoTime() - announceStart;
      load.resetReconcileEvents();
      long burstNanos = load.burstOfReports(DEVICES, PER_GATEWAY, 1);
      int events = load.reconcileEvents();
      long heapAfter = usedHeapAfterGc();
      String json =
          String.format(
              "{\"benchmark\":\"fleet-ingest\",\"time\":\"%s\",\"devices\":%d,\"gateways\":%d,\"groups\":%d,"
                  + "\"announceSeconds\":%.3f,\"burstSeconds\":%.3f,\"reportsPerSecond\":%.0f,"
                  + "\"reconcileEventsForBurst\":%d,\"indexBytesPerDevice\":%d,\"cores\":%d}%n",
              Instant.now(),
              DEVICES,
              DEVICES / PER_GATEWAY,
              GROUPS,
              announceNanos / 1e9,
              burstNanos / 1e9,
              DEVICES / (burstNanos / 1e9),
              events,
              Math.max(0, (heapAfter - heapBefore) / DEVICES),
              Runtime.getRuntime().availableProcessors());
      Path out = Path.of("target", "benchmarks", "fleet-ingest.json");
      Files.createDirectories(out.getParent());
      Files.writeString(out, json);
      System.out.print("[benchmark] " + json);
    }
  }

  private static long usedHeapAfterGc() throws IOException {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
