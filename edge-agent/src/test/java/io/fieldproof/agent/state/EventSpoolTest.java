package io.fieldproof.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.protocol.DeviceEvent;
import io.fieldproof.protocol.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
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
    Files.writeString(
        dir.resolve("events.jsonl"), "{\"v\":1,\"device\":\"esp32-", StandardOpenOption.APPEND);
    Files.writeString(dir.resolve("events.jsonl"), "\n", StandardOpenOption.APPEND);
    DeviceEvent third = spool.add(event("c"));
    Files.writeString(
        dir.resolve("events.jsonl"), "{\"v\":1,\"dev", StandardOpenOption.APPEND); // torn write

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
    Files.writeString(dir.resolve("events.jsonl"), "garbage\n", StandardOpenOption.APPEND);

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

    List<String> lines = Files.readAllLines(dir.resolve("events.jsonl"), StandardCharsets.UTF_8);

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("\"seq\":1", "\"reason\":\"a\"");
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

  private static DeviceEvent withSeq(DeviceEvent e, long seq) {
    return new DeviceEvent(
        e.v(), e.device(), e.gateway(), seq, e.time(), e.kind(), e.reason(), e.message());
  }
}
