package io.fieldproof.operator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A burst of device reports must cause a handful of DeviceGroup reconciles, not one per report: the
 * fleet event source coalesces changes per window and group.
 */
class FleetEventCoalescingTest {

  private static final int DEVICES = 2000;
  private static final int PER_GATEWAY = 250;
  private static final int GROUPS = 4;

  @Test
  void aBurstOfReportsIsAHandfulOfReconciles() throws Exception {
    try (FleetLoad load = new FleetLoad(GROUPS, Duration.ofMillis(250))) {
      load.announce(DEVICES, PER_GATEWAY, GROUPS);
      load.resetReconcileEvents();

      load.burstOfReports(DEVICES, PER_GATEWAY, 1);

      assertThat(load.reconcileEvents())
          .as("reconcile events for %d reports", DEVICES)
          .isPositive()
          .isLessThan(DEVICES / 20);
      assertThat(load.index().devices(FleetLoad.NAMESPACE)).hasSize(DEVICES);
    }
  }
}
