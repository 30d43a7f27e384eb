package io.fieldproof.operator.rollout.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The cache of verified files stays within its bytes, dropping the least recently used. */
class VerifiedModelsTest {

  private final VerifiedModels cache = new VerifiedModels(10);

  @Test
  void theLeastRecentlyUsedFileGoesFirst() {
    cache.put(key("a"), new byte[4]);
    cache.put(key("b"), new byte[4]);
    cache.get(key("a"));
    cache.put(key("c"), new byte[4]);

    assertThat(cache.get(key("a"))).isPresent();
    assertThat(cache.get(key("b"))).isEmpty();
    assertThat(cache.get(key("c"))).isPresent();
    assertThat(cache.bytes()).isEqualTo(8);
  }

  @Test
  void aFileLargerThanTheCacheIsNotKept() {
    cache.put(key("a"), new byte[4]);
    cache.put(key("big"), new byte[11]);

    assertThat(cache.get(key("big"))).isEmpty();
    assertThat(cache.get(key("a"))).isPresent();
    assertThat(cache.bytes()).isEqualTo(4);
  }

  @Test
  void replacingAFileCountsItOnce() {
    cache.put(key("a"), new byte[4]);
    cache.put(key("a"), new byte[6]);

    assertThat(cache.bytes()).isEqualTo(6);
  }

  private static SourceKey key(String name) {
    return new SourceKey("https://models.example/" + name, "a".repeat(64));
  }
}
