package io.fieldproof.operator.rollout.source;

/**
 * The ways a fetch fails, each with the condition reason it is reported under and whether it is
 * transient (the rollout waits and the URL is fetched again after a backoff) or not (the rollout
 * fails until its spec or the served file changes).
 */
public enum FetchProblem {
  /** HTTP 404: the file may still be uploaded, as a ConfigMap may still be applied. */
  NOT_FOUND("SourceNotFound", true),
  /** HTTP 410: the server says the file is gone for good. */
  GONE("SourceGone", false),
  /** Any other answer that is neither the file nor a transient error: 401, 403, 400, 204... */
  REJECTED("SourceRejected", false),
  /** HTTP 5xx, 408 or 429, a refused or broken connection. */
  UNAVAILABLE("SourceUnavailable", true),
  /** No connection within the connect timeout, or no whole file within the time limit. */
  TIMEOUT("SourceTimeout", true),
  /** More bytes than the limit, announced by Content-Length or found while reading. */
  TOO_LARGE("ModelTooLarge", false),
  /** The file's sha256 is not the expected one; the detail is the file's sha256. */
  SHA256_MISMATCH("Sha256Mismatch", false),
  /** Too many redirects, or a redirect without a location or to something other than http(s). */
  REDIRECT("RedirectRejected", false),
  /**
   * The URL's host, or a redirect's, resolves to an address the operator does not connect to
   * (loopback, link-local, private, cluster ranges...): permanent until the URL or the allow-list
   * changes. Nothing was sent to that address.
   */
  ADDRESS_REFUSED("SourceAddressRefused", false),
  /** The host name does not resolve: DNS may still learn it. */
  UNRESOLVED("SourceUnresolved", true),
  /** The TLS handshake failed: an untrusted or wrong certificate, or no common protocol. */
  TLS_FAILED("SourceTlsFailed", false);

  private final String reason;
  private final boolean transientProblem;

  FetchProblem(String reason, boolean transientProblem) {
    this.reason = reason;
    this.transientProblem = transientProblem;
  }

  /** The condition reason. */
  public String reason() {
    return reason;
  }

  /** Whether the same fetch may succeed later without anything changing on the user's side. */
  public boolean isTransient() {
    return transientProblem;
  }
}
