package io.fieldproof.agent.state;

import io.fieldproof.agent.files.AtomicFiles;
import io.fieldproof.protocol.DeviceEvent;
import io.fieldproof.protocol.MessageCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store-and-forward for device events: every event is on disk before it is sent, and forgotten only
 * once the broker acknowledged it. Bounded: past maxEvents the oldest are dropped, and the drops
 * are counted (persisted too) so they can be reported. Sequence numbers never repeat, also after a
 * restart with an empty spool.
 *
 * <p>On disk, an append-only log in segments: {@code segment-<n>.log} holds events, one JSON line
 * each, and {@code segment-<n>.acks} the sequence numbers of its events that were acknowledged or
 * dropped, one per line; {@code n} grows with every segment and is at least the sequence number of
 * its first event, so the newest segment (never deleted while it is appended to) bounds the next
 * sequence number even when every event is acknowledged. Adding an event is one append and one
 * {@code fdatasync}; acknowledging one is one append, without a sync (an acknowledgement lost in a
 * power cut makes the event be sent again: delivery is at least once, and receivers know events by
 * gateway and sequence number). Both cost the same whatever the spool holds. A segment whose events
 * are all acknowledged is deleted, except the newest, which events are still appended to (up to
 * {@value #SEGMENT_EVENTS} each).
 *
 * <p>Opening reads every segment and rewrites what is pending into one new segment (atomically, see
 * {@link AtomicFiles}) before deleting the old ones; the same rewrite runs when the segments hold
 * more than twice the bound in dead lines, so the disk holds at most about {@code 2 * maxEvents + 2
 * *} {@value #SEGMENT_EVENTS} events. Lines that cannot be read (a torn last line) are counted as
 * dropped once, since the rewrite leaves them out.
 *
 * <p>A write that fails (a full disk, a read-only folder) is logged and counted, never thrown: the
 * spool goes on in memory, and the rewrite is tried again at most once a second when events come,
 * and on {@link #retryWrites()}. Once it succeeds, the files hold exactly what is pending. (Events
 * numbered, sent and acknowledged while nothing could be written leave no trace: an agent restarted
 * before its disk recovered numbers from the last number on disk again.)
 */
public final class EventSpool implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EventSpool.class);

  /** Events appended to one segment before the next one starts. */
  static final int SEGMENT_EVENTS = 1024;

  static final String DROPPED = "events.dropped";

  /** The single-file spool of earlier agents, read once and replaced by a segment. */
  static final String LEGACY = "events.jsonl";

  static final String LEGACY_SEQ = "events.seq";

  private static final String PREFIX = "segment-";
  private static final String LOG_SUFFIX = ".log";
  private static final String ACKS_SUFFIX = ".acks";
  private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Path dir;
  private final int maxEvents;
  private final WriteFailures failures = new WriteFailures();
  private final LinkedHashMap<Long, Entry> pending = new LinkedHashMap<>();
  private final Map<Long, Segment> segments = new HashMap<>();
  private Segment active;
  private long nextSeq;
  private long dropped;
  private long storedLines;
  private boolean rewriteNeeded = true;
  private boolean droppedUnsaved;
  private long lastRetry = System.nanoTime() - RETRY_NANOS;

  private EventSpool(Path dir, int maxEvents) {
    this.dir = dir;
    this.maxEvents = maxEvents;
  }

  /** Opens the spool in {@code dir}; never fails: what cannot be read or written is logged. */
  public static EventSpool open(Path dir, int maxEvents) {
    EventSpool spool = new EventSpool(dir, maxEvents);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      spool.failures.failed(dir, "create the spool folder", e);
    }
    spool.load();
    while (spool.pending.size() > maxEvents) {
      spool.pending.remove(spool.pending.keySet().iterator().next());
      spool.dropped++;
    }
    spool.rewrite();
    return spool;
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
    Entry entry = new Entry(numbered);
    pending.put(numbered.seq(), entry);
    if (pending.size() > maxEvents) {
      dropOldest();
    }
    if (rewriteNeeded) {
      if (System.nanoTime() - lastRetry >= RETRY_NANOS) {
        rewrite();
      }
    } else {
      append(entry);
    }
    return numbered;
  }

  /** The events not yet acknowledged, oldest first. */
  public synchronized List<DeviceEvent> pending() {
    List<DeviceEvent> events = new ArrayList<>(pending.size());
    pending.values().forEach(e -> events.add(e.event));
    return events;
  }

  /** Forgets an event the broker acknowledged; in constant time, whatever the spool holds. */
  public synchronized void acknowledge(DeviceEvent event) {
    Entry entry = pending.remove(event.seq());
    if (entry != null) {
      release(entry);
    }
  }

  public synchronized long dropped() {
    return dropped;
  }

  public synchronized int size() {
    return pending.size();
  }

  /** Writes to the spool folder that failed since the spool was opened. */
  public long writeFailures() {
    return failures.count();
  }

  /** Brings the files in line with memory if an earlier write failed. */
  public synchronized void retryWrites() {
    if (rewriteNeeded) {
      rewrite();
    } else if (droppedUnsaved) {
      saveDropped();
    }
  }

  @Override
  public synchronized void close() {
    segments.values().forEach(Segment::close);
  }

  private void load() {
    TreeMap<Long, DeviceEvent> events = new TreeMap<>();
    Set<Long> acked = new HashSet<>();
    long floor = Math.max(1, readNumber(dir.resolve(LEGACY_SEQ)));
    dropped = readNumber(dir.resolve(DROPPED));
    long unreadable = readEvents(dir.resolve(LEGACY), events);
    for (Path file : files()) {
      String name = file.getFileName().toString();
      if (name.endsWith(LOG_SUFFIX)) {
        floor = Math.max(floor, segmentName(name).orElse(0L));
        unreadable += readEvents(file, events);
      } else if (name.endsWith(ACKS_SUFFIX)) {
        readAcks(file, acked);
      }
    }
    if (unreadable > 0) {
      LOG.warn("{} unreadable lines in the event spool {}; counted as dropped", unreadable, dir);
    }
    dropped += unreadable;
    events.values().stream()
        .filter(e -> !acked.contains(e.seq()))
        .forEach(e -> pending.put(e.seq(), new Entry(e)));
    nextSeq = events.isEmpty() ? floor : Math.max(floor, events.lastKey() + 1);
  }

  /** Reads the complete lines of an event file; returns how many could not be read. */
  private long readEvents(Path file, Map<Long, DeviceEvent> into) {
    String text = readText(file);
    long unreadable = 0;
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      String line = end < 0 ? text.substring(start) : text.substring(start, end);
      start = end < 0 ? text.length() : end + 1;
      if (line.isBlank()) {
        continue;
      }
      try {
        DeviceEvent event = MessageCodec.mapper().readValue(line, DeviceEvent.class);
        into.put(event.seq(), event);
      } catch (IOException e) {
        unreadable++;
      }
    }
    return unreadable;
  }

  /** Reads the acknowledged numbers; a last line without its newline (torn) is not one. */
  private void readAcks(Path file, Set<Long> into) {
    String text = readText(file);
    int last = text.lastIndexOf('\n');
    for (String line : text.substring(0, last + 1).split("\n")) {
      try {
        if (!line.isBlank()) {
          into.add(Long.parseLong(line.strip()));
        }
      } catch (NumberFormatException e) {
        LOG.debug("unreadable acknowledgement in {}: {}", file, line);
      }
    }
  }

  private long readNumber(Path file) {
    String text = readText(file).strip();
    if (text.isEmpty()) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(text));
    } catch (NumberFormatException e) {
      LOG.warn("{} does not hold a number; taken as 0", file);
      return 0;
    }
  }

  private String readText(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      LOG.warn("cannot read {} ({}); the spool starts without it", file, e.toString());
      return "";
    }
  }

  private List<Path> files() {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      LOG.warn("cannot list the event spool {}: {}", dir, e.toString());
      return List.of();
    }
  }

  private static java.util.Optional<Long> segmentName(String fileName) {
    String suffix = fileName.endsWith(LOG_SUFFIX) ? LOG_SUFFIX : ACKS_SUFFIX;
    if (!fileName.endsWith(suffix)) {
      return java.util.Optional.empty();
    }
    String digits = fileName.substring(PREFIX.length(), fileName.length() - suffix.length());
    try {
      return java.util.Optional.of(Long.parseLong(digits));
    } catch (NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  /**
   * Writes everything pending into one new segment, then deletes every other segment and the legacy
   * files. A crash in between leaves both, and the next open reads each event once.
   */
  private void rewrite() {
    lastRetry = System.nanoTime();
    List<Path> old = files();
    long name = nextSeq;
    for (Path file : old) {
      name = Math.max(name, segmentName(file.getFileName().toString()).orElse(0L) + 1);
    }
    Path log = dir.resolve(PREFIX + name + LOG_SUFFIX);
    try {
      ByteArrayOutputStream content = new ByteArrayOutputStream();
      for (Entry entry : pending.values()) {
        content.write(line(entry.event));
      }
      AtomicFiles.write(log, content.toByteArray());
      AtomicFiles.write(
          dir.resolve(DROPPED), Long.toString(dropped).getBytes(StandardCharsets.UTF_8));
      droppedUnsaved = false;
      close();
      segments.clear();
      for (Path file : old) {
        if (file.getFileName().toString().endsWith(LOG_SUFFIX)) {
          Files.deleteIfExists(file);
        }
      }
      for (Path file : old) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(dir.resolve(LEGACY));
      Files.deleteIfExists(dir.resolve(LEGACY_SEQ));
      AtomicFiles.forceFolder(dir);
    } catch (IOException e) {
      rewriteNeeded = true;
      failures.failed(log, "rewrite the event spool to", e);
      return;
    }
    Segment segment = new Segment(name, dir);
    segment.lines = pending.size();
    segment.live = pending.size();
    segments.put(name, segment);
    pending.values().forEach(entry -> entry.segment = segment);
    active = segment;
    storedLines = segment.lines;
    rewriteNeeded = false;
    failures.succeeded(dir);
  }

  private void append(Entry entry) {
    if (active.lines >= SEGMENT_EVENTS && !roll(entry)) {
      return;
    }
    if (entry.segment != null) {
      return; // the rewrite in roll() wrote it
    }
    FileChannel out = null;
    long before = -1;
    try {
      out = active.log();
      before = out.size();
      writeFully(out, line(entry.event));
      out.force(false);
    } catch (IOException e) {
      failures.failed(active.log, "append an event to", e);
      rewriteNeeded = true;
      truncate(out, before);
      return;
    }
    active.lines++;
    active.live++;
    storedLines++;
    entry.segment = active;
    failures.succeeded(dir);
  }

  /** A failed append may have left part of a line: cut it, or the next line would join it. */
  private static void truncate(FileChannel out, long size) {
    if (out == null || size < 0) {
      return;
    }
    try {
      out.truncate(size);
    } catch (IOException e) {
      LOG.debug("cannot cut a torn event line: {}", e.toString());
    }
  }

  /**
   * Starts the next segment, named by the sequence number of the event about to go in; rewrites the
   * spool first when dead lines outnumber the bound. Returns false when the spool must be
   * rewritten.
   */
  private boolean roll(Entry entry) {
    if (storedLines > 2L * maxEvents + 2L * SEGMENT_EVENTS) {
      rewrite(); // writes the entry too
      return !rewriteNeeded;
    }
    Segment next = new Segment(Math.max(entry.event.seq(), active.name + 1), dir);
    try {
      next.log();
      AtomicFiles.forceFolder(dir);
    } catch (IOException e) {
      next.close();
      failures.failed(next.log, "start an event spool segment", e);
      rewriteNeeded = true;
      return false;
    }
    Segment previous = active;
    segments.put(next.name, next);
    active = next;
    if (previous.live == 0) {
      delete(previous);
    }
    return true;
  }

  private void dropOldest() {
    Iterator<Entry> oldest = pending.values().iterator();
    Entry entry = oldest.next();
    oldest.remove();
    dropped++;
    saveDropped();
    release(entry);
  }

  /** The event left the spool: its segment learns it, or goes when nothing of it is pending. */
  private void release(Entry entry) {
    Segment segment = entry.segment;
    if (segment == null || rewriteNeeded) {
      return; // only in memory: the next rewrite leaves it out
    }
    segment.live--;
    if (segment.live == 0 && segment != active) {
      delete(segment);
      return;
    }
    try {
      writeFully(segment.acks(), (entry.event.seq() + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      failures.failed(segment.acks, "record an acknowledgement in", e);
      rewriteNeeded = true;
    }
  }

  private void delete(Segment segment) {
    segment.close();
    segments.remove(segment.name);
    storedLines -= segment.lines;
    try {
      Files.deleteIfExists(segment.log);
      Files.deleteIfExists(segment.acks);
    } catch (IOException e) {
      failures.failed(segment.log, "delete the acknowledged segment", e);
      rewriteNeeded = true;
    }
  }

  private void saveDropped() {
    if (rewriteNeeded) {
      droppedUnsaved = true;
      return;
    }
    try {
      AtomicFiles.write(
          dir.resolve(DROPPED), Long.toString(dropped).getBytes(StandardCharsets.UTF_8));
      droppedUnsaved = false;
    } catch (IOException e) {
      droppedUnsaved = true;
      failures.failed(dir.resolve(DROPPED), "save the dropped-event count to", e);
    }
  }

  private static byte[] line(DeviceEvent event) throws IOException {
    byte[] json = MessageCodec.mapper().writeValueAsBytes(event);
    byte[] line = new byte[json.length + 1];
    System.arraycopy(json, 0, line, 0, json.length);
    line[json.length] = '\n';
    return line;
  }

  private static void writeFully(FileChannel out, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
  }

  /** One pending event and the segment that holds it (null while only in memory). */
  private static final class Entry {
    final DeviceEvent event;
    Segment segment;

    Entry(DeviceEvent event) {
      this.event = event;
    }
  }

  /** One segment's files, the lines its log holds, and how many of them are still pending. */
  private static final class Segment {
    final long name;
    final Path log;
    final Path acks;
    int lines;
    int live;
    private FileChannel logOut;
    private FileChannel acksOut;

    Segment(long name, Path dir) {
      this.name = name;
      this.log = dir.resolve(PREFIX + name + LOG_SUFFIX);
      this.acks = dir.resolve(PREFIX + name + ACKS_SUFFIX);
    }

    FileChannel log() throws IOException {
      if (logOut == null) {
        logOut = appender(log);
      }
      return logOut;
    }

    FileChannel acks() throws IOException {
      if (acksOut == null) {
        acksOut = appender(acks);
      }
      return acksOut;
    }

    private static FileChannel appender(Path file) throws IOException {
      return FileChannel.open(
          file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    void close() {
      for (FileChannel channel : new FileChannel[] {logOut, acksOut}) {
        if (channel != null) {
          try {
            channel.close();
          } catch (IOException e) {
            LOG.debug("closing a spool segment: {}", e.toString());
          }
        }
      }
      logOut = null;
      acksOut = null;
    }
  }
}
