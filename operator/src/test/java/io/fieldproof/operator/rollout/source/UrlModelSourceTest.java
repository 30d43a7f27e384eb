package io.fieldproof.operator.rollout.source;

import static io.fieldproof.operator.rollout.source.ModelServer.FIXTURE_SHA256;
import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.operator.rollout.ModelSourceReader;
import io.fieldproof.operator.rollout.Verdict;
import io.fieldproof.operator.rollout.Verdict.Outcome;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A url source: verdicts naming the field and the URL, the cache, and the failure backoff. */
class UrlModelSourceTest {

  private final SteppedClock clock = new SteppedClock();
  private ModelServer server;
  private byte[] model;
  private UrlModelSource source;

  @BeforeEach
  void start() throws IOException {
    server = ModelServer.start();
    model = ModelServer.fixture();
    source = sourceLimitedTo(4L * 1024 * 1024);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aVerifiedFileIsFetchedOnce() {
    server.serve("/model.tflite", ModelServer.file(model));

    ModelSourceReader.Result first = source.read(server.url("/model.tflite"), FIXTURE_SHA256);
    ModelSourceReader.Result second = source.read(server.url("/model.tflite"), FIXTURE_SHA256);

    assertThat(first.bytes()).hasValueSatisfying(b -> assertThat(b).isEqualTo(model));
    assertThat(second.bytes()).hasValueSatisfying(b -> assertThat(b).isEqualTo(model));
    assertThat(server.requests()).isEqualTo(1);
  }

  @Test
  void aServerErrorWaitsAndTheUrlIsFetchedAgainAfterTheBackoff() {
    server.serve("/model.tflite", ModelServer.status(500), ModelServer.file(model));
    String url = server.url("/model.tflite");

    Verdict failed = source.read(url, FIXTURE_SHA256).problem();
    Verdict remembered = source.read(url, FIXTURE_SHA256).problem();
    clock.advance(Duration.ofSeconds(30));
    ModelSourceReader.Result recovered = source.read(url, FIXTURE_SHA256);

    assertThat(failed.outcome()).isEqualTo(Outcome.WAITING);
    assertThat(failed.reason()).isEqualTo("SourceUnavailable");
    assertThat(failed.message()).isEqualTo("spec.model.source.url " + url + ": HTTP 500");
    assertThat(remembered).isEqualTo(failed);
    assertThat(recovered.bytes()).hasValueSatisfying(b -> assertThat(b).isEqualTo(model));
    assertThat(server.requests()).isEqualTo(2);
  }

  @Test
  void notFoundWaitsForAnUploadAndTheMessageHidesTheQuery() {
    server.serve("/model.tflite", ModelServer.status(404));

    Verdict verdict =
        source
            .read(server.url("/model.tflite?X-Amz-Signature=s3cr3t#frag"), FIXTURE_SHA256)
            .problem();

    assertThat(verdict.outcome()).isEqualTo(Outcome.WAITING);
    assertThat(verdict.reason()).isEqualTo("SourceNotFound");
    assertThat(verdict.message())
        .isEqualTo(
            "spec.model.source.url "
                + server.url("/model.tflite")
                + ": HTTP 404 (not found); waiting for the file to be uploaded")
        .doesNotContain("s3cr3t");
  }

  @Test
  void aMismatchFailsNamingTheSha256Field() {
    server.serve("/model.tflite", ModelServer.file(model));
    String expected = "1".repeat(64);

    Verdict verdict = source.read(server.url("/model.tflite"), expected).problem();

    assertThat(verdict.outcome()).isEqualTo(Outcome.INVALID);
    assertThat(verdict.reason()).isEqualTo("Sha256Mismatch");
    assertThat(verdict.message())
        .isEqualTo(
            "spec.model.sha256: expected "
                + expected
                + " but the file at spec.model.source.url "
                + server.url("/model.tflite")
                + " has "
                + FIXTURE_SHA256);
  }

  @Test
  void aFileOverTheLimitFails() {
    server.serve("/model.tflite", ModelServer.chunked(model));

    Verdict verdict =
        sourceLimitedTo(1024).read(server.url("/model.tflite"), FIXTURE_SHA256).problem();

    assertThat(verdict.outcome()).isEqualTo(Outcome.INVALID);
    assertThat(verdict.reason()).isEqualTo("ModelTooLarge");
    assertThat(verdict.message())
        .startsWith("spec.model.source.url " + server.url("/model.tflite"));
  }

  @Test
  void aUrlWithCredentialsIsRefusedWithoutShowingThem() {
    Verdict verdict =
        source.read("https://user:pa55word@models.example/m.tflite", FIXTURE_SHA256).problem();

    assertThat(verdict.outcome()).isEqualTo(Outcome.INVALID);
    assertThat(verdict.reason()).isEqualTo("InvalidSourceUrl");
    assertThat(verdict.message())
        .startsWith("spec.model.source.url: https://models.example/m.tflite carries credentials")
        .doesNotContain("pa55word");
  }

  @Test
  void aLoopbackUrlFailsByDefaultNamingTheFieldTheAddressAndTheKeyThatAllowsIt() {
    server.serve("/model.tflite", ModelServer.file(model));
    String url = server.url("/model.tflite?token=s3cr3t");

    Verdict verdict =
        source(4L * 1024 * 1024, AddressPolicy.defaults()).read(url, FIXTURE_SHA256).problem();

    assertThat(verdict.outcome()).isEqualTo(Outcome.INVALID);
    assertThat(verdict.reason()).isEqualTo("SourceAddressRefused");
    assertThat(verdict.message())
        .isEqualTo(
            "spec.model.source.url "
                + server.url("/model.tflite")
                + " resolves to 127.0.0.1, a loopback address; allow it with"
                + " fieldproof.url-source.allowed-cidrs or fieldproof.url-source.allowed-hosts")
        .doesNotContain("s3cr3t");
    assertThat(server.requests()).isZero();
  }

  @Test
  void aUrlSourceNeedsASha256() {
    Verdict verdict = source.read(server.url("/model.tflite"), null).problem();

    assertThat(verdict.outcome()).isEqualTo(Outcome.INVALID);
    assertThat(verdict.reason()).isEqualTo("Sha256Required");
    assertThat(server.requests()).isZero();
  }

  private UrlModelSource sourceLimitedTo(long maxBytes) {
    return source(maxBytes, ModelServer.LOOPBACK_ALLOWED);
  }

  private UrlModelSource source(long maxBytes, AddressPolicy policy) {
    return new UrlModelSource(
        new HttpModelFetcher(
            new FetchLimits(maxBytes, Duration.ofSeconds(2), Duration.ofSeconds(5), 3),
            policy,
            HostResolver.SYSTEM,
            SourceTls.defaults()),
        new VerifiedModels(16L * 1024 * 1024),
        new FailureBackoff(Duration.ofSeconds(30), Duration.ofMinutes(5), clock));
  }
}
