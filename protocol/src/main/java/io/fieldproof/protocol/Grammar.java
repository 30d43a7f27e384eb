package io.fieldproof.protocol;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The contract's grammar for what a gateway names: device ids (hardware identities prefixed by chip
 * family) and labels (Kubernetes label keys and values, since DeviceGroups select by them).
 */
public final class Grammar {

  /** {@code esp32-} and the 12 hex digits of the base MAC, or {@code stm32-} and 24 of the UID. */
  public static final Pattern DEVICE_ID = Pattern.compile("esp32-[0-9a-f]{12}|stm32-[0-9a-f]{24}");

  /** Labels under this prefix are set by the operator, never taken from a gateway's payload. */
  public static final String RESERVED_PREFIX = "fieldproof.io/";

  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private Grammar() {}

  public static boolean deviceId(String id) {
    return id != null && DEVICE_ID.matcher(id).matches();
  }

  /** Why the label is not a Kubernetes label, or empty when it is one. */
  public static Optional<String> labelProblem(String key, String value) {
    if (key == null || !labelKey(key)) {
      return Optional.of("label key '" + key + "' is not a Kubernetes label key");
    }
    if (value == null
        || value.length() > 63
        || (!value.isEmpty() && !NAME.matcher(value).matches())) {
      return Optional.of("label " + key + " has a value that is not a Kubernetes label value");
    }
    return Optional.empty();
  }

  public static boolean reserved(String key) {
    return key.startsWith(RESERVED_PREFIX);
  }

  private static boolean labelKey(String key) {
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        return false;
      }
    }
    return name.length() <= 63 && NAME.matcher(name).matches();
  }
}
