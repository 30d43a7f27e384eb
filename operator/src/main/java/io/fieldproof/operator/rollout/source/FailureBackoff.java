package io.fieldproof.operator.rollout.source;

import io.fieldproof.operator.rollout.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Failed fetches, remembered so that a failing server is not asked again on every reconcile: the
 * verdict of a failure stands for a backoff that doubles with each consecutive failure of the same
 * URL and sha256, up to a maximum. At most {@value #MAX_SOURCES} sources are remembered.
 */
final class FailureBackoff {

  static final int MAX_SOURCES = 256;

  private final Duration first;
  private final Duration max;
  private final Clock clock;
  private final Map<SourceKey, Failure> failures =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SourceKey, Failure> eldest) {
          return size() > MAX_SOURCES;
        }
      };

  private record Failure(Verdict verdict, int count, Instant retryAt) {}

  FailureBackoff(Duration first, Duration max, Clock clock) {
    if (first.isNegative() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException(
          "fieldproof.url-source.failure-backoff must be >= 0 and at most failure-backoff-max");
    }
    this.first = first;
    this.max = max;
    this.clock = clock;
  }

  /** The verdict of the source's last failure while its backoff runs. */
  synchronized Optional<Verdict> pending(SourceKey key) {
    Failure failure = failures.get(key);
    if (failure == null || !clock.instant().isBefore(failure.retryAt())) {
      return Optional.empty();
    }
    return Optional.of(failure.verdict());
  }

  synchronized void failed(SourceKey key, Verdict verdict) {
    Failure previous = failures.get(key);
    int count = previous == null ? 1 : previous.count() + 1;
    failures.put(key, new Failure(verdict, count, clock.instant().plus(delay(count))));
  }

  synchronized void succeeded(SourceKey key) {
    failures.remove(key);
  }

  /** first, 2 first, 4 first... up to max. */
  Duration delay(int failures) {
    Duration delay = first.multipliedBy(1L << Math.min(failures - 1, 20));
    return delay.compareTo(max) > 0 ? max : delay;
  }
}
