package io.fieldproof.system;

import io.fieldproof.testsupport.ProjectPaths;
import io.fieldproof.testsupport.TestSigningKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A gateway whose devices run the C firmware: one host build ({@code fieldproof-fw-host}, a POSIX
 * process with its flash in a file) and one STM32F405 build under QEMU's netduinoplus2 machine
 * ({@code firmware/scripts/qemu-stm32f4.sh}, flash in a file through semihosting), each on a TCP
 * link, and the real edge agent ({@code java -jar fieldproof-edge-agent-*-all.jar}) driving both.
 * Each flash file is provisioned at the factory with a model in slot A (by the Java emulator, which
 * writes the same on-flash format), so the devices boot running it.
 */
final class FirmwareGateway implements AutoCloseable {

  /**
   * What to start.
   *
   * @param namespace the namespace the agent announces its devices in
   * @param gateway the gateway id
   * @param model the .tflite file both devices run from the factory
   * @param name that model's name
   * @param version that model's version
   * @param labels the devices' labels, as YAML flow mapping
   */
  record Spec(
      String namespace, String gateway, Path model, String name, String version, String labels) {}

  /** One device: its id, chip, link, and how to stop it. */
  record Device(String id, String chip, String link, Process process, long qemuPid) {}

  private static final long HOST_SEED = 41;
  private static final long QEMU_SEED = 42;
  private static final int TELEMETRY_MS = 200;

  private final Path dir;
  private final List<Device> devices;
  private final Process agent;

  private FirmwareGateway(Path dir, List<Device> devices, Process agent) {
    this.dir = dir;
    this.devices = devices;
    this.agent = agent;
  }

