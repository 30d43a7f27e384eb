package io.fieldproof.operator.rollout.source;

/** What fetching a model file gave: its bytes, verified against the expected sha256, or why not. */
public sealed interface FetchResult {

  /** The model file, whose sha256 is the one expected. */
  record Fetched(byte[] bytes) implements FetchResult {}

  /** Why there are no bytes; the detail is shown to users and names no secret. */
  record Failed(FetchProblem problem, String detail) implements FetchResult {}
}
