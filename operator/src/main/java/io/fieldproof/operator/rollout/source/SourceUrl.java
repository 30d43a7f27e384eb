package io.fieldproof.operator.rollout.source;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A URL the operator may fetch a model from: http or https, with a host and without credentials.
 * Messages show it {@link #redacted()}: without query and fragment, which may carry a signature or
 * a token.
 */
public record SourceUrl(URI uri) {

  public SourceUrl {
    String problem = problem(uri);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** The URL of the text, or an IllegalArgumentException whose message reveals no secret. */
  public static SourceUrl parse(String text) {
    try {
      return new SourceUrl(new URI(text));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "not a valid URL: " + e.getReason() + " at index " + e.getIndex(), e);
    }
  }

  /** scheme://host[:port]/path: what messages show. */
  public String redacted() {
    return redact(uri);
  }

  static String redact(URI uri) {
    StringBuilder out = new StringBuilder();
    out.append(uri.getScheme()).append("://").append(uri.getHost());
    if (uri.getPort() != -1) {
      out.append(':').append(uri.getPort());
    }
    if (uri.getRawPath() != null) {
      out.append(uri.getRawPath());
    }
    return out.toString();
  }

  private static String problem(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return "only http and https URLs are fetched, not " + (scheme.isEmpty() ? "none" : scheme);
    }
    if (uri.getHost() == null) {
      return "the URL has no host the operator can resolve";
    }
    if (uri.getRawUserInfo() != null) {
      return redact(uri)
          + " carries credentials, which the operator does not send: serve the file without"
          + " them or use a pre-signed URL";
    }
    return null;
  }
}
