package io.fieldproof.operator.leader;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Whether this replica leads: always when leader election is off, otherwise from the moment the
 * election made it leader. Work outside a reconcile asks here first: a standby replica never writes
 * to the fleet (refilling the broker), and never counts or exports what the leader counts (device
 * events, fleet gauges), so that sums across replicas count everything once.
 */
@Singleton
public class Leadership {

  private final boolean electing;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final List<Runnable> onLeading = new CopyOnWriteArrayList<>();

  /** A replica without leader election: it leads. */
  public Leadership() {
    this(false);
  }

  /**
   * @param electing whether leader election is on: the replica leads only once elected
   */
  @Inject
  public Leadership(
      @ConfigProperty(name = "fieldproof.leader-election.enabled", defaultValue = "false")
          boolean electing) {
    this.electing = electing;
  }

  synchronized void started() {
    leading.set(true);
    onLeading.forEach(Runnable::run);
  }

  /**
   * Runs the action once this replica leads: now when it already does, otherwise when elected. A
   * replica that stops leading exits, so nothing has to be undone.
   */
  public synchronized void whenLeading(Runnable action) {
    if (leading()) {
      action.run();
    } else {
      onLeading.add(action);
    }
  }

  public boolean leading() {
    return !electing || leading.get();
  }
}
