package io.fieldproof.system;

import io.fieldproof.agent.EdgeAgent;
import io.fieldproof.agent.config.AgentConfig;
import io.fieldproof.agent.emulated.InProcessDeviceLink;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.protocol.signing.Ed25519Keys;
import io.fieldproof.testsupport.TestSigningKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gateways of {@value #PER_GATEWAY} emulated ESP32 pumps in this JVM: each a real {@link EdgeAgent}
 * with its own MQTT session, state folder and spool, its devices attached in-process ({@link
 * InProcessDeviceLink}: the agent's frames, codec and CRC, no socket and no thread per device). The
 * emulators are not ticked, so they produce no telemetry of their own; the agents look at them
 * every {@link #TICK}.
 */
final class ScaleFleet implements AutoCloseable {

  static final int PER_GATEWAY = 100;
  static final Duration TICK = Duration.ofSeconds(5);

  private final List<EdgeAgent> agents = new ArrayList<>();
  private final List<DeviceEmulator> emulators = new ArrayList<>();

  private ScaleFleet() {}

  /** Starts agents for {@code devices} pumps running {@code model} as 1.3.0. */
  static ScaleFleet start(String namespace, String brokerUri, Path dir, int devices, byte[] model)
      throws IOException {
    PublicKey key = Ed25519Keys.publicKey(Files.readString(TestSigningKeys.TEST.publicKeyFile()));
    ScaleFleet fleet = new ScaleFleet();
    try {
      for (int first = 0, gateway = 0; first < devices; first += PER_GATEWAY, gateway++) {
        Map<String, DeviceEmulator> byLink = new HashMap<>();
        List<AgentConfig.Device> attached = new ArrayList<>();
        for (int i = first; i < Math.min(devices, first + PER_GATEWAY); i++) {
          DeviceEmulator emulator =
              DeviceEmulator.builder(Chip.ESP32)
                  .seed(90_000L + i)
                  .activeModel("vibration-anomaly", "1.3.0", model)
                  .build();
          fleet.emulators.add(emulator);
          String link = "tcp://127.0.0.1:" + (1 + i);
          byLink.put(link, emulator);
          attached.add(
              new AgentConfig.Device(link, "esp32", Map.of("line", "3", "sensor", "vibration")));
        }
        AgentConfig config =
            new AgentConfig(
                "gw-" + gateway,
                namespace,
                new AgentConfig.Broker(
                    brokerUri,
                    null,
                    null,
                    null,
                    true,
                    Duration.ofHours(1),
                    Duration.ofSeconds(30),
                    Duration.ofMillis(200),
                    Duration.ofSeconds(2)),
                dir.resolve("gw-" + gateway),
                TICK,
                1000,
                attached,
                AgentConfig.Trust.keys(List.of(key)));
        EdgeAgent agent =
            new EdgeAgent(
                config,
                link -> InProcessDeviceLink.attach(byLink.get(link), Duration.ofSeconds(5)),
                Clock.systemUTC());
        fleet.agents.add(agent);
        agent.start();
      }
      return fleet;
    } catch (IOException | RuntimeException e) {
      fleet.close();
      throw e;
    }
  }

  @Override
  public void close() {
    agents.parallelStream().forEach(EdgeAgent::close);
    emulators.forEach(DeviceEmulator::close);
  }
}
