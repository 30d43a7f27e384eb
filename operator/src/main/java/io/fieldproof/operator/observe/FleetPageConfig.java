package io.fieldproof.operator.observe;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Who may read the fleet page's JSON (fieldproof.fleet-page.*). */
@ConfigMapping(prefix = "fieldproof.fleet-page")
public interface FleetPageConfig {

  /** How a caller of /fleet/api/summary is checked. */
  enum Auth {
    /**
     * A bearer token, checked by a TokenReview; the summary holds the namespaces in which a
     * SubjectAccessReview lets its user list DeviceGroups.
     */
    KUBERNETES,
    /** No check: every namespace to anyone who reaches the port. For local development only. */
    NONE
  }

  @WithDefault("kubernetes")
  Auth auth();

  /** How long a token's review and each namespace's access review are remembered. */
  @WithDefault("30s")
  Duration cacheTtl();

  /** Reviews remembered at most (tokens and token-namespace pairs, each). */
  @WithDefault("1000")
  int cacheSize();
}
