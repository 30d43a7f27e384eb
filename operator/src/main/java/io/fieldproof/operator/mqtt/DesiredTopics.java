package io.fieldproof.operator.mqtt;

import io.fieldproof.operator.fleet.DeviceEntry;
import io.fieldproof.operator.fleet.FleetIndex;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.mqtt.MqttSession;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Where a device's desired state is retained: under the gateway that owns it ({@code
 * fieldproof/v2/{ns}/gw/{gw}/dev/{device}/desired}), so only that gateway's credentials can read
 * it. When the device moves to another gateway, the copy under the old one is retracted.
 */
final class DesiredTopics {

  private static final Logger LOG = Logger.getLogger(DesiredTopics.class);

  private final MqttSession session;
  private final FleetIndex index;

  DesiredTopics(MqttSession session, FleetIndex index) {
    this.session = session;
    this.index = index;
  }

  /** Whether the device's owner is another gateway than the one its desired state is under. */
  boolean moved(String namespace, String device) {
    Optional<String> owner = owner(namespace, device);
    Optional<String> placed = index.desiredGateway(namespace, device);
    return owner.isPresent() && placed.isPresent() && !owner.equals(placed);
  }

  /**
   * The topic to publish the device's desired state on, under its owner (or where it is retained
   * when no gateway announces it now); a copy under a former owner is retracted first. Empty when
   * no gateway was ever known for the device.
   */
  Optional<String> publishTopic(String namespace, String device) {
    Optional<String> placed = index.desiredGateway(namespace, device);
    Optional<String> gateway = owner(namespace, device).or(() -> placed);
    if (gateway.isEmpty()) {
      LOG.debugf("no gateway announces %s/%s: its desired state waits", namespace, device);
      return Optional.empty();
    }
    if (placed.isPresent() && !placed.equals(gateway)) {
      clear(Topic.desired(namespace, placed.get(), device).path());
    }
    index.desiredRetainedUnder(namespace, gateway.get(), device, true);
    return Optional.of(Topic.desired(namespace, gateway.get(), device).path());
  }

  /** The topic the device's desired state is retained on, forgotten from now on. */
  Optional<String> retractTopic(String namespace, String device) {
    Optional<String> gateway =
        index.desiredGateway(namespace, device).or(() -> owner(namespace, device));
    gateway.ifPresent(gw -> index.desiredRetainedUnder(namespace, gw, device, false));
    return gateway.map(gw -> Topic.desired(namespace, gw, device).path());
  }

  private Optional<String> owner(String namespace, String device) {
    return index.device(namespace, device).map(DeviceEntry::gateway);
  }

  private void clear(String path) {
    session
        .clearRetained(path)
        .exceptionally(
            e -> {
              LOG.warnf("could not retract %s: %s", path, e.getMessage());
              return null;
            });
  }
}
