package io.fieldproof.operator.observe;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The operator SDK's metrics: its own Micrometer metrics (the same the Quarkus extension sets up by
 * default) behind the reconcile timer. This replaces the extension's default Metrics bean rather
 * than using a ConfigurationServiceCustomizer: the controllers take their metrics from the
 * configuration service they were built with, before a customizer applies.
 */
@Singleton
public class ReconcileMetrics {

  @Produces
  @Singleton
  Metrics operatorMetrics(MeterRegistry registry) {
    return new ReconcileTimer(MicrometerMetricsV2.newBuilder(registry).build(), registry);
  }
}
