package io.fieldproof.operator.rollout.window;

import io.fieldproof.api.v1alpha1.MaintenanceWindow;
import io.fieldproof.operator.rollout.plan.Durations;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A rollout's maintenance windows (spec.maintenanceWindows): whether one is open at an instant,
 * until when, or when the next opens. No windows at all means always open.
 */
public final class MaintenanceWindows {

  /** One window: starts of its schedule, each open for its duration. */
  record Window(CronSchedule schedule, Duration duration, String text) {}

  /**
   * Where the windows stand at an instant.
   *
   * @param open whether a window is open
   * @param closesAt while open, when the open window closes (the latest close of the windows open)
   * @param opensAt while closed, when the next window opens, or null when none will
   * @param zone the time zone of the window that opens next (or is open), for messages
   */
  public record State(boolean open, Instant closesAt, Instant opensAt, ZoneId zone) {

    /** "opens 02:00 Europe/Berlin (2026-12-07T01:00:00Z)" or "no window opens again". */
    public String describeNext() {
      if (opensAt == null) {
        return "no maintenance window opens again";
      }
      return "opens "
          + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(opensAt.atZone(zone))
          + " "
          + zone.getId();
    }
  }

  private static final MaintenanceWindows ALWAYS = new MaintenanceWindows(List.of());

  private final List<Window> windows;

  private MaintenanceWindows(List<Window> windows) {
    this.windows = windows;
  }

  /**
   * @throws IllegalArgumentException naming the field ({@code spec.maintenanceWindows[1].schedule:
   *     ...}) of the first window that cannot be read
   */
  public static MaintenanceWindows of(List<MaintenanceWindow> specs) {
    if (specs == null || specs.isEmpty()) {
      return ALWAYS;
    }
    List<Window> windows = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      MaintenanceWindow spec = specs.get(i);
      String field = "spec.maintenanceWindows[" + i + "]";
      ZoneId zone;
      try {
        zone =
            spec.timeZone == null || spec.timeZone.isBlank()
                ? ZoneOffset.UTC
                : ZoneId.of(spec.timeZone);
      } catch (DateTimeException e) {
        throw new IllegalArgumentException(
            field + ".timeZone: \"" + spec.timeZone + "\" is not a known time zone");
      }
      Duration duration;
      try {
        duration = Durations.parse(spec.duration, Duration.ZERO);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(field + ".duration: " + e.getMessage());
      }
      if (duration.isZero()) {
        throw new IllegalArgumentException(field + ".duration: must be longer than 0");
      }
      try {
        windows.add(new Window(CronSchedule.parse(spec.schedule, zone), duration, spec.schedule));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(field + ".schedule: " + e.getMessage());
      }
    }
    return new MaintenanceWindows(List.copyOf(windows));
  }

  /** Whether there are windows at all; without, writes may always start. */
  public boolean restricted() {
    return !windows.isEmpty();
  }

  public State at(Instant now) {
    if (windows.isEmpty()) {
      return new State(true, null, null, ZoneOffset.UTC);
    }
    Instant closes = null;
    ZoneId openZone = null;
    Instant opens = null;
    ZoneId nextZone = ZoneOffset.UTC;
    for (Window window : windows) {
      Optional<Instant> lastStart = lastStartAtOrBefore(window, now);
      if (lastStart.isPresent()) {
        Instant end = lastStart.get().plus(window.duration());
        if (now.isBefore(end) && (closes == null || end.isAfter(closes))) {
          closes = end;
          openZone = window.schedule().zone();
        }
      }
      Optional<Instant> next = window.schedule().nextAfter(now);
      if (next.isPresent() && (opens == null || next.get().isBefore(opens))) {
        opens = next.get();
        nextZone = window.schedule().zone();
      }
    }
    return closes != null
        ? new State(true, closes, null, openZone)
        : new State(false, null, opens, nextZone);
  }

  /** The latest start at or before {@code now} that could still be open (within its duration). */
  private static Optional<Instant> lastStartAtOrBefore(Window window, Instant now) {
    return window.schedule().lastIn(now.minus(window.duration()), now);
  }
}
