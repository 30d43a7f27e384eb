package io.fieldproof.operator.rollout.source;

import static io.fieldproof.operator.rollout.source.ModelServer.FIXTURE_SHA256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https model URLs against a real HTTPS server on the loopback whose certificate a CA made for this
 * test signed (for models.test, which the test resolves to 127.0.0.1 and allows): trusted with
 * fieldproof.url-source.ca-file, refused without it, and checked against the URL's host although
 * the connection goes to the checked address.
 */
class HttpsSourceTest {

  private static final String HOST = "models.test";

  @TempDir static Path folder;
  private static TestCa ca;
  private static ModelServer server;
  private final FetchLimits limits =
      new FetchLimits(4L * 1024 * 1024, Duration.ofSeconds(2), Duration.ofSeconds(5), 3);
  private final AddressPolicy policy =
      new AddressPolicy(List.of(), Set.of(HOST, "other.test"), List.of());

  @BeforeAll
  static void startServer() throws IOException {
    ca = TestCa.create(folder, HOST);
    server = ModelServer.startHttps(ca.serverContext());
    server.serve("/model.tflite", ModelServer.file(ModelServer.fixture()));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private int requestsBefore;

  @BeforeEach
  void countRequests() {
    requestsBefore = server.requests();
  }

  @Test
  void aServerSignedByTheConfiguredCaIsTrusted() throws IOException {
    FetchResult result = fetch(SourceTls.withCaFile(ca.caPem()), server.url(HOST, "/model.tflite"));

    assertThat(result).isInstanceOf(FetchResult.Fetched.class);
    assertThat(((FetchResult.Fetched) result).bytes()).isEqualTo(ModelServer.fixture());
    assertThat(server.hosts()).last().isEqualTo(HOST + ":" + port());
  }

  @Test
  void withoutTheCaFileTheHandshakeFailsBeforeAnyRequest() {
    FetchResult result = fetch(SourceTls.defaults(), server.url(HOST, "/model.tflite"));

    assertThat(((FetchResult.Failed) result).problem()).isEqualTo(FetchProblem.TLS_FAILED);
    assertThat(((FetchResult.Failed) result).detail())
        .startsWith("TLS handshake failed")
        .endsWith("needs fieldproof.url-source.ca-file");
    assertThat(FetchProblem.TLS_FAILED.isTransient()).isFalse();
    assertThat(server.requests()).isEqualTo(requestsBefore);
  }

  @Test
  void theCertificateMustNameTheUrlsHostNotTheAddress() {
    FetchResult result =
        fetch(SourceTls.withCaFile(ca.caPem()), server.url("other.test", "/model.tflite"));

    assertThat(((FetchResult.Failed) result).problem()).isEqualTo(FetchProblem.TLS_FAILED);
    assertThat(((FetchResult.Failed) result).detail()).contains("other.test");
    assertThat(server.requests()).isEqualTo(requestsBefore);
  }

  @Test
  void aCaFileThatIsNoBundleIsRefusedAtStartup() throws IOException {
    Path empty = Files.writeString(folder.resolve("empty.pem"), "no certificate here\n");

    assertThatThrownBy(() -> SourceTls.withCaFile(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("fieldproof.url-source.ca-file " + empty);
    assertThatThrownBy(() -> SourceTls.withCaFile(folder.resolve("missing.pem")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be read");
  }

  private static int port() {
    String url = server.url("/");
    return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1, url.length() - 1));
  }

  private FetchResult fetch(SSLSocketFactory tls, String url) {
    HostResolver resolver = host -> List.of(InetAddress.getLoopbackAddress());
    return new HttpModelFetcher(limits, policy, resolver, tls)
        .fetch(SourceUrl.parse(url), FIXTURE_SHA256);
  }
}
