package io.fieldproof.operator.rollout.source;

import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;

/**
 * Fetches one model file over HTTP(S), within {@link FetchLimits}: before each connection the host
 * is resolved once and every address is checked against the {@link AddressPolicy}; the connection
 * goes to a checked address itself ({@link PinnedConnection}), so a DNS answer that changes between
 * the check and the connection cannot steer it elsewhere. Redirects are followed by hand, each hop
 * checked and counted; the body is streamed through {@link ModelBody} (bounded, digested); one
 * deadline covers the whole fetch. No proxy is used.
 */
public final class HttpModelFetcher {

  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private final FetchLimits limits;
  private final AddressPolicy policy;
  private final HostResolver resolver;
  private final SSLSocketFactory tls;

  HttpModelFetcher(
      FetchLimits limits, AddressPolicy policy, HostResolver resolver, SSLSocketFactory tls) {
    this.limits = limits;
    this.policy = policy;
    this.resolver = resolver;
    this.tls = tls;
  }

  /** The file at the URL if its sha256 is the expected one (lower-case hex), or why not. */
  public FetchResult fetch(SourceUrl url, String expectedSha256) {
    Deadline deadline = Deadline.in(limits.timeout());
    URI current = url.uri();
    try {
      for (int redirects = 0; ; redirects++) {
        List<InetAddress> addresses = checkedAddresses(current, redirects > 0);
        try (PinnedConnection connection =
            PinnedConnection.open(current, addresses, tls, limits.connectTimeout(), deadline)) {
          int status = connection.status();
          if (status == 200) {
            return body(connection, expectedSha256);
          }
          if (!REDIRECTS.contains(status)) {
            return statusFailure(status);
          }
          if (redirects == limits.maxRedirects()) {
            return failed(
                FetchProblem.REDIRECT, "more than " + limits.maxRedirects() + " redirects");
          }
          current = redirectTarget(current, status, connection.header("Location"));
        } catch (IOException e) {
          throw new FetchFailedException(failure(e, deadline));
        }
      }
    } catch (FetchFailedException e) {
      return e.failure;
    }
  }

  /**
   * The host's addresses, each allowed by the policy, or the refusal naming the first that is not.
   */
  private List<InetAddress> checkedAddresses(URI uri, boolean redirected)
      throws FetchFailedException {
    String host = AddressPolicy.normalHost(uri.getHost());
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      addresses = List.of();
    }
    String hop = redirected ? "redirects to " + SourceUrl.redact(uri) + ", which " : "";
    if (addresses.isEmpty()) {
      throw new FetchFailedException(
          failed(
              FetchProblem.UNRESOLVED,
              (redirected ? "redirects to " + SourceUrl.redact(uri) + ", whose " : "")
                  + "host "
                  + host
                  + " does not resolve"));
    }
    for (InetAddress address : addresses) {
      Optional<String> refusal = policy.refusal(host, address);
      if (refusal.isPresent()) {
        throw new FetchFailedException(
            failed(
                FetchProblem.ADDRESS_REFUSED,
                hop
                    + "resolves to "
                    + refusal.get()
                    + "; allow it with "
                    + AddressPolicy.ALLOWED_CIDRS
                    + " or "
                    + AddressPolicy.ALLOWED_HOSTS));
      }
    }
    return addresses;
  }

  private FetchResult body(PinnedConnection connection, String expectedSha256) throws IOException {
    OptionalLong length = connection.contentLength();
    if (length.isPresent() && length.getAsLong() > limits.maxBytes()) {
      return failed(
          FetchProblem.TOO_LARGE,
          "Content-Length "
              + length.getAsLong()
              + " passes the limit of "
              + limits.maxBytes()
              + " bytes");
    }
    return ModelBody.read(connection.body(), limits.maxBytes(), length, expectedSha256);
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
    return failed(FetchProblem.REJECTED, detail);
  }

  private static URI redirectTarget(URI from, int status, Optional<String> location)
      throws FetchFailedException {
    if (location.isEmpty()) {
      throw new FetchFailedException(
          failed(FetchProblem.REDIRECT, "HTTP " + status + " without a Location"));
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

  private FetchResult.Failed failure(IOException cause, Deadline deadline) {
    if (cause instanceof PinnedConnection.ConnectFailed connect) {
      if (!connect.timedOut()) {
        return failed(FetchProblem.UNAVAILABLE, "cannot connect" + suffix(cause));
      }
      return deadline.passed()
          ? timedOut()
          : failed(FetchProblem.TIMEOUT, "no connection within " + human(limits.connectTimeout()));
    }
    if (cause instanceof SocketTimeoutException) {
      return timedOut();
    }
    if (cause instanceof SSLHandshakeException) {
      return failed(
          FetchProblem.TLS_FAILED,
          "TLS handshake failed"
              + suffix(cause)
              + "; a server whose certificate a private CA signed needs "
              + SourceTls.CA_FILE);
    }
    if (cause instanceof SSLException && cause.getCause() instanceof SocketTimeoutException) {
      return timedOut();
    }
    return failed(
        FetchProblem.UNAVAILABLE,
        "transfer failed: " + cause.getClass().getSimpleName() + suffix(cause));
  }

  private FetchResult.Failed timedOut() {
    return failed(FetchProblem.TIMEOUT, "no complete file within " + human(limits.timeout()));
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
