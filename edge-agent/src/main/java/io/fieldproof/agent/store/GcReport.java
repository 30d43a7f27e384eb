package io.fieldproof.agent.store;

import java.util.List;

/**
 * What a garbage collection deleted: the sha256 of every complete or partial model removed, the
 * bytes freed, and the bytes the store still holds.
 */
public record GcReport(List<String> deleted, long freedBytes, long usedBytes) {

  public GcReport {
    deleted = List.copyOf(deleted);
  }
}
