package io.fieldproof.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.protocol.Health;
import io.fieldproof.protocol.Message;
import io.fieldproof.protocol.ReportedState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReportCadenceTest {

  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  private final ReportCadence cadence = new ReportCadence(Duration.ofSeconds(2));

  @Test
  void healthGoesOutAtTheGroupsIntervalNotAtEveryTick() {
    ReportedState first = report(1, 10);
    assertThat(cadence.due(first, 30, 0)).as("nothing sent yet").isTrue();
    cadence.sent(first, 0);

    assertThat(cadence.due(report(1, 20), 30, 2 * SECOND)).isFalse();
    assertThat(cadence.due(report(1, 300), 30, 29 * SECOND)).isFalse();
    assertThat(cadence.due(report(1, 310), 30, 30 * SECOND)).isTrue();
  }

  @Test
  void aChangeBesideHealthGoesOutOnTheTickThatSeesIt() {
    cadence.sent(report(1, 10), 0);

    assertThat(cadence.due(report(2, 12), 30, 2 * SECOND)).as("a new config generation").isTrue();
    assertThat(
            cadence.due(
                new ReportedState(
                    Message.VERSION,
                    "esp32-1",
                    "gw",
                    ReportedState.Link.UNREACHABLE,
                    1,
                    null,
                    null,
                    null,
                    null,
                    null),
                30,
                2 * SECOND))
        .as("the link lost")
        .isTrue();
  }

  @Test
  void theTickIsTheFloorAndNoDesiredConfigMeansEveryTick() {
    assertThat(cadence.period(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(cadence.period(null)).isEqualTo(Duration.ofSeconds(2));
    assertThat(cadence.period(60)).isEqualTo(Duration.ofSeconds(60));

    cadence.sent(report(1, 10), 0);
    assertThat(cadence.due(report(1, 11), null, SECOND)).isFalse();
    assertThat(cadence.due(report(1, 12), null, 2 * SECOND)).isTrue();
  }

  private static ReportedState report(long generation, long readings) {
    return new ReportedState(
        Message.VERSION,
        "esp32-1",
        "gw",
        ReportedState.Link.CONNECTED,
        generation,
        null,
        null,
        null,
        null,
        Health.builder().uptimeMs(1000).readings(readings).telemetryFrames(readings).build());
  }
}
