package io.fieldproof.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RaiseBudgetTest {

  @Test
  void allowsTheLimitPerWindowThenWaitsForTheNextWindow() {
    RaiseBudget budget = new RaiseBudget(3, Duration.ofSeconds(60));
    long t0 = 1_000_000_000L;

    assertThat(budget.tryTake(t0)).isTrue();
    assertThat(budget.tryTake(t0 + 1)).isTrue();
    assertThat(budget.tryTake(t0 + 2)).isTrue();
    assertThat(budget.tryTake(t0 + 3)).isFalse();
    assertThat(budget.tryTake(t0 + Duration.ofSeconds(59).toNanos())).isFalse();
    assertThat(budget.tryTake(t0 + Duration.ofSeconds(60).toNanos())).isTrue();
  }
}
