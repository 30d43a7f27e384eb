package io.fieldproof.operator.mqtt;

import io.fieldproof.operator.fleet.FleetIndex;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.mqtt.MqttSession;
import org.jboss.logging.Logger;

/**
 * Publishes desired states, retained, and retracts them with an empty retained message; records
 * each in the fleet index at once, so the next reconcile sees what was sent.
 */
public final class DesiredPublisher {

  private static final Logger LOG = Logger.getLogger(DesiredPublisher.class);

  private final MqttSession session;
  private final FleetIndex index;

  public DesiredPublisher(MqttSession session, FleetIndex index) {
    this.session = session;
    this.index = index;
  }

  public void publish(String namespace, DesiredState desired) {
    index.desired(namespace, desired.device(), desired);
    session
        .publish(
            Topic.desired(namespace, desired.device()).path(), MessageCodec.encode(desired), true)
        .exceptionally(e -> forget(namespace, desired.device(), e));
  }

  public void retract(String namespace, String device) {
    index.desired(namespace, device, null);
    session
        .clearRetained(Topic.desired(namespace, device).path())
        .exceptionally(
            e -> {
              LOG.warnf(
                  "could not retract the desired state of %s/%s: %s",
                  namespace, device, e.getMessage());
              return null;
            });
  }

  private Void forget(String namespace, String device, Throwable e) {
    LOG.warnf(
        "could not publish the desired state of %s/%s: %s; it is published again at the next reconcile",
        namespace, device, e.getMessage());
    index.desired(namespace, device, null);
    return null;
  }
}
