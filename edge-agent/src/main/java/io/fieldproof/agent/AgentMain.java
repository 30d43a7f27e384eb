package io.fieldproof.agent;

import io.fieldproof.agent.config.AgentConfig;
import io.fieldproof.agent.config.AgentConfigLoader;
import io.fieldproof.agent.link.DeviceLinks;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** Starts an edge agent: {@code java -jar fieldproof-edge-agent.jar --config agent.yaml}. */
public final class AgentMain {

  private AgentMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !args[0].equals("--config")) {
      System.err.println("usage: fieldproof-agent --config AGENT_YAML");
      System.exit(2);
    }
    AgentConfig config;
    try {
      config = new AgentConfigLoader(System.getenv()).load(Path.of(args[1]));
    } catch (java.io.IOException e) {
      System.err.println("fieldproof-agent: " + e.getMessage());
      System.exit(2);
      return;
    }
    EdgeAgent agent =
        new EdgeAgent(
            config, link -> DeviceLinks.open(link, Duration.ofSeconds(5)), Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  agent.close();
                  stopped.countDown();
                },
                "agent-shutdown"));
    agent.start();
    stopped.await();
  }
}
