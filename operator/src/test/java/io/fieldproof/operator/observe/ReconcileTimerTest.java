package io.fieldproof.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

class ReconcileTimerTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ReconcileTimer timer = new ReconcileTimer(Metrics.NOOP, registry);

  @Test
  void timesSuccessfulAndFailedExecutionsApart() throws Exception {
    assertThat(timer.timeControllerExecution(execution(() -> "done"))).isEqualTo("done");
    assertThatThrownBy(
            () ->
                timer.timeControllerExecution(
                    execution(
                        () -> {
                          throw new IllegalStateException("boom");
                        })))
        .hasMessage("boom");

    assertThat(timer("success").count()).isEqualTo(1);
    assertThat(timer("failure").count()).isEqualTo(1);
  }

  private Timer timer(String outcome) {
    return registry
        .get("fieldproof.reconcile.duration")
        .tags("controller", "devicegroup", "execution", "reconcile", "outcome", outcome)
        .timer();
  }

  private static Metrics.ControllerExecution<String> execution(Callable<String> body) {
    return new Metrics.ControllerExecution<>() {
      @Override
      public String name() {
        return "reconcile";
      }

      @Override
      public String controllerName() {
        return "devicegroup";
      }

      @Override
      public String successTypeName(String result) {
        return "done";
      }

      @Override
      public ResourceID resourceID() {
        return new ResourceID("g", "plant-a");
      }

      @Override
      public Map<String, Object> metadata() {
        return Map.of();
      }

      @Override
      public String execute() throws Exception {
        return body.call();
      }
    };
  }
}
