package io.fieldproof.agent.state;

import io.fieldproof.protocol.DeviceEvent;
import io.fieldproof.protocol.MessageCodec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Store-and-forward for device events: every event is appended to events.jsonl before it is sent,
 * and removed only once the broker acknowledged it. Bounded: past maxEvents the oldest are dropped,
 * and the drops are counted (persisted too) so they can be reported. Sequence numbers never repeat,
 * also after a restart with an empty spool (the next one is kept in events.seq).
 */
public final class EventSpool {

  private final Path file;
  private final Path droppedFile;
  private final Path seqFile;
  private final int maxEvents;
  private final Deque<DeviceEvent> pending = new ArrayDeque<>();
  private long dropped;
  private long nextSeq;

  private EventSpool(Path dir, int maxEvents) {
    this.file = dir.resolve("events.jsonl");
    this.droppedFile = dir.resolve("events.dropped");
    this.seqFile = dir.resolve("events.seq");
    this.maxEvents = maxEvents;
  }

  public static EventSpool open(Path dir, int maxEvents) throws IOException {
    Files.createDirectories(dir);
    EventSpool spool = new EventSpool(dir, maxEvents);
    if (Files.exists(spool.droppedFile)) {
      spool.dropped = Long.parseLong(Files.readString(spool.droppedFile).strip());
    }
    if (Files.exists(spool.seqFile)) {
      spool.nextSeq = Long.parseLong(Files.readString(spool.seqFile).strip());
    }
    long droppedBefore = spool.dropped;
    if (Files.exists(spool.file)) {
      for (String line : Files.readAllLines(spool.file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          spool.readLine(line);
        }
      }
    }
    if (!spool.pending.isEmpty()) {
      spool.nextSeq = Math.max(spool.nextSeq, spool.pending.peekLast().seq() + 1);
    }
    spool.nextSeq = Math.max(spool.nextSeq, 1);
    spool.trim();
    if (Files.exists(spool.file)) {
      // drops the corrupt and trimmed lines, so they are counted once, and ends the file with a
      // newline, so the next append never joins a line torn by a crash
      spool.rewrite();
    }
    if (spool.dropped != droppedBefore) {
      spool.writeDropped();
    }
    return spool;
  }

  private void readLine(String line) {
    try {
      pending.add(MessageCodec.mapper().readValue(line, DeviceEvent.class));
    } catch (IOException e) {
      dropped++;
    }
  }

  /** Numbers the event, keeps it on disk, and returns it as it will be sent. */
  public synchronized DeviceEvent add(DeviceEvent event) {
    DeviceEvent numbered =
        new DeviceEvent(
            event.v(),
            event.device(),
            event.gateway(),
            nextSeq++,
            event.time(),
            event.kind(),
            event.reason(),
            event.message());
    pending.add(numbered);
    if (pending.size() > maxEvents) {
      trim();
      rewrite();
    } else {
      append(numbered);
    }
    return numbered;
  }

  /** The events not yet acknowledged, oldest first. */
  public synchronized List<DeviceEvent> pending() {
    return new ArrayList<>(pending);
  }

  /** Removes an event the broker acknowledged. */
  public synchronized void acknowledge(DeviceEvent event) {
    if (pending.remove(event)) {
      rewrite();
    }
  }

  public synchronized long dropped() {
    return dropped;
  }

  public synchronized int size() {
    return pending.size();
  }

  private void trim() {
    boolean trimmed = false;
    while (pending.size() > maxEvents) {
      pending.removeFirst();
      dropped++;
      trimmed = true;
    }
    if (trimmed) {
      writeDropped();
    }
  }

  private void append(DeviceEvent event) {
    try (BufferedWriter out =
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      out.write(MessageCodec.mapper().writeValueAsString(event));
      out.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot spool an event to " + file, e);
    }
  }

  /**
   * Replaces events.jsonl with the pending events. The next sequence number is saved first: once
   * the newest event left the file, the file alone no longer knows it.
   */
  private void rewrite() {
    StringBuilder content = new StringBuilder();
    try {
      AtomicFiles.write(seqFile, Long.toString(nextSeq).getBytes(StandardCharsets.UTF_8));
      for (DeviceEvent event : pending) {
        content.append(MessageCodec.mapper().writeValueAsString(event)).append('\n');
      }
      AtomicFiles.write(file, content.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite " + file, e);
    }
  }

  private void writeDropped() {
    try {
      AtomicFiles.write(droppedFile, Long.toString(dropped).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + droppedFile, e);
    }
  }
}
