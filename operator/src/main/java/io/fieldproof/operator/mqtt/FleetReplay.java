package io.fieldproof.operator.mqtt;

import io.fieldproof.protocol.mqtt.RetainedListener;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Whether the fleet index holds what the broker retained when the operator's session first came up:
 * every gateway's birth, every desired state and every report. Until then the index is partial, and
 * a reconcile would count a group's members short and publish desired states to devices whose
 * retained ones have not arrived yet; so the reconcilers wait for it ({@link #RECHECK}), and a
 * restarted operator asks no device anything that it had already asked. A session that cannot prove
 * the delivery within its deadline ends the wait too (logged): the reconcilers then work from what
 * arrived, as they would without this.
 */
public final class FleetReplay implements RetainedListener {

  /** How soon a reconcile that found the replay unfinished looks again. */
  public static final Duration RECHECK = Duration.ofMillis(250);

  private static final Logger LOG = Logger.getLogger(FleetReplay.class);

  private final AtomicBoolean done = new AtomicBoolean();

  /** Whether the first session's retained messages have all reached the index. */
  public boolean complete() {
    return done.get();
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
