package io.fieldproof.operator.observe;

import io.fieldproof.operator.leader.Leadership;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Registers the fleet and rollout gauges and the gate evaluation counter, and refreshes the gauges
 * every fieldproof.observe.refresh-interval on a thread of its own. A standby replica exports none
 * of them until it leads: summed across replicas, each device and rollout counts once.
 */
@Singleton
@Startup
public class ObserveMetrics {

  private static final Logger LOG = Logger.getLogger(ObserveMetrics.class);

  private final FleetGauges fleet;
  private final RolloutGauges rollouts;
  private final ObserveConfig config;
  private final Leadership leadership;
  private final ScheduledExecutorService refresher =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "observe-gauges");
            t.setDaemon(true);
            return t;
          });

  public ObserveMetrics(
      MeterRegistry registry,
      FleetView view,
      ClusterState cluster,
      ObserveConfig config,
      Leadership leadership) {
    this.fleet = new FleetGauges(registry, view);
    this.rollouts = new RolloutGauges(registry, cluster);
    this.config = config;
    this.leadership = leadership;
    cluster.onRolloutChange(new GateEvaluations(registry, leadership));
  }

  @PostConstruct
  void start() {
    long period = config.refreshInterval().toMillis();
    refresher.scheduleWithFixedDelay(this::refresh, 0, period, TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    refresher.shutdownNow();
  }

  private void refresh() {
    try {
      if (!leadership.leading()) {
        return;
      }
      fleet.refresh();
      rollouts.refresh();
    } catch (RuntimeException e) {
      LOG.warnf("fleet gauges not refreshed this time: %s", e.toString());
    }
  }
}
