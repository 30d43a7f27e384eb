package io.fieldproof.agent.flash;

/** Told how far a write has come. */
@FunctionalInterface
public interface FlashProgress {

  /** Ignores progress. */
  FlashProgress NONE = (done, total) -> {};

  /** {@code done} of {@code total} bytes are written. */
  void progress(long done, long total);
}
