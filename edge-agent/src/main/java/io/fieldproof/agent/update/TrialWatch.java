package io.fieldproof.agent.update;

import io.fieldproof.agent.link.DeviceLink;
import io.fieldproof.device.protocol.Hello;
import io.fieldproof.device.protocol.ModelRef;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches a device while a new model runs on trial: it must keep answering, keep the new model
 * active and not reset (a reset during the trial makes the boot rules go back to the previous
 * model). A few missed answers in a row are tolerated, as a noisy line loses some.
 */
final class TrialWatch {

  private static final int MISSES_ALLOWED = 3;

  private TrialWatch() {}

  static void watch(DeviceLink link, String sha256, Duration trial, Duration poll)
      throws UpdateException {
    long deadline = System.nanoTime() + trial.toNanos();
    long resetsAtStart = resets(link);
    int misses = 0;
    do {
      LockSupport.parkNanos(Math.min(poll.toNanos(), Math.max(0, deadline - System.nanoTime())));
      try {
        Hello hello = link.hello();
        ModelRef active = hello.slots().activeModel();
        if (active == null || !sha256.equals(active.sha256())) {
          throw new UpdateException(
              UpdateReason.TrialFailed,
              "the device went back to "
                  + (active == null ? "no model" : active.name() + " " + active.version())
                  + " during the trial");
        }
        long resets = resets(link);
        if (resetsAtStart >= 0 && resets > resetsAtStart) {
          throw new UpdateException(UpdateReason.TrialFailed, "the device reset during the trial");
        }
        misses = 0;
      } catch (IOException e) {
        if (++misses > MISSES_ALLOWED) {
          throw new UpdateException(
              UpdateReason.TrialFailed, "the device stopped answering during the trial", e);
        }
      }
    } while (System.nanoTime() < deadline);
  }

  private static long resets(DeviceLink link) {
    try {
      return link.stats().counter("resets");
    } catch (IOException e) {
      return -1;
    }
  }
}
