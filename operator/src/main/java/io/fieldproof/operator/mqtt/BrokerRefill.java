package io.fieldproof.operator.mqtt;

import io.fieldproof.operator.leader.Leadership;
import io.fieldproof.operator.models.ModelPublisher;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.protocol.mqtt.RetainedListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Each time the fleet session comes back, makes the broker retain what the operator holds again: a
 * broker restarted without its persistence file has lost every desired state and model, one
 * restarted from an older file holds stale ones, and agents that subscribe next would get those.
 * The session proves when the broker's retained messages have all arrived; then the desired states
 * and models the broker lacks or holds in another version are published again, and those the
 * operator does not hold are retracted. Only the leading replica writes.
 */
@Startup
@Singleton
public class BrokerRefill implements RetainedListener {

  private static final Logger LOG = Logger.getLogger(BrokerRefill.class);

  private final DesiredCapture capture;
  private final DesiredPublisher desired;
  private final ModelPublisher models;
  private final Leadership leadership;
  private final Counter refilled;

  public BrokerRefill(
      MqttSession session,
      DesiredCapture capture,
      DesiredPublisher desired,
      ModelPublisher models,
      Leadership leadership,
      MeterRegistry registry) {
    this.capture = capture;
    this.desired = desired;
    this.models = models;
    this.leadership = leadership;
    this.refilled =
        Counter.builder("fieldproof_broker_refilled_total")
            .description(
                "Retained messages (desired states and models) published again after the broker"
                    + " came back without them")
            .register(registry);
    session.addRetainedListener(this);
  }

  @Override
  public void subscribing(boolean reconnect) {
    if (reconnect) {
      capture.start();
      models.brokerReconnecting();
    }
  }

  @Override
  public void retainedDelivered(boolean reconnect, boolean complete) {
    if (!reconnect) {
      return;
    }
    var retained = capture.finish();
    if (!leadership.leading()) {
      return;
    }
    int states = desired.refill(retained);
    int modelCount = models.refill();
    refilled.increment(states + modelCount);
    if (states + modelCount > 0) {
      LOG.infof(
          "the broker came back without some of the fleet's retained state: %d desired states"
              + " and %d models published again",
          states, modelCount);
    }
  }
}
