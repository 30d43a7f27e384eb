package io.fieldproof.agent.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fieldproof.agent.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The captured windows waiting for the object store, one file each in a folder of the agent's
 * state: they survive a lost link, a stopped store and a restart of the agent, and leave the folder
 * only once the store acknowledged them (or when dropped, counted in {@link CaptureDrops}).
 *
 * <p>Taking a window ({@link #accept}) touches the disk only, never the network: its bytes are
 * charged against its device's and its group's budget of the UTC day (over budget: dropped), then
 * it is written atomically ({@code w-<seq>.cap}: a JSON header line, then the body) before the
 * uploader sees it. The folder holds at most {@code maxBytes}: a new window makes room by dropping
 * the oldest ones waiting (counted as spool_full), on the view that the newest windows show the
 * model and configuration the devices run now; a window larger than the whole spool is dropped.
 */
public final class CaptureSpool implements CaptureSink, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CaptureSpool.class);
  private static final Pattern FILE = Pattern.compile("w-([0-9]{1,19})\\.cap");
  private static final String USAGE_FILE = "budget-usage.json";
  private static final String COUNTS_FILE = "counts.json";
  private static final int MAX_HEADER_BYTES = 16 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One window in the spool: its file, the file's length, and its header. */
  public record Spooled(long seq, Path file, long fileBytes, WindowHeader header) {

    /** The object key it goes to. */
    public String key() {
      return header.key();
    }
  }

  private final Path dir;
  private final String namespace;
  private final long maxBytes;
  private final Clock clock;
  private final CaptureDrops drops;
  private final DailyUsage usage;
  private final CaptureCounts counts;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final Deque<Spooled> pending = new ArrayDeque<>();
  private Spooled inFlight;
  private long bytes;
  private long nextSeq;
  private boolean closed;

  private CaptureSpool(
      Path dir,
      String namespace,
      long maxBytes,
      Clock clock,
      CaptureDrops drops,
      DailyUsage usage,
      CaptureCounts counts) {
    this.dir = dir;
    this.counts = counts;
    this.namespace = namespace;
    this.maxBytes = maxBytes;
    this.clock = clock;
    this.drops = drops;
    this.usage = usage;
  }

  /**
   * Opens the spool in {@code dir}, creating it, and takes back the windows a previous run left
   * there, oldest first; a file a crash cut short is deleted and counted as unreadable.
   */
  public static CaptureSpool open(
      Path dir, String namespace, long maxBytes, Clock clock, CaptureDrops drops)
      throws IOException {
    Files.createDirectories(dir);
    DailyUsage usage = DailyUsage.open(dir.resolve(USAGE_FILE), clock.instant());
    CaptureCounts counts = CaptureCounts.open(dir.resolve(COUNTS_FILE), drops);
    CaptureSpool spool = new CaptureSpool(dir, namespace, maxBytes, clock, drops, usage, counts);
    spool.recover();
    return spool;
  }

  private void recover() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> listing = Files.list(dir)) {
      listing.forEach(files::add);
    }
    List<Spooled> found = new ArrayList<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (name.endsWith(AtomicFiles.TEMP_SUFFIX)) {
        Files.deleteIfExists(file); // a write a crash interrupted: the window was never taken
        continue;
      }
      Matcher matcher = FILE.matcher(name);
      if (!matcher.matches()) {
        continue;
      }
      long seq = Long.parseLong(matcher.group(1));
      nextSeq = Math.max(nextSeq, seq + 1);
      try {
        found.add(read(seq, file));
      } catch (IOException | RuntimeException e) {
        drops.droppedUnattributed(name, CaptureDropReason.UNREADABLE, file + ": " + e.getMessage());
        Files.deleteIfExists(file);
      }
    }
    found.sort((a, b) -> Long.compare(a.seq(), b.seq()));
    found.forEach(
        s -> {
          pending.addLast(s);
          bytes += s.fileBytes();
        });
    if (!found.isEmpty()) {
      LOG.info("{} captured windows ({} bytes) wait in {} for the store", found.size(), bytes, dir);
    }
  }

  private static Spooled read(long seq, Path file) throws IOException {
    long length = Files.size(file);
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes((int) Math.min(length, MAX_HEADER_BYTES));
    }
    int newline = indexOf(head, (byte) '\n');
    if (newline < 0) {
      throw new IOException("no header line");
    }
    WindowHeader header =
        JSON.readValue(new String(head, 0, newline, StandardCharsets.UTF_8), WindowHeader.class);
    if (newline + 1 + header.bodyLength() != length) {
      throw new IOException(
          "holds "
              + (length - newline - 1)
              + " body bytes, its header says "
              + header.bodyLength());
    }
    return new Spooled(seq, file, length, header);
  }

  @Override
  public void accept(CapturedWindow window, CaptureBudget budget) {
    lock.lock();
    try {
      if (closed) {
        drops.dropped(window.device(), CaptureDropReason.WRITE_FAILED, "the agent is stopping");
        return;
      }
      Instant now = clock.instant();
      long size = window.body().length;
      CaptureDropReason refusal = usage.refusal(window.device(), window.group(), size, budget, now);
      if (refusal != null) {
        drops.dropped(
            window.device(),
            refusal,
            "over the budget of the day ("
                + budget
                + "; used: device "
                + usage.deviceBytes(window.device())
                + ", group "
                + usage.groupBytes(window.group())
                + " bytes)");
        return;
      }
      String key;
      try {
        key = ObjectKeys.key(namespace, window, now);
      } catch (IllegalArgumentException e) {
        drops.dropped(window.device(), CaptureDropReason.INVALID, e.getMessage());
        return;
      }
      WindowHeader header = WindowHeader.of(key, namespace, window, now);
      byte[] content = content(header, window.body());
      if (content.length > maxBytes) {
        drops.dropped(
            window.device(),
            CaptureDropReason.TOO_LARGE,
            content.length + " bytes, more than the whole spool (" + maxBytes + ")");
        return;
      }
      makeRoom(content.length);
      long seq = nextSeq++;
      Path file = dir.resolve(String.format("w-%019d.cap", seq));
      try {
        AtomicFiles.write(file, content);
      } catch (IOException e) {
        drops.dropped(window.device(), CaptureDropReason.WRITE_FAILED, e.toString());
        return;
      }
      usage.charge(window.device(), window.group(), size);
      pending.addLast(new Spooled(seq, file, content.length, header));
      bytes += content.length;
      arrived.signalAll();
    } catch (IOException e) {
      drops.dropped(window.device(), CaptureDropReason.WRITE_FAILED, e.toString());
    } finally {
      lock.unlock();
      counts.saveIfDue(clock.instant(), drops);
    }
  }

  private static byte[] content(WindowHeader header, byte[] body) throws IOException {
    byte[] head = JSON.writeValueAsBytes(header);
    byte[] content = new byte[head.length + 1 + body.length];
    System.arraycopy(head, 0, content, 0, head.length);
    content[head.length] = '\n';
    System.arraycopy(body, 0, content, head.length + 1, body.length);
    return content;
  }

  /** Drops the oldest waiting windows (never the one being uploaded) until {@code size} fits. */
  private void makeRoom(long size) {
    Iterator<Spooled> oldestFirst = pending.iterator();
    while (bytes + size > maxBytes && oldestFirst.hasNext()) {
      Spooled oldest = oldestFirst.next();
      if (oldest == inFlight) {
        continue;
      }
      oldestFirst.remove();
      delete(oldest);
      drops.dropped(
          oldest.header().device(),
          CaptureDropReason.SPOOL_FULL,
          "the spool holds "
              + maxBytes
              + " bytes at most: dropped the oldest window waiting, "
              + oldest.key());
    }
  }

  /**
   * The oldest window waiting, marked as being uploaded until {@link #uploaded}, {@link #refused}
   * or {@link #release}; empty when none came within {@code wait} or the spool closed.
   */
  Optional<Spooled> next(Duration wait) throws InterruptedException {
    lock.lock();
    try {
      long nanos = wait.toNanos();
      while (!closed && pending.isEmpty()) {
        if (nanos <= 0) {
          return Optional.empty();
        }
        nanos = arrived.awaitNanos(nanos);
      }
      if (closed) {
        return Optional.empty();
      }
      inFlight = pending.peekFirst();
      return Optional.of(inFlight);
    } finally {
      lock.unlock();
    }
  }

  /** The window's body, read from its file. */
  byte[] body(Spooled spooled) throws IOException {
    byte[] content = Files.readAllBytes(spooled.file());
    long offset = content.length - spooled.header().bodyLength();
    return java.util.Arrays.copyOfRange(content, (int) offset, content.length);
  }

  /** The store acknowledged the window: it leaves the spool, counted for its device. */
  void uploaded(Spooled spooled) {
    if (remove(spooled)) {
      counts.uploaded(spooled.header().device());
      counts.saveIfDue(clock.instant(), drops);
    }
  }

  /** A window that had left the spool before its upload (dropped to make room): nothing to send. */
  void gone(Spooled spooled) {
    remove(spooled);
  }

  /**
   * What became of {@code device}'s windows: uploaded (acknowledged by the store) and dropped by
   * reason, counted across agent restarts ({@link CaptureCounts}).
   */
  @Override
  public DeviceCaptureCounts counts(String device) {
    return new DeviceCaptureCounts(counts.uploadedOf(device), drops.ofDevice(device));
  }

  /** The store refused the window itself: it leaves the spool, counted. */
  void refused(Spooled spooled, String detail) {
    if (remove(spooled)) {
      drops.dropped(spooled.header().device(), CaptureDropReason.REFUSED_BY_STORE, detail);
      counts.saveIfDue(clock.instant(), drops);
    }
  }

  /** The upload failed: the window stays first in line. */
  void release(Spooled spooled) {
    lock.lock();
    try {
      if (inFlight == spooled) {
        inFlight = null;
      }
    } finally {
      lock.unlock();
    }
  }

  private boolean remove(Spooled spooled) {
    lock.lock();
    try {
      if (inFlight == spooled) {
        inFlight = null;
      }
      if (!pending.remove(spooled)) {
        return false;
      }
      delete(spooled);
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void delete(Spooled spooled) {
    bytes -= spooled.fileBytes();
    try {
      Files.deleteIfExists(spooled.file());
    } catch (IOException e) {
      // left behind, it is uploaded again after a restart: the same key, the same object
      LOG.warn("could not delete {} from the capture spool: {}", spooled.file(), e.toString());
    }
  }

  /** Windows waiting for the store. */
  public int size() {
    lock.lock();
    try {
      return pending.size();
    } finally {
      lock.unlock();
    }
  }

  /** Bytes of the files of the windows waiting. */
  public long bytes() {
    lock.lock();
    try {
      return bytes;
    } finally {
      lock.unlock();
    }
  }

  public CaptureDrops drops() {
    return drops;
  }

  /** Wakes the uploader and saves the counts; windows waiting stay on disk for the next run. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
    counts.save(clock.instant(), drops);
  }

  private static int indexOf(byte[] bytes, byte wanted) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }
}
