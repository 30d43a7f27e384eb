package io.fieldproof.operator;

import io.fieldproof.agent.EdgeAgent;
import io.fieldproof.agent.config.AgentConfig;
import io.fieldproof.agent.link.DeviceLinks;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.EmulatorServer;
import io.fieldproof.device.emulator.TelemetryScheduler;
import io.fieldproof.protocol.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A gateway as tests use it: a real edge agent, in-process, with device emulators reached over TCP,
 * talking to the test's Mosquitto.
 */
final class EmulatedGateway implements AutoCloseable {

  private final List<EmulatorServer> servers;
  private final TelemetryScheduler telemetry;
  private final EdgeAgent agent;

  private EmulatedGateway(
      List<EmulatorServer> servers, TelemetryScheduler telemetry, EdgeAgent agent) {
    this.servers = servers;
    this.telemetry = telemetry;
    this.agent = agent;
  }

  static EmulatedGateway start(
      String namespace,
      String gateway,
      Chip chip,
      long firstSeed,
      int count,
      Map<String, String> labels)
      throws IOException {
    return start(namespace, gateway, chip, firstSeed, count, labels, builder -> {});
  }

  /**
   * @param setup shapes each emulator before it starts (a provisioned model, a fault)
   */
  static EmulatedGateway start(
      String namespace,
      String gateway,
      Chip chip,
      long firstSeed,
      int count,
      Map<String, String> labels,
      Consumer<DeviceEmulator.Builder> setup)
      throws IOException {
    return start(namespace, gateway, chip, firstSeed, count, labels, setup, null);
  }

  /**
   * @param captureStore where the agent uploads the windows its devices capture, or null for none
   */
  static EmulatedGateway start(
      String namespace,
      String gateway,
      Chip chip,
      long firstSeed,
      int count,
      Map<String, String> labels,
      Consumer<DeviceEmulator.Builder> setup,
      AgentConfig.CaptureStore captureStore)
      throws IOException {
    List<EmulatorServer> servers = new ArrayList<>();
    TelemetryScheduler telemetry = new TelemetryScheduler(1);
    List<AgentConfig.Device> devices = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      DeviceEmulator.Builder builder =
          DeviceEmulator.builder(chip).seed(firstSeed + i).telemetryIntervalMs(100);
      setup.accept(builder);
      EmulatorServer server = EmulatorServer.start(builder.build(), 0);
      servers.add(server);
      telemetry.schedule(server.emulator());
      devices.add(new AgentConfig.Device(server.uri(), chip.name().toLowerCase(), labels));
    }
    AgentConfig config =
        new AgentConfig(
            gateway,
            namespace,
            new AgentConfig.Broker(
                FleetTestResource.broker().uri(),
                null,
                null,
                null,
                true,
                Duration.ofMinutes(10),
                Duration.ofSeconds(10),
                Duration.ofMillis(100),
                Duration.ofSeconds(2)),
            Files.createTempDirectory("agent-" + gateway),
            Duration.ofSeconds(1),
            1000,
            devices,
            TestSigning.agentTrust(),
            captureStore);
    EdgeAgent agent =
        new EdgeAgent(
            config, link -> DeviceLinks.open(link, Duration.ofSeconds(2)), Clock.systemUTC());
    agent.start();
    return new EmulatedGateway(servers, telemetry, agent);
  }

  List<String> deviceIds() {
    return servers.stream().map(s -> s.emulator().deviceId()).toList();
  }

  List<DeviceEmulator> emulators() {
    return servers.stream().map(EmulatorServer::emulator).toList();
  }

  /** The ids of the devices whose active slot holds {@code model}. */
  List<String> running(byte[] model) {
    String sha = Sha256.hex(model);
    return emulators().stream()
        .filter(e -> e.slots().activeModel().map(Sha256::hex).orElse("").equals(sha))
        .map(DeviceEmulator::deviceId)
        .toList();
  }

  EdgeAgent agent() {
    return agent;
  }

  /** The gateway vanishes without a goodbye: the broker publishes its will. */
  void crash() {
    agent.crash();
    telemetry.close();
    servers.forEach(EmulatorServer::close);
  }

  @Override
  public void close() {
    agent.close();
    telemetry.close();
    servers.forEach(EmulatorServer::close);
  }
}
