package io.fieldproof.operator.observe;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fieldproof.protocol.Sha256;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Who reads the fleet page, as the API server says: a bearer token is checked by a TokenReview, and
 * its user may see a namespace when a SubjectAccessReview lets it list DeviceGroups there. Both
 * answers are remembered for fieldproof.fleet-page.cache-ttl, keyed by the token's SHA-256 (the
 * token itself is not kept), so a page polling every few seconds costs the API server one review
 * per token and namespace per period.
 */
@Singleton
public class FleetAccess {

  private static final Logger LOG = Logger.getLogger(FleetAccess.class);

  /** What the summary shows is what this permission would show through the API. */
  static final String GROUP = "fieldproof.io";

  static final String RESOURCE = "devicegroups";
  static final String VERB = "list";

  /** Longer than any token the API server issues; anything longer is refused unread. */
  private static final int MAX_TOKEN_LENGTH = 16 * 1024;

  /** A caller the API server authenticated. */
  public record Caller(
      String tokenKey,
      String username,
      String uid,
      List<String> groups,
      Map<String, List<String>> extra) {}

  /** The API server could not be asked; the caller is neither let in nor turned away. */
  public static final class ReviewFailed extends RuntimeException {
    ReviewFailed(String what, Throwable cause) {
      super(what + " failed: " + cause.getMessage(), cause);
    }
  }

  private final KubernetesClient client;
  private final ExpiringCache<String, Optional<Caller>> tokens;
  private final ExpiringCache<String, Boolean> namespaces;

  @Inject
  public FleetAccess(KubernetesClient client, FleetPageConfig config) {
    this(client, config, Clock.systemUTC());
  }

  FleetAccess(KubernetesClient client, FleetPageConfig config, Clock clock) {
    this.client = client;
    this.tokens = new ExpiringCache<>(config.cacheTtl(), config.cacheSize(), clock);
    this.namespaces = new ExpiringCache<>(config.cacheTtl(), config.cacheSize(), clock);
  }

  /**
   * The caller an {@code Authorization} header names, or empty when there is no bearer token or the
   * API server does not accept it.
   *
   * @throws ReviewFailed when the TokenReview could not be made
   */
  public Optional<Caller> authenticate(String authorization) {
    Optional<String> token = bearerToken(authorization);
    if (token.isEmpty()) {
      return Optional.empty();
    }
    String key = Sha256.hex(token.get().getBytes(StandardCharsets.UTF_8));
    return tokens.get(key, k -> review(k, token.get()));
  }

  /**
   * Whether the caller may list DeviceGroups in {@code namespace}.
   *
   * @throws ReviewFailed when the SubjectAccessReview could not be made
   */
  public boolean mayRead(Caller caller, String namespace) {
    return namespaces.get(
        caller.tokenKey() + "/" + namespace, k -> accessReview(caller, namespace));
  }

  static Optional<String> bearerToken(String authorization) {
    if (authorization == null || authorization.length() > MAX_TOKEN_LENGTH + 7) {
      return Optional.empty();
    }
    String[] parts = authorization.trim().split("\\s+", 2);
    if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer") || parts[1].isBlank()) {
      return Optional.empty();
    }
    return Optional.of(parts[1].trim());
  }

  private Optional<Caller> review(String key, String token) {
    TokenReview review;
    try {
      review =
          client
              .authentication()
              .v1()
              .tokenReviews()
              .create(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build());
    } catch (KubernetesClientException e) {
      throw new ReviewFailed("TokenReview", e);
    }
    var status = review.getStatus();
    if (status == null || !Boolean.TRUE.equals(status.getAuthenticated())) {
      LOG.debugf(
          "fleet page: token refused (%s)", status == null ? "no status" : status.getError());
      return Optional.empty();
    }
    UserInfo user = status.getUser();
    return Optional.of(
        new Caller(
            key,
            user.getUsername(),
            user.getUid(),
            user.getGroups() == null ? List.of() : List.copyOf(user.getGroups()),
            user.getExtra() == null ? Map.of() : Map.copyOf(user.getExtra())));
  }

  private boolean accessReview(Caller caller, String namespace) {
    SubjectAccessReview review;
    try {
      review =
          client
              .authorization()
              .v1()
              .subjectAccessReview()
              .create(
                  new SubjectAccessReviewBuilder()
                      .withNewSpec()
                      .withUser(caller.username())
                      .withUid(caller.uid())
                      .withGroups(caller.groups())
                      .withExtra(caller.extra())
                      .withNewResourceAttributes()
                      .withNamespace(namespace)
                      .withVerb(VERB)
                      .withGroup(GROUP)
                      .withResource(RESOURCE)
                      .endResourceAttributes()
                      .endSpec()
                      .build());
    } catch (KubernetesClientException e) {
      throw new ReviewFailed("SubjectAccessReview", e);
    }
    return review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAllowed());
  }
}