  /**
   * Provisions both flash files, starts both devices, then the agent.
   *
   * @param dir where the flash files, the agent's state and the logs go
   */
  static FirmwareGateway start(Spec spec, String brokerUri, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path firmware = firmwareDir();
    List<Device> devices = new ArrayList<>();
    try {
      devices.add(startHost(spec, firmware, dir));
      devices.add(startQemu(spec, firmware, dir));
      Files.writeString(
          dir.resolve("agent.yaml"), agentYaml(spec, brokerUri, dir.resolve("state"), devices));
      Process agent =
          new ProcessBuilder(
                  java(),
                  "-Xmx256m",
                  "-jar",
                  runnableJar("edge-agent", "fieldproof-edge-agent").toString(),
                  "--config",
                  dir.resolve("agent.yaml").toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("agent.log").toFile()))
              .start();
      return new FirmwareGateway(dir, List.copyOf(devices), agent);
    } catch (IOException | RuntimeException e) {
      devices.forEach(FirmwareGateway::stop);
      throw e;
    }
  }

  List<Device> devices() {
    return devices;
  }

  List<String> deviceIds() {
    return devices.stream().map(Device::id).toList();
  }

  /** The QEMU device (STM32F405). */
  Device qemu() {
    return devices.stream().filter(d -> d.qemuPid() > 0).findFirst().orElseThrow();
  }

  Path dir() {
    return dir;
  }

  /**
   * Fails at once, with the device's own last words, when a device has stopped: a faulted firmware
   * would otherwise only show as a rollout that waits for an offline device until it times out.
   */
  void requireAlive() throws IOException {
    for (Device device : devices) {
      boolean alive =
          device.process() != null
              ? device.process().isAlive()
              : ProcessHandle.of(device.qemuPid()).map(ProcessHandle::isAlive).orElse(false);
      if (!alive) {
        Path log = dir.resolve(device.qemuPid() > 0 ? "qemu-stm32f4.log" : "host-esp32.log");
        throw new IllegalStateException(
            "device " + device.id() + " stopped: " + Files.readString(log).strip());
      }
    }
  }

  @Override
  public void close() {
    agent.destroy();
    waitFor(agent);
    devices.forEach(FirmwareGateway::stop);
  }

  /** The host build, acting as an ESP32 (its chip's slot layout and id format). */
  private static Device startHost(Spec spec, Path firmware, Path dir) throws IOException {
    Path flash = provision("esp32", HOST_SEED, spec, dir.resolve("host-esp32.flash"));
    Path binary = firmware.resolve("build/host/fieldproof-fw-host");
    requireBuilt(binary);
    Process process =
        new ProcessBuilder(
                binary.toString(),
                "--chip",
                "esp32",
                "--port",
                "0",
                "--seed",
                String.valueOf(HOST_SEED),
                "--flash-file",
                flash.toString(),
                "--telemetry-ms",
                String.valueOf(TELEMETRY_MS))
            .redirectError(dir.resolve("host-esp32.log").toFile())
            .start();
    String[] fields = firstLine(process, dir.resolve("host-esp32.log")).trim().split(" ");
    drain(process);
    if (fields.length != 3 || !fields[2].startsWith("tcp://")) {
      process.destroy();
      throw new IllegalStateException(
          "unexpected first line from the host build: " + String.join(" ", fields));
    }
    return new Device(fields[0], "esp32", fields[2], process, 0);
  }

  /** The STM32F405 image under QEMU, through the project's script. */
  private static Device startQemu(Spec spec, Path firmware, Path dir) throws IOException {
    Path flash = provision("stm32f4", QEMU_SEED, spec, dir.resolve("qemu-stm32f4.flash"));
    requireBuilt(firmware.resolve("build/stm32f4/fieldproof-fw-stm32f4.elf"));
    Process script =
        new ProcessBuilder(
                "sh",
                firmware.resolve("scripts/qemu-stm32f4.sh").toString(),
                "--port",
                String.valueOf(freePort()),
                "--seed",
                String.valueOf(QEMU_SEED),
                "--flash-file",
                flash.toString(),
                "--telemetry-ms",
                String.valueOf(TELEMETRY_MS),
                "--log",
                dir.resolve("qemu-stm32f4.log").toString())
            .redirectError(dir.resolve("qemu-script.log").toFile())
            .start();
    String line = firstLine(script, dir.resolve("qemu-script.log"));
    waitFor(script);
    String[] fields = line.trim().split(" ");
    if (fields.length != 4 || !"stm32f4".equals(fields[2])) {
      throw new IllegalStateException("unexpected line from qemu-stm32f4.sh: " + line);
    }
    return new Device(fields[1], "stm32f4", fields[3], null, Long.parseLong(fields[0]));
  }

  /**
   * The flash file with the model in slot A, written the way the factory would: by the Java
   * emulator ({@code fieldproof-devices-*-all.jar}), which writes the same on-flash format, started
   * on a blank file with the model and stopped once it listens.
   */
  private static Path provision(String chip, long seed, Spec spec, Path flash) throws IOException {
    Files.deleteIfExists(flash);
    Path log = flash.resolveSibling(flash.getFileName() + ".provision.log");
    Process factory =
        new ProcessBuilder(
                java(),
                "-Xmx128m",
                "-jar",
                runnableJar("devices", "fieldproof-devices").toString(),
                "--chip",
                chip,
                "--port",
                "0",
                "--seed",
                String.valueOf(seed),
                "--flash-file",
                flash.toString(),
                "--model",
                spec.model().toString(),
                "--model-version",
                spec.version())
            .redirectError(log.toFile())
            .start();
    try {
      firstLine(factory, log);
    } finally {
      factory.destroy();
      waitFor(factory);
    }
    return flash;
  }

  private static String agentYaml(Spec spec, String brokerUri, Path state, List<Device> devices) {
    StringBuilder yaml =
        new StringBuilder()
            .append("gateway: ")
            .append(spec.gateway())
            .append("\nnamespace: ")
            .append(spec.namespace())
            .append("\nbroker: {uri: ")
            .append(brokerUri)
            .append("}\nstateDir: ")
            .append(state)
            .append("\nreportInterval: 1s\ntrust: {publicKeys: [")
            .append(TestSigningKeys.TEST.publicKeyFile())
            .append("]}\ndevices:\n");
    for (Device device : devices) {
      yaml.append("  - {link: ")
          .append(device.link())
          .append(", chip: ")
          .append(device.chip())
          .append(", labels: ")
          .append(spec.labels())
          .append("}\n");
    }
    return yaml.toString();
  }

  private static void requireBuilt(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          file + " is missing: build the firmware with firmware/test.sh");
    }
  }

  private static String firstLine(Process process, Path log) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null) {
      throw new IllegalStateException(
          "the device exited before it listened: " + Files.readString(log));
    }
    return line;
  }

  /** Reads what else a device prints, so a full pipe never blocks it. */
  private static void drain(Process process) {
    Thread drain =
        new Thread(
            () -> {
              try {
                process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
              } catch (IOException closed) {
                // the device stopped
              }
            },
            "firmware-output");
    drain.setDaemon(true);
    drain.start();
  }

  private static void stop(Device device) {
    if (device.process() != null) {
      device.process().destroy();
      waitFor(device.process());
    }
    if (device.qemuPid() > 0) {
      ProcessHandle.of(device.qemuPid()).ifPresent(ProcessHandle::destroy);
    }
  }

  private static void waitFor(Process process) {
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Path firmwareDir() {
    return ProjectPaths.root().resolve("firmware");
  }

  /** The runnable jar of {@code module}: the edge agent's, or the emulators' in devices. */
  private static Path runnableJar(String module, String artifactId) throws IOException {
    try (Stream<Path> files = Files.list(ProjectPaths.root().resolve(module + "/target"))) {
      return files
          .filter(f -> f.getFileName().toString().matches(artifactId + "-.*-all\\.jar"))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      module + "'s jar is missing: build it with ./mvnw package -pl " + module));
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
