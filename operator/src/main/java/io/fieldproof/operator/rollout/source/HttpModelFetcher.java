package io.fieldproof.operator.rollout.source;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches one model file over HTTP(S) with the JDK client, within {@link FetchLimits}: the body is
 * streamed through {@link ModelBody} (bounded, digested), redirects are followed by hand so that
 * each hop is checked and counted, and one deadline covers the whole fetch.
 */
public final class HttpModelFetcher {

  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private final FetchLimits limits;
  private final HttpClient client;

  public HttpModelFetcher(FetchLimits limits) {
    this.limits = limits;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(limits.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** The file at the URL if its sha256 is the expected one (lower-case hex), or why not. */
  public FetchResult fetch(SourceUrl url, String expectedSha256) {
    long deadline = System.nanoTime() + limits.timeout().toNanos();
    URI current = url.uri();
    try {
      for (int redirects = 0; ; redirects++) {
        HttpResponse<FetchResult> response = get(current, expectedSha256, deadline);
        if (!REDIRECTS.contains(response.statusCode())) {
          return response.body();
        }
        if (redirects == limits.maxRedirects()) {
          return failed(FetchProblem.REDIRECT, "more than " + limits.maxRedirects() + " redirects");
        }
        current = redirectTarget(current, response);
      }
    } catch (FetchFailedException e) {
      return e.failure;
    }
  }

  private HttpResponse<FetchResult> get(URI uri, String expectedSha256, long deadline)
      throws FetchFailedException {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      throw timedOut();
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri).timeout(Duration.ofNanos(remaining)).GET().build();
    CompletableFuture<HttpResponse<FetchResult>> response =
        client.sendAsync(request, info -> body(info, expectedSha256));
    try {
      return response.get(remaining, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      response.cancel(true);
      throw timedOut();
    } catch (ExecutionException e) {
      throw new FetchFailedException(failure(e.getCause()));
    } catch (InterruptedException e) {
      response.cancel(true);
      Thread.currentThread().interrupt();
      throw new FetchFailedException(failed(FetchProblem.UNAVAILABLE, "interrupted"));
    }
  }

  /** The body subscriber for this status and these headers: only a 200 is read. */
  private BodySubscriber<FetchResult> body(ResponseInfo info, String expectedSha256) {
    int status = info.statusCode();
    if (status != 200) {
      return ModelBody.settled(statusFailure(status));
    }
    OptionalLong length = info.headers().firstValueAsLong("Content-Length");
    if (length.isPresent() && length.getAsLong() > limits.maxBytes()) {
      return ModelBody.settled(
          failed(
              FetchProblem.TOO_LARGE,
              "Content-Length "
                  + length.getAsLong()
                  + " passes the limit of "
                  + limits.maxBytes()
                  + " bytes"));
    }
    return new ModelBody(limits.maxBytes(), length, expectedSha256);
  }

  private static FetchResult.Failed statusFailure(int status) {
    String detail = "HTTP " + status;
    if (status == 404) {
      return failed(FetchProblem.NOT_FOUND, detail + " (not found)");
    }
    if (status == 410) {
      return failed(FetchProblem.GONE, detail + " (gone)");
    }
    if (status >= 500 || status == 408 || status == 429) {
      return failed(FetchProblem.UNAVAILABLE, detail);
    }
    if (REDIRECTS.contains(status)) {
      return failed(FetchProblem.REDIRECT, detail + " redirect");
    }
    return failed(FetchProblem.REJECTED, detail);
  }

  private static URI redirectTarget(URI from, HttpResponse<?> response)
      throws FetchFailedException {
    Optional<String> location = response.headers().firstValue("Location");
    if (location.isEmpty()) {
      throw new FetchFailedException(
          failed(FetchProblem.REDIRECT, "HTTP " + response.statusCode() + " without a Location"));
    }
    try {
      return new SourceUrl(from.resolve(location.get())).uri();
    } catch (IllegalArgumentException e) {
      throw new FetchFailedException(
          failed(FetchProblem.REDIRECT, "a redirect the operator does not follow: " + reason(e)));
    }
  }

  /** A URISyntaxException's message quotes the whole URL: keep only what SourceUrl says. */
  private static String reason(IllegalArgumentException e) {
    return e.getCause() instanceof java.net.URISyntaxException syntax
        ? "not a valid URL: " + syntax.getReason()
        : e.getMessage();
  }

  private FetchResult.Failed failure(Throwable cause) {
    if (cause instanceof HttpConnectTimeoutException) {
      return failed(FetchProblem.TIMEOUT, "no connection within " + human(limits.connectTimeout()));
    }
    if (cause instanceof HttpTimeoutException) {
      return timedOut().failure;
    }
    if (cause instanceof ConnectException) {
      return failed(FetchProblem.UNAVAILABLE, "cannot connect" + suffix(cause));
    }
    if (cause instanceof IOException) {
      return failed(
          FetchProblem.UNAVAILABLE,
          "transfer failed: " + cause.getClass().getSimpleName() + suffix(cause));
    }
    return failed(FetchProblem.UNAVAILABLE, "transfer failed: " + cause);
  }

  private FetchFailedException timedOut() {
    return new FetchFailedException(
        failed(FetchProblem.TIMEOUT, "no complete file within " + human(limits.timeout())));
  }

  private static String suffix(Throwable cause) {
    return cause.getMessage() == null ? "" : ": " + cause.getMessage();
  }

  /** PT2M becomes 2m. */
  static String human(Duration duration) {
    return duration.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  private static FetchResult.Failed failed(FetchProblem problem, String detail) {
    return new FetchResult.Failed(problem, detail);
  }

  /** Ends a fetch early with its failure. */
  private static final class FetchFailedException extends Exception {

    private final FetchResult.Failed failure;

    FetchFailedException(FetchResult.Failed failure) {
      super(failure.detail(), null, false, false);
      this.failure = failure;
    }
  }
}
