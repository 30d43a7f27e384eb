package io.fieldproof.agent.state;

import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fieldproof.agent.files.AtomicFiles;
import io.fieldproof.protocol.MessageCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's memory on disk: the birth sequence number and, per device link, what the device is
 * and runs. A restarted agent knows what each device runs before it has talked to any of them.
 *
 * <p>A change costs what it changes, not what the gateway holds: it is one line appended to a
 * journal ({@link StateJournal}, {@code state.journal}), and {@link #put} and {@link #nextBirthSeq}
 * return once that line is on the device. Changes made at the same time by several device threads
 * share one append and one {@code fdatasync} (group commit: the thread that gets the disk writes
 * every line waiting, the others find theirs written). When the journal holds more than {@value
 * #COMPACT_MIN} lines and twice as many as there are devices, the whole state is written as a
 * snapshot ({@code state.json}, atomically, see {@link AtomicFiles}) that names the last line it
 * holds, and the journal is emptied; so the disk holds at most about three times the state, and the
 * snapshot's cost is spread over as many changes as the gateway has devices.
 *
 * <p>Opening reads the snapshot, then the journal's lines after the one it names, in order; a crash
 * in the middle of an append leaves a torn last line, which is dropped (with the change it was
 * writing, which had not returned) and logged. A crash between writing the snapshot and emptying
 * the journal leaves lines the snapshot holds already: they are skipped by their number. Nothing is
 * appended after a torn line or a failed write: the next write is a snapshot.
 *
 * <p>A snapshot that cannot be read (empty, truncated, not JSON, not a state) is moved aside to
 * {@code state.json.corrupt-<time>} (the newest {@value #CORRUPT_KEPT} are kept), logged with the
 * reason, and the agent starts with the journal's records only: it learns the others again from the
 * devices' HELLO.
 *
 * <p>The birth sequence number must stay above every number this gateway ever put in a birth or a
 * will, because the operator ignores a gateway state with a lower number than the one the broker
 * retains. It is therefore the larger of three sources, and is lower than a number used before only
 * if all three fail at once:
 *
 * <ol>
 *   <li>the number in the snapshot and the journal, plus one;
 *   <li>a high-water mark in a file of its own, birth.seq, written (durably) before the journal
 *       line or the snapshot that carries the number, so damaged state files do not take the number
 *       with them;
 *   <li>the wall clock in milliseconds: every number is at least the time it was taken at, so a
 *       gateway whose clock did not go back takes a higher number than any before, even with every
 *       file lost, and even when a number could not be written at all (a full disk).
 * </ol>
 *
 * A failed write never throws: the state goes on in memory, the failure is logged and counted, and
 * the next change or {@link #retryWrites()} writes it again (as a snapshot).
 */
public final class DurableState {

  private static final Logger LOG = LoggerFactory.getLogger(DurableState.class);

  static final String FILE = "state.json";
  static final String MARK = "birth.seq";

  /** Moved-aside copies of an unreadable file kept at most, per file. */
  static final int CORRUPT_KEPT = 3;

  /** The journal is folded into a snapshot past this many lines and twice the devices. */
  static final int COMPACT_MIN = 64;

  private final Path dir;
  private final Path file;
  private final Path markFile;
  private final StateJournal journal;
  private final Clock clock;
  private final WriteFailures failures = new WriteFailures();

  /** Held while writing to the disk; the state's monitor guards the memory and the batch. */
  private final ReentrantLock disk = new ReentrantLock();

  private long birthSeq;
  private final Map<String, DeviceRecord> byLink = new LinkedHashMap<>();

  /** The number of the last change made in memory. */
  private long lastChange;

  /** Changes up to this number were taken into a write (that succeeded or failed). */
  private long attempted;

  /** Changes up to this number are on the device. */
  private long durable;

  /** The journal lines of changes not yet taken into a write. */
  private final List<byte[]> waiting = new ArrayList<>();

  private boolean markDue;
  private int journalLines;

  /** The journal may not be appended to (torn tail, failed write): the next write is a snapshot. */
  private boolean snapshotDue;

  private DurableState(Path dir, Clock clock) {
    this.dir = dir;
    this.file = dir.resolve(FILE);
    this.markFile = dir.resolve(MARK);
    this.journal = new StateJournal(dir);
    this.clock = clock;
  }

  public static DurableState open(Path dir) {
    return open(dir, Clock.systemUTC());
  }

  /** Opens the state in {@code dir}; never fails: what cannot be read is set aside and logged. */
  public static DurableState open(Path dir, Clock clock) {
    DurableState state = new DurableState(dir, clock);
    try {
      Files.createDirectories(dir);
      AtomicFiles.discardTemp(state.file);
      AtomicFiles.discardTemp(state.markFile);
    } catch (IOException e) {
      state.failures.failed(dir, "prepare the state folder", e);
    }
    long snapshotHolds = state.readState();
    state.readJournal(snapshotHolds);
    state.birthSeq = Math.max(state.birthSeq, state.readMark());
    state.attempted = state.lastChange;
    state.durable = state.lastChange;
    return state;
  }

  /** Reads the snapshot; returns the number of the last journal line it holds. */
  private long readState() {
    byte[] bytes = read(file);
    if (bytes == null) {
      return 0;
    }
    try {
      if (bytes.length == 0) {
        throw new IOException("the file is empty");
      }
      JsonNode root = MessageCodec.mapper().readTree(bytes);
      if (root == null || !root.isObject()) {
        throw new IOException("not a JSON object");
      }
      long seq = wholeNumber(root, "birthSeq");
      long holds = wholeNumber(root, "journal");
      Map<String, DeviceRecord> devices = new LinkedHashMap<>();
      for (JsonNode device : root.path("devices")) {
        DeviceRecord record = record(device);
        devices.put(record.link(), record);
      }
      birthSeq = seq;
      byLink.putAll(devices);
      lastChange = holds;
      return holds;
    } catch (JsonEOFException e) {
      setAside(file, "the file is truncated: " + e.getOriginalMessage());
    } catch (IOException | IllegalArgumentException e) {
      setAside(file, e.getMessage());
    }
    return 0;
  }

  /** Applies the journal's lines after the snapshot's, up to a torn or damaged one. */
  private void readJournal(long snapshotHolds) {
    StateJournal.Contents contents;
    try {
      contents = journal.read();
    } catch (IOException e) {
      LOG.warn("cannot read {} ({}); the agent starts without it", journal.file(), e.toString());
      snapshotDue = true;
      return;
    }
    String damage = contents.tornReason();
    int applied = 0;
    for (byte[] line : contents.lines()) {
      try {
        JsonNode change = MessageCodec.mapper().readTree(line);
        long seq = wholeNumber(change, "seq");
        if (seq > snapshotHolds) {
          if (change.has("device")) {
            DeviceRecord record = record(change.get("device"));
            byLink.put(record.link(), record);
          } else {
            birthSeq = Math.max(birthSeq, wholeNumber(change, "birthSeq"));
          }
          lastChange = Math.max(lastChange, seq);
        }
        applied++;
      } catch (IOException | IllegalArgumentException e) {
        damage = "a line that is not a change (" + e.getMessage() + ")";
        break;
      }
    }
    journalLines = applied;
    if (damage != null) {
      snapshotDue = true;
      LOG.warn(
          "{}: {} after {} good lines; what follows them is dropped ({} bytes torn) and the next"
              + " write is a snapshot",
          journal.file(),
          damage,
          applied,
          contents.tornBytes());
    }
  }

  private static DeviceRecord record(JsonNode device) throws IOException {
    DeviceRecord record = MessageCodec.mapper().treeToValue(device, DeviceRecord.class);
    if (record == null || record.link() == null) {
      throw new IOException("a device record without a link");
    }
    return record;
  }

  private static long wholeNumber(JsonNode node, String field) throws IOException {
    JsonNode value = node.path(field);
    if (!value.isMissingNode() && (!value.canConvertToExactIntegral() || value.asLong() < 0)) {
      throw new IOException(field + " is not a non-negative whole number");
    }
    return value.asLong(0);
  }

  private long readMark() {
    byte[] bytes = read(markFile);
    if (bytes == null) {
      return 0;
    }
    try {
      long mark = Long.parseLong(new String(bytes, StandardCharsets.UTF_8).strip());
      if (mark < 0) {
        throw new NumberFormatException("negative");
      }
      return mark;
    } catch (NumberFormatException e) {
      setAside(markFile, bytes.length == 0 ? "the file is empty" : "not a whole number");
      return 0;
    }
  }

  /** The file's bytes, or null when there is none or it cannot be read at all. */
  private byte[] read(Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      LOG.warn("cannot read {} ({}); the agent starts without it", path, e.toString());
      return null;
    }
  }

  private void setAside(Path corrupt, String reason) {
    try {
      Path aside = AtomicFiles.moveAside(corrupt, clock, CORRUPT_KEPT);
      LOG.warn("{} cannot be read ({}); moved aside to {}", corrupt, reason, aside.getFileName());
    } catch (IOException e) {
      LOG.warn(
          "{} cannot be read ({}) nor moved aside ({}); it is replaced at the next write",
          corrupt,
          reason,
          e.toString());
    }
  }

  /**
   * The next birth sequence number: above every number taken before and at least the wall clock in
   * milliseconds. Written before it is returned where the disk allows; returned in any case, so a
   * full disk never stops a reconnect.
   */
  public long nextBirthSeq() {
    long taken;
    long change;
    synchronized (this) {
      birthSeq = Math.max(birthSeq + 1, clock.millis());
      taken = birthSeq;
      markDue = true;
      ObjectNode line = MessageCodec.mapper().createObjectNode();
      change = change(line.put("birthSeq", taken));
    }
    commit(change, false);
    return taken;
  }

  public synchronized long birthSeq() {
    return birthSeq;
  }

  public synchronized Optional<DeviceRecord> device(String link) {
    return Optional.ofNullable(byLink.get(link));
  }

  /**
   * Keeps the record in memory at once, and on disk before it returns unless the disk refuses (then
   * later).
   */
  public void put(DeviceRecord record) {
    long change;
    synchronized (this) {
      byLink.put(record.link(), record);
      ObjectNode line = MessageCodec.mapper().createObjectNode();
      line.set("device", MessageCodec.mapper().valueToTree(record));
      change = change(line);
    }
    commit(change, false);
  }

  /** Writes the state again (as a snapshot) if an earlier write failed. */
  public void retryWrites() {
    long upTo;
    synchronized (this) {
      if (!snapshotDue && durable >= lastChange) {
        return;
      }
      upTo = lastChange;
    }
    commit(upTo, true);
  }

  /** Writes to the state folder that failed since the state was opened. */
  public long writeFailures() {
    return failures.count();
  }

  /** Numbers a change and queues its journal line ({@code seq} first); holds the monitor. */
  private long change(ObjectNode content) {
    ObjectNode line = MessageCodec.mapper().createObjectNode();
    line.put("seq", ++lastChange);
    line.setAll(content);
    try {
      waiting.add(MessageCodec.mapper().writeValueAsBytes(line));
    } catch (IOException e) {
      throw new IllegalStateException("a state change that cannot be written as JSON", e);
    }
    return lastChange;
  }

  /**
   * Makes the change numbered {@code change} durable: writes every change waiting, unless a write
   * that took this change ran already (it succeeded, or it failed and {@code retry} is false).
   */
  private void commit(long change, boolean retry) {
    disk.lock();
    try {
      Batch batch;
      synchronized (this) {
        boolean done = retry ? durable >= change && !snapshotDue : attempted >= change;
        if (done) {
          return;
        }
        batch = takeBatch();
      }
      write(batch);
    } finally {
      disk.unlock();
    }
  }

  /** What one write puts on the disk: journal lines, or a whole snapshot. Holds the monitor. */
  private Batch takeBatch() {
    boolean snapshot =
        snapshotDue || journalLines + waiting.size() > Math.max(COMPACT_MIN, 2 * byLink.size());
    Batch batch =
        snapshot
            ? new Batch(lastChange, birthSeq, true, List.of(), snapshot())
            : new Batch(lastChange, birthSeq, markDue, List.copyOf(waiting), null);
    waiting.clear();
    markDue = false;
    attempted = lastChange;
    return batch;
  }

  private record Batch(
      long upTo, long birthSeq, boolean mark, List<byte[]> lines, byte[] snapshot) {}

  private byte[] snapshot() {
    ObjectNode root = MessageCodec.mapper().createObjectNode();
    root.put("birthSeq", birthSeq);
    root.put("journal", lastChange);
    var devices = root.putArray("devices");
    byLink.values().forEach(d -> devices.add(MessageCodec.mapper().valueToTree(d)));
    try {
      return MessageCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("the agent state cannot be written as JSON", e);
    }
  }

  /**
   * Write order: the mark first, then the journal lines, or the snapshot and the journal emptied.
   */
  private void write(Batch batch) {
    try {
      if (batch.mark()) {
        AtomicFiles.write(
            markFile, Long.toString(batch.birthSeq()).getBytes(StandardCharsets.UTF_8));
      }
      if (batch.snapshot() != null) {
        AtomicFiles.write(file, batch.snapshot());
        journal.reset();
      } else {
        journal.append(batch.lines());
      }
      synchronized (this) {
        durable = Math.max(durable, batch.upTo());
        if (batch.snapshot() != null) {
          journalLines = 0;
          snapshotDue = false;
        } else {
          journalLines += batch.lines().size();
        }
      }
      failures.succeeded(dir);
    } catch (IOException e) {
      synchronized (this) {
        snapshotDue = true;
      }
      failures.failed(
          batch.snapshot() != null ? file : journal.file(), "save the agent state to", e);
    }
  }
}
