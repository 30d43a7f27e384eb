package io.fieldproof.operator.rollout.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fieldproof.protocol.ModelManifest;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fieldproof.url-source.* keys, their defaults, and the bounds the limits hold to. */
class UrlSourceConfigTest {

  @Test
  void theDefaultsAreTheProtocolsLimitAndShortTimes() {
    UrlSourceConfig config = config(Map.of());

    assertThat(config.maxBytes()).isEqualTo(ModelManifest.MAX_MODEL_BYTES);
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.timeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.maxRedirects()).isEqualTo(3);
    assertThat(config.failureBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.failureBackoffMax()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.cacheBytes()).isEqualTo(32L * 1024 * 1024);
    assertThat(UrlModelSource.of(config, new SteppedClock())).isNotNull();
  }

  @Test
  void keysOverrideTheDefaults() {
    UrlSourceConfig config =
        config(
            Map.of(
                "fieldproof.url-source.timeout", "30s", "fieldproof.url-source.max-bytes", "1024"));

    assertThat(FetchLimits.of(config).timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(FetchLimits.of(config).maxBytes()).isEqualTo(1024);
  }

  @Test
  void aLimitAboveTheProtocolsIsRefused() {
    UrlSourceConfig config =
        config(
            Map.of(
                "fieldproof.url-source.max-bytes",
                String.valueOf(ModelManifest.MAX_MODEL_BYTES + 1)));

    assertThatThrownBy(() -> FetchLimits.of(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("fieldproof.url-source.max-bytes must be between 1 and");
  }

  private static UrlSourceConfig config(Map<String, String> properties) {
    return new SmallRyeConfigBuilder()
        .withConverter(Duration.class, 200, new DurationConverter())
        .withSources(new PropertiesConfigSource(properties, "test", 100))
        .withMapping(UrlSourceConfig.class)
        .build()
        .getConfigMapping(UrlSourceConfig.class);
  }
}
