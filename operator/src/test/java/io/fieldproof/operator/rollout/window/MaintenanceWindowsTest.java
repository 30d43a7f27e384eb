package io.fieldproof.operator.rollout.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fieldproof.api.v1alpha1.MaintenanceWindow;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

public class MaintenanceWindowsTest {

  @Test
  void aWindowIsOpenFromItsStartForItsDurationAndSaysWhenTheNextOpens() {
    MaintenanceWindows windows =
        MaintenanceWindows.of(List.of(window("0 2 * * *", "2h", "Europe/Berlin")));
    MaintenanceWindows.State before = windows.at(Instant.parse("2026-12-06T15:49:00Z"));
    assertThat(before.open()).isFalse();
    assertThat(before.opensAt()).isEqualTo(Instant.parse("2026-12-07T01:00:00Z"));
    assertThat(before.describeNext()).isEqualTo("opens 2026-12-07 02:00:00 Europe/Berlin");
    MaintenanceWindows.State at = windows.at(Instant.parse("2026-12-07T01:00:00Z"));
    assertThat(at.open()).isTrue();
    assertThat(at.closesAt()).isEqualTo(Instant.parse("2026-12-07T03:00:00Z"));
    assertThat(windows.at(Instant.parse("2026-12-07T02:59:59Z")).open()).isTrue();
    assertThat(windows.at(Instant.parse("2026-12-07T03:00:00Z")).open()).isFalse();
  }

  @Test
  void aWindowOpenAcrossMidnightAndTheEarliestOfSeveral() {
    MaintenanceWindows windows =
        MaintenanceWindows.of(
            List.of(window("0 23 * * *", "3h", null), window("0 12 * * 6", "30m", "UTC")));
    assertThat(windows.at(Instant.parse("2026-12-07T01:30:00Z")).open()).isTrue();
    assertThat(windows.at(Instant.parse("2026-12-07T01:30:00Z")).closesAt())
        .isEqualTo(Instant.parse("2026-12-07T02:00:00Z"));
    // Saturday 2026-12-05 at 11:00: the noon window comes first
    assertThat(windows.at(Instant.parse("2026-12-05T11:00:00Z")).opensAt())
        .isEqualTo(Instant.parse("2026-12-05T12:00:00Z"));
  }

  @Test
  void noWindowsIsAlwaysOpen() {
    assertThat(MaintenanceWindows.of(null).restricted()).isFalse();
    assertThat(MaintenanceWindows.of(List.of()).at(Instant.EPOCH).open()).isTrue();
  }

  @Test
  void aWindowThatCannotBeReadIsNamedByItsField() {
    assertThatThrownBy(
            () ->
                MaintenanceWindows.of(
                    List.of(
                        window("0 2 * * *", "1h", "UTC"),
                        window("0 2 * * *", "1h", "Mars/Olympus"))))
        .hasMessage(
            "spec.maintenanceWindows[1].timeZone: \"Mars/Olympus\" is not a known time zone");
    assertThatThrownBy(() -> MaintenanceWindows.of(List.of(window("0 25 * * *", "1h", "UTC"))))
        .hasMessageStartingWith("spec.maintenanceWindows[0].schedule: hour \"25\"");
    assertThatThrownBy(() -> MaintenanceWindows.of(List.of(window("0 2 * * *", "0s", "UTC"))))
        .hasMessage("spec.maintenanceWindows[0].duration: must be longer than 0");
  }

  @Test
  void everySecondForHoursIsComputedQuickly() {
    MaintenanceWindows windows = MaintenanceWindows.of(List.of(window("* * * * * *", "2h", "UTC")));
    long start = System.nanoTime();
    MaintenanceWindows.State state = windows.at(Instant.parse("2026-12-07T01:30:00.5Z"));
    assertThat(state.open()).isTrue();
    assertThat(state.closesAt()).isEqualTo(Instant.parse("2026-12-07T03:30:00Z"));
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
  }

  public static MaintenanceWindow window(String schedule, String duration, String zone) {
    MaintenanceWindow window = new MaintenanceWindow();
    window.schedule = schedule;
    window.duration = duration;
    window.timeZone = zone;
    return window;
  }
}
