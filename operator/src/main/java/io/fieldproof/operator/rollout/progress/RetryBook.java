package io.fieldproof.operator.rollout.progress;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each device of a rollout started its current attempt and when that attempt was seen to fail:
 * what per-device deadlines and retry backoff count from. Kept in memory: after an operator restart
 * the clocks start again from the first look, which only ever gives a device more time.
 */
public final class RetryBook {

  /** Wait before the second attempt; doubled for each further one. */
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);

  /** Longest wait between attempts. */
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private record Mark(int attempt, Instant since, Instant failedAt) {}

  private final Map<String, Mark> marks = new ConcurrentHashMap<>();

  /** When the device was first seen on {@code attempt}. */
  Instant started(String device, int attempt, Instant now) {
    Mark mark = marks.get(device);
    if (mark == null || mark.attempt() != attempt) {
      mark = new Mark(attempt, now, null);
      marks.put(device, mark);
    }
    return mark.since();
  }

  /** Records that {@code attempt} failed (first sighting wins) and says when it failed. */
  Instant failed(String device, int attempt, Instant now) {
    started(device, attempt, now);
    Mark mark = marks.get(device);
    if (mark.failedAt() == null) {
      mark = new Mark(attempt, mark.since(), now);
      marks.put(device, mark);
    }
    return mark.failedAt();
  }

  /** How long to wait after attempt {@code attempt} failed. */
  static Duration backoff(int attempt) {
    Duration wait = FIRST_BACKOFF.multipliedBy(1L << Math.min(16, Math.max(0, attempt - 1)));
    return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
  }

  void forget(String device) {
    marks.remove(device);
  }
}
