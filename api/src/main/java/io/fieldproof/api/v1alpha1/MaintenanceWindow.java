package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A time in which a rollout may start writing models to devices: it opens at each time its
 * cron-like schedule names, in its time zone, and stays open for its duration.
 */
public class MaintenanceWindow {

  /**
   * Five cron fields (minute hour day-of-month month day-of-week), or six with seconds first; each
   * field {@code *}, a number, a range {@code a-b}, either with a step {@code /n}, or a list of
   * those. Ranges of values are checked by the operator.
   */
  public static final String SCHEDULE =
      "^([0-9*][0-9*/,-]* )?[0-9*][0-9*/,-]* [0-9*][0-9*/,-]* [0-9*][0-9*/,-]* [0-9*][0-9*/,-]*"
          + " [0-9*][0-9*/,-]*$";

  @Required
  @Size(max = 100)
  @Pattern(SCHEDULE)
  @JsonPropertyDescription(
      "When the window opens, as cron fields: minute hour day-of-month month day-of-week"
          + " (\"0 2 * * *\": 02:00 every day; \"30 1 * * 1-5\": 01:30 on weekdays; day-of-week 0"
          + " or 7 is Sunday), or six fields with seconds first (\"0 30 1 * * *\"). Each field is"
          + " *, a number, a range a-b, either with a step /n, or a comma-separated list of"
          + " those. When day-of-month and day-of-week are both restricted, a day matching either"
          + " opens the window, as in cron.")
  public String schedule;

  @Required
  @Pattern(Patterns.DURATION)
  @JsonPropertyDescription(
      "How long the window stays open once opened, as a duration: 2h, 90m. A write in progress"
          + " when it closes finishes; no new one starts.")
  public String duration;

  @Size(max = 64)
  @Pattern("^[A-Za-z][A-Za-z0-9_+/-]*$")
  @JsonPropertyDescription(
      "The IANA time zone the schedule is read in: Europe/Berlin, America/New_York, UTC (the"
          + " default). Daylight saving time is followed: a start in the hour skipped in spring"
          + " opens the window at the first instant after the gap, one in the hour repeated in"
          + " autumn opens it once, at the first of the two.")
  public String timeZone;
}
