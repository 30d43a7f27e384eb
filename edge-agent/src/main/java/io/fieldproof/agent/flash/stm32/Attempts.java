package io.fieldproof.agent.flash.stm32;

import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.agent.flash.FlashFailure;
import java.lang.System.Logger.Level;
import java.util.Set;

/**
 * Runs one bootloader command until it succeeds or its tries are used up. A NACK, a timeout or a
 * garbled answer means a frame was damaged on the line: the bootloader is brought back in step and
 * the command sent again, which is safe because every command the flasher sends is idempotent (a
 * second erase or an identical NOR write changes nothing). Other failures end it at once.
 */
final class Attempts {

  private static final System.Logger LOG = System.getLogger(Attempts.class.getName());
  private static final Set<FlashFailure> RETRIED =
      Set.of(FlashFailure.REFUSED, FlashFailure.TIMEOUT, FlashFailure.GARBLED);

  /** One try of a command. */
  @FunctionalInterface
  interface Command<T> {
    T run() throws FlashException;
  }

  private final int tries;
  private final LineResync resync;
  private long retries;

  Attempts(int tries, LineResync resync) {
    this.tries = tries;
    this.resync = resync;
  }

  <T> T run(String what, Command<T> command) throws FlashException {
    FlashException last = null;
    for (int attempt = 1; attempt <= tries; attempt++) {
      if (last != null) {
        retries++;
        resync.run();
      }
      try {
        return command.run();
      } catch (FlashException e) {
        if (!RETRIED.contains(e.failure())) {
          throw e;
        }
        LOG.log(Level.DEBUG, "{0}, try {1} of {2}: {3}", what, attempt, tries, e.getMessage());
        last = e;
      }
    }
    throw new FlashException(
        last.failure(), what + " failed " + tries + " times, last: " + last.getMessage(), last);
  }

  /** Commands sent again so far. */
  long retries() {
    return retries;
  }
}
