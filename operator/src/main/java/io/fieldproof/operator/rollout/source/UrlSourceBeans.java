package io.fieldproof.operator.rollout.source;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Makes the application's one url source, with the fieldproof.url-source.* settings, so that every
 * validator shares its cache and its backoff. Unremovable: until the reconciler injects it, the
 * validator looks it up ({@link UrlModelSource#fromApplication()}), which Quarkus cannot see.
 */
@Singleton
public class UrlSourceBeans {

  @Produces
  @Singleton
  @Unremovable
  UrlModelSource urlModelSource(UrlSourceConfig config, Clock clock) {
    return UrlModelSource.of(config, clock);
  }
}
