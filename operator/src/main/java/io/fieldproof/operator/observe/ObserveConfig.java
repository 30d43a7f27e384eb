package io.fieldproof.operator.observe;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How often the fleet gauges are recomputed (fieldproof.observe.*). */
@ConfigMapping(prefix = "fieldproof.observe")
public interface ObserveConfig {

  /** Period of the gauge refresh: devices by state, rollouts by phase, gate values. */
  @WithDefault("10s")
  Duration refreshInterval();
}
