package io.fieldproof.agent.update;

import io.fieldproof.device.protocol.Hello;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one device's model update end to end: download, validate (sha256, int8 inspection, fit, the
 * golden vectors on the gateway's interpreter), then write, verify, self-test, activate on trial,
 * watch and confirm, by the in-app path when the firmware speaks runtime v2 and by the bootloader
 * otherwise or when the in-app path keeps failing. A model the device's other slot still holds (a
 * rollback) is switched back to without a download when its bytes check ({@link SlotSwitch}).
 * Transient failures are retried with exponential backoff within a deadline; permanent ones end the
 * update at once. Every phase goes to the listener. Stateless between updates; one update per
 * device at a time is the caller's rule.
 */
public final class ModelUpdater {

  /**
   * Retry and timing policy.
   *
   * @param attempts write attempts at most (the in-app path gets half of them when a bootloader is
   *     there to fall back to)
   * @param firstBackoff wait after the first transient failure, doubled after each further one
   * @param deadline the whole update must end within this
   * @param downloadTimeout how long one download may take
   * @param poll how often the device is looked at during a trial
   */
  public record Settings(
      int attempts,
      Duration firstBackoff,
      Duration deadline,
      Duration downloadTimeout,
      Duration poll) {

    public static Settings defaults() {
      return new Settings(
          4,
          Duration.ofSeconds(1),
          Duration.ofMinutes(15),
          Duration.ofMinutes(5),
          Duration.ofSeconds(1));
    }
  }

  private final ModelSource source;
  private final BootloaderConnector bootloaders;
  private final Settings settings;

  public ModelUpdater(ModelSource source, BootloaderConnector bootloaders, Settings settings) {
    this.source = source;
    this.bootloaders = bootloaders;
    this.settings = settings;
  }

  public UpdateResult update(UpdateTarget target, UpdateRequest request, UpdateListener listener) {
    long deadline = System.nanoTime() + settings.deadline().toNanos();
    SlotSwitch slotSwitch = new SlotSwitch(target, bootloaders, listener, settings.poll());
    Hello before = hello(target);
    try {
      if (slotSwitch.run(request, before)) {
        return confirmed(listener, request, 1, slotSwitch.path(before));
      }
    } catch (UpdateException e) {
      if (!e.reason().isTransient()) {
        return ended(listener, e, 1, slotSwitch.path(before));
      }
      listener.phase(
          UpdatePhase.Downloading, "switching slots failed (" + e.describe() + "): downloading");
    }
    byte[] model;
    try {
      listener.phase(UpdatePhase.Downloading, request.model().sha256());
      model = retrying(deadline, () -> source.fetch(request.model(), settings.downloadTimeout()));
      listener.phase(UpdatePhase.Validating, model.length + " bytes");
      ModelValidation.check(request.model(), model, target.capabilities());
      HostSelfTest.run(model, request.selfTest());
    } catch (UpdateException e) {
      return ended(listener, e, 0, null);
    }
    Hello hello = hello(target);
    boolean inApp = hello != null && hello.supportsSlotCommands();
    if (!inApp && target.bootloaderUri() == null) {
      return ended(
          listener,
          new UpdateException(
              UpdateReason.NoUpdatePath,
              "the firmware has no slot commands and the agent has no bootloader line for it"),
          0,
          null);
    }
    return write(target, request, model, inApp, deadline, listener);
  }

  /** Writes {@code model} by the in-app path or the bootloader, retrying transient failures. */
  private UpdateResult write(
      UpdateTarget target,
      UpdateRequest request,
      byte[] model,
      boolean inApp,
      long deadline,
      UpdateListener listener) {
    int inAppAttempts =
        !inApp ? 0 : target.bootloaderUri() == null ? settings.attempts() : settings.attempts() / 2;
    Duration backoff = settings.firstBackoff();
    UpdateException last = null;
    for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
      boolean thisInApp = attempt <= inAppAttempts;
      String path = thisInApp ? "in-app" : "bootloader";
      try {
        if (thisInApp) {
          new InAppUpdate(target.link(), listener, settings.poll()).run(request, model);
        } else {
          new BootloaderUpdate(
                  bootloaders,
                  target.bootloaderUri(),
                  target.chip(),
                  target.link(),
                  listener,
                  settings.poll())
              .run(request, model);
        }
        return confirmed(listener, request, attempt, path);
      } catch (UpdateException e) {
        last = e;
        if (!e.reason().isTransient()
            || attempt == settings.attempts()
            || System.nanoTime() + backoff.toNanos() > deadline
            || Thread.currentThread().isInterrupted()) {
          return ended(listener, e, attempt, path);
        }
        listener.phase(
            UpdatePhase.Writing, "attempt " + attempt + " by " + path + " failed: " + e.describe());
        LockSupport.parkNanos(backoff.toNanos());
        backoff = backoff.multipliedBy(2);
      }
    }
    return ended(
        listener,
        last,
        settings.attempts(),
        inAppAttempts >= settings.attempts() ? "in-app" : "bootloader");
  }

  /**
   * What the firmware answers to HELLO; a few tries, as a noisy line loses frames. Null if none.
   */
  private static Hello hello(UpdateTarget target) {
    if (target.link() == null) {
      return null;
    }
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return target.link().hello();
      } catch (IOException e) {
        // lost or damaged: ask again
      }
    }
    return null;
  }

  private interface Download {
    byte[] get() throws UpdateException;
  }

  private byte[] retrying(long deadline, Download download) throws UpdateException {
    Duration backoff = settings.firstBackoff();
    for (int attempt = 1; ; attempt++) {
      try {
        return download.get();
      } catch (UpdateException e) {
        if (!e.reason().isTransient()
            || attempt >= settings.attempts()
            || System.nanoTime() + backoff.toNanos() > deadline) {
          throw e;
        }
        LockSupport.parkNanos(backoff.toNanos());
        backoff = backoff.multipliedBy(2);
      }
    }
  }

  private static UpdateResult confirmed(
      UpdateListener listener, UpdateRequest request, int attempts, String path) {
    listener.phase(UpdatePhase.Confirmed, request.model().name() + " " + request.model().version());
    return new UpdateResult(UpdatePhase.Confirmed, null, "confirmed by " + path, attempts, path);
  }

  private static UpdateResult ended(
      UpdateListener listener, UpdateException e, int attempts, String path) {
    UpdatePhase phase =
        e.reason() == UpdateReason.SelfTestMismatch && attempts > 0
                || e.reason() == UpdateReason.TrialFailed
            ? UpdatePhase.Reverted
            : UpdatePhase.Failed;
    listener.phase(phase, e.describe());
    return new UpdateResult(phase, e.reason(), e.getMessage(), attempts, path);
  }
}
