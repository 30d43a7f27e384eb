package io.fieldproof.operator.rollout.window;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A cron-like schedule read in a time zone: five fields (minute hour day-of-month month
 * day-of-week) or six with seconds first. Day-of-week 0 and 7 are Sunday. When day-of-month and
 * day-of-week are both restricted, a day matching either matches, as in cron.
 *
 * <p>Daylight saving time: a start in the local hour skipped in spring happens at the instant the
 * clocks jump (02:30 in Europe/Berlin on the last Sunday of March starts at 03:00 CEST); a start in
 * the hour repeated in autumn happens once, at the first of the two instants.
 */
public final class CronSchedule {

  /** How far ahead a start is looked for; a schedule with none in this time never starts. */
  static final int HORIZON_DAYS = 366 * 5;

  /** More than any daylight saving shift: local times this far before a point are not resolved. */
  private static final Duration SLACK = Duration.ofHours(3);

  private final CronField seconds;
  private final CronField minutes;
  private final CronField hours;
  private final CronField daysOfMonth;
  private final CronField months;
  private final CronField daysOfWeek;
  private final ZoneId zone;

  private CronSchedule(CronField[] fields, ZoneId zone) {
    this.seconds = fields[0];
    this.minutes = fields[1];
    this.hours = fields[2];
    this.daysOfMonth = fields[3];
    this.months = fields[4];
    this.daysOfWeek = fields[5];
    this.zone = zone;
  }

  /**
   * @throws IllegalArgumentException saying which field is wrong, or that the schedule never starts
   *     (30 February)
   */
  public static CronSchedule parse(String text, ZoneId zone) {
    String[] parts = text == null ? new String[0] : text.trim().split("\\s+");
    if (parts.length != 5 && parts.length != 6) {
      throw new IllegalArgumentException(
          "\""
              + text
              + "\" has "
              + parts.length
              + " fields, expected 5 (minute hour"
              + " day-of-month month day-of-week) or 6 (seconds first)");
    }
    int offset = parts.length == 6 ? 1 : 0;
    CronField[] fields = new CronField[6];
    fields[0] =
        offset == 1
            ? CronField.parse(parts[0], "seconds", 0, 59)
            : CronField.parse("0", "seconds", 0, 59);
    fields[1] = CronField.parse(parts[offset], "minute", 0, 59);
    fields[2] = CronField.parse(parts[offset + 1], "hour", 0, 23);
    fields[3] = CronField.parse(parts[offset + 2], "day-of-month", 1, 31);
    fields[4] = CronField.parse(parts[offset + 3], "month", 1, 12);
    fields[5] = CronField.parse(parts[offset + 4], "day-of-week", 0, 7);
    CronSchedule schedule = new CronSchedule(fields, zone);
    if (schedule.nextAfter(Instant.parse("2000-01-01T00:00:00Z")).isEmpty()) {
      throw new IllegalArgumentException("\"" + text + "\" never starts (no such day)");
    }
    return schedule;
  }

  public ZoneId zone() {
    return zone;
  }

  /** The first start strictly after {@code after}, or empty when none within five years. */
  public Optional<Instant> nextAfter(Instant after) {
    Instant[] found = new Instant[1];
    scan(
        after,
        start -> {
          found[0] = start;
          return false;
        });
    return Optional.ofNullable(found[0]);
  }

  /** The latest start in {@code (after, until]}, or empty when there is none. */
  public Optional<Instant> lastIn(Instant after, Instant until) {
    Instant[] found = new Instant[1];
    scan(
        after,
        start -> {
          if (start.isAfter(until)) {
            return false;
          }
          found[0] = start;
          return true;
        });
    return Optional.ofNullable(found[0]);
  }

  /**
   * Hands the starts after {@code after} to {@code visit}, in order, until it returns false. Local
   * times more than {@link #SLACK} before the local time of {@code after} are skipped without being
   * resolved, so a schedule of every second costs the seconds of a few hours, not a day's.
   */
  private void scan(Instant after, Predicate<Instant> visit) {
    LocalDateTime from = LocalDateTime.ofInstant(after, zone).minus(SLACK);
    LocalDate day = from.toLocalDate();
    for (int i = 0; i <= HORIZON_DAYS; i++, day = day.plusDays(1)) {
      if (!matchesDay(day)) {
        continue;
      }
      for (int hour : hours.values()) {
        if (day.equals(from.toLocalDate()) && hour < from.getHour()) {
          continue;
        }
        for (int minute : minutes.values()) {
          for (int second : seconds.values()) {
            LocalDateTime local = day.atTime(LocalTime.of(hour, minute, second));
            if (local.isBefore(from)) {
              continue;
            }
            Instant start = instant(local);
            if (start.isAfter(after) && !visit.test(start)) {
              return;
            }
          }
        }
      }
    }
  }

  boolean matchesDay(LocalDate day) {
    if (!months.allows(day.getMonthValue())) {
      return false;
    }
    boolean dom = daysOfMonth.allows(day.getDayOfMonth());
    int weekday = day.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : day.getDayOfWeek().getValue();
    boolean dow = daysOfWeek.allows(weekday) || (weekday == 0 && daysOfWeek.allows(7));
    if (!daysOfMonth.any() && !daysOfWeek.any()) {
      return dom || dow;
    }
    return dom && dow;
  }

  /** The instant of a local start: the jump's instant in a gap, the earlier one in an overlap. */
  private Instant instant(LocalDateTime local) {
    ZoneOffsetTransition transition = zone.getRules().getTransition(local);
    if (transition != null && transition.isGap()) {
      return transition.getInstant();
    }
    return ZonedDateTime.ofLocal(local, zone, null).toInstant();
  }
}
