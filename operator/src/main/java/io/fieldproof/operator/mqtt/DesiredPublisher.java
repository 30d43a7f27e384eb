package io.fieldproof.operator.mqtt;

import io.fieldproof.operator.fleet.DeviceEntry;
import io.fieldproof.operator.fleet.FleetIndex;
import io.fieldproof.operator.signing.DesiredSigning;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.mqtt.MqttSession;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Publishes desired states, retained and signed, and retracts them with an empty retained message;
 * records each in the fleet index at once, so the next reconcile sees what was sent.
 */
public final class DesiredPublisher {

  private static final Logger LOG = Logger.getLogger(DesiredPublisher.class);

  private final MqttSession session;
  private final FleetIndex index;
  private final DesiredSigning signing;
  private final DesiredTopics topics;

  public DesiredPublisher(MqttSession session, FleetIndex index, DesiredSigning signing) {
    this.session = session;
    this.index = index;
    this.signing = signing;
    this.topics = new DesiredTopics(session, index);
  }

  /**
   * Reads the device's desired state, lets {@code change} make the next one, and publishes it when
   * it differs (or retracts it when the next is null). The DeviceGroup and ModelRollout reconcilers
   * both shape a device's desired state: this is where they take turns, so neither overwrites what
   * the other just published.
   *
   * @return whether anything was sent
   */
  public synchronized boolean update(
      String namespace, String device, UnaryOperator<DesiredState> change) {
    DesiredState current = index.device(namespace, device).map(e -> e.desired()).orElse(null);
    DesiredState next = change.apply(current);
    if (sameUnsigned(current, next)
        && (next == null || signing.isCurrent(current))
        && (next == null || !topics.moved(namespace, device))) {
      return false;
    }
    if (next == null) {
      retract(namespace, device);
    } else {
      publish(namespace, next);
    }
    return true;
  }

  /**
   * Desired states signed and waiting in the session for an in-flight slot: each holds its encoded
   * payload (about 1.5 KB with a full config) until the broker takes it.
   */
  public int backlog() {
    return session.queued();
  }

  /** Signs {@code desired} with the active key and publishes it. */
  public synchronized void publish(String namespace, DesiredState desired) {
    DesiredState previous =
        index.device(namespace, desired.device()).map(e -> e.desired()).orElse(null);
    DesiredState signed = signing.sign(namespace, desired, previous);
    index.desired(namespace, signed.device(), signed);
    topics
        .publishTopic(namespace, signed.device())
        .ifPresent(
            topic ->
                session
                    .publish(topic, MessageCodec.encode(signed), true)
                    .exceptionally(e -> forget(namespace, signed.device(), e)));
  }

  /**
   * Whether both ask the same of the device: a state signed by an older key (before a rotation) is
   * the same state, published again only to carry the active key's signature.
   */
  private static boolean sameUnsigned(DesiredState a, DesiredState b) {
    return Objects.equals(a == null ? null : a.unsigned(), b == null ? null : b.unsigned());
  }

  public synchronized void retract(String namespace, String device) {
    index.desired(namespace, device, null);
    String topic = topics.retractTopic(namespace, device).orElse(null);
    if (topic == null) {
      return;
    }
    session
        .clearRetained(topic)
        .exceptionally(
            e -> {
              LOG.warnf(
                  "could not retract the desired state of %s/%s: %s",
                  namespace, device, e.getMessage());
              return null;
            });
  }

  /**
   * Makes the broker retain what this operator holds, after a session came back: every desired
   * state the broker lacks or holds in another version is published again, and every one it holds
   * for a device this operator has none for is retracted.
   *
   * @param broker the retained desired states the session received, by namespace and device
   * @return how many messages were sent
   */
  public synchronized int refill(Map<String, Map<String, DesiredState>> broker) {
    int sent = 0;
    for (String namespace : index.namespaces()) {
      Map<String, DesiredState> retained = broker.getOrDefault(namespace, Map.of());
      for (DeviceEntry entry : index.devices(namespace)) {
        if (entry.desired() != null && !entry.desired().equals(retained.get(entry.id()))) {
          publish(namespace, entry.desired());
          sent++;
        }
      }
    }
    for (var byNamespace : broker.entrySet()) {
      for (var retained : byNamespace.getValue().entrySet()) {
        DesiredState held =
            index
                .device(byNamespace.getKey(), retained.getKey())
                .map(e -> e.desired())
                .orElse(null);
        if (retained.getValue() != null && held == null) {
          retract(byNamespace.getKey(), retained.getKey());
          sent++;
        }
      }
    }
    return sent;
  }

  private Void forget(String namespace, String device, Throwable e) {
    LOG.warnf(
        "could not publish the desired state of %s/%s: %s; it is published again at the next reconcile",
        namespace, device, e.getMessage());
    index.desired(namespace, device, null);
    return null;
  }
}
