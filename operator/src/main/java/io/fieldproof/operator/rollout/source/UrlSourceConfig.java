package io.fieldproof.operator.rollout.source;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How model files named by spec.model.source.url are fetched (fieldproof.url-source.*). */
@ConfigMapping(prefix = "fieldproof.url-source")
public interface UrlSourceConfig {

  /**
   * Largest model file accepted, in bytes; at most the protocol's limit (ModelManifest
   * .MAX_MODEL_BYTES, 4 MiB), which is the default.
   */
  @WithDefault("4194304")
  long maxBytes();

  /** Time to open the connection to the server. */
  @WithDefault("10s")
  Duration connectTimeout();

  /** Time limit for a whole fetch: connections, redirects and the body. */
  @WithDefault("2m")
  Duration timeout();

  /** Redirects followed before the URL is rejected. */
  @WithDefault("3")
  int maxRedirects();

  /** How long a failed fetch is remembered before the URL is fetched again. */
  @WithDefault("30s")
  Duration failureBackoff();

  /** The backoff doubles per consecutive failure of a URL, up to this. */
  @WithDefault("5m")
  Duration failureBackoffMax();

  /** Total bytes of verified model files kept in memory, least recently used dropped first. */
  @WithDefault("33554432")
  long cacheBytes();

  /**
   * Address ranges (CIDR, or single addresses) a model may be fetched from although they are
   * loopback, link-local, private, carrier-grade NAT or in blocked-cidrs. None by default.
   */
  Optional<List<String>> allowedCidrs();

  /**
   * Host names a model may be fetched from whatever they resolve to (exact names,
   * case-insensitive), such as an in-cluster model server. None by default.
   */
  Optional<List<String>> allowedHosts();

  /**
   * Address ranges refused in addition to the built-in ones: the cluster's Service and pod ranges
   * when they are not private addresses already. None by default.
   */
  Optional<List<String>> blockedCidrs();

  /**
   * A PEM bundle of CA certificates trusted for https model URLs in addition to the JVM's default
   * CAs. Unset by default.
   */
  Optional<String> caFile();
}
