package io.fieldproof.operator.rollout.source;

import static io.fieldproof.operator.rollout.source.ModelServer.FIXTURE_SHA256;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fetches against a real HTTP server on the loopback, which these fetchers allow explicitly ({@link
 * ModelServer#LOOPBACK_ALLOWED}): the address checks themselves are in UrlAddressRefusalTest.
 */
class HttpModelFetcherTest {

  private static final String WRONG_SHA256 = "0".repeat(64);

  private final FetchLimits limits =
      new FetchLimits(4L * 1024 * 1024, Duration.ofSeconds(2), Duration.ofSeconds(5), 3);

  private ModelServer server;
  private byte[] model;

  @BeforeEach
  void startServer() throws IOException {
    server = ModelServer.start();
    model = ModelServer.fixture();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void fetchesTheFileWhenItsSha256IsTheExpectedOne() {
    server.serve("/model.tflite", ModelServer.file(model));

    FetchResult result = fetch(limits, "/model.tflite", FIXTURE_SHA256);

    assertThat(result).isInstanceOf(FetchResult.Fetched.class);
    assertThat(((FetchResult.Fetched) result).bytes()).isEqualTo(model);
  }

  @Test
  void aChunkedBodyIsReadWhole() {
    server.serve("/model.tflite", ModelServer.chunked(model));

    FetchResult result = fetch(limits, "/model.tflite", FIXTURE_SHA256);

    assertThat(((FetchResult.Fetched) result).bytes()).isEqualTo(model);
  }

  @Test
  void anotherSha256IsAMismatchNamingTheFilesDigest() {
    server.serve("/model.tflite", ModelServer.file(model));

    FetchResult result = fetch(limits, "/model.tflite", WRONG_SHA256);

    assertThat(result)
        .isEqualTo(new FetchResult.Failed(FetchProblem.SHA256_MISMATCH, FIXTURE_SHA256));
  }

  @Test
  void statusesAreClassified() {
    server
        .serve("/missing", ModelServer.status(404))
        .serve("/gone", ModelServer.status(410))
        .serve("/forbidden", ModelServer.status(403))
        .serve("/throttled", ModelServer.status(429))
        .serve("/broken", ModelServer.status(500))
        .serve("/empty", ModelServer.status(204));

    assertThat(problem("/missing")).isEqualTo(FetchProblem.NOT_FOUND);
    assertThat(problem("/gone")).isEqualTo(FetchProblem.GONE);
    assertThat(problem("/forbidden")).isEqualTo(FetchProblem.REJECTED);
    assertThat(problem("/throttled")).isEqualTo(FetchProblem.UNAVAILABLE);
    assertThat(problem("/broken")).isEqualTo(FetchProblem.UNAVAILABLE);
    assertThat(problem("/empty")).isEqualTo(FetchProblem.REJECTED);
    assertThat(((FetchResult.Failed) fetch(limits, "/broken", FIXTURE_SHA256)).detail())
        .isEqualTo("HTTP 500");
  }

  @Test
  void aContentLengthOverTheLimitIsRefusedBeforeTheBody() {
    server.serve("/model.tflite", ModelServer.file(model));
    FetchLimits small = limitedTo(model.length - 1);

    FetchResult result = fetch(small, "/model.tflite", FIXTURE_SHA256);

    assertThat(result)
        .isEqualTo(
            new FetchResult.Failed(
                FetchProblem.TOO_LARGE,
                "Content-Length "
                    + model.length
                    + " passes the limit of "
                    + (model.length - 1)
                    + " bytes"));
  }

  @Test
  void aChunkedBodyOverTheLimitIsCutWhileReading() {
    server.serve("/model.tflite", ModelServer.chunked(model));
    FetchLimits small = limitedTo(1024);

    FetchResult result = fetch(small, "/model.tflite", FIXTURE_SHA256);

    assertThat(result)
        .isEqualTo(
            new FetchResult.Failed(
                FetchProblem.TOO_LARGE, "the body passes the limit of 1024 bytes"));
  }

  @Test
  void aBodyExactlyAtTheLimitIsAccepted() {
    server.serve("/model.tflite", ModelServer.chunked(model));

    FetchResult result = fetch(limitedTo(model.length), "/model.tflite", FIXTURE_SHA256);

    assertThat(result).isInstanceOf(FetchResult.Fetched.class);
  }

  @Test
  void aStalledTransferEndsAtTheTimeLimit() {
    server.serve("/model.tflite", server.stall(model));
    FetchLimits quick =
        new FetchLimits(limits.maxBytes(), Duration.ofSeconds(2), Duration.ofMillis(500), 3);

    long started = System.nanoTime();
    FetchResult result = fetch(quick, "/model.tflite", FIXTURE_SHA256);

    assertThat(result)
        .isEqualTo(new FetchResult.Failed(FetchProblem.TIMEOUT, "no complete file within 0.5s"));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void redirectsAreFollowedUpToTheLimit() {
    server
        .serve("/model.tflite", ModelServer.file(model))
        .serve("/moved", ModelServer.redirect(302, "/model.tflite"))
        .serve("/moved-twice", ModelServer.redirect(301, server.url("/moved")))
        .serve("/loop", ModelServer.redirect(307, "/loop"));

    assertThat(fetch(limits, "/moved-twice", FIXTURE_SHA256))
        .isInstanceOf(FetchResult.Fetched.class);
    assertThat(fetch(limits, "/loop", FIXTURE_SHA256))
        .isEqualTo(new FetchResult.Failed(FetchProblem.REDIRECT, "more than 3 redirects"));
    assertThat(server.requests()).isEqualTo(3 + 4);
  }

  @Test
  void aRedirectToAnotherSchemeIsNotFollowed() {
    server
        .serve("/to-ftp", ModelServer.redirect(302, "ftp://127.0.0.1/model.tflite"))
        .serve("/nowhere", ModelServer.status(302));

    assertThat(fetch(limits, "/to-ftp", FIXTURE_SHA256))
        .isEqualTo(
            new FetchResult.Failed(
                FetchProblem.REDIRECT,
                "a redirect the operator does not follow: only http and https URLs are fetched,"
                    + " not ftp"));
    assertThat(problem("/nowhere")).isEqualTo(FetchProblem.REDIRECT);
  }

  @Test
  void aClosedPortIsUnavailable() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    FetchResult result =
        fetcher(limits)
            .fetch(SourceUrl.parse("http://127.0.0.1:" + port + "/m.tflite"), FIXTURE_SHA256);

    assertThat(result).isInstanceOf(FetchResult.Failed.class);
    assertThat(((FetchResult.Failed) result).problem()).isEqualTo(FetchProblem.UNAVAILABLE);
    assertThat(((FetchResult.Failed) result).detail()).startsWith("cannot connect");
  }

  @Test
  void durationsReadAsInTheConfig() {
    assertThat(HttpModelFetcher.human(Duration.ofMinutes(2))).isEqualTo("2m");
    assertThat(HttpModelFetcher.human(Duration.ofSeconds(90))).isEqualTo("1m30s");
  }

  private FetchProblem problem(String path) {
    return ((FetchResult.Failed) fetch(limits, path, FIXTURE_SHA256)).problem();
  }

  private FetchLimits limitedTo(long bytes) {
    return new FetchLimits(bytes, limits.connectTimeout(), limits.timeout(), limits.maxRedirects());
  }

  private FetchResult fetch(FetchLimits with, String path, String sha256) {
    return fetcher(with).fetch(SourceUrl.parse(server.url(path)), sha256);
  }

  private static HttpModelFetcher fetcher(FetchLimits with) {
    return new HttpModelFetcher(
        with, ModelServer.LOOPBACK_ALLOWED, HostResolver.SYSTEM, SourceTls.defaults());
  }
}
