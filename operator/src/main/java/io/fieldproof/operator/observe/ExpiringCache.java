package io.fieldproof.operator.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A small cache with a time to live and a size bound: the least recently used entry goes first when
 * it is full, an entry older than its time to live is computed again. Enough for the fleet page's
 * access reviews, so a page polling every few seconds does not call the API server each time;
 * nothing else in the operator needs more.
 */
final class ExpiringCache<K, V> {

  private record Entry<V>(V value, Instant expires) {}

  private final Duration ttl;
  private final Clock clock;
  private final LinkedHashMap<K, Entry<V>> entries;

  ExpiringCache(Duration ttl, int maxSize, Clock clock) {
    if (maxSize < 1) {
      throw new IllegalArgumentException("maxSize must be at least 1, was " + maxSize);
    }
    this.ttl = ttl;
    this.clock = clock;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
            return size() > maxSize;
          }
        };
  }

  /**
   * The value remembered for {@code key}, or the one {@code compute} gives now (remembered for the
   * time to live). {@code compute} runs outside the lock: two callers that miss at once may both
   * compute; an exception it throws is passed on and nothing is remembered.
   */
  V get(K key, Function<K, V> compute) {
    Instant now = clock.instant();
    synchronized (entries) {
      Entry<V> entry = entries.get(key);
      if (entry != null && now.isBefore(entry.expires())) {
        return entry.value();
      }
    }
    V value = compute.apply(key);
    synchronized (entries) {
      entries.put(key, new Entry<>(value, now.plus(ttl)));
    }
    return value;
  }

  int size() {
    synchronized (entries) {
      return entries.size();
    }
  }
}
