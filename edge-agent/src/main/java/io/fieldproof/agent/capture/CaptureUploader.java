package io.fieldproof.agent.capture;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that uploads the spool's windows to the store, oldest first, one at a time. A window
 * leaves the spool only once the store acknowledged it; while the store cannot be reached (or
 * refuses the credentials) the uploader waits, doubling the wait from {@code initialDelay} up to
 * {@code maxDelay}, and tries the same window again. Its key was fixed when it was spooled, so an
 * upload repeated after a crash between the PUT and the deletion writes the same object again.
 */
final class CaptureUploader implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CaptureUploader.class);
  private static final Duration IDLE_WAIT = Duration.ofSeconds(30);

  private final CaptureSpool spool;
  private final CaptureStoreClient store;
  private final Duration initialDelay;
  private final Duration maxDelay;
  private final Thread thread;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition stop = lock.newCondition();
  private final AtomicLong uploaded = new AtomicLong();
  private final AtomicLong failedAttempts = new AtomicLong();
  private volatile boolean running = true;
  private boolean failing;

  CaptureUploader(
      CaptureSpool spool,
      CaptureStoreClient store,
      Duration initialDelay,
      Duration maxDelay,
      String name) {
    this.spool = spool;
    this.store = store;
    this.initialDelay = initialDelay;
    this.maxDelay = maxDelay;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Windows the store acknowledged since the start. */
  long uploaded() {
    return uploaded.get();
  }

  /** Uploads that failed and were (or will be) tried again, since the start. */
  long failedAttempts() {
    return failedAttempts.get();
  }

  private void run() {
    Duration delay = initialDelay;
    while (running) {
      try {
        Optional<CaptureSpool.Spooled> next = spool.next(IDLE_WAIT);
        if (next.isEmpty()) {
          continue;
        }
        if (upload(next.get())) {
          delay = initialDelay;
        } else {
          pause(delay);
          delay = delay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : delay.multipliedBy(2);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("capture uploader: unexpected failure, going on", e);
      }
    }
  }

  /** Uploads one window; false when it should be tried again after a pause. */
  private boolean upload(CaptureSpool.Spooled spooled) {
    byte[] body;
    try {
      body = spool.body(spooled);
    } catch (NoSuchFileException e) {
      spool.gone(spooled); // made room for a newer window meanwhile: nothing to send
      return true;
    } catch (IOException e) {
      spool.refused(spooled, "cannot read its spool file: " + e);
      return true;
    }
    CaptureStoreClient.Outcome outcome =
        store.put(
            spooled.key(),
            spooled.header().contentType(),
            ObjectKeys.metadata(spooled.header()),
            body);
    if (outcome instanceof CaptureStoreClient.Outcome.Stored) {
      spool.uploaded(spooled);
      uploaded.incrementAndGet();
      if (failing) {
        LOG.info("capture store reachable again: uploading the {} windows waiting", spool.size());
        failing = false;
      }
      LOG.debug("uploaded {} ({} bytes)", spooled.key(), body.length);
      return true;
    }
    if (outcome instanceof CaptureStoreClient.Outcome.Refused refused) {
      spool.refused(spooled, refused.reason());
      return true;
    }
    spool.release(spooled);
    failedAttempts.incrementAndGet();
    String reason = ((CaptureStoreClient.Outcome.Retry) outcome).reason();
    if (!failing) {
      LOG.warn(
          "capture store unavailable, {} windows wait on disk and are tried again: {}",
          spool.size(),
          reason);
      failing = true;
    } else {
      LOG.debug("capture upload failed again: {}", reason);
    }
    return false;
  }

  private void pause(Duration delay) throws InterruptedException {
    lock.lock();
    try {
      long nanos = delay.toNanos();
      while (running && nanos > 0) {
        nanos = stop.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Stops after the upload under way, if any; the windows waiting stay on disk. */
  @Override
  public void close() {
    running = false;
    lock.lock();
    try {
      stop.signalAll();
    } finally {
      lock.unlock();
    }
    spool.close();
    try {
      // a PUT under way ends within the client's timeouts; the thread is a daemon
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
