package io.fieldproof.protocol.mqtt;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a session connected: one connection attempt at a time, each with a deadline, retries with
 * backoff after any failure or loss, and a periodic check that restarts the loop if anything ever
 * leaves it idle while disconnected.
 *
 * <p>The invariant, checked by {@link #supervise()}: until {@link #stop()}, the session is
 * connected, or exactly one attempt is in flight, or a retry is scheduled. Every attempt has an id;
 * an outcome or a deadline that belongs to an attempt other than the one in flight is ignored. This
 * matters because Paho never marks a failed connect token complete: a deadline that judged by the
 * token would, long after its attempt failed, cut the connection a later attempt made.
 */
final class ConnectLoop {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectLoop.class);

  /** Starts one connection attempt and reports its outcome through the handle. */
  interface Connector {
    void connect(Attempt attempt) throws Exception;
  }

  /** The outcome side of one attempt; calls for an attempt that is no longer current are no-ops. */
  interface Attempt {
    void succeeded();

    void failed(Throwable cause);
  }

  private final String target;
  private final Connector connector;
  private final BooleanSupplier connected;
  private final Runnable dropConnection;
  private final ScheduledExecutorService scheduler;
  private final ReconnectBackoff backoff;
  private final Duration deadline;
  private final Object lock = new Object();
  private long lastId;
  private long inFlight;
  private boolean retryPending;
  private boolean stopped;
  private ScheduledFuture<?> supervisor;

  ConnectLoop(
      String target,
      Connector connector,
      BooleanSupplier connected,
      Runnable dropConnection,
      ScheduledExecutorService scheduler,
      ReconnectBackoff backoff,
      Duration deadline) {
    this.target = target;
    this.connector = connector;
    this.connected = connected;
    this.dropConnection = dropConnection;
    this.scheduler = scheduler;
    this.backoff = backoff;
    this.deadline = deadline;
  }

  /** Starts the first attempt in the background and the periodic check. */
  void start() {
    synchronized (lock) {
      retryPending = true;
      long period = deadline.toMillis();
      supervisor =
          scheduler.scheduleWithFixedDelay(this::supervise, period, period, TimeUnit.MILLISECONDS);
    }
    scheduler.execute(this::attempt);
  }

  /** The established connection is gone: try again after the backoff. */
  void lost(Throwable cause) {
    retryLater(cause);
  }

  void stop() {
    synchronized (lock) {
      stopped = true;
      if (supervisor != null) {
        supervisor.cancel(false);
      }
    }
  }

  /** True while an attempt is in flight or scheduled: the loop is doing its job. */
  boolean busy() {
    synchronized (lock) {
      return inFlight != 0 || retryPending;
    }
  }

  private void attempt() {
    long id;
    synchronized (lock) {
      retryPending = false;
      if (stopped || inFlight != 0 || connected.getAsBoolean()) {
        return;
      }
      id = ++lastId;
      inFlight = id;
    }
    scheduler.schedule(() -> expire(id), deadline.toMillis(), TimeUnit.MILLISECONDS);
    try {
      connector.connect(new Handle(id));
    } catch (Exception e) {
      failed(id, e);
    }
  }

  private void succeeded(long id) {
    synchronized (lock) {
      if (inFlight != id) {
        return;
      }
      inFlight = 0;
    }
    backoff.reset();
  }

  private void failed(long id, Throwable cause) {
    synchronized (lock) {
      if (inFlight != id) {
        return;
      }
      inFlight = 0;
    }
    retryLater(cause);
  }

  /**
   * The attempt's deadline. Paho waits for a CONNACK without limit, so a broker that accepted the
   * TCP connection and never answers would hold the loop forever without it. Only the attempt still
   * in flight is abandoned, and a connection that is up is never dropped here.
   */
  private void expire(long id) {
    synchronized (lock) {
      if (inFlight != id || stopped) {
        return;
      }
      inFlight = 0;
    }
    if (connected.getAsBoolean()) {
      backoff.reset();
      return;
    }
    LOG.info("MQTT {} did not answer CONNECT within {} s", target, deadline.toSeconds());
    dropConnection.run();
    retryLater(new IOException("no CONNACK within " + deadline.toSeconds() + " s"));
  }

  /** Runs periodically: a disconnected session with nothing under way gets a new attempt. */
  void supervise() {
    if (!connected.getAsBoolean()) {
      retryLater(new IOException("not connected and no attempt under way"));
    }
  }

  private void retryLater(Throwable cause) {
    synchronized (lock) {
      if (stopped || retryPending || inFlight != 0) {
        return;
      }
      retryPending = true;
    }
    Duration delay = backoff.nextDelay();
    LOG.info(
        "MQTT {} unreachable ({}); retry {} in {} ms",
        target,
        cause.getMessage(),
        backoff.attempts(),
        delay.toMillis());
    scheduler.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The outcome handle given to one attempt. */
  private final class Handle implements Attempt {
    private final long id;

    Handle(long id) {
      this.id = id;
    }

    @Override
    public void succeeded() {
      ConnectLoop.this.succeeded(id);
    }

    @Override
    public void failed(Throwable cause) {
      ConnectLoop.this.failed(id, cause);
    }
  }
}
