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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's memory on disk (state.json in the state folder): the birth sequence number and, per
 * device link, what the device is and runs. A restarted agent knows what each device runs before it
 * has talked to any of them.
 *
 * <p>Every write is atomic and durable ({@link AtomicFiles}). A state file that cannot be read
 * (empty, truncated, not JSON, not a state) is moved aside to {@code state.json.corrupt-<time>}
 * (the newest {@value #CORRUPT_KEPT} are kept), logged with the reason, and the agent starts
 * without its device records: it learns them again from the devices' HELLO.
 *
 * <p>The birth sequence number must stay above every number this gateway ever put in a birth or a
 * will, because the operator ignores a gateway state with a lower number than the one the broker
 * retains. It is therefore the larger of three sources, and is lower than a number used before only
 * if all three fail at once:
 *
 * <ol>
 *   <li>the number in state.json, plus one;
 *   <li>a high-water mark in a second file, birth.seq, written (durably) before state.json, so a
 *       damaged state.json does not take the number with it;
 *   <li>the wall clock in milliseconds: every number is at least the time it was taken at, so a
 *       gateway whose clock did not go back takes a higher number than any before, even with both
 *       files lost, and even when a number could not be written at all (a full disk).
 * </ol>
 *
 * A failed write never throws: the state goes on in memory, the failure is logged and counted, and
 * the next change or {@link #retryWrites()} writes it again.
 */
public final class DurableState {

  private static final Logger LOG = LoggerFactory.getLogger(DurableState.class);

  static final String FILE = "state.json";
  static final String MARK = "birth.seq";

  /** Moved-aside copies of an unreadable file kept at most, per file. */
  static final int CORRUPT_KEPT = 3;

  private final Path dir;
  private final Path file;
  private final Path markFile;
  private final Clock clock;
  private final WriteFailures failures = new WriteFailures();
  private long birthSeq;
  private boolean unsaved;
  private final Map<String, DeviceRecord> byLink = new LinkedHashMap<>();

  private DurableState(Path dir, Clock clock) {
    this.dir = dir;
    this.file = dir.resolve(FILE);
    this.markFile = dir.resolve(MARK);
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
    state.readState();
    state.birthSeq = Math.max(state.birthSeq, state.readMark());
    return state;
  }

  private void readState() {
    byte[] bytes = read(file);
    if (bytes == null) {
      return;
    }
    try {
      if (bytes.length == 0) {
        throw new IOException("the file is empty");
      }
      JsonNode root = MessageCodec.mapper().readTree(bytes);
      if (root == null || !root.isObject()) {
        throw new IOException("not a JSON object");
      }
      JsonNode seq = root.path("birthSeq");
      if (!seq.isMissingNode() && (!seq.canConvertToExactIntegral() || seq.asLong() < 0)) {
        throw new IOException("birthSeq is not a non-negative whole number");
      }
      Map<String, DeviceRecord> devices = new LinkedHashMap<>();
      for (JsonNode device : root.path("devices")) {
        DeviceRecord record = MessageCodec.mapper().treeToValue(device, DeviceRecord.class);
        if (record == null || record.link() == null) {
          throw new IOException("a device record without a link");
        }
        devices.put(record.link(), record);
      }
      birthSeq = seq.asLong(0);
      byLink.putAll(devices);
    } catch (JsonEOFException e) {
      setAside(file, "the file is truncated: " + e.getOriginalMessage());
    } catch (IOException | IllegalArgumentException e) {
      setAside(file, e.getMessage());
    }
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
  public synchronized long nextBirthSeq() {
    birthSeq = Math.max(birthSeq + 1, clock.millis());
    save();
    return birthSeq;
  }

  public synchronized long birthSeq() {
    return birthSeq;
  }

  public synchronized Optional<DeviceRecord> device(String link) {
    return Optional.ofNullable(byLink.get(link));
  }

  /** Keeps the record in memory at once, and on disk unless the disk refuses (then later). */
  public synchronized void put(DeviceRecord record) {
    byLink.put(record.link(), record);
    save();
  }

  /** Writes the state again if an earlier write failed. */
  public synchronized void retryWrites() {
    if (unsaved) {
      save();
    }
  }

  /** Writes to the state folder that failed since the state was opened. */
  public long writeFailures() {
    return failures.count();
  }

  private void save() {
    try {
      AtomicFiles.write(markFile, Long.toString(birthSeq).getBytes(StandardCharsets.UTF_8));
      ObjectNode root = MessageCodec.mapper().createObjectNode();
      root.put("birthSeq", birthSeq);
      var devices = root.putArray("devices");
      byLink.values().forEach(d -> devices.add(MessageCodec.mapper().valueToTree(d)));
      AtomicFiles.write(
          file, MessageCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
      unsaved = false;
      failures.succeeded(dir);
    } catch (IOException e) {
      unsaved = true;
      failures.failed(file, "save the agent state to", e);
    }
  }
}
