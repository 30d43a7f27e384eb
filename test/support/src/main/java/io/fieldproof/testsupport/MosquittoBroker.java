package io.fieldproof.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker on a free loopback port, with its own config and persistence folder, so
 * that a test can stop it, kill it and start it again on the same port with its retained messages
 * kept.
 */
public final class MosquittoBroker implements AutoCloseable {

  private static final List<String> BINARIES = List.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto");

  /**
   * A TLS listener's files (PEM): the CA that signs client certificates, the broker's certificate
   * and key, and the CA's revocation list. Clients must present a certificate of that CA, and its
   * common name is their user name.
   */
  public record Tls(Path caFile, Path certFile, Path keyFile, Path crlFile) {}

  /**
   * Access control as production runs it: no anonymous client, users from a password file (hashed
   * by {@code mosquitto_passwd}) and an ACL file. On a TLS listener clients then log in with a
   * password and need no certificate.
   */
  public record Access(Path aclFile, Path passwordFile) {}

  private final Path dir;
  private final int port;
  private final Tls tls;
  private final Access access;
  private final int autosaveSeconds;
  private Process process;

  private MosquittoBroker(Path dir, int port, Tls tls, Access access, int autosaveSeconds) {
    this.dir = dir;
    this.port = port;
    this.tls = tls;
    this.access = access;
    this.autosaveSeconds = autosaveSeconds;
  }

  /** Starts a broker on a free port; fails with a message naming the package when it is missing. */
  public static MosquittoBroker start() {
    return start(null, null, 1);
  }

  /**
   * Starts a broker that saves its retained messages every 10 minutes instead of every second (and
   * at a graceful stop), for fleets of 100 000 devices: Mosquitto saves all of them, about 100 MB,
   * in its only thread, and saving them every second stalled it for tens of seconds at a time.
   */
  public static MosquittoBroker startForFleetScale() {
    return start(null, null, 600);
  }

  /** Starts a broker whose listener speaks TLS only and requires a client certificate. */
  public static MosquittoBroker startTls(Tls tls) {
    return start(tls, null, 1);
  }

  /**
   * Starts a broker with password logins and the ACL of {@code access}, no anonymous client; its
   * listener speaks TLS only when {@code tls} is given (its CRL may be null), plain MQTT otherwise.
   */
  public static MosquittoBroker startSecured(Tls tls, Access access) {
    return start(tls, access, 1);
  }

  private static MosquittoBroker start(Tls tls, Access access, int autosaveSeconds) {
    try {
      Path dir = Files.createTempDirectory("mosquitto");
      // started as root, mosquitto drops to its own user: it must be able to write its log and
      // its persistence file here, or retained messages never survive a restart
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
      MosquittoBroker broker = new MosquittoBroker(dir, freePort(), tls, access, autosaveSeconds);
      broker.writeConfig();
      broker.startProcess();
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where the broker saves its retained messages: at a graceful stop, and by its autosave. */
  public Path persistenceFile() {
    return dir.resolve("mosquitto.db");
  }

  /** tcp://127.0.0.1:port, or ssl:// for a TLS listener. */
  public String uri() {
    return (tls == null ? "tcp" : "ssl") + "://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Stops the broker gracefully: it saves its retained messages and sends no wills. */
  public void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      waitForExit();
    }
  }

  /** Kills the broker without warning, as a crash or a power cut would. */
  public void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      waitForExit();
    }
  }

  /**
   * Kills the broker and deletes its persistence file, as a broker without persistence or on a
   * fresh volume would come back: with no retained message at all.
   */
  public void killAndForget() {
    kill();
    try {
      Files.deleteIfExists(dir.resolve("mosquitto.db"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the broker again on the same port, with the persistence of the previous run. */
  public void restart() {
    stop();
    startProcess();
  }

  public void startAgain() {
    startProcess();
  }

  @Override
  public void close() {
    kill();
  }

  private void writeConfig() throws IOException {
    Files.writeString(
        dir.resolve("mosquitto.conf"),
        String.join(
            "\n",
            "listener " + port + " 127.0.0.1",
            tlsConfig(),
            accessConfig(),
            "persistence true",
            "persistence_location " + dir + "/",
            "autosave_interval " + autosaveSeconds,
            "max_packet_size 1048576",
            "max_queued_messages 200000",
            "max_inflight_messages 200",
            "log_dest file " + dir.resolve("mosquitto.log"),
            "log_type error",
            "log_type warning",
            "log_type notice",
            ""));
  }

  /**
   * The listener's TLS lines, with its files copied next to the config and readable by all: as
   * root, mosquitto reads them after it dropped to its own user.
   */
  private String tlsConfig() throws IOException {
    if (tls == null) {
      return "";
    }
    return String.join(
        "\n",
        "cafile " + readable(tls.caFile(), "ca.crt"),
        "certfile " + readable(tls.certFile(), "broker.crt"),
        "keyfile " + readable(tls.keyFile(), "broker.key"),
        tls.crlFile() == null ? "" : "crlfile " + readable(tls.crlFile(), "crl.pem"),
        access == null ? "require_certificate true" : "require_certificate false",
        access == null ? "use_identity_as_username true" : "");
  }

  private String accessConfig() throws IOException {
    if (access == null) {
      return "allow_anonymous true";
    }
    return String.join(
        "\n",
        "allow_anonymous false",
        "password_file " + readable(access.passwordFile(), "passwd"),
        "acl_file " + readable(access.aclFile(), "acl"));
  }

  /** The broker's process while it runs (its CPU time, for benchmarks). */
  public java.util.Optional<ProcessHandle> process() {
    return java.util.Optional.ofNullable(process).filter(Process::isAlive).map(Process::toHandle);
  }

  /** The broker's log so far: refusals of the ACL are logged at notice. */
  public String log() {
    try {
      return Files.readString(dir.resolve("mosquitto.log"));
    } catch (IOException e) {
      return "";
    }
  }

  private Path readable(Path source, String name) throws IOException {
    Path copy = dir.resolve(name);
    Files.copy(source, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
    return copy;
  }

  private void startProcess() {
    String binary =
        BINARIES.stream()
            .filter(b -> Files.isExecutable(Path.of(b)))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "mosquitto is missing: apt-get install -y mosquitto"));
    try {
      process =
          new ProcessBuilder(binary, "-c", dir.resolve("mosquitto.conf").toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("stdout.log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("mosquitto exited at start: " + logTail());
      }
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        confirmListening();
        return;
      } catch (IOException notYet) {
        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
      }
    }
    throw new IllegalStateException(
        "mosquitto did not listen on " + port + " within 10 s: " + logTail());
  }

  /**
   * The port answered, but another process may hold it (a port freed by a killed broker can be
   * taken before the broker starts again): then this mosquitto fails to bind and exits at once.
   */
  private void confirmListening() {
    try {
      if (process.waitFor(300, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "mosquitto exited at start while port "
                + port
                + " answered: another process holds it: "
                + logTail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void waitForExit() {
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String logTail() {
    try {
      return Files.readString(dir.resolve("stdout.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
