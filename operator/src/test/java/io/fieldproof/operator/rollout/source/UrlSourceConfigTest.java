package io.fieldproof.operator.rollout.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fieldproof.protocol.ModelManifest;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
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

  @Test
  void theAddressKeysAreCommaSeparatedListsAndUnsetByDefault() throws Exception {
    assertThat(config(Map.of()).allowedCidrs()).isEmpty();
    assertThat(config(Map.of()).caFile()).isEmpty();
    UrlSourceConfig config =
        config(
            Map.of(
                "fieldproof.url-source.allowed-cidrs", "10.20.0.0/16,127.0.0.1",
                "fieldproof.url-source.allowed-hosts", "models.fieldproof.svc",
                "fieldproof.url-source.blocked-cidrs", "203.0.113.0/24"));

    AddressPolicy policy = AddressPolicy.of(config);

    assertThat(policy.refusal("x", java.net.InetAddress.getByName("10.20.1.1"))).isEmpty();
    assertThat(policy.refusal("x", java.net.InetAddress.getByName("127.0.0.1"))).isEmpty();
    assertThat(policy.refusal("x", java.net.InetAddress.getByName("127.0.0.2"))).isPresent();
    assertThat(policy.refusal("x", java.net.InetAddress.getByName("203.0.113.9"))).isPresent();
    assertThat(policy.refusal("models.fieldproof.svc", java.net.InetAddress.getByName("10.0.0.1")))
        .isEmpty();
  }

  @Test
  void theChartsEnvironmentVariablesReachTheKeys() {
    UrlSourceConfig config =
        new SmallRyeConfigBuilder()
            .withConverter(Duration.class, 200, new DurationConverter())
            .withSources(
                new EnvConfigSource(
                    Map.of(
                        "FIELDPROOF_URL_SOURCE_ALLOWED_HOSTS", "models.ml.svc.cluster.local",
                        "FIELDPROOF_URL_SOURCE_BLOCKED_CIDRS", "10.96.0.0/12,10.244.0.0/16",
                        "FIELDPROOF_URL_SOURCE_CA_FILE", "/etc/fieldproof/mqtt-ca/ca.crt"),
                    300))
            .withMapping(UrlSourceConfig.class)
            .build()
            .getConfigMapping(UrlSourceConfig.class);

    assertThat(config.allowedHosts()).hasValue(java.util.List.of("models.ml.svc.cluster.local"));
    assertThat(config.blockedCidrs()).hasValue(java.util.List.of("10.96.0.0/12", "10.244.0.0/16"));
    assertThat(config.caFile()).hasValue("/etc/fieldproof/mqtt-ca/ca.crt");
  }

  @Test
  void aMalformedRangeNamesItsKey() {
    UrlSourceConfig config = config(Map.of("fieldproof.url-source.blocked-cidrs", "10.96.0.0/40"));

    assertThatThrownBy(() -> UrlModelSource.of(config, new SteppedClock()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "fieldproof.url-source.blocked-cidrs: 10.96.0.0/40 has a prefix length outside 0..32");
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
