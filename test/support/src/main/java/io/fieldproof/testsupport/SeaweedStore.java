package io.fieldproof.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * A real SeaweedFS ({@code weed server}: master, volume server, filer and S3 gateway) on free
 * loopback ports, its data in a temporary folder, so that a test can stop it and start it again on
 * the same ports with its objects kept. Secure by default: no anonymous access; an admin key (for
 * the test, to create the bucket and read back) and a writer key that may only write to the one
 * bucket, as a gateway's agent gets. The binary is built from its Go module by {@code
 * test/objectstore/build-seaweedfs.sh} (cached; {@code scripts/lib/install.sh test} builds it).
 */
public final class SeaweedStore implements AutoCloseable {

  /** An access key: its id and its secret. */
  public record Key(String accessKeyId, String secretAccessKey) {

    @Override
    public String toString() {
      return "Key[" + accessKeyId + ", ****]";
    }
  }

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path weed;
  private final Path dir;
  private final String bucket;
  private final Key admin;
  private final Key writer;
  private final int[] ports;
  private Process process;

  private SeaweedStore(Path weed, Path dir, String bucket, int[] ports) {
    this.weed = weed;
    this.dir = dir;
    this.bucket = bucket;
    this.ports = ports;
    this.admin = new Key("admin" + hex(4), hex(20));
    this.writer = new Key("writer" + hex(4), hex(20));
  }

  /** Starts a store with {@code bucket} created; fails with what to install when Go is missing. */
  public static SeaweedStore start(String bucket) {
    try {
      Path dir = Files.createTempDirectory("seaweedfs");
      int[] ports = new int[8];
      for (int i = 0; i < ports.length; i++) {
        ports[i] = freePort(ports, i);
      }
      SeaweedStore store = new SeaweedStore(binary(), dir, bucket, ports);
      store.writeIdentities();
      store.startProcess();
      store.createBucket();
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** http://127.0.0.1:port of the S3 API. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + ports[6]);
  }

  public String bucket() {
    return bucket;
  }

  /** The key that may do anything (create buckets, read and list objects). */
  public Key adminKey() {
    return admin;
  }

  /** The key that may only write objects to {@link #bucket()}. */
  public Key writerKey() {
    return writer;
  }

  /** An S3 client with {@code key}, path-style, as the agent's. Close it after use. */
  public S3Client client(Key key) {
    return S3Client.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey())))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  /** Stops the store (SIGTERM); its data stays for {@link #startAgain}. */
  public void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Starts the store again on the same ports, with the data of the previous run. */
  public void startAgain() {
    startProcess();
    awaitS3();
  }

  /** The store's log so far. */
  public String log() {
    try {
      return Files.readString(dir.resolve("weed.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    deleteRecursively(dir);
  }

  private void writeIdentities() throws IOException {
    String identities =
        """
        {
          "identities": [
            {"name": "admin", "credentials": [{"accessKey": "%s", "secretKey": "%s"}],
             "actions": ["Admin", "Read", "List", "Tagging", "Write"]},
            {"name": "writer", "credentials": [{"accessKey": "%s", "secretKey": "%s"}],
             "actions": ["Write:%s"]}
          ]
        }
        """
            .formatted(
                admin.accessKeyId(),
                admin.secretAccessKey(),
                writer.accessKeyId(),
                writer.secretAccessKey(),
                bucket);
    Files.writeString(dir.resolve("s3.json"), identities);
    Files.createDirectories(dir.resolve("data"));
  }

  private void startProcess() {
    List<String> command = new ArrayList<>();
    command.add(weed.toString());
    command.addAll(
        List.of(
            "server",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-dir=" + dir.resolve("data"),
            "-master.port=" + ports[0],
            "-master.port.grpc=" + ports[1],
            "-master.telemetry=false",
            "-master.volumeSizeLimitMB=64",
            "-volume.port=" + ports[2],
            "-volume.port.grpc=" + ports[3],
            "-volume.max=16",
            "-filer",
            "-filer.port=" + ports[4],
            "-filer.port.grpc=" + ports[5],
            "-filer.localSocket=" + dir.resolve("filer.sock"),
            "-s3",
            "-s3.port=" + ports[6],
            "-s3.port.grpc=" + ports[7],
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-s3.localSocket=" + dir.resolve("s3.sock"),
            "-s3.config=" + dir.resolve("s3.json")));
    try {
      process =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("weed.log").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates the bucket once the gateway, the filer and a volume answer. */
  private void createBucket() {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    try (S3Client s3 = client(admin)) {
      while (true) {
        checkAlive();
        try {
          s3.createBucket(b -> b.bucket(bucket));
          return;
        } catch (BucketAlreadyOwnedByYouException e) {
          return;
        } catch (SdkException notYet) {
          if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException(
                "SeaweedFS did not create bucket " + bucket + " within " + START_TIMEOUT, notYet);
          }
          LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
      }
    }
  }

  /** Waits until the S3 gateway lists the bucket again. */
  private void awaitS3() {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    try (S3Client s3 = client(admin)) {
      while (true) {
        checkAlive();
        try {
          s3.headBucket(b -> b.bucket(bucket));
          return;
        } catch (SdkException notYet) {
          if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException(
                "SeaweedFS did not serve " + bucket + " within " + START_TIMEOUT, notYet);
          }
          LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
      }
    }
  }

  private void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException("weed exited at start: " + tail(log()));
    }
  }

  /** The weed binary, built (or found in the cache) by test/objectstore/build-seaweedfs.sh. */
  private static Path binary() {
    Path script = ProjectPaths.root().resolve("test/objectstore/build-seaweedfs.sh");
    try {
      Path log = Files.createTempFile("build-seaweedfs", ".log");
      try {
        Process build =
            new ProcessBuilder("bash", script.toString())
                .redirectOutput(log.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (!build.waitFor(30, TimeUnit.MINUTES) || build.exitValue() != 0) {
          build.destroyForcibly();
          throw new IllegalStateException(
              script
                  + " failed (it needs Go 1.26.6+ and the Go module proxy the first time): see"
                  + " the test's error output");
        }
        List<String> lines = Files.readAllLines(log);
        return Path.of(lines.get(lines.size() - 1));
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building weed", e);
    }
  }

  private static String tail(String log) {
    return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
  }

  private static String hex(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  private static int freePort(int[] taken, int count) throws IOException {
    while (true) {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      boolean clash = false;
      for (int i = 0; i < count; i++) {
        clash |= taken[i] == port;
      }
      if (!clash) {
        return port;
      }
    }
  }

  private static void deleteRecursively(Path root) {
    try (var walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // a temporary folder: what stays is removed with /tmp
                }
              });
    } catch (IOException ignored) {
      // nothing to delete
    }
  }
}
