package io.fieldproof.system;

import io.fieldproof.testsupport.ProjectPaths;
import io.fieldproof.testsupport.TestSigningKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

  /**
   * How a fault run wants the gateway.
   *
   * @param flashFiles the emulators keep their flash in files under the gateway's folder, on ports
   *     chosen once, so that {@link #cutPower()} and {@link #powerOn()} are a reboot
   * @param lineNoise the probability that a byte crossing a device link is damaged, in either
   *     direction (0 for a clean line): each link then runs through a {@link NoisyLine}
   * @param keepAlive the agent's MQTT keep-alive (the broker notices a silent agent after 1.5 of
   *     it), null for the agent's default
   */
  record Options(boolean flashFiles, double lineNoise, Duration keepAlive) {
    static Options plain() {
      return new Options(false, 0, null);
    }
  }

  private final Spec spec;
  private final Options options;
  private final Path dir;
  private final List<String> deviceIds;
  private final List<NoisyLine> lines;
  private final int basePort;
  private Process emulators;
  private Process agent;

  private GatewayProcesses(
      Spec spec,
      Options options,
      Process emulators,
      int basePort,
      Path dir,
      List<String> deviceIds,
      List<NoisyLine> lines)
      throws IOException {
    this.spec = spec;
    this.options = options;
    this.emulators = emulators;
    this.basePort = basePort;
    this.dir = dir;
    this.deviceIds = deviceIds;
    this.lines = lines;
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
    return start(spec, brokerUri, username, password, dir, Options.plain());
  }

  /** As above, shaped for a fault run by {@code options}. */
  static GatewayProcesses start(
      Spec spec, String brokerUri, String username, String password, Path dir, Options options)
      throws IOException {
    Files.createDirectories(dir);
    int basePort = options.flashFiles() ? freePortRange(spec.count()) : 0;
    Process emulators = startEmulators(spec, options, basePort, dir);
    List<String> ids = new ArrayList<>();
    List<String> links = new ArrayList<>();
    readBootLines(emulators, spec.count(), dir, ids, links);
    List<NoisyLine> lines = new ArrayList<>();
    if (options.lineNoise() > 0) {
      for (int i = 0; i < links.size(); i++) {
        NoisyLine line = NoisyLine.start(links.get(i), options.lineNoise(), spec.firstSeed() + i);
        lines.add(line);
        links.set(i, line.uri());
      }
    }
    Files.writeString(
        dir.resolve("agent.yaml"),
        agentYaml(spec, options, brokerUri, username, password, dir.resolve("state"), links));
    return new GatewayProcesses(
        spec, options, emulators, basePort, dir, List.copyOf(ids), List.copyOf(lines));
  }

  private static Process startEmulators(Spec spec, Options options, int basePort, Path dir)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                java(),
                "-Xmx256m",
                "-jar",
                shadedJar("devices", "fieldproof-devices").toString(),
                "--chip",
                "esp32",
                "--count",
                String.valueOf(spec.count()),
                "--base-port",
                String.valueOf(basePort),
                "--seed",
                String.valueOf(spec.firstSeed()),
                "--telemetry-ms",
                "200",
                "--model",
                spec.model().toString(),
                "--model-version",
                spec.version()));
    if (options.flashFiles()) {
      command.addAll(List.of("--flash-file", dir.resolve("flash").resolve("esp32.bin").toString()));
      Files.createDirectories(dir.resolve("flash"));
    }
    return new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("emulators.log").toFile()))
        .start();
  }

  /** Reads each emulator's line (id, chip, link) from the emulators' output. */
  private static void readBootLines(
      Process emulators, int count, Path dir, List<String> ids, List<String> links)
      throws IOException {
    BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(emulators.getInputStream(), StandardCharsets.UTF_8));
    for (int i = 0; i < count; i++) {
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
  }

  List<String> deviceIds() {
    return deviceIds;
  }

  /** The agent dies at once (SIGKILL), mid-whatever it was doing. */
  void killAgent() {
    agent.destroyForcibly();
    waitFor(agent);
  }

  /** Starts the agent again on its state folder. */
  void startAgentAgain() throws IOException {
    agent = startAgent();
  }

  /**
   * The agent stops dead without closing anything (SIGSTOP): to the broker and the operator it is a
   * gateway cut off the network, its sockets open and silent, until {@link #thawAgent()}.
   */
  void freezeAgent() throws IOException, InterruptedException {
    signal("STOP", agent);
  }

  void thawAgent() throws IOException, InterruptedException {
    signal("CONT", agent);
  }

  /** Every device of the gateway loses its power at once (the emulators' process is killed). */
  void cutPower() {
    if (!options.flashFiles()) {
      throw new IllegalStateException("a power cut without flash files would be a new blank chip");
    }
    emulators.destroyForcibly();
    waitFor(emulators);
  }

  /** Powers the devices on again: same ports, same flash files, so each one reboots. */
  void powerOn() throws IOException {
    emulators = startEmulators(spec, options, basePort, dir);
    readBootLines(emulators, spec.count(), dir, new ArrayList<>(), new ArrayList<>());
  }

  /** Bytes the noisy lines damaged so far, both directions, all links. */
  long bytesDamaged() {
    return lines.stream().mapToLong(NoisyLine::damaged).sum();
  }

  /** Bytes that crossed the noisy lines so far. */
  long bytesCarried() {
    return lines.stream().mapToLong(NoisyLine::carried).sum();
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
    if (agent.isAlive()) {
      try {
        thawAgent();
      } catch (IOException | InterruptedException e) {
        agent.destroyForcibly();
      }
    }
    stop(agent);
    stop(emulators);
    lines.forEach(NoisyLine::close);
  }

  private static void signal(String signal, Process process)
      throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + signal + " " + process.pid() + " failed");
    }
  }

  private static void waitFor(Process process) {
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A port such that it and the {@code count - 1} after it are free now. */
  private static int freePortRange(int count) throws IOException {
    java.util.Random random = new java.util.Random();
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20_000 + random.nextInt(20_000);
      if (allFree(base, count)) {
        return base;
      }
    }
    throw new IOException("no " + count + " consecutive free ports found");
  }

  private static boolean allFree(int base, int count) {
    for (int port = base; port < base + count; port++) {
      try (java.net.ServerSocket probe =
          new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
        probe.setReuseAddress(true);
      } catch (IOException taken) {
        return false;
      }
    }
    return true;
  }

  private static String agentYaml(
      Spec spec,
      Options options,
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
            .append(
                options.keepAlive() == null
                    ? ""
                    : ", keepAlive: " + options.keepAlive().toSeconds() + "s")
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
