package io.fieldproof.operator.rollout.source;

import io.fieldproof.operator.rollout.ModelSourceReader;
import io.fieldproof.operator.rollout.Verdict;
import java.time.Clock;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The model file behind spec.model.source.url: fetched once, verified against spec.model.sha256,
 * then served from memory; a failed fetch is remembered for a backoff rather than repeated on every
 * reconcile. Failures become verdicts that name the field and the URL without its query.
 */
public final class UrlModelSource {

  static final String FIELD = "spec.model.source.url";

  private static final Logger LOG = Logger.getLogger(UrlModelSource.class);

  private final HttpModelFetcher fetcher;
  private final VerifiedModels verified;
  private final FailureBackoff backoff;

  UrlModelSource(HttpModelFetcher fetcher, VerifiedModels verified, FailureBackoff backoff) {
    this.fetcher = fetcher;
    this.verified = verified;
    this.backoff = backoff;
  }

  /** A source with these settings, and a clock for its backoff. */
  public static UrlModelSource of(UrlSourceConfig config, Clock clock) {
    return new UrlModelSource(
        new HttpModelFetcher(
            FetchLimits.of(config),
            AddressPolicy.of(config),
            HostResolver.SYSTEM,
            SourceTls.of(config)),
        new VerifiedModels(config.cacheBytes()),
        new FailureBackoff(config.failureBackoff(), config.failureBackoffMax(), clock));
  }

  /** The verified file, or the verdict saying why there is none. */
  public ModelSourceReader.Result read(String url, String sha256) {
    if (sha256 == null) {
      return ModelSourceReader.Result.missing(
          Verdict.invalid(
              "Sha256Required", "spec.model.sha256: required when the model comes from " + FIELD));
    }
    SourceUrl source;
    try {
      source = SourceUrl.parse(url);
    } catch (IllegalArgumentException e) {
      return ModelSourceReader.Result.missing(
          Verdict.invalid("InvalidSourceUrl", FIELD + ": " + e.getMessage()));
    }
    SourceKey key = new SourceKey(url, sha256);
    Optional<byte[]> cached = verified.get(key);
    if (cached.isPresent()) {
      return ModelSourceReader.Result.found(cached.get());
    }
    Optional<Verdict> remembered = backoff.pending(key);
    if (remembered.isPresent()) {
      return ModelSourceReader.Result.missing(remembered.get());
    }
    return fetch(source, key);
  }

  private ModelSourceReader.Result fetch(SourceUrl source, SourceKey key) {
    FetchResult result = fetcher.fetch(source, key.sha256());
    if (result instanceof FetchResult.Fetched fetched) {
      LOG.infof("fetched %s: %d bytes, sha256 verified", source.redacted(), fetched.bytes().length);
      backoff.succeeded(key);
      verified.put(key, fetched.bytes());
      return ModelSourceReader.Result.found(fetched.bytes());
    }
    FetchResult.Failed failed = (FetchResult.Failed) result;
    Verdict verdict = verdict(failed, source, key.sha256());
    LOG.debugf("fetching %s failed: %s", source.redacted(), failed.detail());
    backoff.failed(key, verdict);
    return ModelSourceReader.Result.missing(verdict);
  }

  private static Verdict verdict(
      FetchResult.Failed failed, SourceUrl source, String expectedSha256) {
    FetchProblem problem = failed.problem();
    String message =
        switch (problem) {
          case SHA256_MISMATCH ->
              "spec.model.sha256: expected "
                  + expectedSha256
                  + " but the file at "
                  + FIELD
                  + " "
                  + source.redacted()
                  + " has "
                  + failed.detail();
          case NOT_FOUND ->
              FIELD
                  + " "
                  + source.redacted()
                  + ": "
                  + failed.detail()
                  + "; waiting for the file to be uploaded";
          case ADDRESS_REFUSED -> FIELD + " " + source.redacted() + " " + failed.detail();
          default -> FIELD + " " + source.redacted() + ": " + failed.detail();
        };
    return problem.isTransient()
        ? Verdict.waiting(problem.reason(), message)
        : Verdict.invalid(problem.reason(), message);
  }
}
