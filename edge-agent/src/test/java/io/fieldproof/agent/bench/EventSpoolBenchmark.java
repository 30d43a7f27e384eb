package io.fieldproof.agent.bench;

import io.fieldproof.agent.state.EventSpool;
import io.fieldproof.protocol.DeviceEvent;
import io.fieldproof.protocol.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's event spool on disk: 10 000 events spooled (one append and fdatasync each), then all
 * acknowledged, in order and out of order (one append each, and a segment deleted once all of it is
 * acknowledged), and a reopen of a full spool. Figures go to target/benchmarks/event-spool.json.
 * Run with scripts/bench.sh.
 */
@Tag("benchmark")
class EventSpoolBenchmark {

  private static final int EVENTS = 10_000;

  @TempDir Path dir;

  @Test
  void tenThousandEventsSpooledAndAcknowledged() throws Exception {
    Path inOrder = dir.resolve("in-order");
    EventSpool spool = EventSpool.open(inOrder, EVENTS);
    long start = System.nanoTime();
    List<DeviceEvent> added = spoolAll(spool);
    long spooled = System.nanoTime();
    added.forEach(spool::acknowledge);
    long acknowledged = System.nanoTime();
    spool.close();

    Path shuffled = dir.resolve("out-of-order");
    EventSpool other = EventSpool.open(shuffled, EVENTS);
    List<DeviceEvent> more = spoolAll(other);
    long reopenStart = System.nanoTime();
    other.close();
    EventSpool reopened = EventSpool.open(shuffled, EVENTS);
    long reopenEnd = System.nanoTime();
    List<DeviceEvent> order = new ArrayList<>(more);
    java.util.Collections.shuffle(order, new java.util.Random(42));
    long shuffleStart = System.nanoTime();
    order.forEach(reopened::acknowledge);
    long shuffleEnd = System.nanoTime();
    reopened.close();

    String json =
        String.format(
            "{\"benchmark\":\"event-spool\",\"time\":\"%s\",\"events\":%d,\"spoolSeconds\":%.3f,"
                + "\"acknowledgeInOrderSeconds\":%.3f,\"acknowledgeShuffledSeconds\":%.3f,"
                + "\"microsPerAcknowledgement\":%.1f,\"reopenFullSpoolSeconds\":%.3f,\"cores\":%d}%n",
            Instant.now(),
            EVENTS,
            (spooled - start) / 1e9,
            (acknowledged - spooled) / 1e9,
            (shuffleEnd - shuffleStart) / 1e9,
            (acknowledged - spooled) / 1e3 / EVENTS,
            (reopenEnd - reopenStart) / 1e9,
            Runtime.getRuntime().availableProcessors());
    Path out = Path.of("target", "benchmarks", "event-spool.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, json);
    System.out.print("[benchmark] " + json);
  }

  private static List<DeviceEvent> spoolAll(EventSpool spool) {
    List<DeviceEvent> added = new ArrayList<>(EVENTS);
    for (int i = 0; i < EVENTS; i++) {
      added.add(
          spool.add(
              new DeviceEvent(
                  Message.VERSION,
                  "esp32-a4cf12e0b3d1",
                  "gw-1",
                  0,
                  "2026-12-06T07:00:00Z",
                  "link",
                  "LinkLost",
                  "event " + i)));
    }
    return added;
  }
}
