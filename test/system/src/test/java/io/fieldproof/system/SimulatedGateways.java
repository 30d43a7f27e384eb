package io.fieldproof.system;

import static org.awaitility.Awaitility.await;

import io.fieldproof.protocol.Capabilities;
import io.fieldproof.protocol.DeviceInfo;
import io.fieldproof.protocol.GatewayState;
import io.fieldproof.protocol.Health;
import io.fieldproof.protocol.Message;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.ReportedState;
import io.fieldproof.protocol.Slots;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.protocol.mqtt.MqttSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Gateways without agents: births and reports as the agents publish them (both retained, QoS 1, a
 * gateway's birth before its devices' reports), for fleets too large to emulate device by device.
 * The gateways are spread over a few MQTT sessions, each carrying its gateways' messages in order.
 * Device {@code d} carries the label {@code g=d % groups} and reports running {@link #MODEL}.
 */
final class SimulatedGateways implements AutoCloseable {

  /** The model every simulated device reports in its active slot. */
  static final ModelRef MODEL = new ModelRef("vibration-anomaly", "1.3.0", "ab".repeat(32), 10_000);

  private final String namespace;
  private final int devices;
  private final int perGateway;
  private final int groups;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final List<MqttSession> sessions = new ArrayList<>();

  private SimulatedGateways(String namespace, int devices, int perGateway, int groups) {
    this.namespace = namespace;
    this.devices = devices;
    this.perGateway = perGateway;
    this.groups = groups;
  }

  /** Connects {@code sessions} MQTT sessions that will carry the gateways' messages. */
  static SimulatedGateways connect(
      String brokerUri, String namespace, int devices, int perGateway, int groups, int sessions)
      throws IOException {
    SimulatedGateways gateways = new SimulatedGateways(namespace, devices, perGateway, groups);
    for (int i = 0; i < sessions; i++) {
      MqttSession session =
          new MqttSession(
              new MqttSettings(
                  brokerUri,
                  "bench-gateways-" + i,
                  null,
                  null,
                  null,
                  true,
                  true,
                  Duration.ZERO,
                  Duration.ofSeconds(30),
                  Duration.ofMillis(100),
                  Duration.ofSeconds(1),
                  null),
              null,
              reconnect -> {},
              gateways.scheduler);
      gateways.sessions.add(session);
      session.start();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> gateways.sessions.stream().allMatch(MqttSession::isConnected));
    return gateways;
  }

  int gatewayCount() {
    return (devices + perGateway - 1) / perGateway;
  }

  /**
   * Publishes every gateway's birth, then one report per device of that gateway, on the gateway's
   * session; completes when the broker acknowledged all of them.
   */
  CompletableFuture<Void> birthsAndReports() {
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    for (int g = 0; g < gatewayCount(); g++) {
      MqttSession session = sessions.get(g % sessions.size());
      String gateway = "gw-" + g;
      List<DeviceInfo> infos = new ArrayList<>();
      for (int d = g * perGateway; d < Math.min(devices, (g + 1) * perGateway); d++) {
        infos.add(
            new DeviceInfo(
                id(d),
                "esp32",
                "rt-2",
                new Capabilities(List.of("FULLY_CONNECTED"), 98304, 524288),
                Map.of("g", Integer.toString(d % groups))));
      }
      sent.add(
          session.publish(
              Topic.gatewayState(namespace, gateway).path(),
              MessageCodec.encode(GatewayState.birth(gateway, 1, "bench", infos, 0)),
              true));
      for (DeviceInfo info : infos) {
        sent.add(
            session.publish(
                Topic.reported(namespace, gateway, info.id()).path(),
                MessageCodec.encode(report(info.id(), gateway)),
                true));
      }
    }
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
  }

  private static ReportedState report(String device, String gateway) {
    return new ReportedState(
        Message.VERSION,
        device,
        gateway,
        ReportedState.Link.CONNECTED,
        0,
        null,
        new Slots("A", MODEL, null),
        "Idle",
        null,
        Health.builder()
            .uptimeMs(60_000)
            .readings(600)
            .telemetryFrames(600)
            .inferences(600)
            .latencyP95Ms(0.2)
            .build());
  }

  static String id(int d) {
    return String.format("esp32-%012x", 0xa4cf12000000L + d);
  }

  @Override
  public void close() {
    sessions.forEach(MqttSession::close);
    scheduler.shutdownNow();
  }
}
