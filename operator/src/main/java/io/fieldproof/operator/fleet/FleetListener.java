package io.fieldproof.operator.fleet;

import java.util.Set;

/** Told which devices of a namespace changed in the fleet index. */
@FunctionalInterface
public interface FleetListener {
  void changed(String namespace, Set<String> devices);
}
