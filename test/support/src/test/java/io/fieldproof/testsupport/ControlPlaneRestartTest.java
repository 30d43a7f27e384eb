package io.fieldproof.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local control plane listens on loopback only, and keeps its objects across a stop and across
 * a crash of kube-apiserver: ControlPlaneMain is run as the demo runs it, in its own JVM, on a data
 * directory, and started again on the same directory.
 */
class ControlPlaneRestartTest {

  private static final Duration STARTUP = Duration.ofSeconds(150);

  @TempDir Path work;

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopWhatIsLeft() {
    for (Process process : started) {
      process.destroy();
      process.onExit().join();
    }
  }

  @Test
  void theSharedControlPlaneListensOnLoopbackOnly() {
    LocalControlPlane.shared();

    assertListensOnLoopbackOnly(ProcessHandle.current());
  }

  @Test
  void aStoppedControlPlaneStartsAgainOnItsDataWithItsObjects() throws Exception {
    Path dataDir = work.resolve("data");
    Path kubeconfig = work.resolve("kubeconfig");
    Process first = controlPlaneMain(kubeconfig, dataDir, "first");
    assertListensOnLoopbackOnly(first.toHandle());
    List<ProcessHandle> children = first.descendants().toList();
    createConfigMap(kubeconfig, "kept-across-stop");

    first.destroy();
    assertThat(first.onExit().get().exitValue())
        .as("ControlPlaneMain stopped by SIGTERM")
        .isNotZero();
    assertThat(children).noneMatch(ProcessHandle::isAlive);

    Process second = controlPlaneMain(kubeconfig, dataDir, "second");
    assertListensOnLoopbackOnly(second.toHandle());
    assertThat(readConfigMap(kubeconfig, "kept-across-stop")).isEqualTo("kept-across-stop");
  }

  @Test
  void aControlPlaneWhoseApiServerDiedKeepsItsDataAndStartsAgainOnIt() throws Exception {
    Path dataDir = work.resolve("data");
    Path kubeconfig = work.resolve("kubeconfig");
    Process first = controlPlaneMain(kubeconfig, dataDir, "first");
    createConfigMap(kubeconfig, "kept-across-crash");
    ProcessHandle apiServer = child(first, "kube-apiserver");
    ProcessHandle etcd = child(first, "etcd");

    apiServer.destroyForcibly();

    assertThat(first.onExit().get().exitValue())
        .as("ControlPlaneMain exits once kube-apiserver died")
        .isEqualTo(1);
    assertThat(etcd.isAlive()).as("etcd stopped with it").isFalse();
    assertThat(log(first)).contains("kube-apiserver", "start again with --data-dir");
    assertThat(dataDir.resolve("etcd")).isNotEmptyDirectory();

    Process second = controlPlaneMain(kubeconfig, dataDir, "second");
    assertListensOnLoopbackOnly(second.toHandle());
    assertThat(readConfigMap(kubeconfig, "kept-across-crash")).isEqualTo("kept-across-crash");
  }

