package io.fieldproof.testsupport;

import io.fabric8.kubeapitest.cert.CertManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * etcd and kube-apiserver as child processes, every port bound to 127.0.0.1, on a data directory
 * that outlives them: stopping them, or either of them dying, leaves the data in place, and a start
 * on the same directory serves every object written before.
 *
 * <p>The directory holds {@code etcd/} (etcd's data and WAL), {@code pki/} (the serving and client
 * certificates, made once), {@code ports.properties} (the ports of the last run, taken again when
 * free so that a kubeconfig stays valid across restarts), {@code *.pid} and {@code logs/}. A
 * process of an earlier run left behind on this directory (its pid file names it and its command
 * line names the directory) is stopped before the new ones start.
 *
 * <p>kube-api-test is not used to run them: it binds etcd to all interfaces and deletes etcd's data
 * when it stops, including when the API server dies.
 */
final class ControlPlaneProcesses {

  static final String LOOPBACK = "127.0.0.1";
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private final Path binaries;
  private final Path dataDir;
  private final Duration startupTimeout;
  private volatile boolean stopping;
  private Process etcd;
  private Process apiServer;
  private int etcdPort;
  private int peerPort;
  private int apiServerPort;

  ControlPlaneProcesses(Path binaries, Path dataDir, Duration startupTimeout) {
    this.binaries = binaries;
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.startupTimeout = startupTimeout;
  }

  /**
   * Starts etcd, then kube-apiserver, and returns once the API server is ready. {@code onExit} is
   * told of a process that exits while not being stopped.
   */
  synchronized void start(Consumer<String> onUnexpectedExit) {
    try {
      Files.createDirectories(dataDir.resolve("logs"));
      Files.createDirectories(dataDir.resolve("etcd"));
      Files.createDirectories(pki());
      stopLeftovers();
      new CertManager(pki().toString()).createCertificatesIfNeeded();
      choosePorts();
      stopping = false;
      etcd = launch("etcd", etcdCommand());
      watch(etcd, "etcd", onUnexpectedExit);
      awaitListening(etcdPort, etcd, "etcd");
      apiServer = launch("kube-apiserver", apiServerCommand());
      watch(apiServer, "kube-apiserver", onUnexpectedExit);
      awaitListening(apiServerPort, apiServer, "kube-apiserver");
    } catch (IOException e) {
      stop();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
  }

  /** Stops kube-apiserver, then etcd, each with SIGTERM and a grace period; keeps the data. */
  synchronized void stop() {
    stopping = true;
    terminate(apiServer);
    terminate(etcd);
  }

  int apiServerPort() {
    return apiServerPort;
  }

  Path dataDir() {
    return dataDir;
  }

  Optional<ProcessHandle> apiServerProcess() {
    return Optional.ofNullable(apiServer).map(Process::toHandle);
  }

  Optional<ProcessHandle> etcdProcess() {
    return Optional.ofNullable(etcd).map(Process::toHandle);
  }

  /** A kubeconfig for the admin client certificate, naming the files in pki/. */
  String kubeconfigYaml() {
    return String.join(
        "\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: fieldproof-local",
        "  cluster:",
        "    server: https://" + LOOPBACK + ":" + apiServerPort,
        "    certificate-authority: " + pki().resolve(CertManager.API_SERVER_CERT_NAME),
        "users:",
        "- name: fieldproof-local",
        "  user:",
        "    client-certificate: " + pki().resolve(CertManager.CLIENT_CERT_NAME),
        "    client-key: " + pki().resolve(CertManager.CLIENT_KEY_NAME),
        "contexts:",
        "- name: fieldproof-local",
        "  context:",
        "    cluster: fieldproof-local",
        "    user: fieldproof-local",
        "    namespace: default",
        "current-context: fieldproof-local",
        "");
  }

  private Path pki() {
    return dataDir.resolve("pki");
  }

  private List<String> etcdCommand() {
    String client = "http://" + LOOPBACK + ":" + etcdPort;
    String peer = "http://" + LOOPBACK + ":" + peerPort;
    return List.of(
        binaries.resolve("etcd").toString(),
        "--name=fieldproof",
        "--data-dir=" + dataDir.resolve("etcd"),
        "--listen-client-urls=" + client,
        "--advertise-client-urls=" + client,
        "--listen-peer-urls=" + peer,
        "--initial-advertise-peer-urls=" + peer,
        "--initial-cluster=fieldproof=" + peer,
        "--log-level=warn");
  }

  private List<String> apiServerCommand() {
    String key = pki().resolve(CertManager.API_SERVER_KEY_NAME).toString();
    return List.of(
        binaries.resolve("kube-apiserver").toString(),
        "--bind-address=" + LOOPBACK,
        "--secure-port=" + apiServerPort,
        "--cert-dir=" + pki(),
        "--tls-cert-file=" + pki().resolve(CertManager.API_SERVER_CERT_NAME),
        "--tls-private-key-file=" + key,
        "--etcd-servers=http://" + LOOPBACK + ":" + etcdPort,
        "--authorization-mode=RBAC",
        "--service-account-issuer=https://localhost",
        "--service-account-signing-key-file=" + key,
        "--service-account-key-file=" + key,
        "--disable-admission-plugins=ServiceAccount",
        "--client-ca-file=" + pki().resolve(CertManager.CLIENT_CERT_NAME),
        "--service-cluster-ip-range=10.0.0.0/24",
        "--allow-privileged");
  }

  private Process launch(String name, List<String> command) throws IOException {
    Path log = dataDir.resolve("logs").resolve(name + ".log");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    Files.writeString(dataDir.resolve(name + ".pid"), Long.toString(process.pid()));
    return process;
  }

  private void watch(Process process, String name, Consumer<String> onUnexpectedExit) {
    process
        .onExit()
        .thenAccept(
            p -> {
              if (!stopping) {
                onUnexpectedExit.accept(
                    name
                        + " (pid "
                        + p.pid()
                        + ") exited with status "
                        + p.exitValue()
                        + "; its log: "
                        + dataDir.resolve("logs").resolve(name + ".log"));
              }
            });
  }

  /** Waits until the process accepts connections on its port, failing early when it exits. */
  private void awaitListening(int port, Process process, String name) {
    Instant deadline = Instant.now().plus(startupTimeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited during startup: " + tail(dataDir.resolve("logs/" + name + ".log")));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(LOOPBACK, port), 500);
        return;
      } catch (IOException notYet) {
        pause();
      }
    }
    throw new IllegalStateException(
        name + " did not listen on " + LOOPBACK + ":" + port + " within " + startupTimeout);
  }

