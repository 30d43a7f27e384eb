package io.fieldproof.operator.fleet;

import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The bounds the fleet index holds what the fleet tells it to, so a broken or hostile gateway
 * cannot grow the operator's heap: a birth may announce at most {@code maxDevicesPerGateway}
 * devices; a namespace holds at most {@code maxDevicesPerNamespace} devices and {@code
 * maxGatewaysPerNamespace} gateways; at most {@code maxNamespaces} namespaces are known. A device
 * counter may grow by at most {@code maxCountsPerSecond} per second of the device's uptime.
 *
 * <p>Read from {@code fieldproof.fleet.*} ({@code max-devices-per-gateway}, {@code
 * max-devices-per-namespace}, {@code max-gateways-per-namespace}, {@code max-namespaces}, {@code
 * max-counts-per-second}).
 */
public record FleetLimits(
    int maxDevicesPerGateway,
    int maxDevicesPerNamespace,
    int maxGatewaysPerNamespace,
    int maxNamespaces,
    long maxCountsPerSecond) {

  public static final FleetLimits DEFAULTS = new FleetLimits(4096, 65_536, 4096, 256, 10_000);

  public FleetLimits {
    if (maxDevicesPerGateway < 1
        || maxDevicesPerNamespace < 1
        || maxGatewaysPerNamespace < 1
        || maxNamespaces < 1
        || maxCountsPerSecond < 1) {
      throw new IllegalArgumentException("fleet limits must be positive");
    }
  }

  /** The limits configured under {@code fieldproof.fleet.*}, the defaults for what is not set. */
  public static FleetLimits fromConfig() {
    Config config;
    try {
      config = ConfigProvider.getConfig();
    } catch (IllegalStateException e) {
      return DEFAULTS;
    }
    return new FleetLimits(
        value(config, "max-devices-per-gateway", Integer.class)
            .orElse(DEFAULTS.maxDevicesPerGateway()),
        value(config, "max-devices-per-namespace", Integer.class)
            .orElse(DEFAULTS.maxDevicesPerNamespace()),
        value(config, "max-gateways-per-namespace", Integer.class)
            .orElse(DEFAULTS.maxGatewaysPerNamespace()),
        value(config, "max-namespaces", Integer.class).orElse(DEFAULTS.maxNamespaces()),
        value(config, "max-counts-per-second", Long.class).orElse(DEFAULTS.maxCountsPerSecond()));
  }

  private static <T> Optional<T> value(Config config, String name, Class<T> type) {
    return config.getOptionalValue("fieldproof.fleet." + name, type);
  }
}
