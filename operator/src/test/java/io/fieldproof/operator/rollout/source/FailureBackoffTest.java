package io.fieldproof.operator.rollout.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.operator.rollout.Verdict;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A failing source is left alone for a backoff that doubles, up to its maximum. */
class FailureBackoffTest {

  private final SteppedClock clock = new SteppedClock();
  private final FailureBackoff backoff =
      new FailureBackoff(Duration.ofSeconds(30), Duration.ofMinutes(2), clock);
  private final SourceKey key = new SourceKey("https://models.example/m.tflite", "a".repeat(64));
  private final Verdict down = Verdict.waiting("SourceUnavailable", "HTTP 503");

  @Test
  void theBackoffDoublesUpToItsMaximum() {
    assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(30));
    assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(60));
    assertThat(backoff.delay(3)).isEqualTo(Duration.ofSeconds(120));
    assertThat(backoff.delay(4)).isEqualTo(Duration.ofSeconds(120));
    assertThat(backoff.delay(1000)).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void aFailureStandsForItsBackoff() {
    backoff.failed(key, down);
    clock.advance(Duration.ofSeconds(29));
    assertThat(backoff.pending(key)).contains(down);

    clock.advance(Duration.ofSeconds(1));
    assertThat(backoff.pending(key)).isEmpty();

    backoff.failed(key, down);
    clock.advance(Duration.ofSeconds(59));
    assertThat(backoff.pending(key)).contains(down);
  }

  @Test
  void aSuccessForgetsTheFailures() {
    backoff.failed(key, down);
    backoff.failed(key, down);
    backoff.succeeded(key);
    assertThat(backoff.pending(key)).isEmpty();

    backoff.failed(key, down);
    clock.advance(Duration.ofSeconds(30));
    assertThat(backoff.pending(key)).isEmpty();
  }

  @Test
  void anotherSha256IsAnotherSource() {
    backoff.failed(key, down);

    assertThat(backoff.pending(new SourceKey(key.url(), "b".repeat(64)))).isEmpty();
  }
}
