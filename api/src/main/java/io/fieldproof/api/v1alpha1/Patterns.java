package io.fieldproof.api.v1alpha1;

/** Patterns shared by the schema of both kinds, so that one rule reads the same everywhere. */
public final class Patterns {

  /** A Go-style duration without sign: 30s, 10m, 1h30m. Negative or empty values never match. */
  public static final String DURATION = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";

  /** An identifier of an input, a rule or a model: lower case, digits, '_' and '-'. */
  public static final String IDENTIFIER = "^[a-z][a-z0-9_-]{0,62}$";

  /** The name of a Kubernetes object in the same namespace (RFC 1123 subdomain). */
  public static final String OBJECT_NAME =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A semantic version: 1.4.0, 2.0.0-rc.1. */
  public static final String SEMVER =
      "^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$";

  /** A lower-case hex sha256 digest. */
  public static final String SHA256 = "^[a-f0-9]{64}$";

  /**
   * The object key of a captured window: namespace, group, model sha256 (or none), trigger, device,
   * trigger time and the first 12 hex digits of the window's sha256. The protocol module's
   * CaptureKey builds and parses the same grammar.
   */
  public static final String CAPTURE_KEY =
      "^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?"
          + "/([0-9a-f]{64}|none)/(alarm|fallback|sensorFault|drift|sample)"
          + "/(esp32-[0-9a-f]{12}|stm32-[0-9a-f]{24})/[0-9]{1,19}-[0-9a-f]{12}\\.json$";

  /** A label key as Kubernetes defines it: an optional DNS prefix and a name. */
  public static final String LABEL_KEY =
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";

  /** A CEL rule for int-or-string fields that hold a count or a percent of 0-100. */
  public static final String COUNT_OR_PERCENT_RULE =
      "type(self) == int ? self >= 0 : self.matches('^(100|[1-9]?[0-9])%$')";

  public static final String COUNT_OR_PERCENT_MESSAGE =
      "must be a non-negative integer or a percent from 0% to 100%";

  private Patterns() {}
}
