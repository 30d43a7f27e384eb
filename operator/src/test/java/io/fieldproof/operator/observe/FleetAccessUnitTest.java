package io.fieldproof.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The pieces of the fleet page's access check that need no API server. */
class FleetAccessUnitTest {

  private static final class MovableClock extends Clock {
    Instant now = Instant.parse("2025-01-01T00:00:00Z");

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
  void aBearerTokenIsTakenFromTheHeaderAndNothingElse() {
    assertThat(FleetAccess.bearerToken("Bearer abc.def")).contains("abc.def");
    assertThat(FleetAccess.bearerToken("bearer   abc ")).contains("abc");
    assertThat(FleetAccess.bearerToken(null)).isEmpty();
    assertThat(FleetAccess.bearerToken("")).isEmpty();
    assertThat(FleetAccess.bearerToken("Bearer")).isEmpty();
    assertThat(FleetAccess.bearerToken("Bearer  ")).isEmpty();
    assertThat(FleetAccess.bearerToken("Basic dXNlcjpwYXNz")).isEmpty();
    assertThat(FleetAccess.bearerToken("Bearer " + "a".repeat(20_000))).isEmpty();
  }

  @Test
  void answersAreRememberedForTheTimeToLiveOnly() {
    MovableClock clock = new MovableClock();
    ExpiringCache<String, Boolean> cache = new ExpiringCache<>(Duration.ofSeconds(30), 10, clock);
    AtomicInteger reviews = new AtomicInteger();
    for (int i = 0; i < 5; i++) {
      cache.get("token/ns", k -> reviews.incrementAndGet() > 0);
    }
    assertThat(reviews).hasValue(1);
    clock.now = clock.now.plusSeconds(29);
    cache.get("token/ns", k -> reviews.incrementAndGet() > 0);
    assertThat(reviews).hasValue(1);
    clock.now = clock.now.plusSeconds(1);
    cache.get("token/ns", k -> reviews.incrementAndGet() > 0);
    assertThat(reviews).hasValue(2);
  }

  @Test
  void theCacheIsBoundedAndDropsTheLeastRecentlyUsed() {
    ExpiringCache<Integer, Integer> cache =
        new ExpiringCache<>(Duration.ofSeconds(30), 3, new MovableClock());
    AtomicInteger computed = new AtomicInteger();
    for (int i = 0; i < 100; i++) {
      cache.get(i, k -> computed.incrementAndGet());
    }
    assertThat(cache.size()).isEqualTo(3);
    cache.get(99, k -> computed.incrementAndGet());
    assertThat(computed).hasValue(100);
    cache.get(0, k -> computed.incrementAndGet());
    assertThat(computed).hasValue(101);
  }

  @Test
  void aFailedReviewIsNotRemembered() {
    ExpiringCache<String, Optional<String>> cache =
        new ExpiringCache<>(Duration.ofSeconds(30), 10, new MovableClock());
    assertThatThrownBy(
            () ->
                cache.get(
                    "t",
                    k -> {
                      throw new IllegalStateException("API server down");
                    }))
        .hasMessage("API server down");
    assertThat(cache.size()).isZero();
    assertThat(cache.get("t", k -> Optional.of("alice"))).contains("alice");
  }

  @Test
  void thePagesPolicyAllowsItsOwnScriptByHashAndNoOther() {
    String policy = FleetRoutes.contentSecurityPolicy("<html><script>alert(1)</script></html>");
    // sha256("alert(1)") in base64
    assertThat(policy)
        .contains("script-src 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='")
        .contains("default-src 'none'")
        .doesNotContain("unsafe-eval");
  }
}