  /** Starts ControlPlaneMain as scripts/demo.sh does and waits for the line the demo waits for. */
  private Process controlPlaneMain(Path kubeconfig, Path dataDir, String name) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String property : List.of("fieldproof.root", "fieldproof.k8s.dir")) {
      String value = System.getProperty(property);
      if (value != null) {
        command.add("-D" + property + "=" + value);
      }
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            ControlPlaneMain.class.getName(),
            kubeconfig.toString(),
            "--data-dir",
            dataDir.toString()));
    Path log = work.resolve(name + ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    started.add(process);
    logs.put(process, log);
    await()
        .atMost(STARTUP)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    "ControlPlaneMain exited "
                        + process.exitValue()
                        + ": "
                        + Files.readString(log));
              }
              assertThat(Files.readString(log)).contains("ready, CRDs installed");
            });
    return process;
  }

  private final Map<Process, Path> logs = new HashMap<>();

  private String log(Process process) throws IOException {
    return Files.readString(logs.get(process));
  }

  private static ProcessHandle child(Process parent, String binary) {
    return parent
        .descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("/" + binary)).orElse(false))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + binary + " under " + parent.pid()));
  }

  private static void createConfigMap(Path kubeconfig, String name) throws IOException {
    try (KubernetesClient client = client(kubeconfig)) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName("restart").endMetadata().build())
          .serverSideApply();
      client
          .configMaps()
          .inNamespace("restart")
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .endMetadata()
                  .addToData("value", name)
                  .build())
          .create();
    }
  }

  private static String readConfigMap(Path kubeconfig, String name) throws IOException {
    try (KubernetesClient client = client(kubeconfig)) {
      ConfigMap found = client.configMaps().inNamespace("restart").withName(name).get();
      assertThat(found).as("ConfigMap restart/" + name + " after the restart").isNotNull();
      return found.getData().get("value");
    }
  }

  private static KubernetesClient client(Path kubeconfig) throws IOException {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
        .build();
  }

  /**
   * What {@code ss -ltnp} would show for the processes under {@code root}: every TCP socket they
   * listen on is bound to a loopback address, and none of those ports answers on the machine's
   * other addresses. etcd's client and peer ports and kube-apiserver's port make at least three.
   */
  private static void assertListensOnLoopbackOnly(ProcessHandle root) {
    List<Listener> listeners = ListeningSockets.of(root);
    assertThat(listeners)
        .as("sockets listened on by etcd and kube-apiserver")
        .hasSizeGreaterThanOrEqualTo(3)
        .allSatisfy(l -> assertThat(l.address().isLoopbackAddress()).as(l.toString()).isTrue());
    for (InetAddress other : nonLoopbackAddresses()) {
      for (Listener listener : listeners) {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress(other, listener.port()), 1000);
          throw new AssertionError(listener + " also answers on " + other.getHostAddress());
        } catch (IOException refused) {
          // as it should be
        }
      }
    }
  }

  private static List<InetAddress> nonLoopbackAddresses() {
    try {
      return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
          .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
          .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
          .toList();
    } catch (SocketException e) {
      return List.of();
    }
  }

  /** A listening TCP socket of a process. */
  record Listener(long pid, String command, InetAddress address, int port) {
    @Override
    public String toString() {
      return command + " (pid " + pid + ") listening on " + address.getHostAddress() + ":" + port;
    }
  }

  /** Reads /proc: the socket inodes a process holds, and the listening sockets of the machine. */
  static final class ListeningSockets {

    private static final String LISTEN = "0A";

    static List<Listener> of(ProcessHandle root) {
      Map<String, Listener> byInode = new HashMap<>();
      for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
        for (String[] row : rows(Path.of(table))) {
          if (row[3].equals(LISTEN)) {
            String[] local = row[1].split(":");
            byInode.put(
                row[9], new Listener(0, "", address(local[0]), Integer.parseInt(local[1], 16)));
          }
        }
      }
      List<Listener> found = new ArrayList<>();
      Stream.concat(Stream.of(root), root.descendants())
          .forEach(
              process -> {
                String command = process.info().command().orElse("?");
                for (String inode : socketInodes(process.pid())) {
                  Listener l = byInode.get(inode);
                  if (l != null) {
                    found.add(new Listener(process.pid(), command, l.address(), l.port()));
                  }
                }
              });
      return found;
    }

    private static List<String[]> rows(Path table) {
      try {
        return Files.readAllLines(table).stream()
            .skip(1)
            .map(line -> line.trim().split("\\s+"))
            .toList();
      } catch (IOException e) {
        return List.of();
      }
    }

    private static List<String> socketInodes(long pid) {
      List<String> inodes = new ArrayList<>();
      try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
        for (Path fd : fds.toList()) {
          try {
            String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith("socket:[")) {
              inodes.add(target.substring(8, target.length() - 1));
            }
          } catch (IOException closedMeanwhile) {
            // the descriptor went away while listing
          }
        }
      } catch (IOException gone) {
        // the process exited
      }
      return inodes;
    }

    /** /proc/net/tcp{,6} write an address as 32-bit words in host (little-endian) order. */
    private static InetAddress address(String hex) {
      byte[] bytes = new byte[hex.length() / 2];
      for (int word = 0; word < bytes.length / 4; word++) {
        for (int b = 0; b < 4; b++) {
          int at = (word * 4 + b) * 2;
          bytes[word * 4 + 3 - b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
        }
      }
      try {
        return InetAddress.getByAddress(bytes);
      } catch (IOException e) {
        throw new IllegalStateException(hex, e);
      }
    }
  }
}
