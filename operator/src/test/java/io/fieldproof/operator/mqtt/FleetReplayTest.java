package io.fieldproof.operator.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class FleetReplayTest {

  private static final Instant START = Instant.parse("2026-12-06T10:00:00Z");

  private static final class MovableClock extends Clock {
    private Instant now = START;

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void theReconcilersWaitUntilTheRetainedMessagesAreDelivered() {
    MovableClock clock = new MovableClock();
    FleetReplay replay = new FleetReplay(clock, Duration.ofSeconds(60));

    assertThat(replay.complete()).isFalse();
    replay.retainedDelivered(false, true);
    assertThat(replay.complete()).isTrue();
  }

  @Test
  void aBrokerThatCannotBeReachedEndsTheWaitAtTheDeadline() {
    MovableClock clock = new MovableClock();
    FleetReplay replay = new FleetReplay(clock, Duration.ofSeconds(60));

    clock.now = START.plusSeconds(59);
    assertThat(replay.complete()).isFalse();
    clock.now = START.plusSeconds(60);
    assertThat(replay.complete()).isTrue();
  }
}
