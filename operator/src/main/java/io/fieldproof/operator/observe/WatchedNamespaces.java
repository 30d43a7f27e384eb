package io.fieldproof.operator.observe;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The namespaces the operator reads, as the controllers are told (quarkus.operator-sdk.namespaces):
 * all of them, or a list. The fleet page and the gauges read exactly these, so the namespaced RBAC
 * mode, which grants nothing cluster-wide, serves them too.
 */
record WatchedNamespaces(List<String> names) {

  /** The SDK's marker for every namespace. */
  static final String ALL = "JOSDK_ALL_NAMESPACES";

  /**
   * The Quarkus extension's runtime default: the namespaces fixed at build time, which this project
   * leaves at every namespace.
   */
  static final String BUILD_TIME = "QOSDK_USE_BUILDTIME_NAMESPACES";

  /** The SDK's marker for the namespace of the client's configuration (in a pod, its own). */
  static final String CURRENT = "JOSDK_WATCH_CURRENT";

  static WatchedNamespaces of(Optional<String> configured, String current) {
    List<String> names =
        Arrays.stream(configured.orElse("").split(","))
            .map(String::trim)
            .filter(n -> !n.isEmpty())
            .map(n -> CURRENT.equals(n) ? current : n)
            .distinct()
            .toList();
    boolean all = names.contains(ALL) || names.contains(BUILD_TIME);
    return new WatchedNamespaces(all ? List.of() : names);
  }

  boolean all() {
    return names.isEmpty();
  }
}
