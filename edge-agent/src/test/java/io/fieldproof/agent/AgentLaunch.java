package io.fieldproof.agent;

import io.fieldproof.agent.config.AgentConfig;
import io.fieldproof.agent.emulated.InProcessDeviceLink;
import io.fieldproof.agent.link.DeviceLinks;
import io.fieldproof.device.emulator.DeviceEmulator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Starts the edge agent of a test, on the system clock, its device links opened within 2 s. */
final class AgentLaunch {

  private AgentLaunch() {}

  /**
   * Starts an agent that reaches its devices over TCP (emulator servers), pushed onto {@code
   * resources} before it starts so the test closes it with the rest.
   */
  static EdgeAgent overTcp(AgentConfig config, Deque<AutoCloseable> resources) throws IOException {
    EdgeAgent agent =
        new EdgeAgent(
            config, link -> DeviceLinks.open(link, Duration.ofSeconds(2)), Clock.systemUTC());
    resources.push(agent);
    agent.start();
    return agent;
  }

  /**
   * Starts an agent attached in-process to {@code devices}, each under a made-up link {@code
   * tcp://127.0.0.1:<firstPort + i>} labelled site=a, reporting every 500 ms; the caller closes it.
   */
  static EdgeAgent inProcess(
      String gateway,
      String namespace,
      String brokerUri,
      Path stateDir,
      List<DeviceEmulator> devices,
      int firstPort)
      throws IOException {
    List<AgentConfig.Device> attached = new ArrayList<>();
    Map<String, DeviceEmulator> byLink = new HashMap<>();
    for (int i = 0; i < devices.size(); i++) {
      String link = "tcp://127.0.0.1:" + (firstPort + i);
      byLink.put(link, devices.get(i));
      attached.add(new AgentConfig.Device(link, "esp32", Map.of("site", "a")));
    }
    AgentConfig config =
        TestAgents.config(
            gateway, namespace, brokerUri, stateDir, Duration.ofMillis(500), 100, attached);
    EdgeAgent agent =
        new EdgeAgent(
            config,
            link -> InProcessDeviceLink.attach(byLink.get(link), Duration.ofSeconds(2)),
            Clock.systemUTC());
    agent.start();
    return agent;
  }
}
