package io.fieldproof.system;

import io.fieldproof.testsupport.ProjectPaths;
import io.fieldproof.testsupport.TestSigningKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A gateway as scripts/demo.sh runs one: the device emulators in one process ({@code java -jar
 * fieldproof-devices-*-all.jar}, each device provisioned with a model) and the edge agent in
 * another ({@code java -jar fieldproof-edge-agent-*-all.jar --config agent.yaml}), talking to the
 * test's broker.
 */
final class GatewayProcesses implements AutoCloseable {

  /**
   * What to start.
   *
   * @param namespace the namespace the agent announces its devices in
   * @param gateway the gateway id
   * @param count how many emulated devices
   * @param firstSeed the first emulator's seed (it picks the device id)
   * @param model the .tflite file every device runs from the factory
   * @param version that model's version
   * @param labels the devices' labels, as YAML flow mapping
   */
  record Spec(
      String namespace,
      String gateway,
      int count,
      long firstSeed,
      Path model,
      String version,
      String labels) {}

  private final Process emulators;
  private final Path dir;
  private final List<String> deviceIds;
  private Process agent;

  private GatewayProcesses(Process emulators, Path dir, List<String> deviceIds) throws IOException {
    this.emulators = emulators;
    this.dir = dir;
    this.deviceIds = deviceIds;
    this.agent = startAgent();
  }

  /**
   * Starts the emulators, waits for them to listen, then starts the agent.
   *
   * @param dir where the agent keeps its state and both processes write their logs
   */
  static GatewayProcesses start(Spec spec, String brokerUri, Path dir) throws IOException {
    return start(spec, brokerUri, null, null, dir);
  }

  /** As above, the agent logging in with {@code username} and {@code password}. */
  static GatewayProcesses start(
      Spec spec, String brokerUri, String username, String password, Path dir) throws IOException {
    Files.createDirectories(dir);
    Process emulators =
        new ProcessBuilder(
                java(),
                "-Xmx256m",
                "-jar",
                shadedJar("devices", "fieldproof-devices").toString(),
                "--chip",
                "esp32",
                "--count",
                String.valueOf(spec.count()),
                "--base-port",
                "0",
                "--seed",
                String.valueOf(spec.firstSeed()),
                "--telemetry-ms",
                "200",
                "--model",
                spec.model().toString(),
                "--model-version",
                spec.version())
            .redirectError(dir.resolve("emulators.log").toFile())
            .start();
    List<String> ids = new ArrayList<>();
    List<String> links = new ArrayList<>();
    BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(emulators.getInputStream(), StandardCharsets.UTF_8));
    for (int i = 0; i < spec.count(); i++) {
      String line = lines.readLine();
      if (line == null) {
        throw new IllegalStateException(
            "the emulators exited: " + Files.readString(dir.resolve("emulators.log")));
      }
      String[] fields = line.split(" ");
      ids.add(fields[0]);
      links.add(fields[2]);
    }
    drain(lines);
    Files.writeString(
        dir.resolve("agent.yaml"),
        agentYaml(spec, brokerUri, username, password, dir.resolve("state"), links));
    return new GatewayProcesses(emulators, dir, List.copyOf(ids));
  }

  List<String> deviceIds() {
    return deviceIds;
  }

  private Process startAgent() throws IOException {
    return new ProcessBuilder(
            java(),
            "-Xmx256m",
            "-jar",
            shadedJar("edge-agent", "fieldproof-edge-agent").toString(),
            "--config",
            dir.resolve("agent.yaml").toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("agent.log").toFile()))
        .start();
  }

  @Override
  public void close() {
    stop(agent);
    stop(emulators);
  }

  private static String agentYaml(
      Spec spec,
      String brokerUri,
      String username,
      String password,
      Path state,
      List<String> links) {
    StringBuilder yaml =
        new StringBuilder()
            .append("gateway: ")
            .append(spec.gateway())
            .append("\nnamespace: ")
            .append(spec.namespace())
            .append("\nbroker: {uri: ")
            .append(brokerUri)
            .append(
                username == null
                    ? ""
                    : ", username: "
                        + username
                        + ", passwordFile: "
                        + passwordFile(state, password))
            .append("}\nstateDir: ")
            .append(state)
            .append("\nreportInterval: 1s\ntrust: {publicKeys: [")
            .append(TestSigningKeys.TEST.publicKeyFile())
            .append("]}\ndevices:\n");
    for (String link : links) {
      yaml.append("  - {link: ")
          .append(link)
          .append(", chip: esp32, labels: ")
          .append(spec.labels())
          .append("}\n");
    }
    return yaml.toString();
  }

  /**
   * The agent reads a password from a file or an environment variable, never from its config:
   * written beside its state folder, readable by the owner only.
   */
  private static Path passwordFile(Path state, String password) {
    try {
      Path file = state.resolveSibling("broker-password");
      Files.writeString(file, password);
      file.toFile().setReadable(false, false);
      file.toFile().setReadable(true, true);
      return file;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The runnable jar of {@code module} (the edge agent's, or the emulators' in devices). */
  private static Path shadedJar(String module, String artifactId) throws IOException {
    try (Stream<Path> files = Files.list(ProjectPaths.root().resolve(module + "/target"))) {
      return files
          .filter(f -> f.getFileName().toString().matches(artifactId + "-.*-all\\.jar"))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      module
                          + "'s jar is missing: build it with ./mvnw package -pl "
                          + module
                          + " -am"));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalStateException(module + "/target is missing: build it first", e);
    }
  }

  /** Reads what else the emulators print, so a full pipe never blocks them. */
  private static void drain(BufferedReader lines) {
    Thread drain =
        new Thread(
            () -> {
              try {
                lines.transferTo(java.io.Writer.nullWriter());
              } catch (IOException closed) {
                // the emulators stopped
              }
            },
            "emulator-output");
    drain.setDaemon(true);
    drain.start();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
