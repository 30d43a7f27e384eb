package io.fieldproof.operator.mqtt;

import io.fieldproof.protocol.mqtt.RetainedListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Whether the fleet index holds what the broker retained when the operator's session first came up:
 * every gateway's birth, every desired state and every report. Until then the index is partial, and
 * a reconcile would count a group's members short and publish desired states to devices whose
 * retained ones have not arrived yet; so the reconcilers wait for it ({@link #RECHECK}), and a
 * restarted operator asks no device anything that it had already asked. A session that cannot prove
 * the delivery within its deadline ends the wait too (logged): the reconcilers then work from what
 * arrived, as they would without this. So does a broker that cannot be reached at all: after {@link
 * #MAX_WAIT} from the operator's start the reconcilers go on from an empty index, so that groups
 * still get a status (their members unseen) and rollouts can be deleted.
 */
public final class FleetReplay implements RetainedListener {

  /** How soon a reconcile that found the replay unfinished looks again. */
  public static final Duration RECHECK = Duration.ofMillis(250);

  private static final Logger LOG = Logger.getLogger(FleetReplay.class);

  /** How long the reconcilers wait for a first session's retained messages at most. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(60);

  private final AtomicBoolean done = new AtomicBoolean();
  private final AtomicBoolean gaveUp = new AtomicBoolean();
  private final Clock clock;
  private final Instant deadline;
  private final Duration maxWait;

  /**
   * @param maxWait how long after now the reconcilers wait at most when no session delivers
   */
  public FleetReplay(Clock clock, Duration maxWait) {
    this.clock = clock;
    this.deadline = clock.instant().plus(maxWait);
    this.maxWait = maxWait;
  }

  /**
   * Whether the first session's retained messages have all reached the index, or the wait for them
   * is over.
   */
  public boolean complete() {
    if (done.get()) {
      return true;
    }
    if (clock.instant().isBefore(deadline)) {
      return false;
    }
    if (!gaveUp.getAndSet(true)) {
      LOG.warn(
          "no MQTT session delivered the broker's retained messages within "
              + maxWait.toSeconds()
              + " s of the start: reconciling from an index without them");
    }
    return true;
  }

  @Override
  public void subscribing(boolean reconnect) {}

  @Override
  public void retainedDelivered(boolean reconnect, boolean complete) {
    if (done.getAndSet(true)) {
      return;
    }
    if (complete) {
      LOG.info("the fleet index holds the broker's retained births, desired states and reports");
    } else {
      LOG.warn(
          "the broker's retained messages were not proven delivered in time: reconciling from"
              + " what arrived");
    }
  }
}
