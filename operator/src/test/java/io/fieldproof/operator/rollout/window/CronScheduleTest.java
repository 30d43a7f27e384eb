package io.fieldproof.operator.rollout.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @Test
  void aDailyScheduleStartsAtItsLocalTimeInItsZone() {
    CronSchedule schedule = CronSchedule.parse("0 2 * * *", BERLIN);
    // winter: CET, 02:00 local is 01:00Z
    assertThat(schedule.nextAfter(Instant.parse("2026-12-06T15:00:00Z")))
        .contains(Instant.parse("2026-12-07T01:00:00Z"));
    // summer: CEST, 02:00 local is 00:00Z
    assertThat(schedule.nextAfter(Instant.parse("2026-07-01T12:00:00Z")))
        .contains(Instant.parse("2026-07-02T00:00:00Z"));
    // strictly after: a start at the instant asked is not the next
    assertThat(schedule.nextAfter(Instant.parse("2026-12-07T01:00:00Z")))
        .contains(Instant.parse("2026-12-08T01:00:00Z"));
  }

  @Test
  void listsRangesStepsAndWeekdays() {
    CronSchedule weekdays = CronSchedule.parse("30 1 * * 1-5", ZoneOffset.UTC);
    // 2026-12-05 is a Saturday: the next weekday is Monday the 7th
    assertThat(weekdays.nextAfter(Instant.parse("2026-12-05T00:00:00Z")))
        .contains(Instant.parse("2026-12-07T01:30:00Z"));
    CronSchedule sunday = CronSchedule.parse("0 0 * * 7", ZoneOffset.UTC);
    assertThat(sunday.nextAfter(Instant.parse("2026-12-05T00:00:00Z")))
        .contains(Instant.parse("2026-12-06T00:00:00Z"));
    CronSchedule quarters = CronSchedule.parse("*/15 3,4 * * *", ZoneOffset.UTC);
    assertThat(quarters.nextAfter(Instant.parse("2026-12-05T03:16:00Z")))
        .contains(Instant.parse("2026-12-05T03:30:00Z"));
    assertThat(quarters.nextAfter(Instant.parse("2026-12-05T04:45:00Z")))
        .contains(Instant.parse("2026-12-06T03:00:00Z"));
    CronSchedule seconds = CronSchedule.parse("5/20 * * * * *", ZoneOffset.UTC);
    assertThat(seconds.nextAfter(Instant.parse("2026-12-05T03:16:06Z")))
        .contains(Instant.parse("2026-12-05T03:16:25Z"));
  }

  @Test
  void dayOfMonthAndDayOfWeekBothRestrictedMatchEither() {
    // the 1st of the month or any Friday
    CronSchedule schedule = CronSchedule.parse("0 0 1 * 5", ZoneOffset.UTC);
    // 2026-12-02 is a Wednesday: Friday the 4th comes before January 1st
    assertThat(schedule.nextAfter(Instant.parse("2026-12-02T00:00:00Z")))
        .contains(Instant.parse("2026-12-04T00:00:00Z"));
    // a leap day only: 2028-02-29
    assertThat(
            CronSchedule.parse("0 0 29 2 *", ZoneOffset.UTC)
                .nextAfter(Instant.parse("2026-03-01T00:00:00Z")))
        .contains(Instant.parse("2028-02-29T00:00:00Z"));
  }

  @Test
  void aStartInTheHourSkippedInSpringHappensWhenTheClocksJump() {
    // Europe/Berlin 2027-03-28: 02:00 CET jumps to 03:00 CEST (01:00Z); 02:30 does not exist
    CronSchedule schedule = CronSchedule.parse("30 2 * * *", BERLIN);
    assertThat(schedule.nextAfter(Instant.parse("2027-03-27T12:00:00Z")))
        .contains(Instant.parse("2027-03-28T01:00:00Z"));
    // and the day after is 02:30 CEST again (00:30Z)
    assertThat(schedule.nextAfter(Instant.parse("2027-03-28T01:00:00Z")))
        .contains(Instant.parse("2027-03-29T00:30:00Z"));
  }

  @Test
  void aStartInTheHourRepeatedInAutumnHappensOnce() {
    // America/New_York 2026-11-01: 02:00 EDT goes back to 01:00 EST; 01:30 happens twice
    CronSchedule schedule = CronSchedule.parse("30 1 * * *", NEW_YORK);
    Instant first = Instant.parse("2026-11-01T05:30:00Z"); // 01:30 EDT
    assertThat(schedule.nextAfter(Instant.parse("2026-10-31T12:00:00Z"))).contains(first);
    // not again at 01:30 EST (06:30Z): the next is the day after, 01:30 EST
    assertThat(schedule.nextAfter(first)).contains(Instant.parse("2026-11-02T06:30:00Z"));
  }

  @Test
  void aWrongScheduleIsRefusedNamingTheField() {
    assertThatThrownBy(() -> CronSchedule.parse("0 24 * * *", ZoneOffset.UTC))
        .hasMessageContaining("hour \"24\" is outside 0-23");
    assertThatThrownBy(() -> CronSchedule.parse("61 2 * * *", ZoneOffset.UTC))
        .hasMessageContaining("minute \"61\"");
    assertThatThrownBy(() -> CronSchedule.parse("0 2 * *", ZoneOffset.UTC))
        .hasMessageContaining("has 4 fields, expected 5");
    assertThatThrownBy(() -> CronSchedule.parse("0 2 31 2 *", ZoneOffset.UTC))
        .hasMessageContaining("never starts");
    assertThatThrownBy(() -> CronSchedule.parse("*/0 2 * * *", ZoneOffset.UTC))
        .hasMessageContaining("the step must be at least 1");
    assertThatThrownBy(() -> CronSchedule.parse("0 5-3 * * *", ZoneOffset.UTC))
        .hasMessageContaining("hour \"5-3\"");
  }
}
