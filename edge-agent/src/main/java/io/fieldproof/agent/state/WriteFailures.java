package io.fieldproof.agent.state;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the writes to the state folder that failed (a full disk, a read-only folder) and logs them
 * without flooding: the first failure of a run of failures at WARN with its cause, the rest at
 * DEBUG, and the first success after them at INFO. A failed write is never thrown at the caller:
 * the agent goes on from memory and the owner of the file writes it again later.
 */
final class WriteFailures {

  private static final Logger LOG = LoggerFactory.getLogger(WriteFailures.class);

  private final AtomicLong count = new AtomicLong();
  private boolean failing;

  synchronized void failed(Path file, String what, Exception cause) {
    count.incrementAndGet();
    if (!failing) {
      failing = true;
      LOG.warn(
          "cannot {} {} ({}); the agent goes on from memory and writes it again later",
          what,
          file,
          cause.toString());
    } else {
      LOG.debug("cannot {} {}: {}", what, file, cause.toString());
    }
  }

  synchronized void succeeded(Path folder) {
    if (failing) {
      failing = false;
      LOG.info("writes to {} work again after {} failures", folder, count.get());
    }
  }

  /** Writes that failed since the agent started. */
  long count() {
    return count.get();
  }

  synchronized boolean failing() {
    return failing;
  }
}