  private void choosePorts() throws IOException {
    Path file = dataDir.resolve("ports.properties");
    Properties ports = new Properties();
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        ports.load(in);
      }
    }
    etcdPort = reuseOrFree(ports, "etcd.client");
    peerPort = reuseOrFree(ports, "etcd.peer");
    apiServerPort = reuseOrFree(ports, "kube-apiserver");
    ports.setProperty("etcd.client", Integer.toString(etcdPort));
    ports.setProperty("etcd.peer", Integer.toString(peerPort));
    ports.setProperty("kube-apiserver", Integer.toString(apiServerPort));
    try (OutputStream out = Files.newOutputStream(file)) {
      ports.store(out, "ports of the local control plane, all on " + LOOPBACK);
    }
  }

  private static int reuseOrFree(Properties ports, String key) throws IOException {
    String before = ports.getProperty(key);
    if (before != null) {
      int port = Integer.parseInt(before);
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(LOOPBACK))) {
        return port;
      } catch (IOException taken) {
        // someone else holds it now: take a new one
      }
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    }
  }

  /**
   * Stops what an earlier run on this directory left running (its JVM was killed before it could
   * stop its children), so the new etcd does not find its data locked.
   */
  private void stopLeftovers() throws IOException {
    for (String name : List.of("kube-apiserver", "etcd")) {
      Path pidFile = dataDir.resolve(name + ".pid");
      if (!Files.exists(pidFile)) {
        continue;
      }
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      Optional<ProcessHandle> leftover =
          ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::runsOnThisDir);
      if (leftover.isPresent()) {
        System.err.println(
            "[controlplane] stopping " + name + " (pid " + pid + ") left by an earlier run");
        terminate(leftover.get());
      }
      Files.deleteIfExists(pidFile);
    }
  }

  private boolean runsOnThisDir(ProcessHandle handle) {
    try {
      byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(handle.pid()), "cmdline"));
      return new String(cmdline, StandardCharsets.UTF_8).contains(dataDir.toString());
    } catch (IOException e) {
      return handle.info().arguments().map(List::of).orElse(List.of()).stream()
          .anyMatch(a -> a.contains(dataDir.toString()));
    }
  }

  private static void terminate(Process process) {
    if (process != null) {
      terminate(process.toHandle());
    }
  }

  private static void terminate(ProcessHandle process) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      process.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } catch (Exception notInTime) {
      process.destroyForcibly();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(
          "\n", new ArrayList<>(lines.subList(Math.max(0, lines.size() - 20), lines.size())));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  private static void pause() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the control plane", e);
    }
  }
}
