package io.fieldproof.agent;

import io.fieldproof.agent.config.AgentConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Agent configurations for tests: a local broker without credentials, fast reconnects. */
final class TestAgents {

  private TestAgents() {}

  static AgentConfig config(
      String gateway,
      String namespace,
      String brokerUri,
      Path stateDir,
      Duration reportInterval,
      int maxSpooledEvents,
      List<AgentConfig.Device> devices) {
    return new AgentConfig(
        gateway,
        namespace,
        new AgentConfig.Broker(
            brokerUri,
            null,
            null,
            null,
            true,
            Duration.ofHours(1),
            Duration.ofSeconds(30),
            Duration.ofMillis(50),
            Duration.ofMillis(500)),
        stateDir,
        reportInterval,
        maxSpooledEvents,
        devices);
  }
}
