package io.fieldproof.agent.update;

/** Told of every phase an update enters, and of its progress while writing. */
public interface UpdateListener {

  /** The update entered {@code phase}; {@code detail} says what happened, may be null. */
  void phase(UpdatePhase phase, String detail);

  /** {@code done} of {@code total} bytes are written. */
  default void progress(long done, long total) {}
}
