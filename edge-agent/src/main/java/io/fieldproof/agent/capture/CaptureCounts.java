package io.fieldproof.agent.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fieldproof.agent.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each device's windows uploaded and dropped by reason, kept in one file of the spool's folder so
 * that an agent restart does not start them from zero: saved at most every {@link #SAVE_EVERY}
 * after a change and when the spool closes (a crash loses at most that much of counting). At most
 * {@link CaptureDrops#MAX_DEVICES} devices.
 */
final class CaptureCounts {

  private static final Logger LOG = LoggerFactory.getLogger(CaptureCounts.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How often changed counts are saved at most. */
  static final Duration SAVE_EVERY = Duration.ofSeconds(5);

  /** The file's content. */
  record Saved(Map<String, Long> uploaded, Map<String, Map<String, Long>> dropped) {}

  private final Path file;
  private final Map<String, Long> uploaded = new HashMap<>();
  private Instant savedAt = Instant.MIN;
  private boolean dirty;
  private long dropsSaved;

  private CaptureCounts(Path file) {
    this.file = file;
  }

  /**
   * The counts saved in {@code file}, their drops seeded into {@code drops}; none when it is
   * missing or unreadable.
   */
  static CaptureCounts open(Path file, CaptureDrops drops) {
    CaptureCounts counts = new CaptureCounts(file);
    if (Files.isRegularFile(file)) {
      try {
        Saved saved = JSON.readValue(file.toFile(), Saved.class);
        if (saved.uploaded() != null) {
          saved.uploaded().forEach(counts::seedUpload);
        }
        if (saved.dropped() != null) {
          saved.dropped().forEach(drops::seed);
        }
        counts.dropsSaved = drops.total();
      } catch (IOException | RuntimeException e) {
        LOG.warn("capture counts {} unreadable, counting from zero: {}", file, e.toString());
      }
    }
    return counts;
  }

  private void seedUpload(String device, Long count) {
    if (device != null
        && count != null
        && count > 0
        && uploaded.size() < CaptureDrops.MAX_DEVICES) {
      uploaded.put(device, count);
    }
  }

  synchronized void uploaded(String device) {
    if (device != null
        && (uploaded.size() < CaptureDrops.MAX_DEVICES || uploaded.containsKey(device))) {
      uploaded.merge(device, 1L, Long::sum);
    }
    dirty = true;
  }

  synchronized long uploadedOf(String device) {
    return uploaded.getOrDefault(device, 0L);
  }

  /** Whether an upload or a drop was counted since the last save (drops only grow). */
  private boolean changed(CaptureDrops drops) {
    return dirty || drops.total() != dropsSaved;
  }

  /** Saves the counts if they changed and the last save is {@link #SAVE_EVERY} old. */
  synchronized void saveIfDue(Instant now, CaptureDrops drops) {
    if (changed(drops) && !now.isBefore(savedAt.plus(SAVE_EVERY))) {
      save(now, drops);
    }
  }

  /** Saves the counts if they changed. */
  synchronized void save(Instant now, CaptureDrops drops) {
    if (!changed(drops)) {
      return;
    }
    long total = drops.total();
    Map<String, Map<String, Long>> dropped = new LinkedHashMap<>(drops.perDevice());
    try {
      AtomicFiles.write(file, JSON.writeValueAsBytes(new Saved(new HashMap<>(uploaded), dropped)));
      dirty = false;
      dropsSaved = total;
      savedAt = now;
    } catch (IOException e) {
      LOG.warn("could not save the capture counts to {}: {}", file, e.toString());
    }
  }
}
