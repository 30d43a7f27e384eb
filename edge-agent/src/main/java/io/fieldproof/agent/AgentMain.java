package io.fieldproof.agent;

import io.fieldproof.agent.config.AgentConfig;
import io.fieldproof.agent.config.AgentConfigLoader;
import io.fieldproof.agent.link.DeviceLinks;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** Starts an edge agent: {@code java -jar fieldproof-edge-agent.jar --config agent.yaml}. */
public final class AgentMain {

  static final String USAGE = "usage: fieldproof-agent --config AGENT_YAML";

  private AgentMain() {}

  public static void main(String[] args) throws Exception {
    Optional<AgentConfig> loaded = configuration(args, System.getenv(), System.err);
    if (loaded.isEmpty()) {
      System.exit(2);
      return;
    }
    AgentConfig config = loaded.get();
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

  /** The configuration the arguments name, or empty after telling {@code err} what is wrong. */
  static Optional<AgentConfig> configuration(
      String[] args, Map<String, String> environment, PrintStream err) {
    if (args.length != 2 || !args[0].equals("--config")) {
      err.println(USAGE);
      return Optional.empty();
    }
    try {
      return Optional.of(new AgentConfigLoader(environment).load(Path.of(args[1])));
    } catch (IOException e) {
      err.println("fieldproof-agent: " + e.getMessage());
      return Optional.empty();
    }
  }
}
