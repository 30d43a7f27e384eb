package io.fieldproof.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.protocol.mqtt.ReconnectBackoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The reconnect backoff of the MQTT session, through its public API. */
class ReconnectBackoffTest {

  private static final Duration INITIAL = Duration.ofMillis(100);
  private static final Duration MAX = Duration.ofSeconds(2);

  @Test
  void delaysDoubleUpToTheCap() {
    ReconnectBackoff backoff = new ReconnectBackoff(INITIAL, MAX, () -> 1.0);

    assertThat(delays(backoff, 8))
        .containsExactly(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L, 2000L);
    assertThat(backoff.attempts()).isEqualTo(8);
  }

  @Test
  void theCapHoldsAfterManyAttempts() {
    ReconnectBackoff backoff = new ReconnectBackoff(INITIAL, MAX, () -> 1.0);

    assertThat(delays(backoff, 200)).allSatisfy(d -> assertThat(d).isBetween(1L, 2000L));
    assertThat(backoff.nextDelay()).isEqualTo(MAX);
  }

  @Test
  void theLowestRandomGivesHalfTheCeiling() {
    ReconnectBackoff backoff = new ReconnectBackoff(INITIAL, MAX, () -> 0.0);

    assertThat(delays(backoff, 6)).containsExactly(50L, 100L, 200L, 400L, 800L, 1000L);
  }

  @Test
  void jitterStaysBetweenHalfAndAllOfTheCeiling() {
    SplittableRandom random = new SplittableRandom(42);
    ReconnectBackoff backoff = new ReconnectBackoff(INITIAL, MAX, random::nextDouble);

    List<Long> delays = delays(backoff, 500);

    for (int attempt = 0; attempt < delays.size(); attempt++) {
      long ceiling = Math.min(MAX.toMillis(), INITIAL.toMillis() << Math.min(attempt, 30));
      assertThat(delays.get(attempt))
          .as("attempt %d with ceiling %d", attempt, ceiling)
          .isBetween(ceiling / 2, ceiling);
    }
    assertThat(delays.subList(10, delays.size()).stream().distinct().count())
        .as("jitter spreads the capped delays")
        .isGreaterThan(100);
  }

  @Test
  void resetStartsOverFromTheInitialDelay() {
    ReconnectBackoff backoff = new ReconnectBackoff(INITIAL, MAX, () -> 1.0);
    delays(backoff, 5);

    backoff.reset();

    assertThat(backoff.attempts()).isZero();
    assertThat(delays(backoff, 3)).containsExactly(100L, 200L, 400L);
  }

  @Test
  void aZeroInitialDelayStillWaitsAMillisecond() {
    ReconnectBackoff backoff = new ReconnectBackoff(Duration.ZERO, MAX, () -> 0.0);

    assertThat(delays(backoff, 3)).containsExactly(1L, 1L, 1L);
  }

  private static List<Long> delays(ReconnectBackoff backoff, int count) {
    List<Long> delays = new ArrayList<>();
    IntStream.range(0, count).forEach(i -> delays.add(backoff.nextDelay().toMillis()));
    return delays;
  }
}
