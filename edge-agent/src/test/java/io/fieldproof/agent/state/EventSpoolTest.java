package io.fieldproof.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.protocol.DeviceEvent;
import io.fieldproof.protocol.Message;
import io.fieldproof.protocol.MessageCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventSpoolTest {

  @TempDir Path dir;

  @Test
  void eventsAreNumberedAndSurviveAReopen() throws IOException {
    EventSpool spool = EventSpool.open(dir, 10);
    DeviceEvent first = spool.add(event("LinkLost"));
    DeviceEvent second = spool.add(event("LinkRestored"));

    assertThat(List.of(first.seq(), second.seq())).containsExactly(1L, 2L);
    assertThat(first).isEqualTo(withSeq(event("LinkLost"), 1));

    EventSpool reopened = EventSpool.open(dir, 10);

    assertThat(reopened.pending()).containsExactly(first, second);
    assertThat(reopened.size()).isEqualTo(2);
    assertThat(reopened.dropped()).isZero();
  }

  @Test
  void acknowledgedEventsAreGoneAlsoAfterAReopen() throws IOException {
    EventSpool spool = EventSpool.open(dir, 10);
    DeviceEvent first = spool.add(event("a"));
    DeviceEvent second = spool.add(event("b"));
    DeviceEvent third = spool.add(event("c"));

    spool.acknowledge(second);
    spool.acknowledge(second);

    assertThat(spool.pending()).containsExactly(first, third);
    assertThat(EventSpool.open(dir, 10).pending()).containsExactly(first, third);
  }

  @Test
  void sequenceNumbersContinueAfterAReopen() throws IOException {
    EventSpool spool = EventSpool.open(dir, 10);
    spool.add(event("a"));
    DeviceEvent second = spool.add(event("b"));

    assertThat(EventSpool.open(dir, 10).add(event("c")).seq()).isEqualTo(3);

    EventSpool again = EventSpool.open(dir, 10);
    again.pending().forEach(again::acknowledge);
    assertThat(again.size()).isZero();

    DeviceEvent afterEmpty = EventSpool.open(dir, 10).add(event("d"));

    assertThat(afterEmpty.seq()).isGreaterThan(3).isGreaterThan(second.seq());
    assertThat(afterEmpty.seq()).isEqualTo(4);
  }

  @Test
  void pastTheBoundTheOldestAreDroppedAndCountedAcrossReopens() throws IOException {
    EventSpool spool = EventSpool.open(dir, 3);
    for (String reason : List.of("a", "b", "c", "d", "e")) {
      spool.add(event(reason));
    }

    assertThat(spool.pending()).extracting(DeviceEvent::reason).containsExactly("c", "d", "e");
    assertThat(spool.pending()).extracting(DeviceEvent::seq).containsExactly(3L, 4L, 5L);
    assertThat(spool.dropped()).isEqualTo(2);

    EventSpool reopened = EventSpool.open(dir, 3);

    assertThat(reopened.dropped()).isEqualTo(2);
    assertThat(reopened.pending()).extracting(DeviceEvent::reason).containsExactly("c", "d", "e");
    reopened.add(event("f"));
    assertThat(reopened.dropped()).isEqualTo(3);
    assertThat(EventSpool.open(dir, 3).dropped()).isEqualTo(3);
  }

  @Test
  void aSmallerBoundAtReopenDropsTheOldestOnce() throws IOException {
    EventSpool spool = EventSpool.open(dir, 10);
    for (String reason : List.of("a", "b", "c", "d")) {
      spool.add(event(reason));
    }

    EventSpool smaller = EventSpool.open(dir, 2);

    assertThat(smaller.pending()).extracting(DeviceEvent::reason).containsExactly("c", "d");
    assertThat(smaller.dropped()).isEqualTo(2);
    EventSpool again = EventSpool.open(dir, 2);
    assertThat(again.pending()).extracting(DeviceEvent::reason).containsExactly("c", "d");
    assertThat(again.dropped()).isEqualTo(2);
  }

  @Test
  void aCorruptLineIsCountedAsDroppedOnceAndTheRestIsKept() throws IOException {
    EventSpool spool = EventSpool.open(dir, 10);
    DeviceEvent first = spool.add(event("a"));
    Files.writeString(newestLog(), "{\"v\":1,\"device\":\"esp32-", StandardOpenOption.APPEND);
    Files.writeString(newestLog(), "\n", StandardOpenOption.APPEND);
    DeviceEvent third = spool.add(event("c"));
    Files.writeString(newestLog(), "{\"v\":1,\"dev", StandardOpenOption.APPEND); // torn write

    EventSpool reopened = EventSpool.open(dir, 10);

    assertThat(reopened.pending()).containsExactly(first, third);
    assertThat(reopened.dropped()).isEqualTo(2);
    assertThat(reopened.add(event("d")).seq()).isEqualTo(third.seq() + 1);
    EventSpool again = EventSpool.open(dir, 10);
    assertThat(again.dropped()).isEqualTo(2);
    assertThat(again.pending()).extracting(DeviceEvent::reason).containsExactly("a", "c", "d");
  }

  @Test
  void corruptLinesAddToDropsCountedBefore() throws IOException {
    EventSpool spool = EventSpool.open(dir, 1);
    spool.add(event("a"));
    spool.add(event("b"));
    assertThat(spool.dropped()).isEqualTo(1);
    Files.writeString(newestLog(), "garbage\n", StandardOpenOption.APPEND);

    EventSpool reopened = EventSpool.open(dir, 5);

    assertThat(reopened.dropped()).isEqualTo(2);
    assertThat(reopened.pending()).extracting(DeviceEvent::reason).containsExactly("b");
    assertThat(EventSpool.open(dir, 5).dropped()).isEqualTo(2);
  }

  @Test
  void eventsAreKeptOnDiskOnePerLine() throws IOException {
    EventSpool spool = EventSpool.open(dir, 10);
    spool.add(event("a"));
    spool.add(event("b"));

    List<String> lines = Files.readAllLines(newestLog(), StandardCharsets.UTF_8);

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("\"seq\":1", "\"reason\":\"a\"");
  }

  @Test
  void afterARestartExactlyTheUnacknowledgedEventsArePendingInOrder() throws IOException {
    EventSpool spool = EventSpool.open(dir, 10_000);
    List<DeviceEvent> added = new ArrayList<>();
    for (int i = 0; i < 3 * EventSpool.SEGMENT_EVENTS + 100; i++) {
      added.add(spool.add(event("e" + i)));
    }
    List<DeviceEvent> unacked = new ArrayList<>();
    // acknowledged out of order, as QoS 1 acknowledgements of a resent spool can come
    for (int i = added.size() - 1; i >= 0; i--) {
      if (i % 7 == 3 || (i > 1500 && i < 1600)) {
        unacked.add(0, added.get(i));
      } else {
        spool.acknowledge(added.get(i));
      }
    }
    // no close(): the process is gone

    EventSpool reopened = EventSpool.open(dir, 10_000);

    assertThat(reopened.pending()).isEqualTo(unacked);
    assertThat(reopened.dropped()).isZero();
    assertThat(reopened.add(event("next")).seq()).isEqualTo(added.get(added.size() - 1).seq() + 1);
    assertThat(EventSpool.open(dir, 10_000).pending()).hasSize(unacked.size() + 1);
  }

  /** Before the fix every acknowledgement rewrote the whole spool file (quadratic). */
  @Test
  void anAcknowledgementAppendsOneLineAndLeavesTheEventsUntouched() throws IOException {
    EventSpool spool = EventSpool.open(dir, 100);
    DeviceEvent first = spool.add(event("a"));
    spool.add(event("b"));
    DeviceEvent third = spool.add(event("c"));
    Path log = newestLog();
    byte[] events = Files.readAllBytes(log);

    spool.acknowledge(third);
    spool.acknowledge(first);

    assertThat(Files.readAllBytes(log)).isEqualTo(events);
    assertThat(Files.readString(acksOf(log))).isEqualTo(third.seq() + "\n" + first.seq() + "\n");
    assertThat(EventSpool.open(dir, 100).pending())
        .extracting(DeviceEvent::reason)
        .containsExactly("b");
  }

  @Test
  void segmentsGoOnceEverythingInThemIsAcknowledged() throws IOException {
    EventSpool spool = EventSpool.open(dir, 10_000);
    List<DeviceEvent> added = new ArrayList<>();
    for (int i = 0; i < 4 * EventSpool.SEGMENT_EVENTS; i++) {
      added.add(spool.add(event("e" + i)));
    }
    assertThat(logs()).hasSize(4);

    added.subList(0, 3 * EventSpool.SEGMENT_EVENTS).forEach(spool::acknowledge);

    assertThat(logs()).hasSize(1);
    added.forEach(spool::acknowledge);
    assertThat(logs()).hasSize(1); // the newest stays: it bounds the next sequence number
    assertThat(spool.size()).isZero();
    assertThat(EventSpool.open(dir, 10_000).add(event("x")).seq())
        .isEqualTo(added.get(added.size() - 1).seq() + 1);
  }

  @Test
  void sparseAcknowledgementsNeverLetTheFilesGrowPastTheBound() throws IOException {
    int max = 10;
    EventSpool spool = EventSpool.open(dir, max);
    for (int i = 0; i < 8 * EventSpool.SEGMENT_EVENTS; i++) {
      DeviceEvent event = spool.add(event("e" + i));
      if (i % 500 != 0) {
        spool.acknowledge(event);
      }
      if (i % 256 == 0) {
        assertThat(linesOnDisk()).isLessThanOrEqualTo(2L * max + 3L * EventSpool.SEGMENT_EVENTS);
      }
    }
    List<DeviceEvent> pending = spool.pending();

    assertThat(EventSpool.open(dir, max).pending()).isEqualTo(pending);
  }

  @Test
  void theSpoolOfEarlierAgentsIsTakenOverOnce() throws IOException {
    DeviceEvent a = withSeq(event("a"), 7);
    DeviceEvent b = withSeq(event("b"), 8);
    Files.writeString(
        dir.resolve("events.jsonl"),
        MessageCodec.mapper().writeValueAsString(a)
            + "\n"
            + MessageCodec.mapper().writeValueAsString(b)
            + "\n");
    Files.writeString(dir.resolve("events.seq"), "12");
    Files.writeString(dir.resolve("events.dropped"), "3");

    EventSpool spool = EventSpool.open(dir, 10);

    assertThat(spool.pending()).containsExactly(a, b);
    assertThat(spool.dropped()).isEqualTo(3);
    assertThat(spool.add(event("c")).seq()).isEqualTo(12);
    assertThat(dir.resolve("events.jsonl")).doesNotExist();
    assertThat(dir.resolve("events.seq")).doesNotExist();
    assertThat(EventSpool.open(dir, 10).pending())
        .extracting(DeviceEvent::seq)
        .containsExactly(7L, 8L, 12L);
  }

  @Test
  void aReadOnlyFolderNeverThrowsAndThePendingEventsReachTheDiskOnceItIsWritable()
      throws IOException {
    EventSpool spool = EventSpool.open(dir, 3);
    DeviceEvent a = spool.add(event("a"));
    DeviceEvent b;
    DeviceEvent e;
    try (FolderFaults readOnly = FolderFaults.readOnly(dir)) {
      b = spool.add(event("b"));
      spool.acknowledge(a);
      spool.add(event("c"));
      spool.add(event("d"));
      e = spool.add(event("e"));
      spool.acknowledge(e);
      spool.retryWrites();

      assertThat(spool.pending()).extracting(DeviceEvent::reason).containsExactly("c", "d");
      assertThat(spool.dropped()).isEqualTo(1);
      assertThat(spool.writeFailures()).isPositive();
    }
    assertThat(b.seq()).isEqualTo(2);
    spool.retryWrites();

    EventSpool reopened = EventSpool.open(dir, 3);
    assertThat(reopened.pending()).extracting(DeviceEvent::reason).containsExactly("c", "d");
    assertThat(reopened.dropped()).isEqualTo(1);
    assertThat(reopened.add(event("f")).seq()).isEqualTo(e.seq() + 1);
  }

  @Test
  void aFullDiskNeverThrowsAndNoTornLineSurvivesIt() throws IOException {
    Path small = dir.resolve("small");
    try (FolderFaults disk = FolderFaults.fullDisk(small, 64 * 1024)) {
      disk.makeRoom();
      EventSpool spool = EventSpool.open(small, 10_000);
      DeviceEvent first = spool.add(event("first"));
      disk.fill();
      String big = "x".repeat(1000);
      for (int i = 0; i < 20; i++) {
        spool.add(event("full " + i + big));
      }
      assertThat(spool.size()).isEqualTo(21);
      assertThat(spool.writeFailures()).isPositive();
      spool.acknowledge(first);

      disk.makeRoom();
      spool.retryWrites();

      EventSpool reopened = EventSpool.open(small, 10_000);
      assertThat(reopened.pending()).hasSize(20).isEqualTo(spool.pending());
      assertThat(reopened.dropped()).isZero();
      spool.close();
      reopened.close();
    }
  }

  private static DeviceEvent event(String reason) {
    return new DeviceEvent(
        Message.VERSION,
        "esp32-a4cf12e0b3d1",
        "gw-1",
        0,
        "2025-01-01T00:00:00Z",
        "link",
        reason,
        "message " + reason);
  }

  private Path newestLog() throws IOException {
    return logs().get(logs().size() - 1);
  }

  private static Path acksOf(Path log) {
    String name = log.getFileName().toString();
    return log.resolveSibling(name.substring(0, name.length() - ".log".length()) + ".acks");
  }

  /** The segment logs, oldest first. */
  private List<Path> logs() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().matches("segment-\\d+\\.log"))
          .sorted(
              Comparator.comparingLong(
                  p -> Long.parseLong(p.getFileName().toString().replaceAll("\\D", ""))))
          .toList();
    }
  }

  private long linesOnDisk() throws IOException {
    long lines = 0;
    for (Path log : logs()) {
      lines += Files.readAllLines(log).size();
    }
    return lines;
  }

  private static DeviceEvent withSeq(DeviceEvent e, long seq) {
    return new DeviceEvent(
        e.v(), e.device(), e.gateway(), seq, e.time(), e.kind(), e.reason(), e.message());
  }
}
