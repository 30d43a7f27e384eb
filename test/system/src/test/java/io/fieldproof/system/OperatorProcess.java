package io.fieldproof.system;

import static org.awaitility.Awaitility.await;

import io.fieldproof.testsupport.ProjectPaths;
import io.fieldproof.testsupport.TestSigningKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The operator as it runs for real: its Quarkus jar ({@code ./mvnw package} builds it) in a JVM of
 * its own, against the test's API server and broker, so that a test can kill it without warning and
 * start another.
 */
final class OperatorProcess implements AutoCloseable {

  private static final Duration READY_WITHIN = Duration.ofSeconds(90);

  private final Process process;
  private final Path log;
  private final int port;

  private OperatorProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts the operator and returns once it reports ready.
   *
   * @param log where its output goes
   */
  static OperatorProcess start(Path kubeconfig, String mqttUri, Path log) {
    return start(kubeconfig, mqttUri, log, List.of("-Xmx384m"));
  }

  /**
   * Starts the operator with {@code jvmOptions} (heap size, system properties) and returns once it
   * reports ready.
   */
  static OperatorProcess start(Path kubeconfig, String mqttUri, Path log, List<String> jvmOptions) {
    Path jar = ProjectPaths.root().resolve("operator/target/quarkus-app/quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build it with ./mvnw package -pl operator -am");
    }
    int port = freePort();
    ProcessBuilder builder =
        new ProcessBuilder(
                java.util.stream.Stream.of(
                        List.of(javaBinary()),
                        jvmOptions,
                        List.of(
                            "-Dquarkus.http.port=" + port,
                            "-Dquarkus.http.host=127.0.0.1",
                            "-Dfieldproof.mqtt.uri=" + mqttUri,
                            "-Dfieldproof.signing.key-file="
                                + TestSigningKeys.TEST.privateKeyFile(),
                            "-Dkubeconfig=" + kubeconfig,
                            "-Dkubernetes.auth.tryServiceAccount=false",
                            "-jar",
                            jar.toString()))
                    .flatMap(List::stream)
                    .toList())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    try {
      OperatorProcess operator = new OperatorProcess(builder.start(), log, port);
      operator.awaitReady(port);
      return operator;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The operator's HTTP port on 127.0.0.1 (health, /q/metrics). */
  int port() {
    return port;
  }

  /** The operator's JVM. */
  ProcessHandle handle() {
    return process.toHandle();
  }

  /** Kills the JVM at once (SIGKILL): no shutdown hook, no goodbye, as a crashed pod. */
  void kill() {
    process.destroyForcibly();
    waitForExit();
  }

  /** What the operator logged so far. */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      waitForExit();
    }
  }

  private void awaitReady(int port) {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
            .timeout(Duration.ofSeconds(2))
            .build();
    await()
        .atMost(READY_WITHIN)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("the operator exited:\n" + log());
              }
              try {
                return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
              } catch (IOException notYet) {
                return false;
              }
            });
  }

  private void waitForExit() {
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
