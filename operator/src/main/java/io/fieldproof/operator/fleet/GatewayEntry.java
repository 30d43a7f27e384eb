package io.fieldproof.operator.fleet;

import java.time.Instant;
import java.util.Set;

/** A gateway as its last birth or will left it. */
public record GatewayEntry(
    String namespace,
    String id,
    boolean online,
    long seq,
    Set<String> devices,
    long eventsDropped,
    Instant since) {

  public GatewayEntry {
    devices = Set.copyOf(devices);
  }
}
