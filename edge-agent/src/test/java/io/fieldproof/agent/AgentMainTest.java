package io.fieldproof.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.agent.config.AgentConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentMainTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void withoutTheConfigOptionItPrintsTheUsage() {
    assertThat(run()).isEmpty();
    assertThat(run("agent.yaml")).isEmpty();
    assertThat(run("--conf", "agent.yaml")).isEmpty();

    assertThat(errors().lines()).containsOnly(AgentMain.USAGE).hasSize(3);
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("nowhere/agent.yaml");

    assertThat(run("--config", missing.toString())).isEmpty();

    assertThat(errors()).startsWith("fieldproof-agent: ").contains(missing.toString());
  }

  @Test
  void aFileThatIsNotYamlIsReportedWithItsLine() throws IOException {
    Path file = Files.writeString(dir.resolve("agent.yaml"), "gateway: gw-1\nbroker: [\n");

    assertThat(run("--config", file.toString())).isEmpty();

    assertThat(errors())
        .startsWith("fieldproof-agent: " + file + ": not valid YAML: ")
        .contains("line 3");
  }

  @Test
  void everyProblemOfAnInvalidConfigurationIsPrinted() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("agent.yaml"),
            """
            namespace: default
            broker:
              uri: tcp://127.0.0.1:1883
              passwordEnv: FP_MQTT_PASSWORD
            stateDir: state
            trust: {allowUnsigned: true}
            devices:
              - link: /dev/ttyUSB0
            """);

    assertThat(run("--config", file.toString())).isEmpty();

    assertThat(errors())
        .startsWith("fieldproof-agent: invalid agent configuration:")
        .contains(
            "gateway: required",
            "broker.passwordEnv: environment variable FP_MQTT_PASSWORD is not set",
            "devices[0].link: '/dev/ttyUSB0'");
  }

  @Test
  void aValidConfigurationIsLoadedWithTheGivenEnvironment() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("agent.yaml"),
            """
            gateway: gw-1
            namespace: default
            broker:
              uri: tcp://127.0.0.1:1883
              passwordEnv: FP_MQTT_PASSWORD
            stateDir: state
            trust: {allowUnsigned: true}
            devices:
              - link: tcp://127.0.0.1:7001
            """);

    Optional<AgentConfig> config =
        AgentMain.configuration(
            new String[] {"--config", file.toString()},
            Map.of("FP_MQTT_PASSWORD", "pw"),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(config).get().extracting(AgentConfig::gateway).isEqualTo("gw-1");
    assertThat(config.get().stateDir()).isEqualTo(dir.resolve("state"));
    assertThat(errors()).isEmpty();
  }

  private Optional<AgentConfig> run(String... args) {
    return AgentMain.configuration(
        args, Map.of(), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String errors() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
