package io.fieldproof.device.emulator;

import java.lang.System.Logger.Level;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives the telemetry of any number of emulators from a small shared pool of daemon threads: each
 * scheduled emulator {@link DeviceEmulator#tick() ticks} every {@link
 * DeviceEmulator#telemetryIntervalMs()} milliseconds. Owns the pool.
 */
public final class TelemetryScheduler implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(TelemetryScheduler.class.getName());

  private final ScheduledExecutorService executor;

  /**
   * @param threads pool size; one is enough for thousands of emulators at 1 s intervals
   */
  public TelemetryScheduler(int threads) {
    this.executor = Executors.newScheduledThreadPool(threads, new DaemonThreads());
  }

  /** Starts ticking {@code emulator}; closing the result stops it. */
  public AutoCloseable schedule(DeviceEmulator emulator) {
    long interval = emulator.telemetryIntervalMs();
    ScheduledFuture<?> task =
        executor.scheduleAtFixedRate(
            () -> tick(emulator), interval, interval, TimeUnit.MILLISECONDS);
    return () -> task.cancel(false);
  }

  /**
   * Runs {@code task} every {@code periodMs} milliseconds from now; closing the result stops it.
   */
  public AutoCloseable repeat(Runnable task, long periodMs) {
    ScheduledFuture<?> scheduled =
        executor.scheduleAtFixedRate(
            () -> {
              try {
                task.run();
              } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "scheduled " + task + " failed", e);
              }
            },
            0,
            periodMs,
            TimeUnit.MILLISECONDS);
    return () -> scheduled.cancel(false);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  private static void tick(DeviceEmulator emulator) {
    try {
      emulator.tick();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "telemetry of " + emulator + " failed", e);
    }
  }

  private static final class DaemonThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "emulator-telemetry-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
