package io.fieldproof.agent.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fieldproof.agent.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes of windows each device and each group had spooled in the current UTC day, against their
 * CaptureBudget. Saved to one file after every change, so that a restarted agent does not grant a
 * device its day's budget again; a new UTC day starts from zero.
 */
final class DailyUsage {

  private static final Logger LOG = LoggerFactory.getLogger(DailyUsage.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The file's content. */
  record Saved(String day, Map<String, Long> devices, Map<String, Long> groups) {}

  private final Path file;
  private LocalDate day;
  private Map<String, Long> devices = new HashMap<>();
  private Map<String, Long> groups = new HashMap<>();

  private DailyUsage(Path file, LocalDate day) {
    this.file = file;
    this.day = day;
  }

  /** The usage saved in {@code file}, or none when it is missing or unreadable. */
  static DailyUsage open(Path file, Instant now) {
    DailyUsage usage = new DailyUsage(file, dayOf(now));
    if (Files.isRegularFile(file)) {
      try {
        Saved saved = JSON.readValue(file.toFile(), Saved.class);
        if (LocalDate.parse(saved.day()).equals(usage.day)) {
          usage.devices = new HashMap<>(saved.devices());
          usage.groups = new HashMap<>(saved.groups());
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("capture budget usage {} unreadable, starting the day from zero: {}", file, e);
      }
    }
    return usage;
  }

  /** Why the window does not fit its budgets today, or null when it does. */
  CaptureDropReason refusal(
      String device, String group, long bytes, CaptureBudget budget, Instant now) {
    rollOver(now);
    if (devices.getOrDefault(device, 0L) + bytes > budget.bytesPerDevicePerDay()) {
      return CaptureDropReason.DEVICE_BUDGET;
    }
    if (groups.getOrDefault(groupKey(group), 0L) + bytes > budget.bytesPerGroupPerDay()) {
      return CaptureDropReason.GROUP_BUDGET;
    }
    return null;
  }

  /** Counts the window's bytes against its device and group, and saves the usage. */
  void charge(String device, String group, long bytes) {
    devices.merge(device, bytes, Long::sum);
    groups.merge(groupKey(group), bytes, Long::sum);
    try {
      AtomicFiles.write(file, JSON.writeValueAsBytes(new Saved(day.toString(), devices, groups)));
    } catch (IOException e) {
      // the window is spooled; only a restart before the next save could grant bytes twice
      LOG.warn("could not save the capture budget usage to {}: {}", file, e.toString());
    }
  }

  long deviceBytes(String device) {
    return devices.getOrDefault(device, 0L);
  }

  long groupBytes(String group) {
    return groups.getOrDefault(groupKey(group), 0L);
  }

  private void rollOver(Instant now) {
    LocalDate today = dayOf(now);
    if (!today.equals(day)) {
      day = today;
      devices = new HashMap<>();
      groups = new HashMap<>();
    }
  }

  private static String groupKey(String group) {
    return group == null ? "" : group;
  }

  private static LocalDate dayOf(Instant instant) {
    return LocalDate.ofInstant(instant, ZoneOffset.UTC);
  }
}
