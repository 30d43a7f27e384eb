package io.fieldproof.system;

import static org.awaitility.Awaitility.await;

import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.DeviceEvent;
import io.fieldproof.protocol.InvalidMessageException;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.ReportedState;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.TopicKind;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.protocol.mqtt.MqttSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A raw MQTT subscriber of one namespace's device topics, as a third party sees them: each device's
 * latest desired and reported state, and every event the agents sent since it subscribed (each
 * once, even if the broker delivers it again).
 */
final class DeviceTopics implements AutoCloseable {

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final Map<String, DesiredState> desired = new ConcurrentHashMap<>();
  private final Map<String, ReportedState> reported = new ConcurrentHashMap<>();
  private final Map<String, List<DeviceEvent>> events = new ConcurrentHashMap<>();
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final MqttSession session;

  private DeviceTopics(String brokerUri, String namespace, String username, String password)
      throws IOException {
    session =
        new MqttSession(settings(brokerUri, username, password), null, reconnect -> {}, scheduler);
    session.subscribe(Topic.deviceFilter(namespace, TopicKind.DESIRED), this::accept);
    session.subscribe(Topic.deviceFilter(namespace, TopicKind.REPORTED), this::accept);
    session.subscribe(Topic.deviceFilter(namespace, TopicKind.EVENTS), this::accept);
    session.start();
    await().atMost(Duration.ofSeconds(10)).until(session::isConnected);
  }

  static DeviceTopics subscribe(String brokerUri, String namespace) throws IOException {
    return new DeviceTopics(brokerUri, namespace, null, null);
  }

  /** Subscribes with a user name and password (a broker with the generated ACL). */
  static DeviceTopics subscribe(
      String brokerUri, String namespace, String username, String password) throws IOException {
    return new DeviceTopics(brokerUri, namespace, username, password);
  }

  Optional<DesiredState> desired(String device) {
    return Optional.ofNullable(desired.get(device));
  }

  Optional<ReportedState> reported(String device) {
    return Optional.ofNullable(reported.get(device));
  }

  /** The device's events of {@code kind}, in the order they arrived. */
  List<DeviceEvent> events(String device, String kind) {
    synchronized (events) {
      return events.getOrDefault(device, List.of()).stream()
          .filter(e -> kind.equals(e.kind()))
          .toList();
    }
  }

  /** Messages that broke the MQTT contract, with the reason. */
  List<String> violations() {
    return List.copyOf(violations);
  }

  private void accept(String path, byte[] payload) {
    Topic topic = Topic.parse(path).orElse(null);
    if (topic == null) {
      return;
    }
    if (payload.length == 0) {
      desired.remove(topic.device());
      return;
    }
    try {
      if (topic.kind() == TopicKind.DESIRED) {
        desired.put(topic.device(), MessageCodec.decodeDesired(topic, payload));
      } else if (topic.kind() == TopicKind.REPORTED) {
        reported.put(topic.device(), MessageCodec.decodeReported(topic, payload));
      } else if (topic.kind() == TopicKind.EVENTS) {
        record(MessageCodec.decodeEvent(topic, payload));
      }
    } catch (InvalidMessageException e) {
      violations.add(path + ": " + e.getMessage());
    }
  }

  private void record(DeviceEvent event) {
    if (!seen.add(event.gateway() + "/" + event.seq())) {
      return;
    }
    synchronized (events) {
      events.computeIfAbsent(event.device(), d -> new ArrayList<>()).add(event);
    }
  }

  @Override
  public void close() {
    session.close();
    scheduler.shutdownNow();
  }

  private static MqttSettings settings(String brokerUri, String username, String password) {
    return new MqttSettings(
        brokerUri,
        "system-test-" + System.nanoTime(),
        username,
        password == null ? null : password.toCharArray(),
        null,
        true,
        true,
        Duration.ZERO,
        Duration.ofSeconds(10),
        Duration.ofMillis(100),
        Duration.ofSeconds(1),
        null);
  }
}
