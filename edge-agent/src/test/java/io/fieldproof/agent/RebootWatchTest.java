package io.fieldproof.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.device.protocol.Stats;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A device booted when its uptime goes back or its boot counter moves, and only then. */
class RebootWatchTest {

  private static Stats stats(long uptimeMs, long resets) {
    return new Stats(uptimeMs, 1, 10, 10, 0, Map.of(RebootWatch.BOOT_COUNTER, resets));
  }

  @Test
  void theFirstLookAndARisingUptimeAreNoBoot() {
    RebootWatch watch = new RebootWatch();

    assertThat(watch.booted(stats(5_000, 0))).isEmpty();
    assertThat(watch.booted(stats(6_000, 0))).isEmpty();
  }

  @Test
  void anUptimeGoingBackIsABoot() {
    RebootWatch watch = new RebootWatch();
    watch.booted(stats(60_000, 0));

    assertThat(watch.booted(stats(1_200, 0)))
        .hasValue("its uptime went back from 60000 to 1200 ms");
    assertThat(watch.booted(stats(2_200, 0))).as("counted once").isEmpty();
  }

  @Test
  void aBootCounterThatMovedIsABootEvenWhenTheUptimeCaughtUp() {
    RebootWatch watch = new RebootWatch();
    watch.booted(stats(1_000, 2));

    assertThat(watch.booted(stats(90_000, 3))).hasValue("its boot counter went from 2 to 3");
  }

  @Test
  void afterForgettingTheNextLookStartsAfresh() {
    RebootWatch watch = new RebootWatch();
    watch.booted(stats(60_000, 0));
    watch.forget();

    assertThat(watch.booted(stats(100, 1))).isEmpty();
  }
}
