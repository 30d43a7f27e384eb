package io.fieldproof.operator.rollout.source;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Makes the application's one url source, with the fieldproof.url-source.* settings, so that every
 * validator shares its cache and its backoff.
 */
@Singleton
public class UrlSourceBeans {

  @Produces
  @Singleton
  UrlModelSource urlModelSource(UrlSourceConfig config, Clock clock) {
    return UrlModelSource.of(config, clock);
  }
}
