package io.fieldproof.operator.observe;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;

/**
 * Times every reconcile and cleanup the operator SDK runs,
 * fieldproof_reconcile_duration_seconds{controller,execution,outcome} (a histogram with fixed
 * buckets from 5 ms to 30 s), and hands everything on to the SDK's own Micrometer metrics.
 */
final class ReconcileTimer implements Metrics {

  private static final Duration[] BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30)
  };

  private final Metrics sdk;
  private final MeterRegistry registry;

  ReconcileTimer(Metrics sdk, MeterRegistry registry) {
    this.sdk = sdk;
    this.registry = registry;
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    Timer.Sample sample = Timer.start(registry);
    String outcome = "failure";
    try {
      T result = sdk.timeControllerExecution(execution);
      outcome = "success";
      return result;
    } finally {
      sample.stop(timer(execution, outcome));
    }
  }

  private Timer timer(ControllerExecution<?> execution, String outcome) {
    return Timer.builder("fieldproof.reconcile.duration")
        .description("Time the operator took to reconcile or clean up one resource")
        .tag("controller", execution.controllerName())
        .tag("execution", execution.name())
        .tag("outcome", outcome)
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }

  @Override
  public void controllerRegistered(Controller<? extends HasMetadata> controller) {
    sdk.controllerRegistered(controller);
  }

  @Override
  public void eventReceived(Event event, Map<String, Object> metadata) {
    sdk.eventReceived(event, metadata);
  }

  @Override
  public void reconciliationSubmitted(
      HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    sdk.reconciliationSubmitted(resource, retryInfo, metadata);
  }

  @Override
  public void reconciliationStarted(HasMetadata resource, Map<String, Object> metadata) {
    sdk.reconciliationStarted(resource, metadata);
  }

  @Override
  public void reconciliationFailed(
      HasMetadata resource,
      RetryInfo retryInfo,
      Exception exception,
      Map<String, Object> metadata) {
    sdk.reconciliationFailed(resource, retryInfo, exception, metadata);
  }

  @Override
  public void reconciliationSucceeded(HasMetadata resource, Map<String, Object> metadata) {
    sdk.reconciliationSucceeded(resource, metadata);
  }

  @Override
  public void reconciliationFinished(
      HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    sdk.reconciliationFinished(resource, retryInfo, metadata);
  }

  @Override
  public void cleanupDone(ResourceID resourceID, Map<String, Object> metadata) {
    sdk.cleanupDone(resourceID, metadata);
  }
}
